/**
 * `npm run bench` (part 1): stream one long answer over loopback and compare, within one run:
 *  - hub mode (SSE + bytes-literal payloads) against the floor: eventsource-parser + JSON.parse over the same
 *    events without the wrapping;
 *  - direct mode (NDJSON) against the official `ollama` npm package reading the same bytes.
 * Figures are ratios between contenders measured on the same machine in the same run, never absolute targets.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createParser } from "eventsource-parser";
import { Ollama } from "ollama";
import { request } from "undici";
import { OllamaClient } from "../src/hub/index.js";
import { pyBytesRepr } from "../test/fakes/pyrepr.js";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const TOKENS = [
  " the",
  " Grüße",
  " aus",
  " Zürich",
  " — 日本語",
  " 😀",
  ' "quoted"',
  " back\\slash",
  "\n",
  " model",
];

function chunkLine(i: number): string {
  const token = TOKENS[i % TOKENS.length]!;
  return JSON.stringify({
    model: "llama3.2:latest",
    created_at: "2026-11-21T07:23:32.389Z",
    message: { role: "assistant", content: token },
    done: false,
  });
}

const FINAL = JSON.stringify({
  model: "llama3.2:latest",
  created_at: "2026-11-21T07:23:33.000Z",
  message: { role: "assistant", content: "" },
  done_reason: "stop",
  done: true,
  total_duration: 182242375,
  eval_count: EVENTS,
  eval_duration: 115959084,
});

function buildBodies() {
  const enc = new TextEncoder();
  const lines = Array.from({ length: EVENTS }, (_, i) => chunkLine(i));
  lines.push(FINAL);
  const expected = lines
    .slice(0, -1)
    .reduce((n, l) => n + (JSON.parse(l).message.content as string).length, 0);
  const hub = `data: {"status":"starting"}\n\n${lines.map((l) => `data: ${pyBytesRepr(enc.encode(l))}\n\n`).join("")}`;
  const floor = `data: {"status":"starting"}\n\n${lines.map((l) => `data: ${l}\n\n`).join("")}`;
  const ndjson = `${lines.join("\n")}\n`;
  return {
    hub: Buffer.from(hub),
    floor: Buffer.from(floor),
    ndjson: Buffer.from(ndjson),
    expectedChars: expected,
    avgPayload: Buffer.byteLength(lines.join("")) / lines.length,
  };
}

async function serve(bodies: ReturnType<typeof buildBodies>): Promise<{ server: Server; url: string }> {
  // Pre-built bodies written in 64 KiB chunks: the server costs next to nothing, the client is what is measured.
  const server = createServer((req, res) => {
    const body = req.url?.startsWith("/api/ollama/chat")
      ? bodies.hub
      : req.url?.startsWith("/floor")
        ? bodies.floor
        : bodies.ndjson;
    const type = req.url?.startsWith("/api/chat")
      ? "application/x-ndjson"
      : "text/event-stream; charset=utf-8";
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": type });
      let off = 0;
      const pump = () => {
        while (off < body.length) {
          const chunk = body.subarray(off, off + 65_536);
          off += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
        res.end();
      };
      pump();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

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

async function measure(name: string, bytes: number, expected: number, run: Contender) {
  const times: number[] = [];
  await run(); // warm-up: JIT and connection pool
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = performance.now();
    const chars = await run();
    times.push(performance.now() - t0);
    if (chars !== expected) throw new Error(`${name}: got ${chars} characters, expected ${expected}`);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  return { name, ms: median, eventsPerS: (EVENTS / median) * 1000, mbPerS: bytes / 1e6 / (median / 1000) };
}

const bodies = buildBodies();
const { server, url } = await serve(bodies);
const hub = new OllamaClient({ mode: "hub", baseUrl: `${url}/api` });
const direct = new OllamaClient({ mode: "direct", baseUrl: url });
const ollama = new Ollama({ host: url });

const results = [
  await measure("floor: eventsource-parser + JSON.parse", bodies.floor.length, bodies.expectedChars, () =>
    floor(url),
  ),
  await measure("hub mode (SSE + bytes literal)", bodies.hub.length, bodies.expectedChars, () => ours(hub)),
  await measure("direct mode (NDJSON), ours", bodies.ndjson.length, bodies.expectedChars, () => ours(direct)),
  await measure("direct mode, ollama npm package", bodies.ndjson.length, bodies.expectedChars, () =>
    ollamaJs(ollama),
  ),
];

const [fl, hb, dr, oj] = results as [
  (typeof results)[0],
  (typeof results)[0],
  (typeof results)[0],
  (typeof results)[0],
];
console.log(
  `${EVENTS} events, ~${bodies.avgPayload.toFixed(0)}-byte JSON payloads with non-ASCII; median of ${ROUNDS} rounds, node ${process.version}\n`,
);
for (const r of results) {
  console.log(
    `${r.name.padEnd(42)} ${r.ms.toFixed(0).padStart(6)} ms  ${Math.round(r.eventsPerS).toLocaleString("en").padStart(10)} events/s  ${r.mbPerS.toFixed(1).padStart(6)} MB/s`,
  );
}
const hubRatio = hb.ms / fl.ms;
const directRatio = oj.ms / dr.ms;
console.log(`\nhub mode / floor:              ${hubRatio.toFixed(2)}x the floor's time (goal: within 1.5x)`);
console.log(
  `ollama package / direct mode:  ${directRatio.toFixed(2)}x our time (goal: above 1.0x, ours ahead)`,
);

await Promise.all([hub.close(), direct.close()]);
server.close();
