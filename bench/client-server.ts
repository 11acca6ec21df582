/**
 * The server side of bench/client.ts, in its own process: one long answer, pre-built in the three framings
 * (hub SSE with bytes literals, plain SSE for the floor, NDJSON), written in 64 KiB chunks.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { pyBytesRepr } from "../test/fakes/pyrepr.js";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
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

async function serve(bodies: ReturnType<typeof buildBodies>): Promise<string> {
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
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const bodies = buildBodies();
const url = await serve(bodies);
process.stdout.write(
  `${JSON.stringify({
    url,
    hubBytes: bodies.hub.length,
    floorBytes: bodies.floor.length,
    ndjsonBytes: bodies.ndjson.length,
    expectedChars: bodies.expectedChars,
    avgPayload: bodies.avgPayload,
  })}\n`,
);
