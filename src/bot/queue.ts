/**
 * The fair queue between many chats and one Ollama. At most `limit` turns run at once (a single Ollama serves one
 * generation well); a chat never has two turns running, and its own turns run in the order they came; across
 * chats, the chat whose waiting turn came first goes first. Waiting chats are told their position whenever it
 * changes.
 *
 * With several processes, `limit` is shared by all of them: a turn this queue would start first waits for one of
 * the shared slots (`SharedSlots`, in Redis, given first-asked first-served across processes), and stays in line
 * meanwhile, so it can still be cancelled or kept for the next start.
 *
 * With several model hosts (`Capacity`), each host has its own slots: a turn is placed on a host that can run
 * its model (`TurnHooks.model`), and a turn whose hosts are all busy does not hold back a turn for another
 * model whose host is free.
 */

export type ChatKey = number;

export interface QueuedTurn {
  /** Resolves when the turn has run (or was cancelled before it started). */
  readonly done: Promise<void>;
  /** Removes the turn if it has not started yet; true when it was removed. */
  cancel(): boolean;
}

export interface TurnHooks {
  /**
   * The turn's place in line changed: `position` 1 means next for a free slot; `behindOwn` means it waits for
   * this chat's earlier turn(s), not for other chats.
   */
  onPosition?(position: number, behindOwn: boolean): void;
  /**
   * Who asked. Fairness is per user as well as per chat: while a user has a turn running, the turns of users
   * with none go first, so one user in several groups does not hold several places at the front of the line.
   */
  user?: number | undefined;
  /** The model the turn is for, as known when it was queued: with several hosts, where it can run. */
  model?: string | undefined;
}

/** A slot taken for one turn (on a model host); the turn's run receives it. */
export interface Place {
  /** Resolves once the slot is really this turn's (shared with other processes); rejects when `signal` aborts. */
  ready(signal: AbortSignal): Promise<void>;
  release(): Promise<void>;
}

/** Where turns can run: a place for a turn of `model` now, or undefined when none is free. */
export interface Capacity<P extends Place> {
  place(model: string | undefined): P | undefined;
}

interface Job<P> {
  chat: ChatKey;
  seq: number;
  run: (place: P | undefined) => Promise<void>;
  hooks: TurnHooks;
  resolve: () => void;
  lastPosition?: string;
}

/**
 * Slots shared with other processes: resolves with the release once one is this queue's, rejects when `signal`
 * aborts (or the shared store fails; the queue then asks again a moment later).
 */
export type SharedSlots = (signal: AbortSignal) => Promise<() => Promise<void>>;

export interface QueueSnapshot {
  running: Array<{ chat: ChatKey; since: number }>;
  waiting: Array<{ chat: ChatKey; position: number; turns: number }>;
}

export class FairQueue<P extends Place = Place> {
  private seq = 0;
  private closed = false;
  private readonly waiting = new Map<ChatKey, Job<P>[]>();
  private readonly running = new Map<ChatKey, number>();
  /** Running turns per user (see `TurnHooks.user`). */
  private readonly runningUsers = new Map<number, number>();
  /** When each user's latest turn started (a counter): users served longest ago go first. */
  private readonly servedAt = new Map<number, number>();
  private starts = 0;
  private idleWaiters: Array<() => void> = [];
  /** Heads waiting for a shared slot (still in `waiting`), with what ends their wait. */
  private readonly acquiring = new Map<Job<P>, AbortController>();
  private retry: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly limit: number,
    private readonly now: () => number = Date.now,
    /** A job that threw: jobs report their own failures to their chats; this is for the log. */
    private readonly onError: (err: unknown) => void = () => {},
    /** Several processes: the slots shared with the others. Default: this queue's `limit` alone. */
    private readonly shared?: SharedSlots,
    /** Several model hosts: where each turn runs (then `limit` is their slots together). */
    private readonly capacity?: Capacity<P>,
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError("the queue needs a limit of at least 1");
  }

  /** Adds a turn for `chat`; it runs when the chat's earlier turns are done and a slot is free. */
  enqueue(chat: ChatKey, run: (place: P | undefined) => Promise<void>, hooks: TurnHooks = {}): QueuedTurn {
    let resolve!: () => void;
    const done = new Promise<void>((r) => {
      resolve = r;
    });
    const job: Job<P> = { chat, seq: this.seq++, run, hooks, resolve };
    const list = this.waiting.get(chat) ?? [];
    list.push(job);
    this.waiting.set(chat, list);
    this.pump();
    return {
      done,
      cancel: () => {
        const jobs = this.waiting.get(chat);
        const i = jobs?.indexOf(job) ?? -1;
        if (!jobs || i < 0) return false;
        this.acquiring.get(job)?.abort();
        this.acquiring.delete(job);
        jobs.splice(i, 1);
        if (jobs.length === 0) this.waiting.delete(chat);
        job.resolve();
        this.pump();
        return true;
      },
    };
  }

  /** Looks again at who can start (with several hosts: one came back, or has a model more). */
  wake(): void {
    this.pump();
  }

  /** Whether `chat` has a turn running now. */
  isRunning(chat: ChatKey): boolean {
    return this.running.has(chat);
  }

  /** Turns of `chat` waiting (not running). */
  waitingCount(chat: ChatKey): number {
    return this.waiting.get(chat)?.length ?? 0;
  }

  get size(): { running: number; waiting: number } {
    let waiting = 0;
    for (const jobs of this.waiting.values()) waiting += jobs.length;
    return { running: this.running.size, waiting };
  }

  snapshot(): QueueSnapshot {
    const heads = this.eligibleHeads();
    return {
      running: [...this.running].map(([chat, since]) => ({ chat, since })),
      waiting: [...this.waiting].map(([chat, jobs]) => {
        const rank = heads.findIndex((h) => h.chat === chat);
        return { chat, position: rank >= 0 ? rank + 1 : 0, turns: jobs.length };
      }),
    };
  }

  /** Resolves when nothing runs and nothing waits (used at shutdown). */
  drained(): Promise<void> {
    if (this.idle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Heads of chats that could start now if a slot were free: users with nothing running first, then oldest. */
  private eligibleHeads(): Job<P>[] {
    const heads: Job<P>[] = [];
    for (const [chat, jobs] of this.waiting) {
      if (!this.running.has(chat) && jobs[0]) heads.push(jobs[0]);
    }
    const busy = (job: Job<P>) =>
      job.hooks.user === undefined ? 0 : (this.runningUsers.get(job.hooks.user) ?? 0);
    const served = (job: Job<P>) =>
      job.hooks.user === undefined ? -1 : (this.servedAt.get(job.hooks.user) ?? -1);
    return heads.sort((a, b) => busy(a) - busy(b) || served(a) - served(b) || a.seq - b.seq);
  }

  /** Nothing runs, and nothing waits that could still start. */
  private idle(): boolean {
    return this.running.size === 0 && this.acquiring.size === 0 && (this.waiting.size === 0 || this.closed);
  }

  /**
   * No job starts from now on (a stop began): what waits stays waiting, for its owner to take out and save. The
   * jobs already running go on.
   */
  close(): void {
    this.closed = true;
    for (const controller of this.acquiring.values()) controller.abort();
    this.acquiring.clear();
    clearTimeout(this.retry);
    this.pump(); // wakes drained() if nothing runs
  }

  private pump(): void {
    // Heads no host could take in this round: the next head in line may still fit elsewhere.
    const unplaced = new Set<Job<P>>();
    for (;;) {
      if (this.closed || this.running.size + this.acquiring.size >= this.limit) break;
      const next = this.eligibleHeads().find((job) => !this.acquiring.has(job) && !unplaced.has(job));
      if (!next) break;
      if (this.capacity) {
        const place = this.capacity.place(next.hooks.model);
        if (!place) {
          unplaced.add(next);
          continue;
        }
        this.acquire(next, (signal) =>
          place.ready(signal).then(
            () => ({ release: () => place.release(), place }),
            async (err: unknown) => {
              await place.release();
              throw err;
            },
          ),
        );
        continue;
      }
      if (this.shared) {
        const shared = this.shared;
        this.acquire(next, (signal) => shared(signal).then((release) => ({ release })));
        continue;
      }
      this.take(next);
      this.start(next);
    }
    this.announcePositions();
    if (this.idle()) {
      for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }

  /** Out of the line, to run. */
  private take(job: Job<P>): void {
    const jobs = this.waiting.get(job.chat)!;
    jobs.splice(jobs.indexOf(job), 1);
    if (jobs.length === 0) this.waiting.delete(job.chat);
  }

  /** Waits for a (shared) slot for `job`, which stays in line (cancellable) until it has one. */
  private acquire(
    job: Job<P>,
    get: (signal: AbortSignal) => Promise<{ release: () => Promise<void>; place?: P }>,
  ): void {
    const controller = new AbortController();
    this.acquiring.set(job, controller);
    get(controller.signal).then(
      ({ release, place }) => {
        if (this.acquiring.get(job) !== controller) {
          // Cancelled or closed while the slot came: it goes back at once.
          release().catch(this.onError);
          return;
        }
        this.acquiring.delete(job);
        this.take(job);
        this.start(job, release, place);
        this.pump();
      },
      (err: unknown) => {
        if (this.acquiring.get(job) !== controller) return;
        this.acquiring.delete(job);
        this.onError(err);
        // The shared store failed: the line waits, and asks again in a second.
        clearTimeout(this.retry);
        this.retry = setTimeout(() => this.pump(), 1_000);
        this.retry.unref?.();
      },
    );
  }

  private start(job: Job<P>, release?: () => Promise<void>, place?: P): void {
    this.running.set(job.chat, this.now());
    const user = job.hooks.user;
    if (user !== undefined) {
      this.runningUsers.set(user, (this.runningUsers.get(user) ?? 0) + 1);
      this.servedAt.delete(user);
      this.servedAt.set(user, this.starts++);
      // In order of service: the users served longest ago are first, and forgotten first when there are many.
      if (this.servedAt.size > 10_000) {
        const [oldest] = this.servedAt.keys();
        if (oldest !== undefined) this.servedAt.delete(oldest);
      }
    }
    // A turn's failure is the turn's business (it reports to its chat); the queue logs and keeps going.
    void Promise.resolve()
      .then(() => job.run(place))
      .catch(this.onError)
      .finally(() => {
        release?.().catch(this.onError);
        this.running.delete(job.chat);
        if (user !== undefined) {
          const left = (this.runningUsers.get(user) ?? 1) - 1;
          if (left > 0) this.runningUsers.set(user, left);
          else this.runningUsers.delete(user);
        }
        job.resolve();
        this.pump();
      });
  }

  private announcePositions(): void {
    const heads = this.eligibleHeads();
    for (const [chat, jobs] of this.waiting) {
      jobs.forEach((job, i) => {
        const behindOwn = i > 0 || this.running.has(chat);
        const position = behindOwn ? i + 1 : heads.indexOf(job) + 1;
        const key = `${position}:${behindOwn}`;
        if (job.lastPosition === key) return;
        job.lastPosition = key;
        job.hooks.onPosition?.(position, behindOwn);
      });
    }
  }
}
