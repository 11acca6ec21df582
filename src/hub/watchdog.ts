import { HubTimeoutError, type TimeoutPhase } from "./errors.js";

const PHASE_TEXT: Record<TimeoutPhase, string> = {
  connect: "to connect",
  request: "for the whole request",
  "first-event": "for the first event",
  idle: "with no event in between",
  total: "for the whole generation",
};

/** A pending timer: cancel it, or push its deadline back to its full length. */
export interface TimerHandle {
  cancel(): void;
  refresh(): void;
}

/**
 * Where timers come from. Injected so tests can fire a timeout on demand instead of waiting for it; `label`
 * names the phase, which is what a test looks for.
 */
export interface Scheduler {
  schedule(ms: number, fire: () => void, label: TimeoutPhase): TimerHandle;
}

export const realScheduler: Scheduler = {
  schedule(ms, fire) {
    const timer = setTimeout(fire, ms);
    // A pending timeout must never keep the process alive on its own.
    timer.unref();
    return { cancel: () => clearTimeout(timer), refresh: () => void timer.refresh() };
  },
};

/**
 * The timeouts of one call, merged with the caller's `AbortSignal` into one signal that the HTTP request uses.
 * When a timer fires, the request is aborted with a `HubTimeoutError` naming the phase, which `fired` keeps, so
 * the caller can tell its own abort from ours.
 */
export class Watchdog {
  readonly signal: AbortSignal;
  fired: HubTimeoutError | undefined;
  private readonly controller = new AbortController();
  private readonly timers = new Map<TimeoutPhase, TimerHandle>();

  constructor(
    private readonly label: string,
    readonly callerSignal: AbortSignal | undefined,
    private readonly scheduler: Scheduler = realScheduler,
  ) {
    this.signal = callerSignal
      ? AbortSignal.any([this.controller.signal, callerSignal])
      : this.controller.signal;
  }

  /**
   * Starts (or restarts) the timer of `phase`; 0 or Infinity disables it. `forWhat` replaces the phase's own
   * words in the message ("for the transcription").
   */
  arm(phase: TimeoutPhase, ms: number, forWhat?: string): void {
    this.disarm(phase);
    if (!(ms > 0) || !Number.isFinite(ms)) return;
    const timer = this.scheduler.schedule(
      ms,
      () => {
        this.fired = new HubTimeoutError(
          `${this.label} did not answer within ${formatMs(ms)} ${forWhat ?? PHASE_TEXT[phase]}. ` +
            `Raise the timeout if the model is slow to load, or check that it is running.`,
          phase,
          ms,
        );
        this.controller.abort(this.fired);
      },
      phase,
    );
    this.timers.set(phase, timer);
  }

  /** Pushes the deadline of an armed timer back to its full length (cheap: reuses the timer). */
  touch(phase: TimeoutPhase): void {
    this.timers.get(phase)?.refresh();
  }

  disarm(phase: TimeoutPhase): void {
    const timer = this.timers.get(phase);
    if (timer !== undefined) {
      timer.cancel();
      this.timers.delete(phase);
    }
  }

  dispose(): void {
    for (const timer of this.timers.values()) timer.cancel();
    this.timers.clear();
  }
}

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${+(ms / 1000).toFixed(1)} s` : `${ms} ms`;
}
