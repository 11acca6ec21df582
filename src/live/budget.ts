/**
 * One budget for every Telegram call the bot makes, across chats: a token bucket refilled at `rate` calls a
 * second, where `rate` adapts (a 429 in any chat halves it for a while; calls that succeed raise it back to the
 * ceiling, slowly). Calls wait in three classes, served in order: final texts of answers, then ordinary replies,
 * then intermediate live updates; within a class the chats take turns (round robin), so a busy chat cannot
 * starve a quiet one. A live message asks for its turn and only then decides what to show, so the turn always
 * carries its newest text; a chat's own pace (pacing.ts) still comes first.
 */
import type { Clock } from "./clock.js";

export type CallPriority = "final" | "reply" | "live";
const ORDER: readonly CallPriority[] = ["final", "reply", "live"];

export interface BudgetOptions {
  /** The ceiling: calls a second when Telegram says nothing. */
  perSecond: number;
  /** The floor a run of 429s can bring it down to. Default: a tenth of the ceiling, at least 1. */
  minPerSecond?: number;
  /** How long after a 429 (beyond its retry_after) the rate stays lowered. Default 10 s. */
  holdMs?: number;
  clock: Clock;
}

interface Waiter {
  resolve(): void;
  reject(reason: unknown): void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

export class CallBudget {
  /** The ceiling of the whole bot, and its floor; this process's are these divided by `processes`. */
  private readonly fullCeiling: number;
  private readonly fullFloor: number;
  private processes = 1;
  private readonly holdMs: number;
  private readonly clock: Clock;
  /** Calls a second now: between floor and ceiling. */
  private current: number;
  private tokens: number;
  private refilledAt: number;
  private holdUntil = Number.NEGATIVE_INFINITY;
  /** Per class, the chats waiting in turn order (a Map keeps insertion order: served chats go to the back). */
  private readonly waiting = new Map<CallPriority, Map<number | string, Waiter[]>>(
    ORDER.map((p) => [p, new Map()]),
  );
  private size = 0;
  private cancelTimer: (() => void) | undefined;
  /** 429s seen, for the operator's figures. */
  tooManyRequests = 0;

  constructor(o: BudgetOptions) {
    if (!(o.perSecond > 0)) throw new RangeError(`perSecond must be positive, got ${o.perSecond}`);
    this.fullCeiling = o.perSecond;
    this.fullFloor = Math.min(o.perSecond, Math.max(1, o.minPerSecond ?? o.perSecond / 10));
    this.holdMs = o.holdMs ?? 10_000;
    this.clock = o.clock;
    this.current = this.ceiling;
    // A quarter of a second's calls may go at once: bursts are smoothed, not refused.
    this.tokens = this.capacity;
    this.refilledAt = o.clock.now();
  }

  /** This process's ceiling: calls a second when Telegram says nothing. */
  get ceiling(): number {
    return this.fullCeiling / this.processes;
  }

  private get floor(): number {
    return Math.max(Math.min(1, this.ceiling), this.fullFloor / this.processes);
  }

  /**
   * Several processes send for the same bot: each takes an equal part of the ceiling (and of the floor), so that
   * together they stay within TELEGRAM_MAX_CALLS_PER_SECOND. Called when the number of live processes changes.
   */
  share(processes: number): void {
    const n = Math.max(1, Math.floor(processes));
    if (n === this.processes) return;
    this.refill();
    this.processes = n;
    this.current = Math.min(this.ceiling, Math.max(this.floor, this.current));
    this.tokens = Math.min(this.tokens, this.capacity);
  }

  /** Calls a second allowed now. */
  get rate(): number {
    return this.current;
  }

  /** Calls waiting for their turn. */
  get pending(): number {
    return this.size;
  }

  private get capacity(): number {
    return Math.max(1, this.current / 4);
  }

  /** Waits for this call's turn. Rejects with the signal's reason if it aborts first (the turn is not used). */
  acquire(chat: number | string, priority: CallPriority, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    this.refill();
    if (this.size === 0 && this.tokens >= 1) {
      this.tokens -= 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal, onAbort: undefined };
      const queue = this.waiting.get(priority)!;
      const list = queue.get(chat);
      if (list) list.push(waiter);
      else queue.set(chat, [waiter]);
      this.size++;
      if (signal) {
        waiter.onAbort = () => {
          const now = queue.get(chat);
          const i = now?.indexOf(waiter) ?? -1;
          if (now && i >= 0) {
            now.splice(i, 1);
            if (now.length === 0) queue.delete(chat);
            this.size--;
          }
          reject(signal.reason);
        };
        signal.addEventListener("abort", waiter.onAbort, { once: true });
      }
      this.schedule();
    });
  }

  /** Telegram answered 429 somewhere: the rate halves (not below the floor) and stays low for a while. */
  tooMany(retryAfterSeconds = 1): void {
    this.tooManyRequests++;
    this.refill();
    this.current = Math.max(this.floor, this.current / 2);
    this.tokens = Math.min(this.tokens, this.capacity);
    const retry = Number.isFinite(retryAfterSeconds) ? Math.max(0, retryAfterSeconds) : 1;
    this.holdUntil = Math.max(this.holdUntil, this.clock.now() + retry * 1000 + this.holdMs);
  }

  /** A call succeeded: once the hold is over, each success takes back a fiftieth of the ceiling. */
  succeeded(): void {
    if (this.current >= this.ceiling || this.clock.now() < this.holdUntil) return;
    this.refill();
    this.current = Math.min(this.ceiling, this.current + this.ceiling / 50);
  }

  private refill(): void {
    const now = this.clock.now();
    const elapsed = Math.max(0, now - this.refilledAt);
    this.refilledAt = now;
    this.tokens = Math.min(this.capacity, this.tokens + (elapsed / 1000) * this.current);
  }

  /** Grants what the tokens allow, highest class first, chats in turn; then waits for the next token. */
  private pump(): void {
    this.cancelTimer = undefined;
    this.refill();
    while (this.size > 0 && this.tokens >= 1) {
      const waiter = this.next();
      if (!waiter) break;
      this.tokens -= 1;
      if (waiter.onAbort) waiter.signal?.removeEventListener("abort", waiter.onAbort);
      waiter.resolve();
    }
    this.schedule();
  }

  private next(): Waiter | undefined {
    for (const priority of ORDER) {
      const queue = this.waiting.get(priority)!;
      const first = queue.entries().next();
      if (first.done) continue;
      const [chat, list] = first.value;
      const waiter = list.shift()!;
      queue.delete(chat);
      // Back of the line: the other chats of this class go first next time.
      if (list.length > 0) queue.set(chat, list);
      this.size--;
      return waiter;
    }
    return undefined;
  }

  private schedule(): void {
    if (this.cancelTimer || this.size === 0) return;
    const ms = this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.current) * 1000);
    this.cancelTimer = this.clock.setTimeout(() => this.pump(), ms);
  }
}
