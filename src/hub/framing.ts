/**
 * Framing: turning a response body (a stream of byte chunks) into payload strings, one per event.
 * SSE for the hub (eventsource-parser does the line protocol; we never hand-roll it), NDJSON for Ollama itself.
 */
import { createParser } from "eventsource-parser";

export type Framing = "sse" | "ndjson";

/** Called when one event (or line) grows past the limit; it throws the caller's error. */
export type TooLarge = (limitBytes: number) => never;

const UNLIMITED = Number.POSITIVE_INFINITY;

/**
 * Yields the `data` of the SSE events completed by each network chunk, as one batch per chunk: a stream of
 * 100,000 tokens would otherwise pay an async-generator hop per event at every layer above. Bytes are decoded as UTF-8 in streaming mode, so a multi-byte character
 * split across network chunks is joined before the parser sees it; the parser in turn joins lines and escapes
 * (`\xNN`) that straddle chunks, because it only dispatches an event at its terminating blank line.
 */
export async function* sseData(
  body: AsyncIterable<Uint8Array>,
  encoding: "utf-8" | "latin1" = "utf-8",
  maxEventBytes = UNLIMITED,
  tooLarge: TooLarge = defaultTooLarge,
): AsyncGenerator<string[], void, undefined> {
  const decoder = new TextDecoder();
  let pending: string[] = [];
  // Bytes fed since the last event ended: an event that never ends must not grow the parser's buffer forever.
  let open = 0;
  const parser = createParser({
    onEvent: (event) => {
      pending.push(event.data);
      open = 0;
    },
  });
  for await (const chunk of body) {
    open += chunk.byteLength;
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
    if (open > maxEventBytes) tooLarge(maxEventBytes);
  }
  if (encoding === "utf-8") parser.feed(decoder.decode());
  // An event not closed by a blank line before EOF is incomplete by the SSE spec and is dropped, as browsers do.
  if (pending.length > 0) yield pending;
}

/**
 * Yields the non-empty lines of an NDJSON body, one batch per network chunk. Linear in the body's size: each
 * chunk is searched for newlines once (a line spread over many chunks is not rescanned from its start), and a
 * line longer than `maxLineBytes` is refused.
 */
export async function* ndjsonLines(
  body: AsyncIterable<Uint8Array>,
  maxLineBytes = UNLIMITED,
  tooLarge: TooLarge = defaultTooLarge,
): AsyncGenerator<string[], void, undefined> {
  const decoder = new TextDecoder();
  // The unterminated line so far, in pieces: joined once, when its newline comes.
  let parts: string[] = [];
  let partBytes = 0;
  for await (const chunk of body) {
    const text = decoder.decode(chunk, { stream: true });
    const lines: string[] = [];
    let start = 0;
    let nl = text.indexOf("\n");
    while (nl !== -1) {
      const piece = text.slice(start, nl);
      const line = (parts.length > 0 ? parts.join("") + piece : piece).trim();
      parts = [];
      partBytes = 0;
      if (line !== "") lines.push(line);
      start = nl + 1;
      nl = text.indexOf("\n", start);
    }
    if (start < text.length) {
      parts.push(text.slice(start));
      partBytes += text.length - start;
      if (partBytes > maxLineBytes) tooLarge(maxLineBytes);
    }
    if (lines.length > 0) yield lines;
  }
  const last = (parts.join("") + decoder.decode()).trim();
  if (last !== "") yield [last];
}

function defaultTooLarge(limitBytes: number): never {
  throw new RangeError(`an event longer than ${limitBytes} bytes`);
}

/** The hub's SSE as binary strings (see `sseData`), Ollama's NDJSON as text. */
export function framePayloads(
  framing: Framing,
  body: AsyncIterable<Uint8Array>,
  maxEventBytes = UNLIMITED,
  tooLarge: TooLarge = defaultTooLarge,
): AsyncGenerator<string[]> {
  return framing === "sse"
    ? sseData(body, "latin1", maxEventBytes, tooLarge)
    : ndjsonLines(body, maxEventBytes, tooLarge);
}
