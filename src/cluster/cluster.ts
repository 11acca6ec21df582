/**
 * Several bot processes on one Redis behave as one bot by owning chats: every chat is handled by one process at a
 * time, so what a chat's handling keeps in memory (its order, its queue of turns, its live message's pace, its
 * Stop button, an AI↔AI exchange) needs no sharing. Any process may receive an update (the load balancer picks
 * one); `route` puts it into the inbox of the chat's owner, or makes the receiving process the owner of a chat
 * that has none alive. The owner takes its inbox in order and acknowledges what it handled.
 *
 * Liveness is one lease per process (renewed every third of LEASE_MS), not one lock per chat: a process owning
 * 100 000 chats renews one key. When a lease ends (a kill, a crash, a long pause), the next process to notice,
 * on its own timer or while routing that chat's update, takes the dead one's chats and its unhandled updates in
 * one atomic step, with a recovery entry per chat first (interrupted answers marked, waiting turns queued again).
 * A graceful stop hands its chats to the live process owning the fewest.
 *
 * Every owner has a fencing token (a counter per chat, larger for each new owner). Session writes carry it and
 * Redis refuses one whose token is no longer the chat's, so a process that lost its chats while paused cannot
 * overwrite the new owner's state; its renewal then fails and it stops.
 *
 * Why not a lock per chat (Redlock): a lock must be held for the whole life of the chat's work (an answer runs
 * minutes, an AI↔AI exchange longer) and renewed per chat, and it answers "who may write", not "where is the
 * chat's queue"; routing needs the owner to be found, and a dead owner's waiting updates to move with its chats.
 * Why not a job queue (BullMQ): jobs are taken by any worker, which breaks a chat's order and puts its Stop
 * press in a process that does not run its answer; the per-chat order is what the inbox keeps.
 */
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { Redis, type RedisOptions } from "ioredis";
import type { Logger } from "../log/index.js";
import { countCommands } from "../util/redis.js";
import { ClusterLeaseLostError, ClusterUnavailableError } from "./errors.js";
import {
  FENCED_SET,
  LEAVE,
  RATE_HIT,
  REAP_EXPIRED,
  REGISTER,
  RENEW,
  ROUTE,
  SLOT_ACQUIRE,
  SLOT_RELEASE,
  SLOT_RENEW,
} from "./scripts.js";

export const DEFAULT_CLUSTER_PREFIX = "ollama-tg:cluster:";

export interface ClusterOptions {
  url: string;
  log: Logger;
  /** How long a process counts as alive after its last renewal. Default 15 000 ms. */
  leaseMs?: number;
  /** Key prefix. Default `ollama-tg:cluster:`. */
  prefix?: string;
  /** Called once when this process finds it lost its lease (its chats are another's now): it must stop. */
  onLost?: () => void;
  /** Updates an inbox holds at most; more are answered 503 (Telegram delivers them again). Default 10 000. */
  inboxBound?: number;
  /** More ioredis options (TLS). */
  redisOptions?: RedisOptions;
}

/** One thing this process must handle, in its inbox's order. */
export interface ClusterEntry {
  /** The stream entry's id: what `done` takes. */
  id: string;
  kind: "update" | "recover";
  /** The chat ('' for an update without one). */
  chat: string;
  /** The update's JSON (kind "update"). */
  data?: string;
}

/** Counters for the benchmark: Redis commands sent, by what for. */
export interface ClusterStats {
  route: number;
  take: number;
  done: number;
  renew: number;
  fencedWrites: number;
  rate: number;
  slots: number;
}

/**
 * How long an update id is remembered. Telegram delivers an update again only when it did not get the webhook's
 * answer (a dropped connection), within seconds or minutes; a day of ids at 100 updates a second would be millions
 * of keys.
 */
const SEEN_SECONDS = 3600;
const BLOCK_MS = 1_000;
/** A waiter for a shared slot asks again this often. */
const SLOT_POLL_MS = 1_000;
/**
 * A waiter's place in line ends this long after its last ask (it asks at least every SLOT_POLL_MS): a dead
 * process's waiter at the head of the line must not hold a free slot for a whole lease.
 */
const SLOT_WAITER_LEASE_MS = 3 * SLOT_POLL_MS;
const COMMAND_TIMEOUT_MS = 5_000;

export class Cluster {
  readonly id: string;
  readonly stats: ClusterStats = {
    route: 0,
    take: 0,
    done: 0,
    renew: 0,
    fencedWrites: 0,
    rate: 0,
    slots: 0,
  };
  /** The chats this process owns, with its token for each (learnt from its inbox entries). */
  private readonly tokens = new Map<string, string>();
  private readonly shas = new Map<string, string>();
  /** Slots this process holds, per slot set: renewed with the lease. */
  private readonly held = new Map<string, Set<string>>();
  private slotSeq = 0;
  private live = 1;
  private lastId = "0";
  private timer: NodeJS.Timeout | undefined;
  private lost = false;
  private closed = false;
  /** Logged once per outage, apart: the inbox's reads and the lease's renewals fail and recover separately. */
  private readFailing = false;
  private renewFailing = false;
  private readonly leaseMs: number;
  private counters: Array<{ n: number }> = [];
  private readonly prefix: string;

  /** Waiters for a slot, by holder id, woken when a slot given back is theirs to take (pub/sub, any process). */
  private readonly slotWaiters = new Map<string, () => void>();

  private constructor(
    private readonly cmd: Redis,
    private readonly blocking: Redis,
    private readonly options: ClusterOptions,
    /** In subscriber mode: it hears the slots given back (SLOT_RELEASE publishes them). */
    private readonly events: Redis,
  ) {
    this.leaseMs = options.leaseMs ?? 15_000;
    this.prefix = options.prefix ?? DEFAULT_CLUSTER_PREFIX;
    this.id = `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  }

  /** Connects, joins the cluster and starts renewing the lease; a Redis that does not answer fails here. */
  static async connect(options: ClusterOptions): Promise<Cluster> {
    const common: RedisOptions = {
      lazyConnect: true,
      connectTimeout: 10_000,
      maxRetriesPerRequest: 8,
      ...options.redisOptions,
    };
    const cmd = new Redis(options.url, { ...common, commandTimeout: COMMAND_TIMEOUT_MS });
    // A blocking read holds its connection: it gets its own, with a deadline past the block.
    const blocking = new Redis(options.url, { ...common, commandTimeout: BLOCK_MS + COMMAND_TIMEOUT_MS });
    // Subscribed connections take no other command. It subscribes again itself after a reconnect: ioredis's own
    // resubscription leaves a rejected promise nobody awaits when the connection closes meanwhile.
    const events = new Redis(options.url, {
      ...common,
      commandTimeout: COMMAND_TIMEOUT_MS,
      autoResubscribe: false,
    });
    const cluster = new Cluster(cmd, blocking, options, events);
    cluster.counters = [countCommands(cmd), countCommands(blocking)];
    let reported = false;
    for (const conn of [cmd, blocking, events]) {
      conn.on("error", (err: unknown) => {
        if (reported || cluster.closed) return;
        reported = true;
        options.log.warn({ err }, "the cluster's Redis connection failed; retrying");
      });
      conn.on("ready", () => {
        reported = false;
      });
    }
    const slotFree = `${cluster.prefix}slotfree:`;
    events.on("pmessage", (_pattern: string, channel: string, message: string) => {
      if (channel.startsWith(slotFree)) cluster.wakeSlotWaiters(message);
    });
    let subscribed = false;
    events.on("ready", () => {
      if (!subscribed || cluster.closed) return;
      events
        .psubscribe(`${slotFree}*`)
        .catch((err: unknown) =>
          options.log.warn({ err }, "could not listen for shared slots given back; waiters ask every second"),
        );
    });
    try {
      await Promise.all([cmd.connect(), blocking.connect(), events.connect()]);
      await events.psubscribe(`${slotFree}*`);
      subscribed = true;
      cluster.live = Number(await cluster.script(REGISTER, cluster.id, cluster.leaseMs));
    } catch (err) {
      cmd.disconnect();
      blocking.disconnect();
      events.disconnect();
      throw new ClusterUnavailableError(
        `could not join the cluster in Redis (REDIS_URL): ${(err as Error).message}`,
        { cause: err },
      );
    }
    cluster.timer = setInterval(() => void cluster.tick(), Math.max(100, Math.floor(cluster.leaseMs / 3)));
    cluster.timer.unref();
    return cluster;
  }

  /** Told the number of live processes whenever it changes (each takes its part of the Telegram budget). */
  onLive: ((processes: number) => void) | undefined;

  /** Commands sent to Redis so far (round trips; a script counts once), both connections. */
  get commandsSent(): number {
    return this.counters.reduce((n, c) => n + c.n, 0);
  }

  /** Processes alive at the last renewal (this one included). */
  get liveProcesses(): number {
    return this.live;
  }

  /**
   * Puts an update into its chat owner's inbox (this process's, when the chat has no live owner). "dup": it was
   * taken before (a re-delivery); "busy": the owner's inbox is full. Throws when Redis cannot be reached, or when
   * this process lost its lease (it must not take chats).
   */
  async route(updateId: number, chat: string, data: string): Promise<"ok" | "dup" | "busy"> {
    this.stats.route++;
    const res = (await this.script(
      ROUTE,
      this.id,
      updateId,
      chat,
      data,
      this.options.inboxBound ?? 10_000,
      SEEN_SECONDS,
    )) as string[];
    if (res[0] === "lost") {
      this.markLost();
      throw new ClusterLeaseLostError("this process lost its cluster lease; it takes no updates");
    }
    return res[0] === "dup" ? "dup" : res[0] === "busy" ? "busy" : "ok";
  }

  /** What this process must handle next, in order: up to `limit` entries; [] when `signal` aborts. */
  async take(limit: number, signal: AbortSignal): Promise<ClusterEntry[]> {
    const key = `${this.prefix}inbox:${this.id}`;
    while (!signal.aborted && !this.closed) {
      let res: [string, [string, string[]][]][] | null;
      try {
        this.stats.take++;
        res = (await this.blocking.xread(
          "COUNT",
          Math.min(limit, 100),
          "BLOCK",
          BLOCK_MS,
          "STREAMS",
          key,
          this.lastId,
        )) as typeof res;
        this.readFailing = false;
      } catch (err) {
        if (this.closed || signal.aborted) break;
        if (!this.readFailing)
          this.options.log.warn({ err }, "could not read this process's inbox in Redis; retrying");
        this.readFailing = true;
        await new Promise((r) => setTimeout(r, 500).unref());
        continue;
      }
      const entries = res?.[0]?.[1] ?? [];
      if (entries.length === 0) continue;
      this.lastId = entries.at(-1)![0];
      return entries.map(([id, fields]) => {
        const f = new Map<string, string>();
        for (let i = 0; i + 1 < fields.length; i += 2) f.set(fields[i]!, fields[i + 1]!);
        const chat = f.get("c") ?? "";
        const owner = f.get("o");
        if (chat !== "" && owner) this.tokens.set(chat, owner);
        return {
          id,
          kind: f.get("k") === "r" ? "recover" : "update",
          chat,
          ...(f.has("d") ? { data: f.get("d")! } : {}),
        } satisfies ClusterEntry;
      });
    }
    return [];
  }

  /** The entry was handled: it leaves the inbox (a process that dies before this has it handled again). */
  async done(id: string): Promise<void> {
    this.stats.done++;
    await this.cmd.xdel(`${this.prefix}inbox:${this.id}`, id);
  }

  /**
   * Writes `value` under `key` only while this process still owns `chat` (its fencing token is the chat's
   * owner's). Returns false when it does not (nothing was written). A chat this process has no token for is
   * written unfenced (`undefined`): it is not a chat's state.
   */
  async fencedSet(key: string, value: string, chat: string): Promise<boolean | undefined> {
    const token = this.tokens.get(chat);
    if (token === undefined) return undefined;
    this.stats.fencedWrites++;
    const ok = await this.run(FENCED_SET, 2, key, `${this.prefix}owner:${chat}`, value, token);
    return ok === 1;
  }

  /** One more hit on a counter shared by every process, in windows of `windowMs`; true while within `limit`. */
  async hit(name: string, windowMs: number, limit: number): Promise<boolean> {
    this.stats.rate++;
    return (await this.run(RATE_HIT, 1, `${this.prefix}rate:${name}`, windowMs, limit)) === 1;
  }

  /**
   * Waits for one of `limit` slots of `name` shared by every process (first asked, first served, across
   * processes), asking again when one is given back anywhere (pub/sub) and at least every SLOT_POLL_MS (a
   * holder that died gives nothing back: its slot ends with its lease). Resolves with the release; rejects with
   * the signal's reason when it aborts first (it then waits no more), or when Redis fails.
   */
  async slot(name: string, limit: number, signal: AbortSignal): Promise<() => Promise<void>> {
    const holder = `${this.id}#${++this.slotSeq}`;
    const release = async () => {
      this.held.get(name)?.delete(holder);
      this.stats.slots++;
      await this.script(SLOT_RELEASE, name, holder, limit);
    };
    // Listening from before the first ask: a wake-up that comes while a (refused) ask is under way is kept.
    let woken = false;
    let wake: (() => void) | undefined;
    this.slotWaiters.set(holder, () => {
      woken = true;
      wake?.();
    });
    try {
      for (;;) {
        signal.throwIfAborted();
        woken = false;
        this.stats.slots++;
        const asked = await this.script(
          SLOT_ACQUIRE,
          name,
          holder,
          limit,
          this.leaseMs,
          SLOT_WAITER_LEASE_MS,
        );
        if (Number(asked) === 1) {
          const set = this.held.get(name) ?? new Set<string>();
          this.held.set(name, set);
          set.add(holder);
          return release;
        }
        if (woken) continue;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, SLOT_POLL_MS);
          function done() {
            clearTimeout(timer);
            signal.removeEventListener("abort", done);
            wake = undefined;
            resolve();
          }
          wake = done;
          // Aborted during the ask: the listener below would never fire.
          if (signal.aborted) return done();
          signal.addEventListener("abort", done, { once: true });
        });
      }
    } catch (err) {
      // No longer waiting: its place in line is given up (best effort; the waiter's lease ends it otherwise).
      await this.script(SLOT_RELEASE, name, holder, limit).catch((releaseErr: unknown) =>
        this.options.log.debug(
          { err: releaseErr },
          "could not leave the line for a shared slot; the place ends with its lease",
        ),
      );
      throw err;
    } finally {
      this.slotWaiters.delete(holder);
    }
  }

  /**
   * A graceful stop: hands this process's chats, and what waits in its inbox, to another live process (or,
   * with none, leaves them for the next one to start). Returns the process they went to, or undefined.
   */
  async leave(): Promise<string | undefined> {
    clearInterval(this.timer);
    if (this.lost) return undefined;
    const to = String(await this.script(LEAVE, this.id));
    this.tokens.clear();
    return to === "" ? undefined : to;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await Promise.allSettled([this.cmd.quit(), this.blocking.quit(), this.events.quit()]);
  }

  /** Slots were given back: the waiters named (those of this process among them) ask again now. */
  private wakeSlotWaiters(holders: string): void {
    for (const holder of holders.split(" ")) this.slotWaiters.get(holder)?.();
  }

  private async tick(): Promise<void> {
    if (this.closed || this.lost) return;
    try {
      this.stats.renew++;
      const live = Number(await this.script(RENEW, this.id, this.leaseMs));
      if (live < 0) {
        this.markLost();
        return;
      }
      if (Math.max(1, live) !== this.live) {
        this.live = Math.max(1, live);
        this.onLive?.(this.live);
      }
      for (const [name, holders] of this.held) {
        if (holders.size > 0) await this.script(SLOT_RENEW, name, ...holders, this.leaseMs);
      }
      const [procs, chats] = (await this.script(REAP_EXPIRED, this.id)) as [number, number];
      if (procs > 0) {
        this.options.log.warn(
          { processes: procs, chats },
          "took over the chats of bot processes that stopped renewing their lease (killed, or cut off)",
        );
      }
      if (this.renewFailing) this.options.log.info("the cluster's Redis answers again");
      this.renewFailing = false;
    } catch (err) {
      if (!this.renewFailing) {
        this.options.log.warn(
          { err },
          `could not renew this process's lease in Redis; after ${this.leaseMs} ms without, its chats go to another process`,
        );
      }
      this.renewFailing = true;
    }
  }

  private markLost(): void {
    if (this.lost) return;
    this.lost = true;
    this.tokens.clear();
    this.options.log.fatal(
      "this process lost its cluster lease (it did not renew it in time: paused, or cut off from Redis, or Redis " +
        "lost its data); its chats are another process's now, so it stops",
    );
    this.options.onLost?.();
  }

  /** A cluster script, with the prefix as ARGV[1] and no KEYS. */
  private script(source: string, ...args: (string | number)[]): Promise<unknown> {
    return this.run(source, 0, this.prefix, ...args);
  }

  /** EVALSHA (the script's text goes over the wire once), loading it again after a Redis restart forgot it. */
  private async run(source: string, keys: number, ...args: (string | number)[]): Promise<unknown> {
    let sha = this.shas.get(source);
    if (sha === undefined) {
      sha = String(await this.cmd.script("LOAD", source));
      this.shas.set(source, sha);
    }
    try {
      return await this.cmd.evalsha(sha, keys, ...args);
    } catch (err) {
      if (!String((err as Error).message).startsWith("NOSCRIPT")) throw err;
      this.shas.delete(source);
      return this.run(source, keys, ...args);
    }
  }
}
