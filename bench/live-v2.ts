/**
 * `npm run bench`, live message v2 (issue 15): 200 and 1,000 private chats streaming at once, ~50 tokens/s each,
 * in draft mode (sendMessageDraft) and in edit mode, against the fake hub, the fake Ollama and the fake
 * Telegram with its flood limits on. The bot side runs in its own process (bench/live-v2-bot.ts) and records
 * nothing: this process times each token as the fake Ollama flushes it and each text as the fake Telegram
 * receives it, so "token → screen" is measured on one clock and the bot's heap holds none of it.
 *
 * Per mode: 429s, p50/p95 token → screen, calls per second (overall and per chat), the bot's CPU (as a share of
 * one core) and its peak RSS.
 */
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { startFakeHub } from "../test/fakes/hub.js";
import { startFakeOllama } from "../test/fakes/ollama.js";
import { type ApiCall, startFakeTelegram } from "../test/fakes/telegram.js";
import { type CallSummary, drainCalls } from "./live-v2-calls.js";
import type { TelegramSideMessage } from "./live-v2-telegram.js";

const SIZES = (process.env.BENCH_SIZES ?? "200,1000").split(",").map(Number);
const TOKENS = Number(process.env.BENCH_TOKENS ?? 400);
const TOKENS_PER_S = 50;
/**
 * BENCH_TELEGRAM=same-process runs the fake Telegram in this process, beside the fake Ollama and hub, as before
 * (its accept queue then overflows at 1,000 chats: see bench/live-v2-telegram.ts); by default it runs apart.
 */
const SAME_PROCESS_TELEGRAM = process.env.BENCH_TELEGRAM === "same-process";

interface Row {
  chats: number;
  mode: string;
  tooMany: number;
  p50: number;
  p95: number;
  callsPerS: number;
  callsPerChatPerS: number;
  cpuCores: number;
  peakRssMb: number;
  /** The far side (fakes and recording), for whether the machine itself was the limit. */
  fakesCores: number;
  wallS: number;
}

async function run(chats: number, mode: "draft" | "edit"): Promise<Row> {
  /** When each content line left the fake Ollama, per chat (index = content line). */
  const emitted = new Map<number, number[]>();
  const ollama = await startFakeOllama({
    tokenDelayMs: 1000 / TOKENS_PER_S,
    longTokens: TOKENS,
    onContentLine: (prompt, index, at) => {
      const chat = Number(prompt.slice(1));
      const list = emitted.get(chat) ?? [];
      if (list.length === 0) emitted.set(chat, list);
      list[index] = at;
    },
  });
  const hub = await startFakeHub({ ollamaUrl: ollama.url });
  // What the chat showed, and when: the highest word of each call's text (a draft, an edit, a send), taken out
  // of the fake Telegram's call log every half second, so no heap holds every text sent (GC pauses in the fake
  // would delay its receipt times).
  let tooMany = 0;
  let calls = 0;
  /** Refusals other than 429, by method and description: a bench run with any is suspect. */
  const refused = new Map<string, number>();
  const shown = new Map<number, Array<{ word: number; at: number }>>();
  const take = (m: CallSummary) => {
    calls += m.calls;
    tooMany += m.tooMany;
    for (const [key, n] of Object.entries(m.refused)) refused.set(key, (refused.get(key) ?? 0) + n);
    for (let i = 0; i < m.shown.length; i += 3) {
      const chat = m.shown[i]!;
      const list = shown.get(chat) ?? [];
      if (list.length === 0) shown.set(chat, list);
      list.push({ word: m.shown[i + 1]!, at: m.shown[i + 2]! });
    }
  };
  const tg = SAME_PROCESS_TELEGRAM ? await telegramHere(chats, take) : await telegramApart(chats, take);
  const far = { hub: hub.apiBase, apiRoot: tg.apiRoot, token: tg.token };
  // BENCH_PROFILE=dir writes a CPU profile of the bot side there (open it in Chrome's DevTools).
  const profile = process.env.BENCH_PROFILE
    ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
    : [];
  const farCpu0 = process.cpuUsage();
  const flags = (process.env.BENCH_NODE_FLAGS ?? "").split(" ").filter(Boolean);
  const child = spawn(process.execPath, [...flags, ...profile, botBundle], {
    env: { ...process.env, BENCH_CHATS: String(chats), BENCH_MODE: mode, BENCH_FAR: JSON.stringify(far) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  // Listened for from the start: the bot side exits while the fake Telegram is being stopped.
  const botExited = new Promise((resolve) => child.once("exit", resolve));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`the bot side exited with ${code}`)));
  });
  const bot = JSON.parse(line) as { cpuMs: number; wallMs: number; peakRssMb: number; atPeak?: unknown };
  if (process.env.BENCH_VERBOSE) console.error(`${chats} chats, ${mode}: bot memory at its peak`, bot.atPeak);
  const farCpu = process.cpuUsage(farCpu0);
  const tgCpuMs = await tg.stop();
  await botExited;

  const delays: number[] = [];
  const slow: Array<{ chat: number; word: number; delay: number; emittedAt: number }> = [];
  const firstEmit = Math.min(...[...emitted.values()].map((t) => t[0] ?? Number.POSITIVE_INFINITY));
  for (const [chat, times] of emitted) {
    const seen = (shown.get(chat) ?? []).sort((a, b) => a.at - b.at);
    let j = 0;
    let best = -1;
    // Content line 2k is "word{k}" (the fake's filler alternates words and spaces).
    for (let index = 0; index < times.length; index += 2) {
      const word = index / 2;
      while (best < word && j < seen.length) best = Math.max(best, seen[j++]!.word);
      if (best < word) continue;
      const delay = Math.max(0, seen[j - 1]!.at - times[index]!);
      delays.push(delay);
      if (process.env.BENCH_VERBOSE && delay > 3000)
        slow.push({ chat, word, delay, emittedAt: times[index]! - firstEmit });
    }
  }
  if (slow.length > 0) {
    const chatsSlow = new Set(slow.map((x) => x.chat)).size;
    const byWord = slow.reduce((n, x) => n + x.word, 0) / slow.length;
    const when = slow.map((x) => x.emittedAt).sort((a, b) => a - b);
    console.error(
      `${chats} chats, ${mode}: ${slow.length} tokens over 3 s late, in ${chatsSlow} chats; mean word ${byWord.toFixed(0)}; emitted from ${when[0]} to ${when.at(-1)} ms after the first token`,
    );
  }
  if (refused.size > 0) console.error(`${chats} chats, ${mode}: refused`, Object.fromEntries(refused));
  delays.sort((a, b) => a - b);
  const pct = (p: number) =>
    delays[Math.min(delays.length - 1, Math.floor((p / 100) * delays.length))] ?? Number.NaN;
  const wallS = bot.wallMs / 1000;
  await hub.close();
  await ollama.close();
  return {
    chats,
    mode,
    tooMany,
    p50: pct(50),
    p95: pct(95),
    callsPerS: calls / wallS,
    callsPerChatPerS: calls / wallS / chats,
    cpuCores: bot.cpuMs / bot.wallMs,
    peakRssMb: bot.peakRssMb,
    fakesCores: ((farCpu.user + farCpu.system) / 1000 + tgCpuMs) / bot.wallMs,
    wallS,
  };
}

interface TelegramSide {
  apiRoot: string;
  token: string;
  /** Takes the last calls out, closes the fake; resolves with its CPU time in ms (0 here: counted with ours). */
  stop(): Promise<number>;
}

type Take = (m: CallSummary) => void;

/** The fake Telegram in a process of its own (bench/live-v2-telegram.ts), reporting over IPC. */
async function telegramApart(chats: number, take: Take): Promise<TelegramSide> {
  const child = spawn(process.execPath, [telegramBundle], {
    env: { ...process.env, BENCH_CHATS: String(chats) },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  let final: ((cpuMs: number) => void) | undefined;
  const ready = new Promise<{ apiRoot: string; token: string }>((resolve, reject) => {
    child.on("message", (m: TelegramSideMessage) => {
      if (m.type === "ready") resolve(m);
      else if (m.type === "calls") take(m);
      else final?.(m.cpuMs);
    });
    child.once("exit", (code) => reject(new Error(`the fake Telegram exited with ${code}`)));
  });
  const { apiRoot, token } = await ready;
  return {
    apiRoot,
    token,
    stop: async () => {
      const cpuMs = new Promise<number>((resolve) => {
        final = resolve;
      });
      // Listened for before asking: the child may be gone by the time its last message is read.
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.send({ type: "stop" });
      const ms = await cpuMs;
      await exited;
      return ms;
    },
  };
}

/** The fake Telegram in this process, beside the fake Ollama and hub (BENCH_TELEGRAM=same-process). */
async function telegramHere(chats: number, take: Take): Promise<TelegramSide> {
  const tg = await startFakeTelegram();
  for (let id = 1; id <= chats; id++) tg.addChat(id);
  const drain = () => take(drainCalls(tg.calls as ApiCall[]));
  const drainer = setInterval(drain, 500);
  return {
    apiRoot: tg.apiRoot,
    token: tg.token,
    stop: async () => {
      clearInterval(drainer);
      drain();
      await tg.close();
      return 0;
    },
  };
}

// The bot side runs bundled, as `npm start` runs the build: no TypeScript loader in its CPU or memory. So does
// the fake Telegram when it runs apart.
const root = fileURLToPath(new URL("..", import.meta.url));
const bundleOf = async (name: string) => {
  const outfile = join(root, "node_modules", ".ollama-tg-bench", `${name}-${process.pid}.mjs`);
  await build({
    entryPoints: [join(root, "bench", `${name}.ts`)],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    outfile,
    logLevel: "error",
  });
  process.once("exit", () => rmSync(outfile, { force: true }));
  return outfile;
};
const botBundle = await bundleOf("live-v2-bot");
const telegramBundle = await bundleOf("live-v2-telegram");

const rows: Row[] = [];
const MODES = (process.env.BENCH_MODES ?? "draft,edit").split(",") as Array<"draft" | "edit">;
for (const chats of SIZES) for (const mode of MODES) rows.push(await run(chats, mode));

console.log(
  `live message v2: private chats at once, ${TOKENS / 2} words (${TOKENS} content lines) at ~${TOKENS_PER_S} lines/s each; fake Telegram limits on (edits 3/s per chat, drafts 5/s); bot side in its own process; node ${process.version}\n`,
);
const cols: Array<[string, (r: Row) => string]> = [
  ["chats", (r) => String(r.chats)],
  ["mode", (r) => r.mode],
  ["429s", (r) => String(r.tooMany)],
  ["p50 ms", (r) => r.p50.toFixed(0)],
  ["p95 ms", (r) => r.p95.toFixed(0)],
  ["calls/s", (r) => r.callsPerS.toFixed(0)],
  ["per chat/s", (r) => r.callsPerChatPerS.toFixed(2)],
  ["bot CPU (cores)", (r) => r.cpuCores.toFixed(2)],
  ["bot peak RSS MB", (r) => r.peakRssMb.toFixed(0)],
  ["fakes CPU", (r) => r.fakesCores.toFixed(2)],
  ["wall s", (r) => r.wallS.toFixed(1)],
];
console.log(cols.map(([h]) => h.padStart(16)).join(""));
for (const r of rows) console.log(cols.map(([, f]) => f(r).padStart(16)).join(""));
const big = rows.filter((r) => r.chats === Math.max(...SIZES));
for (const r of big) {
  console.log(
    `${r.chats} chats, ${r.mode}: p95 ≤ 1.5 s ${r.p95 <= 1500 ? "met" : "NOT met"}; CPU < 1 core ${r.cpuCores < 1 ? "met" : "NOT met"}; RSS < 300 MB ${r.peakRssMb < 300 ? "met" : "NOT met"}; no 429 ${r.tooMany === 0 ? "met" : "NOT met"}`,
  );
}
