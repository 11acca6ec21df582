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

/**
 * Decodes a bytes literal whose bytes are UTF-8 text (every hub payload is) and returns that text, exactly as
 * `ast.literal_eval(literal).decode("utf-8")` would; invalid UTF-8 throws.
 *
 * This runs once per streamed token, so it works on the string: ASCII runs are copied as slices found with the
 * native `indexOf`, and `\xNN` runs are decoded as UTF-8 inline. Only rare escapes (octal, line continuation,
 * unknown) take the byte-exact general path.
 */
export function decodeBytesLiteral(literal: string): string {
  if (!isBytesLiteral(literal)) throw new BytesLiteralError("not a bytes literal: expected b'…' or b\"…\"");
  const end = literal.length - 1;
  if (literal.charCodeAt(end) !== literal.charCodeAt(1))
    throw new BytesLiteralError("bytes literal is not closed");
  let i = literal.indexOf("\\", 2);
  if (i === -1 || i >= end) return literal.slice(2, end);
  let out = "";
  let last = 2;
  while (i !== -1 && i < end) {
    if (i > last) out += literal.slice(last, i);
    const e = literal.charCodeAt(i + 1);
    if (e === 0x78 /* x */) {
      const decoded = decodeHexRun(literal, i, end);
      out += decoded.text;
      i = decoded.next;
    } else {
      const simple =
        e === 0x5c || e === 0x27 || e === 0x22
          ? e
          : e === 0x6e
            ? 0x0a
            : e === 0x74
              ? 0x09
              : e === 0x72
                ? 0x0d
                : -1;
      if (simple === -1 || i + 1 >= end) return decodeGeneral(literal);
      out += String.fromCharCode(simple);
      i += 2;
    }
    last = i;
    i = literal.indexOf("\\", i);
  }
  if (last < end) out += literal.slice(last, end);
  return out;
}

function hexByteAt(s: string, i: number, end: number): number {
  if (i + 3 >= end) return -1;
  if (s.charCodeAt(i) !== 0x5c || s.charCodeAt(i + 1) !== 0x78) return -1;
  const hi = hexValue(s.charCodeAt(i + 2));
  const lo = hexValue(s.charCodeAt(i + 3));
  return hi < 0 || lo < 0 ? -1 : (hi << 4) | lo;
}

/** Decodes consecutive `\xNN` escapes starting at `start` as UTF-8 (a multi-byte character is never split). */
function decodeHexRun(s: string, start: number, end: number): { text: string; next: number } {
  let text = "";
  let i = start;
  const next = () => {
    const b = hexByteAt(s, i, end);
    if (b >= 0) i += 4;
    return b;
  };
  const bad = () => new BytesLiteralError("the bytes inside the literal are not valid UTF-8");
  for (;;) {
    const b0 = hexByteAt(s, i, end);
    if (b0 < 0) {
      if (i === start) throw new BytesLiteralError(`invalid \\x escape at offset ${i}`);
      return { text, next: i };
    }
    i += 4;
    if (b0 < 0x80) {
      text += String.fromCharCode(b0);
      continue;
    }
    let need: number;
    let cp: number;
    let min: number;
    if ((b0 & 0xe0) === 0xc0) [need, cp, min] = [1, b0 & 0x1f, 0x80];
    else if ((b0 & 0xf0) === 0xe0) [need, cp, min] = [2, b0 & 0x0f, 0x800];
    else if ((b0 & 0xf8) === 0xf0) [need, cp, min] = [3, b0 & 0x07, 0x10000];
    else throw bad();
    for (let k = 0; k < need; k++) {
      const c = next();
      if (c < 0 || (c & 0xc0) !== 0x80) throw bad();
      cp = (cp << 6) | (c & 0x3f);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8 (as TextDecoder's fatal mode).
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw bad();
    text += String.fromCodePoint(cp);
  }
}

function decodeGeneral(literal: string): string {
  const n = decodeInto(literal);
  try {
    return utf8.decode(scratch.subarray(0, n));
  } catch (cause) {
    throw new BytesLiteralError("the bytes inside the literal are not valid UTF-8", { cause });
  }
}

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
