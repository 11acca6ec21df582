/**
 * Messages the bot sent whose id it does not know. Telegram's Bot API cannot list a chat's messages, so such a
 * message can only be found by its id, and ids in a chat only grow.
 *
 * 1. A send whose answer was lost. When a `sendMessage` fails on the network (the connection dropped, the call
 *    timed out), Telegram may still have posted it; the caller sends again and the chat shows the text twice (a
 *    stray "⏳" placeholder, a final answer shown twice). The copy lies between the highest id this process knew
 *    before the failed call (one it got back, or a new message it received) and the first id it got back from a
 *    send started after it.
 *    With nothing in flight, every id in between is known here, a message of someone else, or a lost copy (every
 *    message the bot posted in that span was posted by this process). Each unknown id is probed with an edit to
 *    exactly the lost call's content: "not modified" means it already shows exactly that (the copy); a user's
 *    message cannot be edited by a bot ("message can't be edited"), so it is never touched; an edit that works
 *    found another lost copy, as the span holds no other message of the bot. Copies are deleted.
 *
 * 2. After a crash, a message the last process posted but never saved the id of (see `PendingSend`). Its copy lies
 *    above the floor saved with it and below the first id this process got back in the chat. That span may hold
 *    other messages of the last process, so the probe changes nothing a message shows: it sets the reply markup
 *    the lost message was sent with (unique: a random callback key), which only that message answers with "not
 *    modified". Any other message of the bot that answers "ok" (it had other buttons) is found out at once, its
 *    markup cleared, and the search stops there, logged.
 *
 * This holds while one process writes to a chat; several processes on one chat need their own fencing first.
 */
import { HttpError, type Transformer } from "grammy";
import type { Logger } from "pino";

/** A span is probed only when it holds at most this many unknown ids (a busy group: give up, logged). */
const MAX_CANDIDATES = 5;
/** Per chat, the ids this process knows (sent, edited, replied to, received), newest kept. */
const KNOWN_PER_CHAT = 256;
/** Losses waiting for a later send to bound them, per chat; more are counted unresolved. */
const MAX_LOST_PER_CHAT = 10;
/** Chats tracked; the least recently used is forgotten first (its pending losses are logged and dropped). */
const MAX_CHATS = 10_000;
/** Probe answers that mean "not this one, try the next id". Anything else stops the search. */
const NOT_THIS_ONE =
  /message can't be edited|message to edit not found|message not found|no text in the message/i;

interface Lost {
  /** The chat's `maxSeen` when the call started. */
  floor: number;
  /** The first id got back from a send that started after the failure: the copy, if any, is below it. */
  ceiling: number | undefined;
  /** The sequence number at the failure; a send started after it bounds the span. */
  failedAt: number;
  /** What was sent, for the probe. */
  payload: Record<string, unknown>;
}

interface ChatState {
  inflight: number;
  /** The lowest id this process got back from a send: everything older belongs to the last process. */
  minSent: number | undefined;
  /**
   * The highest id seen in the chat: one this process got back, or a new message it received dated after it
   * started. Every message above it was posted while this process ran: the floor of lost and pending sends.
   */
  maxSeen: number | undefined;
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

/** What a sent message showed, enough to recognise it with an edit that changes nothing. */
export interface SentContent {
  text: string;
  parse_mode?: string | undefined;
  reply_markup?: unknown;
  link_preview_options?: unknown;
}

/** What services need of the ledger. */
export type SendLedger = Pick<LostSends, "lastSeen" | "sendsInFlight" | "findCopy">;

export interface RawResult {
  ok: boolean;
  description?: string;
}

type RawCall = (method: string, payload: Record<string, unknown>) => Promise<RawResult>;

export class LostSends {
  private readonly chats = new Map<string, ChatState>();
  private sequence = 0;
  readonly stats: LostSendsStats = { lost: 0, removed: 0, unresolved: 0 };
  private readonly sweeps = new Set<Promise<void>>();
  /** The innermost call of an Api this is installed on, bypassing every other transformer. */
  private rawCall: RawCall | undefined;
  /** Unix seconds: a message dated before this process started may be a redelivery older than its replies. */
  private readonly startedAt = Math.floor(Date.now() / 1000);

  constructor(private readonly log: Pick<Logger, "info" | "warn" | "error">) {}

  /** Install first (innermost) on every Api that sends to chats, so each attempt of a retried call is seen. */
  readonly transformer: Transformer = async (prev, method, payload, signal) => {
    this.rawCall ??= (m, body) => prev(m as typeof method, body as typeof payload) as Promise<RawResult>;
    const p = payload as Record<string, unknown>;
    const chatKey = p.chat_id === undefined ? undefined : String(p.chat_id);
    if (chatKey === undefined) return prev(method, payload, signal);
    const state = this.state(chatKey);
    for (const id of mentionedIds(p)) this.remember(state, id);
    if (method !== "sendMessage") return prev(method, payload, signal);

    const startedAt = ++this.sequence;
    // Every message above it is newer than this process's own knowledge of the chat: one it sent, or a new
    // message it received (never an older redelivery, see `observe`).
    const floor = state.maxSeen;
    state.inflight++;
    try {
      const res = await prev(method, payload, signal);
      if (res.ok) {
        const id = (res.result as { message_id?: unknown }).message_id;
        if (typeof id === "number") {
          this.sent(state, id);
          for (const lost of state.lost) {
            if (lost.ceiling === undefined && startedAt > lost.failedAt) lost.ceiling = id;
          }
        }
      }
      return res;
    } catch (err) {
      if (err instanceof HttpError && !neverReached(err)) this.onLost(state, p, floor);
      throw err;
    } finally {
      state.inflight--;
      this.maybeSweep(chatKey, state);
    }
  };

  /**
   * The highest message id known in the chat (one this process got back, or a new message it received), or
   * undefined when this process has seen nothing there yet: every later message is above it.
   */
  lastSeen(chatId: number): number | undefined {
    return this.chats.get(String(chatId))?.maxSeen;
  }

  /** Sends to the chat whose answer has not come yet (their ids are unknown meanwhile). */
  sendsInFlight(chatId: number): number {
    return this.chats.get(String(chatId))?.inflight ?? 0;
  }

  /**
   * A new message arrived (not a press on an old one). One dated before this process started may be a
   * redelivery older than the last process's replies, so it raises no floor.
   */
  observe(chatId: number, messageId: number, date: number): void {
    const state = this.state(String(chatId));
    this.remember(state, messageId);
    if (date >= this.startedAt && (state.maxSeen === undefined || messageId > state.maxSeen)) {
      state.maxSeen = messageId;
    }
  }

  /**
   * After a crash: the message the last process posted with `content` but never saved the id of, looked for
   * above `floor` and below the first id this process got back in the chat, skipping the ids the caller and
   * this process know. Only content with a reply markup can be recognised without changing what a message shows.
   */
  async findCopy(
    chatId: number,
    content: SentContent,
    floor: number,
    known: ReadonlySet<number>,
  ): Promise<number | undefined> {
    if (content.reply_markup === undefined) return undefined;
    const state = this.state(String(chatId));
    const below = state.minSent ?? Number.POSITIVE_INFINITY;
    const candidates: number[] = [];
    for (let id = floor + 1; id < below && id <= floor + 2 * MAX_CANDIDATES; id++) {
      if (!known.has(id) && !state.known.has(id)) candidates.push(id);
      if (candidates.length === MAX_CANDIDATES) break;
    }
    for (const id of candidates) {
      // A send of this process in flight could get an id among these: wait for a calmer moment (next start).
      if (state.inflight > 0) return undefined;
      const res = await this.raw("editMessageReplyMarkup", {
        chat_id: chatId,
        message_id: id,
        reply_markup: content.reply_markup,
      });
      if (res === undefined) return undefined;
      if (!res.ok && /message is not modified/i.test(res.description ?? "")) return id;
      if (res.ok) {
        // Another message of the bot with other buttons: they are gone now, said loudly, and nothing else is
        // tried (the span is not what the floor promised).
        this.log.error(
          { chatId, messageId: id },
          "looking for a message whose id was not saved changed another",
        );
        await this.raw("editMessageReplyMarkup", {
          chat_id: chatId,
          message_id: id,
          reply_markup: { inline_keyboard: [] },
        });
        return undefined;
      }
      if (!NOT_THIS_ONE.test(res.description ?? "")) {
        this.log.warn(
          { chatId, messageId: id, error: res.description },
          "stopped looking for an unsaved message",
        );
        return undefined;
      }
    }
    return undefined;
  }

  /** Waits for the sweeps running now. */
  async settled(): Promise<void> {
    while (this.sweeps.size > 0) await Promise.all([...this.sweeps]);
  }

  private onLost(state: ChatState, payload: Record<string, unknown>, floor: number | undefined): void {
    this.stats.lost++;
    if (floor === undefined || state.lost.length >= MAX_LOST_PER_CHAT) {
      this.stats.unresolved++;
      this.log.warn(
        { chatId: payload.chat_id },
        floor === undefined
          ? "a message's send lost its answer before this process had sent anything there; a copy may show twice"
          : "too many sends lost their answer in this chat; a copy may show twice",
      );
      return;
    }
    state.lost.push({ floor, ceiling: undefined, failedAt: ++this.sequence, payload: { ...payload } });
  }

  private state(chatKey: string): ChatState {
    let state = this.chats.get(chatKey);
    if (state) {
      this.chats.delete(chatKey);
    } else {
      state = {
        inflight: 0,
        minSent: undefined,
        maxSeen: undefined,
        known: new Set(),
        lost: [],
        sweeping: false,
      };
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

  private remember(state: ChatState, id: number): void {
    state.known.delete(id);
    state.known.add(id);
    if (state.known.size > KNOWN_PER_CHAT) {
      const oldest = state.known.values().next().value;
      if (oldest !== undefined) state.known.delete(oldest);
    }
  }

  private sent(state: ChatState, id: number): void {
    this.remember(state, id);
    if (state.minSent === undefined || id < state.minSent) state.minSent = id;
    if (state.maxSeen === undefined || id > state.maxSeen) state.maxSeen = id;
  }

  /** With nothing in flight every id in a span is known or lost, so the spans that have a ceiling are swept. */
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
      const copies = await this.probeSpan(lost, candidates);
      for (const id of copies) {
        this.remember(state, id);
        const res = await this.raw("deleteMessage", { chat_id: lost.payload.chat_id, message_id: id });
        if (res?.ok) {
          this.stats.removed++;
          this.log.info(
            { chatKey, messageId: id },
            "deleted the copy of a message whose send lost its answer",
          );
        } else {
          this.stats.unresolved++;
          this.log.warn(
            { chatKey, messageId: id, error: res?.description },
            "could not delete a lost send's copy",
          );
        }
      }
    }
  }

  /** The lost copies among `candidates`: the one showing exactly the lost content, and any other bot message. */
  private async probeSpan(lost: Lost, candidates: number[]): Promise<number[]> {
    const { chat_id, text, parse_mode, entities, link_preview_options, reply_markup } = lost.payload;
    const copies: number[] = [];
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
        break;
      }
      // "not modified": this very copy. "ok": a message of the bot in the span, so another lost copy (it now shows
      // this content; it goes too).
      if (res.ok || /message is not modified/i.test(res.description ?? "")) {
        copies.push(id);
        continue;
      }
      if (!NOT_THIS_ONE.test(res.description ?? "")) {
        this.stats.unresolved++;
        this.log.warn(
          { chatId: chat_id, messageId: id, error: res.description },
          "stopped looking for a lost copy",
        );
        break;
      }
    }
    return copies;
  }

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
