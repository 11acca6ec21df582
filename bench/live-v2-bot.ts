/**
 * The bot side of `bench/live-v2.ts`, in a process of its own: BENCH_CHATS private chats at once, each asking
 * the hub for a long answer and streaming it into Telegram with the live message, as drafts (`BENCH_MODE=draft`)
 * or edits (`edit`). It records nothing of its own (the far side times tokens and calls): what it prints at the
 * end is its CPU time and its peak RSS, so the figures are the bot's alone.
 */
import { Api } from "grammy";
import { OllamaClient } from "../src/hub/index.js";
import { CallBudget, type LiveApi, PaceRegistry, streamToChat, systemClock } from "../src/live/index.js";
import { boundHeapGrowth } from "../src/util/memory.js";
import { telegramFetch } from "../src/util/undici-fetch.js";

// As main.ts does (BENCH_HEAP_GROWTH=0: V8's own heuristic, for comparison).
if (process.env.BENCH_HEAP_GROWTH !== "0") boundHeapGrowth();

const chats = Number(process.env.BENCH_CHATS ?? 200);
const mode = process.env.BENCH_MODE === "edit" ? "edit" : "draft";
const far = JSON.parse(process.env.BENCH_FAR ?? "{}") as { hub: string; apiRoot: string; token: string };
// As createBot does: every call over one undici keep-alive pool (BENCH_TRANSPORT=node-fetch: grammY's default).
const transport = process.env.BENCH_TRANSPORT === "node-fetch" ? undefined : telegramFetch();
const api = new Api(far.token, {
  apiRoot: far.apiRoot,
  ...(transport ? { fetch: transport.fetch as unknown as typeof fetch } : {}),
});
const client = new OllamaClient({ mode: "hub", baseUrl: far.hub });
const liveApi: LiveApi = {
  sendMessage: (c, t, o) => api.sendMessage(c, t, o),
  editMessageText: (c, m, t, o) => api.editMessageText(c, m, t, o),
  deleteMessage: (c, m) => api.deleteMessage(c, m),
  sendChatAction: (c, a) => api.sendChatAction(c, a),
  sendMessageDraft: (c, d, t, o) => api.sendMessageDraft(c, d, t, o),
};
const paces = new PaceRegistry();
// As the bot runs it: the bot-wide budget at its default ceiling (TELEGRAM_MAX_CALLS_PER_SECOND).
const budget = new CallBudget({ perSecond: Number(process.env.BENCH_BUDGET ?? 1000), clock: systemClock });

let peakRss = 0;
let atPeak: NodeJS.MemoryUsage | undefined;
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  if (m.rss > peakRss) {
    peakRss = m.rss;
    atPeak = m;
  }
}, 50);
// BENCH_HEAP=file: a heap snapshot of the bot side halfway through (for where its memory goes).
if (process.env.BENCH_HEAP) {
  const { writeHeapSnapshot } = await import("node:v8");
  setTimeout(
    () => writeHeapSnapshot(process.env.BENCH_HEAP),
    Number(process.env.BENCH_HEAP_AT_MS ?? 15_000),
  ).unref();
}
const cpu0 = process.cpuUsage();
const t0 = Date.now();
await Promise.all(
  Array.from({ length: chats }, (_, i) => {
    const chatId = i + 1;
    return streamToChat(
      { api: liveApi, paces, budget },
      client.chatStream({ model: "long:latest", messages: [{ role: "user", content: `q${chatId}` }] }),
      {
        chatId,
        chatKind: "private",
        label: "long",
        stopData: `stop:${chatId}`,
        ...(mode === "draft" ? { draft: { id: chatId, canStop: true } } : {}),
      },
    );
  }),
);
const cpu = process.cpuUsage(cpu0);
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss);
process.stdout.write(
  `${JSON.stringify({ atPeak, budget429s: budget.tooManyRequests, cpuMs: (cpu.user + cpu.system) / 1000, wallMs: Date.now() - t0, peakRssMb: peakRss / 1e6 })}\n`,
);
await client.close();
await transport?.close();
