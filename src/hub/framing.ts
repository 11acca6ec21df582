/**
 * Framing: turning a response body (a stream of byte chunks) into payload strings, one per event.
 * SSE for the hub (eventsource-parser does the line protocol; we never hand-roll it), NDJSON for Ollama itself.
 */
import { createParser } from "eventsource-parser";

export type Framing = "sse" | "ndjson";

/**
 * Yields the `data` of each SSE event. Bytes are decoded as UTF-8 in streaming mode, so a multi-byte character
 * split across network chunks is joined before the parser sees it; the parser in turn joins lines and escapes
 * (`\xNN`) that straddle chunks, because it only dispatches an event at its terminating blank line.
 */
export async function* sseData(body: AsyncIterable<Uint8Array>): AsyncGenerator<string, void, undefined> {
  const decoder = new TextDecoder();
  let pending: string[] = [];
  const parser = createParser({ onEvent: (event) => pending.push(event.data) });
  for await (const chunk of body) {
    parser.feed(decoder.decode(chunk, { stream: true }));
    if (pending.length > 0) {
      const ready = pending;
      pending = [];
      yield* ready;
    }
  }
  parser.feed(decoder.decode());
  // An event not closed by a blank line before EOF is incomplete by the SSE spec and is dropped, as browsers do.
  yield* pending;
}

/** Yields each non-empty line of an NDJSON body. */
export async function* ndjsonLines(body: AsyncIterable<Uint8Array>): AsyncGenerator<string, void, undefined> {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let start = 0;
    let nl = buffer.indexOf("\n", start);
    while (nl !== -1) {
      const line = buffer.slice(start, nl).trim();
      if (line !== "") yield line;
      start = nl + 1;
      nl = buffer.indexOf("\n", start);
    }
    buffer = buffer.slice(start);
  }
  buffer += decoder.decode();
  const last = buffer.trim();
  if (last !== "") yield last;
}

export function framePayloads(framing: Framing, body: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  return framing === "sse" ? sseData(body) : ndjsonLines(body);
}
