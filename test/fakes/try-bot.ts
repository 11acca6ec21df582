/**
 * The bot as `npm start` runs it (the built dist/main.js, its own process), driven through the fakes, with a
 * SIGTERM in the middle of an answer and a restart; prints every message of the chat. For trying it by hand:
 *   npm run build && npx tsx test/fakes/try-bot.ts
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startFakeHub } from "./hub.js";
import { startFakeOllama } from "./ollama.js";
import { startFakeTelegram } from "./telegram.js";

const USER = 4242;
const ollama = await startFakeOllama({ tokenDelayMs: 20, longTokens: 400 });
const hub = await startFakeHub({ ollamaUrl: ollama.url });
const tg = await startFakeTelegram();
const dataDir = await mkdtemp(join(tmpdir(), "try-bot-"));
const env = {
  ...process.env,
  TELEGRAM_BOT_TOKEN: tg.token,
  TELEGRAM_API_ROOT: tg.apiRoot,
  TTSHUB_API_BASE: hub.apiBase,
  ALLOWED_USER_IDS: String(USER),
  DATA_DIR: dataDir,
  LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
  SHUTDOWN_GRACE_MS: "500",
};
const start = (): ChildProcess =>
  spawn(process.execPath, ["dist/main.js"], { env, stdio: ["ignore", "inherit", "inherit"] });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const from = { from: { id: USER, language_code: process.env.TRY_LANG ?? "en" } };
const press = async (label: string) => {
  await tg.waitFor(
    () => tg.visibleMessages(USER).some((m) => m.buttons.flat().some((b) => b.text.startsWith(label))),
    { timeoutMs: 10_000 },
  );
  const msg = tg
    .visibleMessages(USER)
    .findLast((m) => m.buttons.flat().some((b) => b.text.startsWith(label)))!;
  tg.pressButton(USER, msg.messageId, msg.buttons.flat().find((b) => b.text.startsWith(label))!.data!, from);
};

let bot = start();
try {
  tg.sendText(USER, "/start", from);
  tg.sendText(USER, "hello", from);
  await press("tiny:latest");
  await sleep(1500);
  tg.sendText(USER, "/ollama", from);
  await press("long:latest");
  await sleep(500);
  tg.sendText(USER, "tell me everything", from);
  await sleep(1500);
  bot.kill("SIGTERM");
  await new Promise((r) => bot.once("exit", r));
  bot = start();
  await sleep(2500);
  await press("▶️");
  await sleep(3000);
  for (const m of tg.visibleMessages(USER)) {
    const buttons = m.buttons
      .flat()
      .map((b) => `[${b.text}]`)
      .join(" ");
    console.log(
      `${m.from === "bot" ? "BOT " : "USER"}: ${m.text.replace(/\n/g, " ⏎ ").slice(0, 200)} ${buttons}`,
    );
  }
} finally {
  bot.kill("SIGTERM");
  await new Promise((r) => bot.once("exit", r));
  await tg.close();
  await hub.close();
  await ollama.close();
}
