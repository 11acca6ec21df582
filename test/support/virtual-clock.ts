import type { Clock } from "../../src/live/index.js";

/**
 * A clock that moves only when the test says so. Timers fire in time order during `advance`, so pacing,
 * retry-after and tickers are checked to the millisecond without waiting.
 */
export class VirtualClock implements Clock {
  private t = 1_000_000;
  private seq = 0;
  private timers: Array<{ at: number; seq: number; fn: () => void }> = [];

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): () => void {
    const timer = { at: this.t + Math.max(0, ms), seq: this.seq++, fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((x) => x !== timer);
    };
  }

  /** Moves time forward by `ms`, firing every timer that falls due, in order. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const due = this.timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.timers = this.timers.filter((x) => x !== due);
      this.t = Math.max(this.t, due.at);
      due.fn();
    }
    this.t = end;
  }

  /** Time until the next timer, if any. */
  nextTimerIn(): number | undefined {
    const next = Math.min(...this.timers.map((x) => x.at));
    return Number.isFinite(next) ? next - this.t : undefined;
  }
}
