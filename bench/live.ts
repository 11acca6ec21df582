/**
 * `npm run bench` (part 2): 200 chats streaming at once at 50 tokens/s through the fake hub and the fake Telegram
 * with its flood limits on. The live message (paced) against the naive baseline (one edit per token), side by
 * side: edits per chat per second, 429s received, delay from a token's arrival to its first appearance in
 * Telegram (p50/p95), CPU time and peak memory of the bot side (the fakes run in a child process).
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { Api } from "grammy";
import { OllamaClient, type StreamEvent } from "../src/hub/index.js";
import { DEFAULT_PACE, type LiveApi, PaceRegistry, streamToChat } from "../src/live/index.js";

const CHATS = Number(process.env.BENCH_CHATS ?? 200);

interface ChatSample {
  arrivals: Array<{ end: number; at: number }>;
  shown: Array<{ text: string; at: number }>;
  calls: number;
  tooMany: number;
  start: number;
  end: number;
}

const child = spawn(
  process.execPath,
  ["--import", "tsx", new URL("./live-fakes.ts", import.meta.url).pathname],
  {
    env: process.env,
    stdio: ["ignore", "pipe", "inherit"],
  },
);
const first = await new Promise<string>((resolve) =>
  createInterface({ input: child.stdout }).once("line", resolve),
);
const far = JSON.parse(first) as { hub: string; apiRoot: string; token: string };
const api = new Api(far.token, { apiRoot: far.apiRoot });
const client = new OllamaClient({ mode: "hub", baseUrl: far.hub });

function recordedSource(sample: ChatSample, chat: number): AsyncIterable<StreamEvent> {
  return (async function* () {
    let length = 0;
    for await (const e of client.chatStream({
      model: "long:latest",
      messages: [{ role: "user", content: `${chat}` }],
    })) {
      if (e.type === "content") {
        length += e.text.length;
        sample.arrivals.push({ end: length, at: Date.now() });
      }
      yield e;
    }
  })();
}

function recordedApi(sample: ChatSample): LiveApi {
  const record = async <T>(text: string, call: Promise<T>): Promise<T> => {
    try {
      const r = await call;
      sample.calls++;
      sample.shown.push({ text, at: Date.now() });
      return r;
    } catch (err) {
      if ((err as { error_code?: number }).error_code === 429) sample.tooMany++;
      throw err;
    }
  };
  return {
    sendMessage: (c, t, o) => record(t, api.sendMessage(c, t, o)),
    editMessageText: (c, m, t, o) => record(t, api.editMessageText(c, m, t, o)),
    deleteMessage: (c, m) => api.deleteMessage(c, m),
    sendChatAction: (c, a) => api.sendChatAction(c, a),
  };
}

/** The naive baseline: one edit per token, errors (429s included) ignored, as many bots do. */
async function naive(chat: number, sample: ChatSample): Promise<void> {
  const live = recordedApi(sample);
  const { message_id } = await live.sendMessage(chat, "…");
  let text = "";
  for await (const e of recordedSource(sample, chat)) {
    if (e.type !== "content") continue;
    text += e.text;
    await live.editMessageText(chat, message_id, text).catch(() => {});
  }
}

async function phase(
  name: string,
  firstChat: number,
  run: (chat: number, s: ChatSample) => Promise<unknown>,
) {
  const samples: ChatSample[] = [];
  const cpu0 = process.cpuUsage();
  let peakRss = 0;
  let peakHeap = 0;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 50);
  const t0 = Date.now();
  await Promise.all(
    Array.from({ length: CHATS }, async (_, i) => {
      const s: ChatSample = { arrivals: [], shown: [], calls: 0, tooMany: 0, start: Date.now(), end: 0 };
      samples.push(s);
      await run(firstChat + i, s);
      s.end = Date.now();
    }),
  );
  clearInterval(sampler);
  const cpu = process.cpuUsage(cpu0);
  const wall = Date.now() - t0;

  const delays: number[] = [];
  for (const s of samples) {
    // A status line ("⏳ …", "🤔 …") is not the answer; every other shown text is a prefix of it.
    const answers = s.shown.filter((x) => !/^[⏳🤔…]/u.test(x.text));
    let j = 0;
    for (const a of s.arrivals) {
      while (j < answers.length && answers[j]!.text.length < a.end) j++;
      const shownAt = answers[j]?.at;
      if (shownAt !== undefined) delays.push(Math.max(0, shownAt - a.at));
    }
  }
  delays.sort((a, b) => a - b);
  const pct = (p: number) =>
    delays[Math.min(delays.length - 1, Math.floor((p / 100) * delays.length))] ?? Number.NaN;
  const rates = samples.map((s) => s.calls / ((s.end - s.start) / 1000));
  return {
    name,
    tokens: samples.reduce((n, s) => n + s.arrivals.length, 0),
    callsPerChatPerS: rates.reduce((a, b) => a + b, 0) / rates.length,
    maxCallsPerChatPerS: Math.max(...rates),
    tooMany: samples.reduce((n, s) => n + s.tooMany, 0),
    p50: pct(50),
    p95: pct(95),
    cpuMs: (cpu.user + cpu.system) / 1000,
    peakRssMb: peakRss / 1e6,
    peakHeapMb: peakHeap / 1e6,
    wallS: wall / 1000,
  };
}

const paces = new PaceRegistry();
const paced = await phase("live message (paced)", 1, (chat, s) =>
  streamToChat({ api: recordedApi(s), paces }, recordedSource(s, chat), {
    chatId: chat,
    chatKind: "private",
    label: "long",
    stopData: `stop:${chat}`,
  }),
);
const baseline = await phase("naive (edit per token)", CHATS + 1, naive);

console.log(
  `${CHATS} private chats at once, ~50 tokens/s each, fake Telegram limits on (3/s sustained per chat, burst 5); node ${process.version}\n`,
);
const rows: Array<[string, (r: typeof paced) => string]> = [
  ["content deltas received (coalesced per chunk)", (r) => String(r.tokens)],
  ["sends+edits per chat per second (mean)", (r) => r.callsPerChatPerS.toFixed(2)],
  ["sends+edits per chat per second (max)", (r) => r.maxCallsPerChatPerS.toFixed(2)],
  ["429s received", (r) => String(r.tooMany)],
  ["token → shown, p50 (ms)", (r) => r.p50.toFixed(0)],
  ["token → shown, p95 (ms)", (r) => r.p95.toFixed(0)],
  ["CPU time, bot side (ms)", (r) => r.cpuMs.toFixed(0)],
  ["peak RSS (MB)", (r) => r.peakRssMb.toFixed(0)],
  ["peak heap used (MB)", (r) => r.peakHeapMb.toFixed(0)],
  ["wall time (s)", (r) => r.wallS.toFixed(1)],
];
console.log(`${"".padEnd(48)} ${paced.name.padStart(22)} ${baseline.name.padStart(24)}`);
for (const [label, f] of rows)
  console.log(`${label.padEnd(48)} ${f(paced).padStart(22)} ${f(baseline).padStart(24)}`);
console.log(
  `\ngoal: no 429 with the defaults (${paced.tooMany === 0 ? "met" : "NOT met"}); ` +
    `p95 under the pacing interval + 100 ms = ${DEFAULT_PACE.privateIntervalMs + 100} ms ` +
    `(${paced.p95 < DEFAULT_PACE.privateIntervalMs + 100 ? "met" : "NOT met"})`,
);

await client.close();
child.kill();
