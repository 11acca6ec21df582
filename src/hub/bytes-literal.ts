/**
 * Decoding of the hub's payloads.
 *
 * The hub formats each raw NDJSON line from Ollama with Python's `repr(bytes)`, so an SSE payload looks like
 * `b'{"message":{"content":"Gr\xc3\xbc\xc3\x9fe"}}'`. Undoing that means: strip `b'…'`, undo the escapes to get the
 * original bytes back, decode those bytes as UTF-8, and only then parse JSON. A payload that is not wrapped (the
 * hub's own `{"status":"starting"}`, or a future hub that sends plain JSON) is parsed as JSON directly.
 */

export class BytesLiteralError extends Error {
  override readonly name = "BytesLiteralError";
}

// Strict UTF-8: a byte sequence that is not UTF-8 means the payload was damaged, and replacing it with U+FFFD
// would silently change the model's answer.
const utf8 = new TextDecoder("utf-8", { fatal: true });

// One scratch buffer reused for every payload: decoding runs once per streamed token, so a fresh allocation per
// event would be the dominant cost. A payload's byte count is at most its character count.
let scratch = new Uint8Array(4096);

const SIMPLE_ESCAPES: Record<string, number> = {
  "\\": 0x5c,
  "'": 0x27,
  '"': 0x22,
  a: 0x07,
  b: 0x08,
  f: 0x0c,
  n: 0x0a,
  r: 0x0d,
  t: 0x09,
  v: 0x0b,
};

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

/** True when `payload` is a Python bytes literal (`b'…'` or `b"…"`), the hub's wrapping. */
export function isBytesLiteral(payload: string): boolean {
  const c0 = payload.charCodeAt(0);
  const c1 = payload.charCodeAt(1);
  return (c0 === 0x62 || c0 === 0x42) && (c1 === 0x27 || c1 === 0x22) && payload.length >= 3;
}

/**
 * Undoes Python's bytes literal syntax and returns the bytes it denotes, exactly as `ast.literal_eval` would:
 * `\\`, `\'`, `\"`, `\a \b \f \n \r \t \v`, `\xNN`, octal `\NNN`, a backslash-newline continuation, and unknown
 * escapes kept verbatim. Throws {@link BytesLiteralError} on anything Python would reject.
 */
export function decodeBytesLiteralToBytes(literal: string): Uint8Array {
  const n = decodeInto(literal);
  return scratch.slice(0, n);
}

/** One character per byte value: a "binary" (latin1) string holds bytes at one byte per character. */
const BYTE_CHAR = Array.from({ length: 256 }, (_, b) => String.fromCharCode(b));

/**
 * Undoes the literal's escapes into a binary string (character code = byte value). Works at string level because
 * it runs once per streamed token: ASCII runs are copied as slices found with the native `indexOf`, escapes are
 * table lookups. Returns undefined for the rare escapes (octal, line continuation, unknown) and for anything
 * malformed, which the byte-exact general path then handles, or rejects with a precise message.
 */
function toBinary(literal: string): string | undefined {
  const quote = literal.charCodeAt(1);
  const end = literal.length - 1;
  if (literal.charCodeAt(end) !== quote) return undefined;
  let i = literal.indexOf("\\", 2);
  if (i === -1 || i >= end) return literal.slice(2, end);
  let out = "";
  let last = 2;
  while (i !== -1 && i < end) {
    if (i > last) out += literal.slice(last, i);
    const e = literal.charCodeAt(i + 1);
    if (e === 0x78 /* x */) {
      if (i + 3 >= end) return undefined;
      const hi = hexValue(literal.charCodeAt(i + 2));
      const lo = hexValue(literal.charCodeAt(i + 3));
      if (hi < 0 || lo < 0) return undefined;
      out += BYTE_CHAR[(hi << 4) | lo];
      i += 4;
    } else {
      if (i + 1 >= end) return undefined;
      if (e === 0x5c || e === 0x27 || e === 0x22) out += BYTE_CHAR[e];
      else if (e === 0x6e) out += "\n";
      else if (e === 0x74) out += "\t";
      else if (e === 0x72) out += "\r";
      else return undefined;
      i += 2;
    }
    last = i;
    i = literal.indexOf("\\", i);
  }
  if (last < end) out += literal.slice(last, end);
  return out;
}

/** Binary string → text. Node's native UTF-8 decoder is lenient, so a U+FFFD in the result is double-checked. */
function binaryToText(binary: string): string {
  const buf = Buffer.from(binary, "latin1");
  const text = buf.toString("utf8");
  if (text.indexOf("\ufffd") !== -1) {
    try {
      utf8.decode(buf);
    } catch (cause) {
      throw new BytesLiteralError("the bytes inside the literal are not valid UTF-8", { cause });
    }
  }
  return text;
}

/**
 * Decodes a bytes literal whose bytes are UTF-8 text (every hub payload is) and returns that text, exactly as
 * `ast.literal_eval(literal).decode("utf-8")` would; invalid UTF-8 throws.
 */
export function decodeBytesLiteral(literal: string): string {
  if (!isBytesLiteral(literal)) throw new BytesLiteralError("not a bytes literal: expected b'…' or b\"…\"");
  const binary = toBinary(literal);
  if (binary !== undefined && !NON_ASCII.test(literal)) return binaryToText(binary);
  const n = decodeInto(literal);
  try {
    return utf8.decode(scratch.subarray(0, n));
  } catch (cause) {
    throw new BytesLiteralError("the bytes inside the literal are not valid UTF-8", { cause });
  }
}

// A raw non-ASCII character is never in a literal Python wrote; if one is, the strict path says where.
const NON_ASCII = /[\u0080-\uffff]/;

function decodeInto(literal: string): number {
  if (!isBytesLiteral(literal)) throw new BytesLiteralError("not a bytes literal: expected b'…' or b\"…\"");
  const quote = literal.charCodeAt(1);
  const end = literal.length - 1;
  if (literal.charCodeAt(end) !== quote) throw new BytesLiteralError("bytes literal is not closed");
  if (scratch.length < literal.length) scratch = new Uint8Array(Math.max(literal.length, scratch.length * 2));
  const out = scratch;
  let n = 0;
  let i = 2;
  while (i < end) {
    const c = literal.charCodeAt(i);
    if (c !== 0x5c) {
      if (c >= 0x80) throw new BytesLiteralError(`non-ASCII character at offset ${i} in a bytes literal`);
      if (c === quote) throw new BytesLiteralError(`unescaped quote at offset ${i} in a bytes literal`);
      out[n++] = c;
      i++;
      continue;
    }
    if (i + 1 >= end) throw new BytesLiteralError("bytes literal ends with a lone backslash");
    const e = literal.charCodeAt(i + 1);
    if (e === 0x78 /* x */) {
      const hi = hexValue(literal.charCodeAt(i + 2));
      const lo = i + 3 < end ? hexValue(literal.charCodeAt(i + 3)) : -1;
      if (hi < 0 || lo < 0) throw new BytesLiteralError(`invalid \\x escape at offset ${i}`);
      out[n++] = (hi << 4) | lo;
      i += 4;
    } else if (e >= 0x30 && e <= 0x37) {
      // Octal: one to three digits, value taken modulo 256 as CPython does for bytes.
      let value = e - 0x30;
      let j = i + 2;
      for (let k = 0; k < 2 && j < end; k++, j++) {
        const d = literal.charCodeAt(j);
        if (d < 0x30 || d > 0x37) break;
        value = value * 8 + (d - 0x30);
      }
      out[n++] = value & 0xff;
      i = j;
    } else if (e === 0x0a) {
      i += 2; // backslash-newline: a line continuation, contributes nothing
    } else {
      const simple = SIMPLE_ESCAPES[String.fromCharCode(e)];
      if (simple !== undefined) {
        out[n++] = simple;
      } else {
        // Python keeps unknown escapes verbatim (with a warning).
        if (e >= 0x80)
          throw new BytesLiteralError(`non-ASCII character at offset ${i + 1} in a bytes literal`);
        out[n++] = 0x5c;
        out[n++] = e;
      }
      i += 2;
    }
  }
  return n;
}

/**
 * Turns one SSE payload from the hub into the JSON value it carries: a bytes literal is unwrapped and decoded
 * as UTF-8 first, anything else is taken as plain JSON. Throws `BytesLiteralError` or `SyntaxError`.
 */
export function parseHubPayload(payload: string): unknown {
  return JSON.parse(isBytesLiteral(payload) ? decodeBytesLiteral(payload) : payload);
}

export interface ParsedBatch {
  /** The values of the payloads before the first failure (all of them when there was none). */
  values: unknown[];
  /** The first payload that failed, and why. */
  failure?: { payload: string; cause: unknown };
}

/**
 * {@link parseHubPayload} for the events of one network chunk at once. `payloads` are binary strings (one
 * character per byte of the body: the hub's SSE is read as latin1, see framing.ts), so the wrapped payloads turn
 * into one binary string, decoded from UTF-8 by one native call, then parsed line by line; per-event work is
 * plain string slicing, which keeps the hub's wrapping close to the cost of parsing unwrapped JSON (see bench/).
 * On any doubt the batch is redone one payload at a time, so a failure is pinned to its payload and the values
 * before it are kept. (Python never writes a raw byte above 0x7f inside a bytes literal; should a hub do so, that
 * byte is taken as it is.)
 */
export function parseHubPayloads(payloads: readonly string[]): ParsedBatch {
  let binary = "";
  for (const p of payloads) {
    const b = isBytesLiteral(p) ? toBinary(p) : undefined;
    // Plain JSON (the `starting` marker) and anything unusual go the careful way; so does a raw newline byte,
    // which would break the line split below (Ollama's JSON lines never hold one).
    if (b === undefined || b.indexOf("\n") !== -1) return parseOneByOne(payloads);
    binary += b;
    binary += "\n";
  }
  let text: string;
  try {
    text = binaryToText(binary);
  } catch {
    return parseOneByOne(payloads);
  }
  const values: unknown[] = [];
  let start = 0;
  for (let nl = text.indexOf("\n"); nl !== -1; nl = text.indexOf("\n", start)) {
    try {
      values.push(JSON.parse(text.slice(start, nl)));
    } catch (cause) {
      return { values, failure: { payload: latin1ToText(payloads[values.length] ?? ""), cause } };
    }
    start = nl + 1;
  }
  return { values };
}

/** A binary string's bytes read as UTF-8 (lenient: this is only for parsing and for messages). */
function latin1ToText(binary: string): string {
  return Buffer.from(binary, "latin1").toString("utf8");
}

function parseOneByOne(binaryPayloads: readonly string[]): ParsedBatch {
  const values: unknown[] = [];
  for (const binary of binaryPayloads) {
    const payload = latin1ToText(binary);
    try {
      values.push(parseHubPayload(payload));
    } catch (cause) {
      return { values, failure: { payload, cause } };
    }
  }
  return { values };
}
