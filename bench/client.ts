/**
 * `npm run bench` (part 1): stream one long answer over loopback and compare, within one run:
 *  - hub mode (SSE + bytes-literal payloads) against the floor: eventsource-parser + JSON.parse over the same
 *    events without the wrapping;
 *  - direct mode (NDJSON) against the official `ollama` npm package reading the same bytes.
 * Figures are ratios between contenders measured on the same machine in the same run, never absolute targets.
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { createParser } from "eventsource-parser";
import { Ollama } from "ollama";
import { request } from "undici";
import { OllamaClient } from "../src/hub/index.js";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
type Contender = () => Promise<number>; // returns characters of content received

async function floor(url: string): Promise<number> {
  const res = await request(`${url}/floor`, { method: "POST", body: "{}" });
  let chars = 0;
  const decoder = new TextDecoder();
  const parser = createParser({
    onEvent(e) {
      const obj = JSON.parse(e.data) as { message?: { content?: string } };
      chars += obj.message?.content?.length ?? 0;
    },
  });
  for await (const chunk of res.body) parser.feed(decoder.decode(chunk, { stream: true }));
  return chars;
}

async function ours(client: OllamaClient): Promise<number> {
  let chars = 0;
  for await (const e of client.chatStream({
    model: "llama3.2:latest",
    messages: [{ role: "user", content: "go" }],
  })) {
    if (e.type === "content") chars += e.text.length;
  }
  return chars;
}

async function ollamaJs(ollama: Ollama): Promise<number> {
  let chars = 0;
  const stream = await ollama.chat({
    model: "llama3.2:latest",
    messages: [{ role: "user", content: "go" }],
    stream: true,
  });
  for await (const part of stream) chars += part.message.content.length;
  return chars;
}

interface Entry {
  name: string;
  bytes: number;
  run: Contender;
  times: number[];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Runs the contenders interleaved, one after the other in every round, so a slow moment of the machine (GC, the
 * other core busy) hits all of them alike; ratios are taken within each round, then the median over rounds.
 */
async function measureInterleaved(entries: Entry[], expected: number): Promise<void> {
  for (const e of entries) await e.run(); // warm-up: JIT and connection pool
  for (let i = 0; i < ROUNDS; i++) {
    for (const e of entries) {
      const t0 = performance.now();
      const chars = await e.run();
      e.times.push(performance.now() - t0);
      if (chars !== expected) throw new Error(`${e.name}: got ${chars} characters, expected ${expected}`);
    }
  }
}

// The server runs in its own process, so serving the bytes does not compete with parsing them for this thread.
const child = spawn(
  process.execPath,
  ["--import", "tsx", new URL("./client-server.ts", import.meta.url).pathname],
  {
    env: { ...process.env, BENCH_EVENTS: String(EVENTS) },
    stdio: ["ignore", "pipe", "inherit"],
  },
);
const info = JSON.parse(
  await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once("line", resolve)),
) as {
  url: string;
  hubBytes: number;
  floorBytes: number;
  ndjsonBytes: number;
  expectedChars: number;
  avgPayload: number;
};
const { url } = info;
const hub = new OllamaClient({ mode: "hub", baseUrl: `${url}/api` });
const direct = new OllamaClient({ mode: "direct", baseUrl: url });
const ollama = new Ollama({ host: url });

const entries: Entry[] = [
  {
    name: "floor: eventsource-parser + JSON.parse",
    bytes: info.floorBytes,
    run: () => floor(url),
    times: [],
  },
  { name: "hub mode (SSE + bytes literal)", bytes: info.hubBytes, run: () => ours(hub), times: [] },
  { name: "direct mode (NDJSON), ours", bytes: info.ndjsonBytes, run: () => ours(direct), times: [] },
  {
    name: "direct mode, ollama npm package",
    bytes: info.ndjsonBytes,
    run: () => ollamaJs(ollama),
    times: [],
  },
];
await measureInterleaved(entries, info.expectedChars);
const [fl, hb, dr, oj] = entries as [Entry, Entry, Entry, Entry];

console.log(
  `${EVENTS} events, ~${info.avgPayload.toFixed(0)}-byte JSON payloads with non-ASCII; ${ROUNDS} interleaved rounds, node ${process.version}\n`,
);
for (const e of entries) {
  const ms = median(e.times);
  console.log(
    `${e.name.padEnd(42)} ${ms.toFixed(0).padStart(6)} ms  ${Math.round((EVENTS / ms) * 1000)
      .toLocaleString("en")
      .padStart(10)} events/s  ${(e.bytes / 1e6 / (ms / 1000)).toFixed(1).padStart(6)} MB/s`,
  );
}
const perRound = (a: Entry, b: Entry) => median(a.times.map((t, i) => t / b.times[i]!));
const hubRatio = perRound(hb, fl);
const directRatio = perRound(oj, dr);
console.log(`\nhub mode / floor:              ${hubRatio.toFixed(2)}x the floor's time (goal: within 1.5x)`);
console.log(
  `ollama package / direct mode:  ${directRatio.toFixed(2)}x our time (goal: above 1.0x, ours ahead)`,
);

await Promise.all([hub.close(), direct.close()]);
child.kill();
