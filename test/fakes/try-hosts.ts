/**
 * Several model hosts (MODEL_HOSTS) as `npm start` runs it (the built dist/main.js), driven through the fakes: a
 * private chat on a model only host "gpu" has, a group on a model only "mac" has, at the same time; a SIGTERM in
 * the middle of an answer and a restart while "gpu" is away; /queue as an admin. Prints every message of both
 * chats.
 *   npm run build && npx tsx test/fakes/try-hosts.ts
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startFakeHub } from "./hub.js";
import { startFakeOllama } from "./ollama.js";
import { startFakeTelegram } from "./telegram.js";
import { pressLabel, printChat, sleep, startBuiltBot } from "./try-util.js";

const USER = 4242;
const OTHER = 4343;
const GROUP = -100555;
const mac = await startFakeOllama({
  tokenDelayMs: 20,
  longTokens: 300,
  models: ["tiny:latest", "unicode:latest"],
});
const hub = await startFakeHub({ ollamaUrl: mac.url });
const gpu = await startFakeOllama({
  tokenDelayMs: 20,
  longTokens: 300,
  models: ["long:latest", "unicode:latest"],
});
const tg = await startFakeTelegram();
const dataDir = await mkdtemp(join(tmpdir(), "try-hosts-"));
const env = {
  ...process.env,
  TELEGRAM_BOT_TOKEN: tg.token,
  TELEGRAM_API_ROOT: tg.apiRoot,
  TTSHUB_API_BASE: "",
  OLLAMA_URL: "",
  MODEL_HOSTS: `mac hub ${hub.apiBase} 1, gpu ollama ${gpu.url} 1`,
  HOST_CHECK_INTERVAL_MS: "1000",
  ALLOWED_USER_IDS: `${USER},${OTHER}`,
  ADMIN_USER_IDS: String(USER),
  DATA_DIR: dataDir,
  LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
  SHUTDOWN_GRACE_MS: "500",
};
const start = () => startBuiltBot(env);
const as = (id: number) => ({ from: { id, language_code: "en" } });
const press = (chat: number, label: string, who = USER) => pressLabel(tg, chat, label, as(who));
const print = (chat: number) => printChat(tg, chat);

tg.addChat(GROUP, { type: "supergroup", title: "Team" });
let bot = start();
try {
  tg.sendText(USER, "/ollama", as(USER));
  await press(USER, "long:latest");
  tg.sendText(GROUP, "/ollama", as(OTHER));
  await press(GROUP, "tiny:latest", OTHER);
  await sleep(800);
  tg.sendText(USER, "tell me everything", as(USER));
  await sleep(300);
  tg.sendText(GROUP, "@test_ollama_bot hello team", as(OTHER));
  await sleep(1500);
  tg.sendText(USER, "/queue", as(USER));
  await sleep(300);
  bot.kill("SIGTERM");
  await new Promise((r) => bot.once("exit", r));
  await gpu.setDown(true);
  bot = start();
  // The interrupted answer has Retry: pressed while its host is away, the turn waits (HUB_OUTAGE_WINDOW_MS) and
  // streams once gpu is back.
  await press(USER, "🔁");
  await sleep(2500);
  await gpu.setDown(false);
  await sleep(9000);
  tg.sendText(USER, "/queue", as(USER));
  await sleep(500);
} finally {
  print(USER);
  print(GROUP);
  console.log(
    `mac chats: ${mac.requests.filter((r) => r.path === "/api/chat").length}, gpu chats: ${gpu.requests.filter((r) => r.path === "/api/chat").length}`,
  );
  bot.kill("SIGTERM");
  await new Promise((r) => bot.once("exit", r));
  await tg.close();
  await hub.close();
  await mac.close();
  await gpu.close();
}
