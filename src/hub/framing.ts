/**
 * Framing: turning a response body (a stream of byte chunks) into payload strings, one per event.
 * SSE for the hub (eventsource-parser does the line protocol; we never hand-roll it), NDJSON for Ollama itself.
 */
import { createParser } from "eventsource-parser";

export type Framing = "sse" | "ndjson";

/**
 * Yields the `data` of the SSE events completed by each network chunk, as one batch per chunk: a stream of
 * 100,000 tokens would otherwise pay an async-generator hop per event at every layer above. Bytes are decoded as UTF-8 in streaming mode, so a multi-byte character
 * split across network chunks is joined before the parser sees it; the parser in turn joins lines and escapes
 * (`\xNN`) that straddle chunks, because it only dispatches an event at its terminating blank line.
 */
export async function* sseData(
  body: AsyncIterable<Uint8Array>,
  encoding: "utf-8" | "latin1" = "utf-8",
): AsyncGenerator<string[], void, undefined> {
  const decoder = new TextDecoder();
  let pending: string[] = [];
  const parser = createParser({ onEvent: (event) => pending.push(event.data) });
  for await (const chunk of body) {
    // latin1 (Node's, a true byte-per-character mapping; TextDecoder's "latin1" is windows-1252): every byte stays
    // one character, so the payload decoder works on the exact bytes, and no UTF-8 decoding is spent on a body
    // the hub writes in ASCII anyway.
    parser.feed(
      encoding === "latin1"
        ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString("latin1")
        : decoder.decode(chunk, { stream: true }),
    );
    if (pending.length > 0) {
      yield pending;
      pending = [];
    }
  }
  if (encoding === "utf-8") parser.feed(decoder.decode());
  // An event not closed by a blank line before EOF is incomplete by the SSE spec and is dropped, as browsers do.
  if (pending.length > 0) yield pending;
}

/** Yields the non-empty lines of an NDJSON body, one batch per network chunk. */
export async function* ndjsonLines(
  body: AsyncIterable<Uint8Array>,
): AsyncGenerator<string[], void, undefined> {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    const lines: string[] = [];
    let start = 0;
    let nl = buffer.indexOf("\n", start);
    while (nl !== -1) {
      const line = buffer.slice(start, nl).trim();
      if (line !== "") lines.push(line);
      start = nl + 1;
      nl = buffer.indexOf("\n", start);
    }
    buffer = buffer.slice(start);
    if (lines.length > 0) yield lines;
  }
  buffer += decoder.decode();
  const last = buffer.trim();
  if (last !== "") yield [last];
}

/** The hub's SSE as binary strings (see `sseData`), Ollama's NDJSON as text. */
export function framePayloads(framing: Framing, body: AsyncIterable<Uint8Array>): AsyncGenerator<string[]> {
  return framing === "sse" ? sseData(body, "latin1") : ndjsonLines(body);
}
