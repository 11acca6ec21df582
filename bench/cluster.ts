/**
 * `npm run bench`, several processes (issue 14): the same load on 1, 2 and 3 bot processes in webhook mode on one
 * real redis-server, behind a round-robin proxy, with the fake Telegram (its flood limits on), hub and Ollama. Each
 * of BENCH_CLUSTER_CHATS private chats sends BENCH_CLUSTER_MESSAGES messages at once; every answer streams
 * BENCH_CLUSTER_TOKENS content lines at ~50/s, MAX_CONCURRENT_GENERATIONS at a time for all processes together.
 *
 * Per size: answers per second (first message → last final answer), p50/p95 token → screen (the fake Ollama
 * stamps each token as it flushes it, the fake Telegram each call as it receives it: one clock), Redis commands per
 * answered message (from Redis's own INFO commandstats: sessions, routing, inboxes, leases, slots, all of it),
 * and the bot processes' CPU. On this 2-core machine the fakes and every bot process share the cores, so more
 * processes cannot mean more throughput here: the figures say what the coordination costs.
 */
import { Redis } from "ioredis";
import type { ApiCall } from "../test/fakes/telegram.js";
import { delay } from "../test/faults/child-bot.js";
import { startCluster } from "../test/faults/cluster-world.js";

const CHATS = Number(process.env.BENCH_CLUSTER_CHATS ?? 60);
const MESSAGES = Number(process.env.BENCH_CLUSTER_MESSAGES ?? 3);
const TOKENS = Number(process.env.BENCH_CLUSTER_TOKENS ?? 100);
const CONCURRENT = Number(process.env.BENCH_CLUSTER_CONCURRENT ?? 32);
const SIZES = (process.env.BENCH_CLUSTER_PROCESSES ?? "1,2,3").split(",").map(Number);

interface Row {
  processes: number;
  answers: number;
  answersPerS: number;
  p50: number;
  p95: number;
  redisPerAnswer: number;
  /** Commands the bot processes sent to Redis from their start to their stop (round trips; a script counts once), per answer. */
  tripsPerAnswer: number;
  /** Redis commands per answer, by command (the larger ones). */
  byCommand: string;
  botCores: number;
  wallS: number;
  /** Calls the fake Telegram refused with 429. */
  tooMany: number;
}

async function run(processes: number): Promise<Row> {
  /** When each content line left the fake Ollama, per prompt ("c<chat>m<i>"). */
  const emitted = new Map<string, number[]>();
  const w = await startCluster({
    processes,
    longTokens: TOKENS,
    tokenDelayMs: 20,
    ollama: {
      onContentLine: (prompt, index, at) => {
        const list = emitted.get(prompt) ?? [];
        if (list.length === 0) emitted.set(prompt, list);
        list[index] = at;
      },
    },
    telegram: { limits: {} },
    env: {
      DEFAULT_MODEL: "long:latest",
      MAX_CONCURRENT_GENERATIONS: String(CONCURRENT),
      LIVE_MODE: "auto",
      LOG_LEVEL: "info",
      SHUTDOWN_GRACE_MS: "0",
      CLUSTER_LEASE_MS: "15000",
    },
  });
  const raw = new Redis(w.redis.url);
  raw.on("error", () => undefined); // the bench reads stats only; a failure shows as a failed read
  /** Redis's own count of commands run, per command. */
  const commandStats = async () => {
    const info = await raw.info("commandstats");
    return new Map([...info.matchAll(/cmdstat_([\w|]+):calls=(\d+)/g)].map((m) => [m[1]!, Number(m[2])]));
  };
  const commands = async () => [...(await commandStats()).values()].reduce((a, b) => a + b, 0);
  for (let c = 0; c < CHATS; c++) w.tg.addChat(8001 + c);
  await delay(500);
  const before = await commands();
  const beforeStats = await commandStats();
  const cpu0 = w.bots.map((b) => b.cpuMs() ?? 0);
  // What each chat showed, and when: the highest word of each draft, edit and send, by prompt.
  const shown = new Map<number, Array<{ word: number; at: number; text: string }>>();
  let finals = 0;
  let lastFinalAt = 0;
  let tooMany = 0;
  const drain = () => {
    const log = w.tg.calls as ApiCall[];
    for (const call of log) {
      if (call.error?.error_code === 429) tooMany++;
      const m = call.method.toLowerCase();
      if (!call.ok || (m !== "sendmessagedraft" && m !== "editmessagetext" && m !== "sendmessage")) continue;
      const text = String(call.params.text ?? "");
      const last = [...text.matchAll(/word(\d+)/g)].at(-1);
      if (!last) continue;
      const chat = Number(call.params.chat_id);
      const list = shown.get(chat) ?? [];
      if (list.length === 0) shown.set(chat, list);
      list.push({ word: Number(last[1]), at: call.at, text: "" });
      if (m === "sendmessage" && Number(last[1]) === TOKENS / 2 - 1) {
        finals++;
        lastFinalAt = Math.max(lastFinalAt, call.at);
      }
    }
    log.length = 0;
  };
  const drainer = setInterval(drain, 250);
  const started = Date.now();
  for (let i = 0; i < MESSAGES; i++)
    for (let c = 0; c < CHATS; c++) w.tg.sendText(8001 + c, `c${8001 + c}m${i}`);
  const total = CHATS * MESSAGES;
  const deadline = Date.now() + 600_000;
  while (finals < total && Date.now() < deadline) {
    await delay(250);
    drain();
    if (process.env.BENCH_VERBOSE) console.error(`${processes} processes: ${finals}/${total} answers`);
  }
  clearInterval(drainer);
  const wallMs = (lastFinalAt || Date.now()) - started;
  const cpu = w.bots.reduce((n, b, i) => n + ((b.cpuMs() ?? 0) - cpu0[i]!), 0);
  const redisCommands = (await commands()) - before;
  // Round trips: what each process says it sent, at its graceful stop (a script counts once).
  let trips = 0;
  for (const bot of w.bots) {
    await bot.kill("SIGTERM");
    const line = bot.lines.find((l) => l.msg === "Redis commands sent by this process");
    const sent = line ? (JSON.parse(line.raw) as { sessions: number; cluster: number }) : undefined;
    trips += (sent?.sessions ?? 0) + (sent?.cluster ?? 0);
  }
  const after = await commandStats();
  const byCommand = [...after]
    .map(([name, n]) => [name, (n - (beforeStats.get(name) ?? 0)) / Math.max(1, finals)] as const)
    .filter(([, n]) => n >= 0.5)
    .sort((a, b) => b[1] - a[1])
    .map(([name, n]) => `${name} ${n.toFixed(1)}`)
    .join(", ");
  raw.disconnect();

  // Token → screen, per answer: a chat's answers come one after another, so each prompt's tokens are matched
  // against what the chat showed after that prompt's first token.
  const delays: number[] = [];
  for (const [prompt, times] of emitted) {
    const chat = Number(/^c(\d+)m/.exec(prompt)?.[1]);
    const seen = (shown.get(chat) ?? []).filter((s) => s.at >= (times[0] ?? 0)).sort((a, b) => a.at - b.at);
    let j = 0;
    let best = -1;
    for (let index = 0; index < times.length; index += 2) {
      const word = index / 2;
      while (best < word && j < seen.length) best = Math.max(best, seen[j++]!.word);
      if (best < word) continue;
      delays.push(Math.max(0, seen[j - 1]!.at - times[index]!));
    }
  }
  delays.sort((a, b) => a - b);
  const pct = (p: number) =>
    delays[Math.min(delays.length - 1, Math.floor((p / 100) * delays.length))] ?? Number.NaN;
  await w.close();
  return {
    processes,
    answers: finals,
    answersPerS: finals / (wallMs / 1000),
    p50: pct(50),
    p95: pct(95),
    redisPerAnswer: redisCommands / Math.max(1, finals),
    tripsPerAnswer: trips / Math.max(1, finals),
    byCommand,
    botCores: cpu / wallMs,
    wallS: wallMs / 1000,
    tooMany,
  };
}

const rows: Row[] = [];
for (const n of SIZES) rows.push(await run(n));
console.log(
  `several processes: ${CHATS} private chats × ${MESSAGES} messages at once, answers of ${TOKENS / 2} words at ~50 content lines/s, ${CONCURRENT} generations at a time in all; webhook + real redis-server + round-robin proxy; fake Telegram limits on; node ${process.version}\n`,
);
const cols: Array<[string, (r: Row) => string]> = [
  ["processes", (r) => String(r.processes)],
  ["answers", (r) => String(r.answers)],
  ["answers/s", (r) => r.answersPerS.toFixed(2)],
  ["429s", (r) => String(r.tooMany)],
  ["p50 ms", (r) => r.p50.toFixed(0)],
  ["p95 ms", (r) => r.p95.toFixed(0)],
  ["Redis trips/answer", (r) => r.tripsPerAnswer.toFixed(1)],
  ["Redis cmds/answer", (r) => r.redisPerAnswer.toFixed(1)],
  ["bot CPU (cores)", (r) => r.botCores.toFixed(2)],
  ["wall s", (r) => r.wallS.toFixed(1)],
];
console.log(cols.map(([h]) => h.padStart(20)).join(""));
for (const r of rows) console.log(cols.map(([, f]) => f(r).padStart(20)).join(""));
for (const r of rows) console.log(`${r.processes} processes, Redis commands per answer: ${r.byCommand}`);
