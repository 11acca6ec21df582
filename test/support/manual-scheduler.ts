import type { Scheduler, TimerHandle } from "../../src/hub/index.js";

type Phase = Parameters<Scheduler["schedule"]>[2];

interface Pending {
  ms: number;
  label: Phase;
  fire: () => void;
  cancelled: boolean;
  refreshes: number;
}

/** A scheduler whose timers fire only when the test says so: timeouts are tested without waiting for them. */
export class ManualScheduler implements Scheduler {
  readonly timers: Pending[] = [];

  schedule(ms: number, fire: () => void, label: Phase): TimerHandle {
    const t: Pending = { ms, label, fire, cancelled: false, refreshes: 0 };
    this.timers.push(t);
    return {
      cancel: () => {
        t.cancelled = true;
      },
      refresh: () => {
        t.refreshes++;
      },
    };
  }

  /** The armed (not cancelled) timer of `label`, if any. */
  armed(label: Phase): Pending | undefined {
    return this.timers.findLast((t) => t.label === label && !t.cancelled);
  }

  /** Fires the armed timer of `label`; throws if there is none, so a test cannot pass by accident. */
  fire(label: Phase): void {
    const t = this.armed(label);
    if (!t) throw new Error(`no armed ${label} timer`);
    t.cancelled = true;
    t.fire();
  }
}
