/**
 * Sends whose answer was lost. When a `sendMessage` fails on the network (the connection dropped, the call timed
 * out), Telegram may still have posted the message: the caller, not knowing its id, sends again, and the chat
 * shows the text twice (a stray "⏳" placeholder, a final answer shown twice). The Bot API cannot list a chat's
 * messages, so the copy is found by its id: message ids in a chat only grow, so a lost copy lies between the last
 * id this process got back before the failed call and the first id it got back after it. Every id in between is
 * either known here (this process sent or edited it), a message of someone else, or the lost copy.
 *
 * Each unknown id in that range is probed with an edit to exactly the lost call's content: Telegram answers "not
 * modified" only for a message of this bot that already shows exactly that, i.e. the copy, which is then deleted.
 * A message of a user cannot be edited by a bot ("message can't be edited"), so the probe never touches it.
 *
 * Only ids above one this process got back are probed, so messages sent before a restart are never candidates.
 * This holds while one process writes to a chat; several processes on one chat need their own fencing first.
 */
import { HttpError, type Transformer } from "grammy";
import type { Logger } from "pino";

/** A lost call's range is probed only when it holds at most this many unknown ids (a busy group: give up). */
const MAX_CANDIDATES = 5;
/** Per chat, the ids this process knows (sent, edited, replied to), newest kept. */
const KNOWN_PER_CHAT = 256;
/** Chats tracked; the least recently used is forgotten first (its pending losses are logged and dropped). */
const MAX_CHATS = 10_000;

interface Lost {
  /** The last id this process had got back in the chat when the call started. */
  floor: number;
  /** The first id got back from a send that started after the failure: the copy, if any, is below it. */
  ceiling: number | undefined;
  /** The sequence number at the failure; a send started after it bounds the range. */
  failedAt: number;
  /** What was sent, for the probe. */
  payload: Record<string, unknown>;
}

interface ChatState {
  inflight: number;
  maxKnown: number | undefined;
  known: Set<number>;
  lost: Lost[];
  sweeping: boolean;
}

export interface LostSendsStats {
  /** Sends whose answer was lost. */
  lost: number;
  /** Copies found and deleted. */
  removed: number;
  /** Losses that could not be looked for (no id known before it, too many candidates, a probe failed). */
  unresolved: number;
}

export class LostSends {
  private readonly chats = new Map<string, ChatState>();
  private sequence = 0;
  readonly stats: LostSendsStats = { lost: 0, removed: 0, unresolved: 0 };
  /** Resolves when no sweep is running (for tests and shutdown). */
  private sweeps = new Set<Promise<void>>();

  constructor(private readonly log: Pick<Logger, "info" | "warn" | "error">) {}

  /** Install first (innermost) on every Api that sends to chats, so each attempt of a retried call is seen. */
  readonly transformer: Transformer = async (prev, method, payload, signal) => {
    this.rawCall ??= (m, body) => prev(m as typeof method, body as typeof payload) as Promise<RawResult>;
    const p = payload as Record<string, unknown>;
    const chatKey = p.chat_id === undefined ? undefined : String(p.chat_id);
    if (chatKey === undefined) return prev(method, payload, signal);
    const state = this.state(chatKey);
    for (const id of mentionedIds(p)) this.remember(state, id, false);
    if (method !== "sendMessage") return prev(method, payload, signal);

    const startedAt = ++this.sequence;
    const floor = state.maxKnown;
    state.inflight++;
    try {
      const res = await prev(method, payload, signal);
      if (res.ok) {
        const id = (res.result as { message_id?: unknown }).message_id;
        if (typeof id === "number") {
          this.remember(state, id, true);
          for (const lost of state.lost) {
            if (lost.ceiling === undefined && startedAt > lost.failedAt) lost.ceiling = id;
          }
        }
      }
      return res;
    } catch (err) {
      if (err instanceof HttpError && !neverReached(err)) {
        this.stats.lost++;
        if (floor === undefined) {
          this.stats.unresolved++;
          this.log.warn(
            { chatId: p.chat_id },
            "a message's send lost its answer before any id was known in this chat; a copy may show twice",
          );
        } else {
          state.lost.push({ floor, ceiling: undefined, failedAt: ++this.sequence, payload: { ...p } });
        }
      }
      throw err;
    } finally {
      state.inflight--;
      this.maybeSweep(chatKey, state);
    }
  };

  /**
   * The highest message id known in the chat: one this process got back from a send, or a new message it
   * received. Every message above it is newer. Undefined when this process has seen nothing there yet (then no
   * floor is tight: messages of the last process may lie above any id it could name).
   */
  lastKnown(chatId: number): number | undefined {
    return this.chats.get(String(chatId))?.maxKnown;
  }

  /** A new message arrived in the chat (not a press on an old one): nothing in the chat is older than it. */
  observe(chatId: number, messageId: number): void {
    const state = this.state(String(chatId));
    if (state.maxKnown === undefined || messageId > state.maxKnown) state.maxKnown = messageId;
    state.known.add(messageId);
  }

  /**
   * After a crash: the copy of a message the last process sent but never saved the id of (a placeholder, a queue
   * notice), looked for just above `floor` (the highest id known when it was sent) with the same exact-content
   * probe, skipping the ids the caller knows. Returns its id, or undefined when there is none to find.
   */
  async findCopy(
    chatId: number,
    content: SentContent,
    floor: number,
    known: ReadonlySet<number>,
  ): Promise<number | undefined> {
    const candidates: number[] = [];
    for (let id = floor + 1; candidates.length < MAX_CANDIDATES && id <= floor + 2 * MAX_CANDIDATES; id++) {
      if (!known.has(id)) candidates.push(id);
    }
    return this.probe(
      { floor, ceiling: undefined, failedAt: 0, payload: { chat_id: chatId, ...content } },
      candidates,
    );
  }

  /** Waits for the sweeps running now. */
  async settled(): Promise<void> {
    while (this.sweeps.size > 0) await Promise.all([...this.sweeps]);
  }

  private state(chatKey: string): ChatState {
    let state = this.chats.get(chatKey);
    if (state) {
      this.chats.delete(chatKey);
    } else {
      state = { inflight: 0, maxKnown: undefined, known: new Set(), lost: [], sweeping: false };
      if (this.chats.size >= MAX_CHATS) this.forgetOldest();
    }
    this.chats.set(chatKey, state);
    return state;
  }

  private forgetOldest(): void {
    for (const [key, s] of this.chats) {
      if (s.inflight > 0 || s.sweeping) continue;
      if (s.lost.length > 0) {
        this.stats.unresolved += s.lost.length;
        this.log.warn({ chatKey: key }, "forgot a chat with lost sends unexamined (too many chats tracked)");
      }
      this.chats.delete(key);
      return;
    }
  }

  private remember(state: ChatState, id: number, sent: boolean): void {
    state.known.delete(id);
    state.known.add(id);
    if (state.known.size > KNOWN_PER_CHAT) {
      const oldest = state.known.values().next().value;
      if (oldest !== undefined) state.known.delete(oldest);
    }
    if (sent && (state.maxKnown === undefined || id > state.maxKnown)) state.maxKnown = id;
  }

  /** With nothing in flight every id in a range is known or lost, so the ranges that have a ceiling are swept. */
  private maybeSweep(chatKey: string, state: ChatState): void {
    if (state.inflight > 0 || state.sweeping) return;
    const ready = state.lost.filter((l) => l.ceiling !== undefined);
    if (ready.length === 0) return;
    state.lost = state.lost.filter((l) => l.ceiling === undefined);
    state.sweeping = true;
    const run = this.sweep(chatKey, state, ready)
      .catch((err: unknown) => this.log.error({ err, chatKey }, "looking for a lost send's copy failed"))
      .finally(() => {
        state.sweeping = false;
        this.sweeps.delete(run);
        this.maybeSweep(chatKey, state);
      });
    this.sweeps.add(run);
  }

  private async sweep(chatKey: string, state: ChatState, losses: Lost[]): Promise<void> {
    // The probes go to the raw call: no retries, no pacing. A probe that fails leaves the copy, logged.
    for (const lost of losses) {
      const candidates: number[] = [];
      for (let id = lost.floor + 1; id < (lost.ceiling ?? lost.floor); id++) {
        if (!state.known.has(id)) candidates.push(id);
      }
      if (candidates.length === 0) continue; // the call never took effect
      if (candidates.length > MAX_CANDIDATES) {
        this.stats.unresolved++;
        this.log.warn(
          { chatKey, candidates: candidates.length },
          "too many messages to look for a lost send's copy",
        );
        continue;
      }
      const found = await this.probe(lost, candidates);
      if (found === undefined) continue;
      this.remember(state, found, false);
      const res = await this.raw("deleteMessage", { chat_id: lost.payload.chat_id, message_id: found });
      if (res?.ok) {
        this.stats.removed++;
        this.log.info(
          { chatKey, messageId: found },
          "deleted the copy of a message whose send lost its answer",
        );
      } else {
        this.stats.unresolved++;
        this.log.warn(
          { chatKey, messageId: found, error: res?.description },
          "could not delete a lost send's copy",
        );
      }
    }
  }

  private async probe(lost: Lost, candidates: number[]): Promise<number | undefined> {
    const { chat_id, text, parse_mode, entities, link_preview_options, reply_markup } = lost.payload;
    for (const id of candidates) {
      const res = await this.raw("editMessageText", {
        chat_id,
        message_id: id,
        text,
        ...(parse_mode !== undefined ? { parse_mode } : {}),
        ...(entities !== undefined ? { entities } : {}),
        ...(link_preview_options !== undefined ? { link_preview_options } : {}),
        ...(reply_markup !== undefined ? { reply_markup } : {}),
      });
      if (res === undefined) {
        this.stats.unresolved++;
        return undefined;
      }
      if (!res.ok && /message is not modified/i.test(res.description ?? "")) return id;
      if (res.ok) {
        // A message of this bot unknown here, with other content: sent at the same moment by a call whose answer
        // never came. It now shows the probe's content, so it is marked cut rather than left looking live.
        this.log.error(
          { chatId: chat_id, messageId: id },
          "a lost send's probe edited another message of the bot",
        );
        await this.raw("editMessageText", {
          chat_id,
          message_id: id,
          text: "⚠️",
          reply_markup: { inline_keyboard: [] },
        });
        return undefined;
      }
    }
    return undefined;
  }

  /** The innermost call of an Api this is installed on, bypassing every other transformer. */
  private rawCall: ((method: string, payload: Record<string, unknown>) => Promise<RawResult>) | undefined;

  private async raw(method: string, payload: Record<string, unknown>): Promise<RawResult | undefined> {
    if (!this.rawCall) return undefined;
    try {
      return await this.rawCall(method, payload);
    } catch (err) {
      this.log.warn({ err, method }, "a lost send's probe failed on the network");
      return undefined;
    }
  }
}

/** What a sent message showed, enough to recognise it with an edit that changes nothing. */
export interface SentContent {
  text: string;
  parse_mode?: string | undefined;
  reply_markup?: unknown;
  link_preview_options?: unknown;
}

/** The two things services need of the ledger. */
export type SendLedger = Pick<LostSends, "lastKnown" | "findCopy">;

export interface RawResult {
  ok: boolean;
  description?: string;
}

/** Ids a call names: the message it edits or deletes, the one it replies to. Those are not lost copies. */
function mentionedIds(p: Record<string, unknown>): number[] {
  const ids: number[] = [];
  if (typeof p.message_id === "number") ids.push(p.message_id);
  if (Array.isArray(p.message_ids)) for (const id of p.message_ids) if (typeof id === "number") ids.push(id);
  const reply = p.reply_parameters as { message_id?: unknown } | undefined;
  if (typeof reply?.message_id === "number") ids.push(reply.message_id);
  return ids;
}

/** A connection refused or a name that did not resolve: the call never reached Telegram. */
function neverReached(err: HttpError): boolean {
  const inner = err.error as { code?: unknown; cause?: { code?: unknown } } | undefined;
  const code = inner?.cause?.code ?? inner?.code;
  return code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EAI_AGAIN";
}
