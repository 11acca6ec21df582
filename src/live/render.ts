/**
 * What a live message shows, as pure functions of the answer's state: the streaming view (plain text, since a
 * prefix of valid Markdown is usually invalid), where a growing answer moves on to a new message, and the final
 * formatted messages.
 */
import { escapeHtml, validateTelegramHtml } from "./format.js";
import { splitForTelegram, splitPlain, TELEGRAM_MESSAGE_LIMIT, type TelegramPart } from "./split.js";

export type LivePhase = "waiting" | "thinking" | "answering";

/**
 * The words of the live message: English by default; the bot passes its own (translated) ones. Functions, so a
 * language can place the label and the seconds where its grammar wants them.
 */
export interface LiveTexts {
  /** Before anything came, the first second. */
  waiting(label: string): string;
  /** Still nothing after a second or more (a model loading). */
  preparing(label: string, seconds: number): string;
  /** Only thinking so far. */
  thinking(label: string, seconds: number): string;
  /** A finished answer with no text and no note. */
  empty: string;
  /** The label of the Stop button under a streaming answer. */
  stop: string;
}

export const ENGLISH_LIVE_TEXTS: LiveTexts = {
  waiting: (label) => `⏳ ${label}…`,
  preparing: (label, s) => `⏳ ${label} is preparing an answer… ${s} s`,
  thinking: (label, s) => `🤔 ${label} is thinking… ${s} s`,
  empty: "(The model gave an empty answer.)",
  stop: "⏹ Stop",
};

export interface StreamingView {
  /** The whole answer so far. */
  content: string;
  thinking: string;
  /** Since the request was sent. */
  elapsedMs: number;
  /** Who is answering, e.g. the model's name. */
  label: string;
}

/** Room kept free in a streaming message, so the view never needs a split of its own. */
const STREAM_LIMIT = TELEGRAM_MESSAGE_LIMIT;
/** How much of the thinking trace the streaming view shows: its tail, enough to see it move. */
const THINKING_TAIL = 300;

export function phaseOf(view: Pick<StreamingView, "content" | "thinking">, from = 0): LivePhase {
  if (view.content.slice(from).trim() !== "") return "answering";
  return view.thinking.trim() !== "" ? "thinking" : "waiting";
}

/**
 * The text of the live message that shows the answer from offset `from` on. Before the answer starts, a status
 * line that changes every second, so the chat never looks stalled while a model loads or thinks.
 */
export function streamingText(view: StreamingView, from = 0, texts: LiveTexts = ENGLISH_LIVE_TEXTS): string {
  const seconds = Math.floor(view.elapsedMs / 1000);
  switch (phaseOf(view, from)) {
    case "answering":
      return view.content.slice(from);
    case "thinking": {
      let tail = view.thinking.trim();
      if (tail.length > THINKING_TAIL) tail = `…${tail.slice(tail.length - THINKING_TAIL + 1)}`;
      return `${texts.thinking(view.label, seconds)}\n\n💭 ${tail}`;
    }
    default:
      return view.elapsedMs >= 1000 ? texts.preparing(view.label, seconds) : texts.waiting(view.label);
  }
}

/**
 * When the part of the answer shown from `from` no longer fits one message, the offset where the next message
 * starts (the current one keeps `[from, result)`); undefined while it fits. Cuts as `splitPlain` does.
 */
export function nextPartStart(content: string, from: number, limit = STREAM_LIMIT): number | undefined {
  if (content.length - from <= limit) return undefined;
  const [first] = splitPlain(content.slice(from), limit);
  return first === undefined ? undefined : from + first.length;
}

export interface FinalOptions {
  /** Show the thinking trace, collapsed, above the answer. Default true. */
  showThinking?: boolean;
  /** A line added at the end: why the answer stopped (stopped by the user, an error). */
  note?: string | undefined;
  /** A bold line on top of the first message (who is speaking); not part of the answer. */
  header?: string | undefined;
  limit?: number;
  /** Shown for an answer with no text and no note. Default: English. */
  emptyText?: string;
}

/** Longest thinking trace kept in the final message. */
const THINKING_KEEP = 1500;

/**
 * The final messages: the answer as Telegram HTML, split at 4096 (each `text` is the plain fallback for that
 * message), with the thinking in an expandable quote at the top and the note at the end. The `text`s of the
 * answer's own parts concatenate to the answer exactly; the thinking and the note are additions around them.
 */
export function finalParts(answer: string, thinking: string, options: FinalOptions = {}): TelegramPart[] {
  const headerRoom = options.header ? options.header.length + 2 : 0;
  const limit = (options.limit ?? TELEGRAM_MESSAGE_LIMIT) - headerRoom;
  const parts = splitForTelegram(answer, { limit }).filter((p) => p.text.trim() !== "");
  if (parts.length === 0) {
    const text = options.note ?? options.emptyText ?? ENGLISH_LIVE_TEXTS.empty;
    parts.push({ text, html: `<i>${escapeHtml(text)}</i>` });
  } else if (options.note) {
    const last = parts[parts.length - 1]!;
    const text = `${last.text.trimEnd()}\n\n${options.note}`;
    const html = `${last.html.trimEnd()}\n\n<i>${escapeHtml(options.note)}</i>`;
    if (text.length <= limit && html.length <= limit) {
      parts[parts.length - 1] = { text, html };
    } else {
      parts.push({ text: options.note, html: `<i>${escapeHtml(options.note)}</i>` });
    }
  }
  const trace = thinking.trim();
  if ((options.showThinking ?? true) && trace !== "") {
    const first = parts[0]!;
    const room = Math.min(limit - Math.max(visibleLength(first.html), first.text.length) - 8, THINKING_KEEP);
    if (room >= 80) {
      const kept = trace.length > room ? `${trace.slice(0, room - 1)}…` : trace;
      parts[0] = {
        text: `💭 ${kept}\n\n${first.text}`,
        html: `<blockquote expandable>💭 ${escapeHtml(kept)}</blockquote>\n${first.html}`,
      };
    }
  }
  if (options.header) {
    const first = parts[0]!;
    parts[0] = {
      text: `${options.header}\n\n${first.text}`,
      html: `<b>${escapeHtml(options.header)}</b>\n\n${first.html}`,
    };
  }
  return parts;
}

function visibleLength(html: string): number {
  const check = validateTelegramHtml(html);
  return check.ok ? check.text.length : html.length;
}
