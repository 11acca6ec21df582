/**
 * A hostile server's one huge line: framing time and memory for 1, 16 and 64 MB lines, in 64 KiB network chunks.
 * NDJSON without a limit shows the framing is linear (MB/s stays flat as the line grows); with the default limit
 * (8 MiB) and for SSE, a longer line is refused after reading about the limit, so time and memory stay bounded.
 * Figures compare within this run; `BENCH_SIZES_MB` (default 1,16,64).
 */
import { ndjsonLines, sseData } from "../src/hub/framing.js";

const CHUNK = 65_536;
const LIMIT = 8 * 1024 * 1024;
const sizes = (process.env.BENCH_SIZES_MB ?? "1,16,64").split(",").map(Number);

async function* body(totalBytes: number, prefix: string, suffix: string): AsyncGenerator<Uint8Array> {
  yield Buffer.from(prefix);
  const piece = Buffer.alloc(CHUNK, "x");
  for (let sent = 0; sent < totalBytes; sent += CHUNK) yield piece;
  yield Buffer.from(suffix);
}

async function run(name: string, mb: number, frame: () => AsyncIterable<string[]>) {
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let peak = heapBefore;
  const sample = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 5);
  const t0 = performance.now();
  let outcome = "framed";
  try {
    for await (const _ of frame()) peak = Math.max(peak, process.memoryUsage().heapUsed);
  } catch {
    outcome = "refused";
  }
  const ms = performance.now() - t0;
  clearInterval(sample);
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  console.log(
    `${name.padEnd(26)} ${String(mb).padStart(3)} MB  ${outcome.padEnd(8)} ${ms.toFixed(0).padStart(6)} ms  ` +
      `${(mb / (ms / 1000)).toFixed(0).padStart(5)} MB/s  peak heap +${((peak - heapBefore) / 1e6).toFixed(0)} MB`,
  );
}

const refuse = (): never => {
  throw new Error("too large");
};
for (const mb of sizes) {
  const bytes = mb * 1024 * 1024;
  await run("ndjson, no limit", mb, () => ndjsonLines(body(bytes, '{"a":"', '"}\n')));
  await run("ndjson, 8 MiB limit", mb, () => ndjsonLines(body(bytes, '{"a":"', '"}\n'), LIMIT, refuse));
  await run("sse (hub), 8 MiB limit", mb, () =>
    sseData(body(bytes, "data: ", "\n\n"), "latin1", LIMIT, refuse),
  );
}
