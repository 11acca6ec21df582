/**
 * The bot as `npm start` runs it (the built dist/main.js, its own process), driven through the fakes, with a
 * SIGTERM in the middle of an answer and a restart; prints every message of the chat. For trying it by hand:
 *   npm run build && npx tsx test/fakes/try-bot.ts
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startFakeHub } from "./hub.js";
import { startFakeOllama } from "./ollama.js";
import { startFakeTelegram } from "./telegram.js";
import { pressLabel, printChat, sleep, startBuiltBot } from "./try-util.js";

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
const start = () => startBuiltBot(env);
const from = { from: { id: USER, language_code: process.env.TRY_LANG ?? "en" } };
const press = (label: string) => pressLabel(tg, USER, label, from);

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
  printChat(tg, USER);
} finally {
  bot.kill("SIGTERM");
  await new Promise((r) => bot.once("exit", r));
  await tg.close();
  await hub.close();
  await ollama.close();
}
