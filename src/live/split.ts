import type { Token } from "markdown-it";
import {
  escapeHtml,
  type MarkdownEnv,
  parseMarkdown,
  renderMarkdown,
  validateTelegramHtml,
} from "./format.js";

/** Telegram's limit on a message's text, in UTF-16 code units after entity parsing. */
export const TELEGRAM_MESSAGE_LIMIT = 4096;

/**
 * The smallest limit {@link splitForTelegram} accepts. The guarantees need room for one escaped character
 * ("&amp;"); the margin keeps parts big enough for some formatting to fit.
 */
export const MIN_FORMATTED_LIMIT = 16;

/** Options of {@link splitForTelegram}. */
export interface SplitOptions {
  /** Upper bound, in UTF-16 code units, of each part's `text` and of its `html` string. Default 4096. */
  limit?: number;
}

/** One Telegram message of a split answer. */
export interface TelegramPart {
  /** The exact slice of the answer this message carries: the parts' texts concatenate to the answer. */
  text: string;
  /** `text` as Telegram HTML, balanced and self-contained; send it with `parse_mode: "HTML"`. */
  html: string;
}

/**
 * Splits text into parts of at most `limit` UTF-16 code units (Telegram's unit) whose concatenation is exactly
 * `text`. Each cut falls at the last paragraph break (blank line) in the window, else the last line break,
 * sentence end, space, and only then at a hard cut on a grapheme (at worst code point) boundary, so a surrogate
 * pair is never split. A boundary class is only used when it leaves the part at least half full; when none
 * does, the best boundary anywhere in the window still beats a hard cut. Whitespace at a cut stays at the end
 * of the earlier part.
 *
 * Returns `[]` for `""` and never an empty part. A part is whitespace-only only when the input is, or when it
 * holds whitespace runs of about half `limit` or more (a run longer than `limit` always gives one); Telegram
 * rejects blank text, so skip such parts.
 * @param limit default 4096; an integer of at least 2 (a surrogate pair must fit).
 */
export function splitPlain(text: string, limit: number = TELEGRAM_MESSAGE_LIMIT): string[] {
  if (!Number.isInteger(limit) || limit < 2) {
    throw new RangeError(`splitPlain limit must be an integer of at least 2, got ${limit}`);
  }
  const parts: string[] = [];
  const scan = new Scanner(text, undefined);
  let pos = 0;
  while (text.length - pos > limit) {
    const cut = scan.cut(pos, pos + limit);
    parts.push(text.slice(pos, cut));
    pos = cut;
  }
  if (pos < text.length) parts.push(text.slice(pos));
  return parts;
}

/**
 * Splits a model's Markdown answer into Telegram messages, each with the plain slice and its HTML.
 *
 * Cuts are chosen as in {@link splitPlain}, with the Markdown structure in view: a cut prefers the edges of
 * fenced code blocks and tables to their inside, and never falls inside a fence's opening or closing line or a
 * table's header. A part that starts inside a code block is formatted with the block's opening fence (same
 * language) in front, a part that starts inside a table with its header rows, so every message renders as
 * what it continues; a code block cut at the end of a part is closed there. Link reference definitions
 * apply across parts. Each part's `html` passes `validateTelegramHtml`, and both `text.length` and
 * `html.length` (hence the visible length) are at most `limit`: when the markup makes a part's HTML too long,
 * that part is cut shorter. If formatting would show nothing (a lone reference definition, say), `html` is the
 * escaped `text`.
 *
 * Returns `[]` for `""`. Parts whose `text` is whitespace-only are possible under the same conditions as in
 * {@link splitPlain}; their `html` is that whitespace, which Telegram rejects: skip them.
 */
export function splitForTelegram(answer: string, options: SplitOptions = {}): TelegramPart[] {
  const limit = options.limit ?? TELEGRAM_MESSAGE_LIMIT;
  if (!Number.isInteger(limit) || limit < MIN_FORMATTED_LIMIT) {
    throw new RangeError(
      `splitForTelegram limit must be an integer of at least ${MIN_FORMATTED_LIMIT}, got ${limit}`,
    );
  }
  if (answer === "") return [];
  const layout = new MarkdownLayout(answer);
  const scan = new Scanner(answer, layout.flags);
  const parts: TelegramPart[] = [];
  let pos = 0;
  while (pos < answer.length) {
    let end = answer.length - pos <= limit ? answer.length : scan.cut(pos, pos + limit);
    let html = layout.render(pos, end);
    // A shrunk part still reaches its first visible character, and the rest still holds one, so shrinking
    // never makes a blank part.
    let firstContent = pos;
    while (firstContent < answer.length && WHITESPACE.test(answer[firstContent]!)) firstContent++;
    let smallest =
      firstContent < answer.length ? firstContent + codePointLength(answer, firstContent) : pos + 1;
    if (smallest > scan.lastContent) smallest = answer.length;
    while (html.length > limit) {
      const length = end - pos;
      if (end <= smallest) {
        // Even one character's formatting does not fit. Its escaped form does (at most "&amp;"); the whitespace
        // around it is left out of the HTML, as Telegram would trim it from the message anyway.
        html = escapeHtml(answer.slice(pos, end).trim());
        break;
      }
      // Aim for the size whose HTML would fit at this part's markup density, a little under to converge fast.
      const proportional = Math.floor(((length * limit) / html.length) * 0.97);
      const target = Math.max(smallest - pos, Math.min(length - 1, proportional));
      end = scan.cut(pos, pos + target);
      html = layout.render(pos, end);
    }
    parts.push({ text: answer.slice(pos, end), html });
    pos = end;
  }
  return parts;
}

function codePointLength(text: string, at: number): number {
  const code = text.codePointAt(at) ?? 0;
  return code > 0xffff ? 2 : 1;
}

// Per-position flags: position c is the cut between text[c - 1] and text[c].
/** A cut here would break a fence line or a table header. */
const FORBIDDEN = 1;
/** Inside a code block or table body: its line breaks rank below prose line breaks. */
const INSIDE_BLOCK = 2;
/** Just before or after a code block or table: as good as a paragraph break. */
const BLOCK_EDGE = 4;

// Boundary classes, best first.
const PARAGRAPH = 0;
const LINE = 1;
const BLOCK_LINE = 2;
const SENTENCE = 3;
const WORD = 4;
const BLOCK_WORD = 5;
const CLASSES = 6;

const LF = 0x0a;
const CR = 0x0d;

/** Breakable spaces; no-break spaces (U+00A0, U+2007, U+202F) are deliberately absent. */
function isBreakSpace(code: number): boolean {
  return (
    code === 0x20 ||
    code === 0x09 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200b && code !== 0x2007) ||
    code === 0x205f ||
    code === 0x3000
  );
}

const WHITESPACE = /\s/;
const SENTENCE_END = new Set([".", "!", "?", "…", "。", "！", "？"]);
/** Characters that may close a sentence after its full stop: quotes, brackets, Markdown emphasis. */
const SENTENCE_CLOSERS = new Set([")", "]", '"', "'", "»", "”", "’", "*", "_", "`", "~"]);
const FULLWIDTH_SENTENCE_END = new Set(["。", "！", "？"]);

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** Chooses cut positions in one text; `flags` (per position) carry the Markdown structure, if any. */
class Scanner {
  /** Index of the text's last non-whitespace character, -1 if none. */
  readonly lastContent: number;

  constructor(
    private readonly text: string,
    private readonly flags: Uint8Array | undefined,
  ) {
    let last = text.length - 1;
    while (last >= 0 && WHITESPACE.test(text[last]!)) last--;
    this.lastContent = last;
  }

  /**
   * The best cut in (pos, end], for a text continuing past `end`. Cuts that would leave a whitespace-only part
   * on either side are avoided whenever the window allows it.
   */
  cut(pos: number, end: number): number {
    const { text, flags } = this;
    let firstContent = pos;
    while (firstContent < end && WHITESPACE.test(text[firstContent]!)) firstContent++;
    const best: number[] = new Array<number>(CLASSES).fill(-1);
    const high = Math.min(end, this.lastContent);
    for (let c = high; c > firstContent; c--) {
      const flag = flags?.[c] ?? 0;
      if (flag & FORBIDDEN) continue;
      const code = text.charCodeAt(c - 1);
      if (code === LF || (code === CR && text.charCodeAt(c) !== LF)) {
        const cls =
          flag & INSIDE_BLOCK
            ? BLOCK_LINE
            : flag & BLOCK_EDGE || this.followsBlankLine(c - 1)
              ? PARAGRAPH
              : LINE;
        if (best[cls]! < 0) best[cls] = c;
        // Nothing further left can beat the latest paragraph break.
        if (cls === PARAGRAPH) break;
      } else if (isBreakSpace(code)) {
        let runStart = c - 1;
        while (runStart > pos && isBreakSpace(text.charCodeAt(runStart - 1))) runStart--;
        const cls = flag & INSIDE_BLOCK ? BLOCK_WORD : this.endsSentence(runStart) ? SENTENCE : WORD;
        if (best[cls]! < 0) best[cls] = c;
        // Every cut inside the run is of the same class and earlier; skip them.
        c = runStart + 1;
      } else if (FULLWIDTH_SENTENCE_END.has(text[c - 1]!) && !(flag & INSIDE_BLOCK)) {
        // CJK text puts no space after a full stop.
        if (best[SENTENCE]! < 0) best[SENTENCE] = c;
      }
    }
    const halfFull = pos + Math.floor((end - pos) / 2);
    for (const c of best) if (c >= halfFull) return c;
    for (const c of best) if (c > pos) return c;
    return this.hardCut(pos, end, firstContent);
  }

  private followsBlankLine(newline: number): boolean {
    const { text } = this;
    let i = newline - 1;
    if (text.charCodeAt(newline) === LF && text.charCodeAt(i) === CR) i--;
    while (i >= 0 && (text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x09)) i--;
    return i < 0 || text.charCodeAt(i) === LF || text.charCodeAt(i) === CR;
  }

  /** Whether the text before a run of spaces starting at `runStart` ends a sentence. */
  private endsSentence(runStart: number): boolean {
    const { text } = this;
    let i = runStart - 1;
    while (i >= 0 && SENTENCE_CLOSERS.has(text[i]!)) i--;
    if (i < 0 || !SENTENCE_END.has(text[i]!)) return false;
    if (text[i] !== ".") return true;
    // "12. " at the start of a line is a list marker, not the end of a sentence.
    let j = i - 1;
    while (j >= 0 && text.charCodeAt(j) >= 0x30 && text.charCodeAt(j) <= 0x39) j--;
    if (j === i - 1) return true;
    while (j >= 0 && (text.charCodeAt(j) === 0x20 || text.charCodeAt(j) === 0x09)) j--;
    return !(j < 0 || text.charCodeAt(j) === LF || text.charCodeAt(j) === CR);
  }

  private hardCut(pos: number, end: number, firstContent: number): number {
    const { text, flags } = this;
    let cut = end;
    // Leave the last visible character to the next part rather than a whitespace-only tail.
    if (this.lastContent > firstContent && cut > this.lastContent) cut = this.lastContent;
    if (flags) {
      let c = cut;
      while (c > firstContent + 1 && (flags[c] ?? 0) & FORBIDDEN) c--;
      if (!((flags[c] ?? 0) & FORBIDDEN)) cut = c;
    }
    // The window starts at `pos`, so grapheme boundaries are found relative to it.
    const segment = graphemes.segment(text.slice(pos, Math.min(text.length, cut + 2))).containing(cut - pos);
    const boundary = segment === undefined ? cut : pos + segment.index;
    if (boundary > pos && boundary > firstContent) return boundary;
    if (isHighSurrogate(text.charCodeAt(cut - 1)) && isLowSurrogate(text.charCodeAt(cut))) {
      return cut - 1 > pos ? cut - 1 : cut + 1;
    }
    return cut;
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** Markdown that a part starting at some offset needs in front to render as what it continues. */
interface Reopening {
  /** Offsets a (from <= a < to) at which a part needs the prefix. */
  from: number;
  to: number;
  prefix(atLineStart: boolean): string;
}

/** The Markdown structure of a whole answer, seen from the splitter: where to cut, how to reopen. */
class MarkdownLayout {
  readonly flags: Uint8Array;
  private readonly blocks: Reopening[] = [];
  private readonly quotes: Reopening[] = [];
  private readonly references: Record<string, unknown>;
  private readonly lineStarts: number[] = [0];
  private readonly lineEnds: number[] = [];

  constructor(private readonly source: string) {
    this.flags = new Uint8Array(source.length + 1);
    // markdown-it's own line splitting (NEWLINES_RE), so its line maps index these arrays.
    for (const match of source.matchAll(/\r\n?|\n/g)) {
      this.lineEnds.push(match.index);
      this.lineStarts.push(match.index + match[0].length);
    }
    this.lineEnds.push(source.length);
    const env: MarkdownEnv = {};
    for (const token of parseMarkdown(source, env)) this.add(token);
    this.references = env.references ?? {};
  }

  /** The part source[from, to) as Telegram HTML, with whatever it continues reopened in front. */
  render(from: number, to: number): string {
    const slice = this.source.slice(from, to);
    if (!/\S/.test(slice)) return escapeHtml(slice);
    const html = renderMarkdown(this.reopening(from) + slice, { references: { ...this.references } });
    const check = validateTelegramHtml(html);
    return check.ok && /\S/.test(check.text) ? html : escapeHtml(slice);
  }

  private reopening(at: number): string {
    const atLineStart = at === 0 || this.source[at - 1] === "\n" || this.source[at - 1] === "\r";
    for (const list of [this.blocks, this.quotes]) {
      const found = findContaining(list, at);
      if (found) return found.prefix(atLineStart);
    }
    return "";
  }

  private line(index: number): { start: number; end: number; text: string } {
    const start = this.lineStarts[index] ?? this.source.length;
    const end = this.lineEnds[index] ?? this.source.length;
    return { start, end, text: this.source.slice(start, end) };
  }

  private mark(from: number, to: number, flag: number): void {
    for (let c = Math.max(0, from); c <= Math.min(to, this.flags.length - 1); c++) this.flags[c]! |= flag;
  }

  private add(token: Token): void {
    const map = token.map;
    if (!map) return;
    const [first, next] = map;
    const last = Math.max(first, next - 1);
    const start = this.line(first).start;
    const after = next < this.lineStarts.length ? this.line(next).start : this.source.length;
    switch (token.type) {
      case "fence":
        this.addFence(token, first, last, after);
        break;
      case "code_block": {
        const end = this.line(last).end;
        this.mark(start + 1, after - 1, INSIDE_BLOCK);
        this.mark(start, start, BLOCK_EDGE);
        this.mark(after, after, BLOCK_EDGE);
        // Only a top-level indented block can be reopened by indenting: inside a container the prefix differs.
        if (token.level === 0) {
          this.blocks.push({
            from: start + 1,
            to: end,
            prefix: (atLineStart) => (atLineStart ? "" : "    "),
          });
        }
        break;
      }
      case "table_open": {
        const header = this.line(first);
        const separator = this.line(first + 1);
        const bodyStart = next > first + 2 ? this.line(first + 2).start : after;
        this.mark(start + 1, next > first + 2 ? bodyStart : bodyStart - 1, FORBIDDEN);
        this.mark(bodyStart + 1, after - 1, INSIDE_BLOCK);
        this.mark(start, start, BLOCK_EDGE);
        this.mark(after, after, BLOCK_EDGE);
        const head = `${header.text}\n${separator.text}\n`;
        if (next > first + 2)
          this.blocks.push({ from: bodyStart, to: this.line(last).end, prefix: () => head });
        break;
      }
      case "blockquote_open":
        // A part starting mid-line inside a quote would otherwise leave its first line outside the quote.
        if (token.level === 0) {
          this.quotes.push({
            from: start + 1,
            to: after,
            prefix: (atLineStart) => (atLineStart ? "" : "> "),
          });
        }
        break;
    }
  }

  private addFence(token: Token, first: number, last: number, after: number): void {
    const opener = this.line(first);
    const contentStart = first + 1 < this.lineStarts.length ? this.line(first + 1).start : this.source.length;
    const closer = this.line(last);
    const fenceChar = token.markup[0] ?? "`";
    const closing = closer.text.replace(/^[\s>]*/, "").trimEnd();
    const closed =
      last > first &&
      closing.length >= token.markup.length &&
      [...closing].every((ch) => ch === fenceChar) &&
      closer.start >= contentStart;
    const contentEnd = closed ? closer.start : after;

    this.mark(opener.start + 1, contentStart, FORBIDDEN);
    if (closed) this.mark(closer.start + 1, closer.end - 1, FORBIDDEN);
    this.mark(contentStart + 1, closed ? closer.start : after - 1, INSIDE_BLOCK);
    this.mark(opener.start, opener.start, BLOCK_EDGE);
    this.mark(after, after, BLOCK_EDGE);

    // The container prefix ("> ", a list item's indent) with list markers blanked, so the reopened fence
    // continues the same container without starting a new list item.
    const markupAt = opener.text.indexOf(token.markup);
    const container = opener.text.slice(0, Math.max(0, markupAt)).replace(/[^>\s]/g, " ");
    const reopen = `${container}${token.markup}${token.info}\n`;
    this.blocks.push({
      from: contentStart,
      // A part starting at the closing line gets an empty block, not a lone fence that would open a new one.
      to: closed ? contentEnd + 1 : contentEnd,
      prefix: (atLineStart) => (atLineStart ? reopen : reopen + container),
    });
  }
}

/** The reopening whose range holds `at`; ranges in a list never overlap and are sorted by start. */
function findContaining(list: readonly Reopening[], at: number): Reopening | undefined {
  let low = 0;
  let high = list.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const candidate = list[middle]!;
    if (at < candidate.from) high = middle - 1;
    else if (at >= candidate.to) low = middle + 1;
    else return candidate;
  }
  return undefined;
}
