import type { Clock } from "../../src/live/index.js";

/**
 * A clock that runs `factor` times faster than real time, shared by the bot and the fake Telegram: pacing,
 * retry-after, Auto pauses and flood budgets all agree on it, so bot-level tests keep Telegram's rules while
 * their waits take a fraction of the time. (Unit tests that check timing to the millisecond use VirtualClock.)
 */
export class ScaledClock implements Clock {
  private readonly start = performance.now();
  private readonly origin = 1_000_000;

  constructor(private readonly factor = 8) {}

  now(): number {
    return this.origin + (performance.now() - this.start) * this.factor;
  }

  setTimeout(fn: () => void, ms: number): () => void {
    const t = setTimeout(fn, Math.max(0, ms) / this.factor);
    return () => clearTimeout(t);
  }
}
