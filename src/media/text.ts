/**
 * Turning bytes that claim to be text into text, or refusing them. Pure: no I/O.
 *
 * The whole file is decoded, in slices, so that every byte is checked (a binary tail is caught, not passed on) and
 * the document's full length is known; but only the first `maxChars` characters are kept, so memory stays at one
 * slice plus the output whatever the file's size.
 */

export type Decoded =
  | { ok: true; text: string; chars: number; truncated: boolean }
  | { ok: false; reason: "binary" | "encoding" };

/** Receives decoded text in pieces and renders it into a TextCollector. */
export interface Renderer {
  write(decoded: string): void;
  end(): void;
}

/** Bytes decoded at a time. */
const SLICE_BYTES = 256 * 1024;

/**
 * Decodes `bytes` (UTF-8 with or without BOM, UTF-16 LE/BE with BOM) through a renderer. Refuses bytes that are not
 * valid in their encoding (`"encoding"`) or that decode to binary noise: NULs or many control characters
 * (`"binary"`).
 */
export function decodeText(
  bytes: Uint8Array,
  maxChars: number,
  makeRenderer: (out: TextCollector) => Renderer,
): Decoded {
  const encoding = detectEncoding(bytes);
  if (encoding === undefined) return { ok: false, reason: "encoding" };
  const decoder = new TextDecoder(encoding.name, { fatal: true, ignoreBOM: true });
  const out = new TextCollector(maxChars);
  const renderer = makeRenderer(out);
  let decodedChars = 0;
  let controls = 0;
  for (let at = encoding.bomLength; at < bytes.length; at += SLICE_BYTES) {
    const slice = bytes.subarray(at, at + SLICE_BYTES);
    let decoded: string;
    try {
      // `stream: true`: a character cut between two slices is held back for the next one, not an error.
      decoded = decoder.decode(slice, { stream: true });
    } catch {
      // Invalid UTF-8 is either text in another encoding or binary data; the bytes tell which, as they do git.
      return { ok: false, reason: encoding.name === "utf-8" && looksBinary(slice) ? "binary" : "encoding" };
    }
    if (decoded.includes("\u0000")) return { ok: false, reason: "binary" };
    for (const match of decoded.matchAll(STRAY_CONTROLS)) controls += match[0].length;
    decodedChars += decoded.length;
    renderer.write(decoded);
  }
  try {
    renderer.write(decoder.decode());
  } catch {
    // The file ends inside a character (cut by `head -c`, a rotated log): one lost character, not mojibake.
  }
  // Binary data that happens to be valid UTF-8 (or UTF-16) shows itself by control characters beyond the few
  // that text uses. ESC is allowed: terminal logs are full of colour codes.
  if (controls > Math.max(2, decodedChars / 100)) return { ok: false, reason: "binary" };
  renderer.end();
  return { ok: true, ...out.finish() };
}

/** Cuts `text` to at most `maxChars` UTF-16 units without splitting a surrogate pair. */
export function truncate(text: string, maxChars: number): { text: string; truncated: boolean } {
  if (text.length <= maxChars) return { text, truncated: false };
  let end = maxChars;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return { text: text.slice(0, end), truncated: true };
}

/**
 * The output of a document: everything appended is counted, the first `maxChars` characters are kept. Renderers
 * may take back the spaces at the end (HTML does, before a line break), so it tracks what its tail looks like
 * instead of keeping it.
 */
export class TextCollector {
  /** Always the first min(length, maxChars) characters of the output so far. */
  private kept = "";
  private length = 0;
  /** Whitespace characters at the end of the output (what `finish` trims). */
  private trailingSpace = 0;
  /** Spaces and tabs at the end (what `dropTrailingBlanks` takes back). */
  private trailingBlanks = 0;
  /** Line breaks in the run of spaces, tabs and line breaks at the end. */
  private trailingBreaks = 0;

  constructor(private readonly maxChars: number) {}

  get isEmpty(): boolean {
    return this.length === 0;
  }

  /** Line breaks at the end of the output, ignoring spaces and tabs between them. */
  get endingBreaks(): number {
    return this.trailingBreaks;
  }

  get endsWithSpace(): boolean {
    return this.trailingSpace > 0;
  }

  append(text: string): void {
    if (text === "") return;
    if (this.kept.length < this.maxChars) this.kept += text.slice(0, this.maxChars - this.kept.length);
    this.length += text.length;
    let i = text.length;
    while (i > 0 && /\s/.test(text[i - 1]!)) i -= 1;
    this.trailingSpace = i === 0 ? this.trailingSpace + text.length : text.length - i;
    i = text.length;
    while (i > 0 && (text[i - 1] === " " || text[i - 1] === "\t")) i -= 1;
    this.trailingBlanks = i === 0 ? this.trailingBlanks + text.length : text.length - i;
    let breaks = 0;
    i = text.length;
    while (i > 0 && (text[i - 1] === " " || text[i - 1] === "\t" || text[i - 1] === "\n")) {
      if (text[i - 1] === "\n") breaks += 1;
      i -= 1;
    }
    this.trailingBreaks = i === 0 ? this.trailingBreaks + breaks : breaks;
  }

  /** Takes back the spaces and tabs at the end of the output. */
  dropTrailingBlanks(): void {
    this.cut(this.trailingBlanks);
    this.trailingSpace -= this.trailingBlanks;
    this.trailingBlanks = 0;
  }

  /** The text without its trailing whitespace; `chars` counts all of it, also what was not kept. */
  finish(): { text: string; chars: number; truncated: boolean } {
    this.cut(this.trailingSpace);
    this.trailingSpace = 0;
    this.trailingBlanks = 0;
    this.trailingBreaks = 0;
    const truncated = this.length > this.maxChars;
    if (!truncated) return { text: this.kept, chars: this.length, truncated };
    // `kept` is cut at maxChars; when that cut fell inside a surrogate pair, drop the pair's first half too.
    const last = this.kept.charCodeAt(this.kept.length - 1);
    const text = last >= 0xd800 && last <= 0xdbff ? this.kept.slice(0, -1) : this.kept;
    return { text: text.trimEnd(), chars: this.length, truncated };
  }

  private cut(count: number): void {
    this.length -= count;
    if (this.kept.length > this.length) this.kept = this.kept.slice(0, this.length);
  }
}

/**
 * Bytes that are not UTF-8: binary if they hold a NUL (as git decides) or many control bytes, which no legacy
 * 8-bit text encoding produces either.
 */
function looksBinary(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 8000);
  if (sample.includes(0)) return true;
  let controls = 0;
  for (const byte of sample)
    if ((byte < 0x09 || (byte > 0x0d && byte < 0x20)) && byte !== 0x1b) controls += 1;
  return controls > Math.max(2, sample.length / 100);
}

interface Encoding {
  name: "utf-8" | "utf-16le" | "utf-16be";
  bomLength: number;
}

function detectEncoding(bytes: Uint8Array): Encoding | undefined {
  const [b0, b1, b2, b3] = bytes;
  // UTF-32 is text, but too rare in the wild to carry a decoder for; its BOMs must not pass for UTF-16's.
  if (b0 === 0xff && b1 === 0xfe && b2 === 0x00 && b3 === 0x00) return undefined;
  if (b0 === 0x00 && b1 === 0x00 && b2 === 0xfe && b3 === 0xff) return undefined;
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return { name: "utf-8", bomLength: 3 };
  if (b0 === 0xff && b1 === 0xfe) return { name: "utf-16le", bomLength: 2 };
  if (b0 === 0xfe && b1 === 0xff) return { name: "utf-16be", bomLength: 2 };
  // No BOM: UTF-8 only. Guessing a legacy code page (Windows-1251, Latin-1) from statistics is how mojibake is made.
  return { name: "utf-8", bomLength: 0 };
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: counting control characters is the point
const STRAY_CONTROLS = /[\u0001-\u0008\u000e-\u001a\u001c-\u001f\u007f-\u009f]+/g;
/** ANSI escape sequences: CSI (colours, cursor moves), OSC (window titles, links) ended by BEL or ST, and 2-byte ones. */
const ANSI_ESCAPES =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences start with ESC
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b\n]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: what is left of controls after the escapes went
const LEFTOVER_CONTROLS = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f]/g;

/**
 * A line longer than this is rendered in parts (minified JSON, a CSV without line breaks). Below it, pieces end at a
 * line break, so nothing the normalising works on (a CR LF pair, an escape sequence) is cut in two.
 */
const MAX_LINE_CARRY = 1024 * 1024;

/**
 * Plain text as the model should see it: one kind of line break, no terminal colour codes or stray controls, no
 * blank lines at the start or whitespace at the end. Indentation is kept (it is meaning in code and YAML).
 */
export function plainRenderer(out: TextCollector): Renderer {
  let carry = "";
  /** Blanks at the start of the document, held until we know whether a line's text follows them. */
  let leading = "";
  let started = false;

  const emit = (piece: string): void => {
    let text = piece
      .replace(/\r\n?/g, "\n")
      .replace(/[\v\f]/g, "\n")
      .replace(ANSI_ESCAPES, "")
      .replace(LEFTOVER_CONTROLS, "");
    if (!started) {
      text = (leading + text).replace(/^(?:[ \t]*\n)+/, "");
      if (text.trim() === "") {
        // Only the indentation of a line to come can survive; keep no more than that.
        leading = text.slice(-MAX_LINE_CARRY);
        return;
      }
      started = true;
    }
    out.append(text);
  };

  return {
    write(decoded) {
      const data = carry + decoded;
      const cut = data.lastIndexOf("\n") + 1;
      if (cut === 0 && data.length < MAX_LINE_CARRY) {
        carry = data;
        return;
      }
      carry = cut === 0 ? "" : data.slice(cut);
      emit(cut === 0 ? data : data.slice(0, cut));
    },
    end() {
      if (carry !== "") emit(carry);
      carry = "";
    },
  };
}
