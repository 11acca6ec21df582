/**
 * What the bot remembers per chat, and the bounded history a turn sends to the model. Stored through a
 * `ChatStore` (files under DATA_DIR, or Redis), written explicitly by the code that changes it, so a turn running
 * in the background saves its history even when it fails or is stopped half-way.
 */
import type { ChatMessage } from "../hub/index.js";

export type EntryStatus = "ok" | "stopped" | "failed" | "interrupted";

export interface HistoryEntry {
  role: "user" | "assistant";
  content: string;
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
  a?: { model: string; persona: Persona } | undefined;
  b?: { model: string; persona: Persona } | undefined;
  /** Which side the next tap in the picker sets. */
  pickNext: Side;
  topic: string;
  maxTurns: number;
  /** Exchanges completed (A spoke, then B answered); what the turn limit counts. */
  done: number;
  lines: Ai2AiLine[];
  /** The side the unfinished exchange resumes with (after a failure or a Stop). */
  pausedAt?: Side | undefined;
  /** Why it paused: a failure offers Retry, a Stop offers Continue. */
  pauseReason?: "failed" | "stopped" | undefined;
  auto: boolean;
}

export interface ChatSession {
  /** Chat with one model, or watch two models talk (AI↔AI). */
  mode: "chat" | "ai2ai";
  model?: string | undefined;
  stream: boolean;
  system?: string | undefined;
  history: HistoryEntry[];
  /** A turn being answered: lets a restart mark it interrupted instead of losing it. */
  turn?: { prompt: string; messageId: number; startedAt: number } | undefined;
  picker?: PickerState | undefined;
  /** A message sent before any model was chosen: answered as soon as one is picked. */
  waiting?: { prompt: string; messageId: number } | undefined;
  /** The next text message is taken as this setting (set from a button). */
  awaiting?: "system" | "topic" | "persona-a" | "persona-b" | undefined;
  ai2ai?: Ai2AiState | undefined;
}

/** The current session version; bump it and add a migration when the shape changes. */
export const SESSION_VERSION = 2;

export function initialSession(streamDefault: boolean): ChatSession {
  return { mode: "chat", stream: streamDefault, history: [] };
}

/** Migrations: `SESSION_MIGRATIONS[n]` turns a version n-1 session into version n. */
export const SESSION_MIGRATIONS: Record<number, (old: never) => unknown> = {
  // v2: AI↔AI mode. Sessions from v1 were all plain chats.
  2: (old: Omit<ChatSession, "mode">) => ({ ...old, mode: "chat" }),
};

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

/**
 * The messages a turn sends: the system prompt (always kept), then as much recent history as fits both limits,
 * oldest dropped first, then the new prompt. Interrupted or failed exchanges stay in: what the user wrote is
 * context, and what the model said before failing was shown to the user.
 */
export function buildMessages(
  session: Pick<ChatSession, "system" | "history">,
  prompt: string,
  limits: HistoryLimits,
): ChatMessage[] {
  const picked: ChatMessage[] = [];
  let chars = prompt.length + (session.system?.length ?? 0);
  let count = 1;
  for (let i = session.history.length - 1; i >= 0; i--) {
    const entry = session.history[i]!;
    if (entry.content.trim() === "") continue;
    if (count + 1 > limits.maxMessages || chars + entry.content.length > limits.maxChars) break;
    picked.push({ role: entry.role, content: entry.content });
    chars += entry.content.length;
    count++;
  }
  picked.reverse();
  // A history that starts with an answer confuses some chat templates; drop a leading orphan answer.
  if (picked[0]?.role === "assistant") picked.shift();
  const messages: ChatMessage[] = [];
  if (session.system) messages.push({ role: "system", content: session.system });
  messages.push(...picked, { role: "user", content: prompt });
  return messages;
}

/** Keeps the stored history bounded too (the store is not an archive): twice the window sent to the model. */
export function trimHistory(history: HistoryEntry[], limits: HistoryLimits): HistoryEntry[] {
  const keep = limits.maxMessages * 2;
  return history.length > keep ? history.slice(history.length - keep) : history;
}
