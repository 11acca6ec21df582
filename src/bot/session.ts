/**
 * What the bot remembers per chat, and the bounded history a turn sends to the model. Stored through a
 * `ChatStore` (files under DATA_DIR, or Redis), written explicitly by the code that changes it, so a turn running
 * in the background saves its history even when it fails or is stopped half-way.
 */
import type { ChatMessage } from "../hub/index.js";
import type { ChatSettings } from "./model-settings.js";

export type EntryStatus = "ok" | "stopped" | "failed" | "interrupted" | "cancelled";

/** A photo the user sent, by Telegram's ids: the bytes live in the image cache (or are fetched again). */
export interface ImageRef {
  fileId: string;
  uniqueId: string;
}

/**
 * What a turn carries besides its text: photos (one, or an album's), a voice note or audio file, a document. Kept
 * in the line, the running turn and the offers, so a restart or a Retry can do the work again from Telegram.
 */
export type MediaRef =
  | { kind: "images"; images: ImageRef[] }
  | {
      kind: "voice";
      fileId: string;
      uniqueId: string;
      mimeType?: string | undefined;
      fileName?: string | undefined;
      size?: number | undefined;
    }
  | {
      kind: "document";
      fileId: string;
      uniqueId: string;
      fileName: string;
      mimeType?: string | undefined;
      size?: number | undefined;
    };

export interface HistoryEntry {
  role: "user" | "assistant";
  content: string;
  /** The photos this message showed the model (sent again with later turns, newest first, bounded). */
  images?: ImageRef[] | undefined;
  /** ms since the epoch */
  at: number;
  /** For answers: how the answer ended. For prompts: "interrupted" when a restart cut the turn. */
  status?: EntryStatus;
  model?: string;
}

/** The snapshot a picker's buttons refer to: its keys are indexes into `models`, valid only for this token. */
export interface PickerState {
  token: string;
  models: string[];
  page: number;
}

export interface Persona {
  name: string;
  /** Becomes the side's system prompt, with the topic. */
  description: string;
  /** The voice that fits, when the conversation is read aloud: a gender, and an accent (a Kokoro language letter). */
  voice?: { gender: "female" | "male"; accent?: string | undefined } | undefined;
}

/** One side of an AI↔AI conversation. */
export interface Ai2AiSide {
  model: string;
  persona: Persona;
  /** The hub's voice it speaks with (Options); unset, one that fits the persona. */
  voice?: string | undefined;
}

export type Side = "a" | "b";

/** One line of an AI↔AI conversation: a side speaking, or the human's note as moderator. */
export interface Ai2AiLine {
  side: Side | "moderator";
  text: string;
  at: number;
  model?: string;
  status?: EntryStatus;
}

export interface Ai2AiState {
  /** Changes when a conversation is (re)started: buttons of an older one are out of date. */
  token: string;
  a?: Ai2AiSide | undefined;
  b?: Ai2AiSide | undefined;
  /** Each line is read aloud after its text (Options; where the hub can speak). */
  voices?: boolean | undefined;
  /**
   * A line's voice message is being made (the next line waits for it): a kill meanwhile is found at start-up and
   * the conversation gets its controls back.
   */
  voicing?: Side | undefined;
  /** Which side the next tap in the picker sets. */
  pickNext: Side;
  topic: string;
  maxTurns: number;
  /** Exchanges completed (A spoke, then B answered); what the turn limit counts. */
  done: number;
  lines: Ai2AiLine[];
  /** The side the unfinished exchange resumes with (after a failure, a Stop or a restart). */
  pausedAt?: Side | undefined;
  /** Why it paused: a failure offers Retry; a Stop or a restart offers Continue. */
  pauseReason?: "failed" | "stopped" | "interrupted" | undefined;
  auto: boolean;
  /** An exchange someone asked for (Continue, Retry) waits in line: a kill meanwhile leaves it to the next start. */
  queued?: boolean | undefined;
  /**
   * The side speaking now and its live message: written before the line starts, cleared when it is saved, so a
   * crash or a restart mid-line is found at start-up and the conversation gets its controls back.
   */
  speaking?:
    | {
        side: Side;
        messageId?: number | undefined;
        startedAt: number;
        /** What the line had said at its last checkpoint (every few seconds), for a crash to keep. */
        partial?: string | undefined;
        /** Its live message while it is being sent (see PendingSend). */
        pendingSend?: PendingSend | undefined;
      }
    | undefined;
  /** The message with the conversation's controls, edited in place when its numbers change. */
  controlsMessageId?: number | undefined;
}

/**
 * What a button under a failed or cut answer can still do for that message: try it again, pull the missing
 * model, answer it with another model, or continue a cut answer. Kept in the session, so a button pressed after
 * a restart still works; each failed message has its own.
 */
export interface Offer {
  id: string;
  prompt: string;
  /** The user's message the offer answers. */
  messageId: number;
  /** Its photo, voice note or document, fetched again for the retry. */
  media?: MediaRef | undefined;
  /** When its message entered the history (the entry a retry replaces: a media turn's text is not its caption). */
  promptAt?: number | undefined;
  model?: string | undefined;
  /** Part of an answer was shown before it was cut: Continue asks the model to go on from there. */
  partial?: boolean | undefined;
  at: number;
}

/**
 * A message waiting in line, written when it is queued (before the handler returns), so a kill at any moment
 * leaves it to be resumed at start-up, in its original order.
 */
export interface QueuedTurn {
  id: string;
  prompt: string;
  messageId: number;
  userId?: number | undefined;
  chatType: string;
  locale: string;
  continuation?: boolean | undefined;
  /** A Regenerate: the answer it replaces leaves the history when the turn starts. */
  regenerate?: boolean | undefined;
  media?: MediaRef | undefined;
  /** A retry: the history entry (by its time) this turn replaces. */
  replaces?: number | undefined;
  at: number;
  /** The "⏳ … in line" notice, removed when the turn is resumed after a restart. */
  noticeId?: number | undefined;
  /** The notice while it is being sent (see PendingSend). */
  pendingNotice?: PendingSend | undefined;
}

/** A turn being answered, written before the model is asked. */
export interface RunningTurn {
  prompt: string;
  messageId: number;
  media?: MediaRef | undefined;
  startedAt: number;
  model?: string | undefined;
  /** The live messages showing the answer, so a restart can take their dead ⏹ Stop buttons away. */
  liveMessageIds?: number[] | undefined;
  /** The answer so far, written every few seconds while it streams: after a crash it is kept and marked. */
  partial?: string | undefined;
  /** A new live message being sent, saved before the send: found after a crash that came before its id. */
  pendingSend?: PendingSend | undefined;
}

/**
 * A message about to be sent, written before the send and cleared with its id: a crash in between leaves a
 * message whose id was never saved, which the start-up finds by its exact content just above `floor` (the
 * highest message id known in the chat when it was sent).
 */
export interface PendingSend {
  content: {
    text: string;
    parse_mode?: string | undefined;
    reply_markup?: unknown;
    link_preview_options?: unknown;
  };
  floor: number;
}

export interface ChatSession {
  /** Chat with one model, or watch two models talk (AI↔AI). */
  mode: "chat" | "ai2ai";
  model?: string | undefined;
  stream: boolean;
  system?: string | undefined;
  history: HistoryEntry[];
  /** A turn being answered: lets a restart mark it interrupted instead of losing it. */
  turn?: RunningTurn | undefined;
  /** Messages waiting in line, oldest first. */
  queued?: QueuedTurn[] | undefined;
  picker?: PickerState | undefined;
  /** A message sent before any model was chosen (or one to answer with the next model picked). */
  waiting?: Array<{ prompt: string; messageId: number; media?: MediaRef | undefined }> | undefined;
  /** What the buttons under failed or cut answers can still do, newest last (bounded). */
  offers?: Offer[] | undefined;
  ai2ai?: Ai2AiState | undefined;
  /** The chat's language, set with /language; otherwise each user's Telegram language. */
  language?: string | undefined;
  /** The language of the last person who wrote, for messages sent with no update to answer (after a restart). */
  lastLocale?: string | undefined;
  /** State of @grammyjs/conversations (the multi-step inputs), kept with the session so it survives a restart. */
  conversations?: unknown;
  /** Questions the bot asked in this chat and who they are for (in a group, only that member's reply counts). */
  questions?: Array<{ messageId: number; userId: number; at: number }> | undefined;
  /**
   * The admins' /models menu: the names its buttons' indexes mean, valid for `token` only (an older menu's
   * buttons are out of date), and the keys of the pulls started here (their ✖ Cancel and 🔁 Try again).
   */
  modelMenu?:
    | {
        token: string;
        view: "list" | "default" | "loaded";
        names: string[];
        page: number;
        pulls?: Array<{ key: string; model: string }> | undefined;
      }
    | undefined;
  /** Model settings the chat changed (/settings); the rest are the configured defaults. */
  settings?: ChatSettings | undefined;
  /** Characters per token, measured from what the model reported (`prompt_eval_count`) for this model. */
  calibration?: { model: string; charsPerToken: number } | undefined;
  /** What the chat was told about its context: "near" (about to be cut, /summarize offered), "cut" (cut). */
  contextTold?: "near" | "cut" | undefined;
  /** The gist of older messages /summarize replaced, sent with the system prompt. */
  summary?: string | undefined;
  /** A summary being made, and its status message (a restart in the middle says so there). */
  summarizing?: { messageId: number; at: number } | undefined;
  /**
   * Albums being collected: Telegram sends each photo of an album as its own message; they become one turn once
   * no more come for a moment. Stored, so a restart in between still answers the album.
   */
  albums?: PendingAlbum[] | undefined;
  /** Voice messages and episodes being made, by their status message, so a kill meanwhile is said at start-up. */
  voiceShown?: Array<{ messageId: number; kind: "answer" | "episode"; at: number }> | undefined;
  /** Pulls whose progress this chat shows, so a kill mid-pull is said at start-up. */
  pullsShown?: Array<{ messageId: number; model: string; at: number }> | undefined;
  /** Photos waiting for a model that can see them to be picked (each with its own buttons). */
  visionWaiting?:
    | Array<{
        id: string;
        prompt: string;
        messageId: number;
        media: MediaRef;
        at: number;
        /** The models its buttons offer, by index. */
        models: string[];
      }>
    | undefined;
  /** The newest answer, which carries 🔄 Regenerate (only it may be regenerated). */
  lastAnswer?:
    | {
        id: string;
        messageId: number;
        prompt: string;
        promptMessageId: number;
        /** When its question entered the history: Regenerate removes exactly that exchange. */
        promptAt?: number | undefined;
        media?: MediaRef | undefined;
      }
    | undefined;
}

export interface PendingAlbum {
  groupId: string;
  chatType: string;
  userId?: number | undefined;
  locale: string;
  /** The first photo's message: the answer replies to it. */
  messageId: number;
  caption?: string | undefined;
  images: ImageRef[];
  /** When the newest photo came (ms since the epoch). */
  lastAt: number;
}

/** The current session version; bump it and add a migration when the shape changes. */
export const SESSION_VERSION = 3;

export function initialSession(streamDefault: boolean): ChatSession {
  return { mode: "chat", stream: streamDefault, history: [] };
}

/** Migrations: `SESSION_MIGRATIONS[n]` turns a version n-1 session into version n. */
export const SESSION_MIGRATIONS: Record<number, (old: never) => unknown> = {
  // v2: AI↔AI mode. Sessions from v1 were all plain chats.
  2: (old: Omit<ChatSession, "mode">) => ({ ...old, mode: "chat" }),
  // v3: offers and the speaking side persist; the `awaiting` flag gave way to conversations (an input asked for
  // before the upgrade is simply asked again).
  3: (
    old: Omit<ChatSession, "waiting"> & {
      awaiting?: unknown;
      waiting?: { prompt: string; messageId: number };
    },
  ) => {
    const { awaiting: _, waiting, ...rest } = old;
    // v2 kept one waiting message; v3 keeps every one (each "Pick another model" waits for the next pick).
    return waiting ? { ...rest, waiting: [waiting] } : rest;
  },
};

/** Messages a chat keeps waiting for a model to be picked. */
export const MAX_WAITING_FOR_PICK = 5;

/** How many offers a chat keeps: enough for every failure a user still scrolls to. */
export const MAX_OFFERS = 20;

/** The store the bot writes sessions through: per chat, serialized, written before `update` resolves. */
export interface ChatStore {
  get(chatId: string): Promise<ChatSession>;
  update(
    chatId: string,
    // biome-ignore lint/suspicious/noConfusingVoidType: a callback that only mutates the draft returns nothing
    fn: (draft: ChatSession) => ChatSession | void | Promise<ChatSession | void>,
  ): Promise<ChatSession>;
  keys(): AsyncIterable<string>;
}

export interface HistoryLimits {
  maxMessages: number;
  maxChars: number;
}

/** What a turn may send: at most this many messages and this many tokens (the context minus the answer's room). */
export interface ContextBudget {
  maxMessages: number;
  tokens: number;
  /** The chat's measured characters per token for this model (DEFAULT_CHARS_PER_TOKEN before any answer). */
  charsPerToken: number;
}

/** A cautious first estimate: English runs near 4 characters a token, most other scripts fewer. */
export const DEFAULT_CHARS_PER_TOKEN = 3.5;
/** What a message costs beyond its text in a chat template (role markers). */
export const TOKENS_PER_MESSAGE = 4;

/** Below this, a message's end is not worth sending on its own. */
const MIN_TAIL_TOKENS = 64;

/**
 * What an image costs in the context: vision models encode one in 256 (Gemma 3) to 576 (LLaVA) tokens, more for
 * large images in some (Qwen2.5-VL): a cautious middle.
 */
export const IMAGE_TOKENS = 768;

export function estimateTokens(text: string, charsPerToken: number, images = 0): number {
  return Math.ceil(text.length / charsPerToken) + TOKENS_PER_MESSAGE + images * IMAGE_TOKENS;
}

/**
 * Room kept for the answer inside `num_ctx` (Ollama counts prompt and answer together): a quarter of the context,
 * between 256 and 2048 tokens.
 */
export function answerRoom(numCtx: number): number {
  return Math.max(256, Math.min(2048, Math.floor(numCtx / 4)));
}

export interface BuiltMessages {
  messages: ChatMessage[];
  /** History entries left out because they did not fit the token budget (not counting the message cap). */
  dropped: number;
  /** The estimated tokens of what is sent. */
  tokens: number;
  /** The characters of what is sent, for calibrating against what the model reports. */
  chars: number;
  /** The photos of each message (by index in `messages`), for the caller to load and attach. */
  images: Map<number, ImageRef[]>;
}

/**
 * The messages a turn sends: the system prompt (always kept, with the summary of older messages), then as much
 * recent history as fits the budget, oldest dropped first, then the new prompt. Interrupted or failed exchanges
 * stay in: what the user wrote is context, and what the model said before failing was shown to the user.
 */
export function buildMessages(
  session: Pick<ChatSession, "system" | "history" | "summary">,
  prompt: string,
  budget: ContextBudget,
): BuiltMessages {
  const cpt = budget.charsPerToken;
  const system = [session.system, session.summary ? `${SUMMARY_HEADING}\n${session.summary}` : undefined]
    .filter((x) => x !== undefined && x !== "")
    .join("\n\n");
  const picked: Array<ChatMessage & { refs?: ImageRef[] | undefined }> = [];
  let tokens = estimateTokens(prompt, cpt) + (system ? estimateTokens(system, cpt) : 0);
  let chars = prompt.length + system.length;
  let count = 1;
  let dropped = 0;
  let i = session.history.length - 1;
  for (; i >= 0; i--) {
    const entry = session.history[i]!;
    if (entry.content.trim() === "") continue;
    if (count + 1 > budget.maxMessages) break;
    const cost = estimateTokens(entry.content, cpt, entry.images?.length ?? 0);
    if (tokens + cost > budget.tokens) {
      let before = i + 1;
      // The newest message alone is too big (an answer that filled the context, which Continue goes on from):
      // its end is sent, after its prompt when that is small, rather than nothing of it.
      const left = budget.tokens - tokens;
      if (picked.length === 0 && left > MIN_TAIL_TOKENS + TOKENS_PER_MESSAGE) {
        const prev = entry.role === "assistant" ? session.history[i - 1] : undefined;
        const prevCost =
          prev?.role === "user" && !prev.images
            ? estimateTokens(prev.content, cpt)
            : Number.POSITIVE_INFINITY;
        const withPrompt = prevCost <= left / 4;
        const tailChars = Math.floor((left - TOKENS_PER_MESSAGE - (withPrompt ? prevCost : 0)) * cpt) - 1;
        const tail = `…${entry.content.slice(entry.content.length - tailChars)}`;
        picked.push({ role: entry.role, content: tail });
        tokens += estimateTokens(tail, cpt);
        chars += tail.length;
        before = i;
        if (withPrompt && prev) {
          picked.push({ role: prev.role, content: prev.content });
          tokens += prevCost;
          chars += prev.content.length;
          before = i - 1;
        }
      }
      dropped = session.history.slice(0, before).filter((e) => e.content.trim() !== "").length;
      break;
    }
    picked.push({ role: entry.role, content: entry.content, refs: entry.images });
    tokens += cost;
    chars += entry.content.length;
    count++;
  }
  picked.reverse();
  // A history that starts with an answer confuses some chat templates; drop a leading orphan answer.
  if (picked[0]?.role === "assistant") {
    const orphan = picked.shift()!;
    tokens -= estimateTokens(orphan.content, cpt);
    chars -= orphan.content.length;
  }
  const messages: ChatMessage[] = [];
  const images = new Map<number, ImageRef[]>();
  if (system) messages.push({ role: "system", content: system });
  for (const { refs, ...m } of picked) {
    if (refs && refs.length > 0) images.set(messages.length, refs);
    messages.push(m);
  }
  messages.push({ role: "user", content: prompt });
  return { messages, dropped, tokens, chars, images };
}

/** How the summary of older messages is introduced to the model. */
export const SUMMARY_HEADING = "Summary of the earlier conversation (older messages were replaced by it):";

/**
 * The chat's characters per token after an answer: what the model reported (`prompt_eval_count`) for what was
 * sent. A count far below the estimate usually means Ollama reused its cache and counted only new tokens, so
 * estimates move down fast (safer) and up slowly; implausible figures are ignored.
 */
export function calibrate(
  current: number,
  sent: { chars: number; messages: number },
  promptTokens: number | undefined,
  numCtx: number,
): number {
  if (promptTokens === undefined || promptTokens <= 0 || promptTokens >= numCtx - 8) return current;
  const textTokens = promptTokens - TOKENS_PER_MESSAGE * sent.messages;
  if (textTokens <= 0 || sent.chars < 200) return current;
  const observed = sent.chars / textTokens;
  if (observed < 1 || observed > 8) return current;
  const next =
    observed < current ? current + (observed - current) * 0.7 : current + (observed - current) * 0.2;
  return Math.round(next * 100) / 100;
}

/** Keeps the stored history bounded too (the store is not an archive): twice the window sent to the model. */
export function trimHistory(history: HistoryEntry[], limits: HistoryLimits): HistoryEntry[] {
  const keep = limits.maxMessages * 2;
  let from = Math.max(0, history.length - keep);
  // By size too: twice the characters sent, so a few huge answers do not make every session write heavy.
  let chars = 0;
  for (let i = history.length - 1; i >= from; i--) {
    chars += history[i]!.content.length;
    if (chars > limits.maxChars * 2) {
      from = i + 1;
      break;
    }
  }
  // The newest exchange always stays, however big (a document and its answer): the next turn refers to it.
  from = Math.min(from, Math.max(0, history.length - 2));
  return from > 0 ? history.slice(from) : history;
}

/** Every message id a session names: none of them is a lost copy to look for. */
export function knownIds(s: ChatSession): Set<number> {
  const ids = new Set<number>();
  const add = (id: number | undefined) => {
    if (id !== undefined) ids.add(id);
  };
  add(s.turn?.messageId);
  for (const id of s.turn?.liveMessageIds ?? []) add(id);
  for (const q of s.queued ?? []) {
    add(q.messageId);
    add(q.noticeId);
  }
  for (const o of s.offers ?? []) add(o.messageId);
  for (const w of s.waiting ?? []) add(w.messageId);
  for (const q of s.questions ?? []) add(q.messageId);
  add(s.ai2ai?.controlsMessageId);
  add(s.ai2ai?.speaking?.messageId);
  add(s.summarizing?.messageId);
  for (const p of s.pullsShown ?? []) add(p.messageId);
  for (const v of s.voiceShown ?? []) add(v.messageId);
  add(s.lastAnswer?.messageId);
  return ids;
}
