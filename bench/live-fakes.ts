/**
 * The far side of the live-message benchmark, in its own process so the bot side's CPU time and memory are
 * measured alone: a fake Ollama answering at a fixed token rate, the fake hub in front of it, and the fake
 * Telegram with its flood limits on. Prints one JSON line with the addresses, then serves until killed.
 */
import { startFakeHub } from "../test/fakes/hub.js";
import { startFakeOllama } from "../test/fakes/ollama.js";
import { startFakeTelegram } from "../test/fakes/telegram.js";

const chats = Number(process.env.BENCH_CHATS ?? 200);
const tokens = Number(process.env.BENCH_TOKENS ?? 400);
const tokenDelayMs = 1000 / Number(process.env.BENCH_TOKENS_PER_S ?? 50);

const ollama = await startFakeOllama({ tokenDelayMs, longTokens: tokens });
const hub = await startFakeHub({ ollamaUrl: ollama.url });
const telegram = await startFakeTelegram();
// Each benchmark phase (paced, naive) gets chats of its own, so one phase's flood history cannot touch the other.
for (let id = 1; id <= chats * 2; id++) telegram.addChat(id);
process.stdout.write(
  `${JSON.stringify({ hub: hub.apiBase, apiRoot: telegram.apiRoot, token: telegram.token, botInfo: telegram.botInfo })}\n`,
);
