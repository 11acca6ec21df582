/**
 * The fake Telegram of `bench/live-v2.ts`, in a process of its own. Real Telegram does not share an event loop
 * with the model server; in one process with the fake Ollama and the fake hub (~10,000 SSE lines a second at
 * 1,000 chats) its loop was saturated, accepted one connection per loop iteration, its listen queue overflowed
 * and the bot's new connections waited out SYN retransmits (1 s, 3 s, 7 s, 15 s…): the "slow runs" measured
 * the fake's accept queue, not the bot.
 *
 * Talks to the bench over IPC: `ready` with the address, then every half second what the chats showed (chat,
 * highest word, receipt time: numbers, not texts), and `final` with its CPU time after the bench says `stop`.
 */
import { type ApiCall, startFakeTelegram } from "../test/fakes/telegram.js";
import { type CallSummary, drainCalls } from "./live-v2-calls.js";

export type TelegramSideMessage =
  | { type: "ready"; apiRoot: string; token: string }
  | CallSummary
  | { type: "final"; cpuMs: number };

const send = (m: TelegramSideMessage) => process.send?.(m);
const chats = Number(process.env.BENCH_CHATS ?? 200);
const cpu0 = process.cpuUsage();
const tg = await startFakeTelegram();
for (let id = 1; id <= chats; id++) tg.addChat(id);

const drain = () => send(drainCalls(tg.calls as ApiCall[]));
const drainer = setInterval(drain, 500);

process.on("message", async (m: { type?: string }) => {
  if (m.type !== "stop") return;
  clearInterval(drainer);
  drain();
  const cpu = process.cpuUsage(cpu0);
  send({ type: "final", cpuMs: (cpu.user + cpu.system) / 1000 });
  await tg.close();
  process.disconnect();
});
send({ type: "ready", apiRoot: tg.apiRoot, token: tg.token });
