/**
 * Pacing decisions for one chat, as pure state transitions with the time passed in: when may the next send or
 * edit go out, and how a 429 changes that. The I/O shell (live-message.ts) asks, waits, and reports back.
 *
 * Telegram publishes no edit limit; it answers excess with 429 and `retry_after`. Pacing ourselves below the
 * observed limits avoids the 429 in the first place; obeying it when it comes anyway keeps the bot from being
 * flood-banned for minutes.
 */
import { definedOnly } from "../util/objects.js";

export interface PaceOptions {
  /** Minimum gap between two calls in a private chat. Default 400 ms (2.5 edits/s, the hub bot's habit). */
  privateIntervalMs?: number;
  /** Minimum gap in groups. Default 3000 ms (Telegram's 20 messages per minute per group). */
  groupIntervalMs?: number;
  /** After a 429 the gap is multiplied by this factor... Default 2. */
  backoffFactor?: number;
  /** ...up to this many times the base gap. Default 8. */
  maxSlowdown?: number;
  /** Each call that succeeds takes back this share of the extra gap: recovery is slow on purpose. Default 0.1. */
  recoveryShare?: number;
}

export const DEFAULT_PACE: Required<PaceOptions> = {
  privateIntervalMs: 400,
  groupIntervalMs: 3000,
  backoffFactor: 2,
  maxSlowdown: 8,
  recoveryShare: 0.1,
};

export type ChatKind = "private" | "group";

/** Telegram's own chat types folded into the two paces. */
export function chatKindOf(type: string | undefined): ChatKind {
  return type === "private" || type === undefined ? "private" : "group";
}

export class ChatPace {
  readonly baseMs: number;
  /** Current minimum gap, at least `baseMs`; grows after a 429 and shrinks back slowly. */
  intervalMs: number;
  /** When the last call went out (ms on the injected clock). */
  lastCallAt = Number.NEGATIVE_INFINITY;
  /** Nothing may go out before this time (a 429's `retry_after`). */
  blockedUntil = Number.NEGATIVE_INFINITY;
  tooManyRequests = 0;
  private readonly opts: Required<PaceOptions>;

  constructor(kind: ChatKind, options: PaceOptions = {}) {
    this.opts = { ...DEFAULT_PACE, ...definedOnly(options) };
    this.baseMs = kind === "private" ? this.opts.privateIntervalMs : this.opts.groupIntervalMs;
    this.intervalMs = this.baseMs;
  }

  /** The earliest time the next call may go out. */
  nextAllowedAt(): number {
    return Math.max(this.lastCallAt + this.intervalMs, this.blockedUntil);
  }

  /** How long to wait from `now` before the next call (0: go now). */
  delay(now: number): number {
    return Math.max(0, this.nextAllowedAt() - now);
  }

  /** A call is about to go out. */
  started(now: number): void {
    this.lastCallAt = now;
  }

  /** The call succeeded: take back a share of any slowdown. */
  succeeded(): void {
    this.intervalMs = this.baseMs + (this.intervalMs - this.baseMs) * (1 - this.opts.recoveryShare);
    if (this.intervalMs - this.baseMs < 1) this.intervalMs = this.baseMs;
  }

  /** Telegram said 429: wait `retryAfterSeconds` from `now`, and slow down for a while afterwards. */
  tooMany(now: number, retryAfterSeconds: number): void {
    this.tooManyRequests++;
    const wait = Math.max(1, Number.isFinite(retryAfterSeconds) ? retryAfterSeconds : 1) * 1000;
    this.blockedUntil = Math.max(this.blockedUntil, now + wait);
    this.intervalMs = Math.min(
      this.baseMs * this.opts.maxSlowdown,
      this.intervalMs * this.opts.backoffFactor,
    );
  }
}

/**
 * Every chat's pace, shared by everything that writes to that chat (a reply, both sides of an AI↔AI exchange,
 * a pull's progress), so two live messages in one chat do not each spend the chat's whole budget.
 */
export class PaceRegistry {
  /** In order of last use (a used pace moves to the end), so a sweep looks at the idle ones only. */
  private readonly paces = new Map<number | string, { pace: ChatPace; usedAt: number }>();

  constructor(
    private readonly options: PaceOptions = {},
    /** A pace unused this long, and back to normal, is forgotten. Default 10 minutes. */
    private readonly idleMs = 10 * 60_000,
  ) {}

  /** How many chats are remembered. */
  get size(): number {
    return this.paces.size;
  }

  /**
   * The chat's pace. `now`, when given, marks it used and forgets idle paces first (from the least recently used,
   * stopping at the first recent one).
   */
  for(chatId: number | string, kind: ChatKind, now?: number): ChatPace {
    if (now !== undefined) this.prune(now);
    const entry = this.paces.get(chatId);
    const pace = entry?.pace ?? new ChatPace(kind, this.options);
    this.paces.delete(chatId);
    this.paces.set(chatId, { pace, usedAt: now ?? entry?.usedAt ?? Number.NEGATIVE_INFINITY });
    return pace;
  }

  /**
   * Forgets chats whose pace is back to normal and idle, so the map does not grow forever. Costs O(forgotten):
   * the map is in order of last use, so the sweep stops at the first pace used recently.
   */
  prune(now: number, idleMs = this.idleMs): void {
    for (const [id, { pace, usedAt }] of this.paces) {
      const last = Math.max(usedAt, pace.lastCallAt);
      if (now - last <= idleMs) break;
      if (pace.intervalMs === pace.baseMs && now > pace.blockedUntil) this.paces.delete(id);
    }
  }
}
