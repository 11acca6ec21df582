/**
 * The cluster (src/cluster) against a real redis-server: chats owned by one process at a time, updates routed to
 * the owner's inbox in order, re-deliveries dropped, a dead process's chats and unhandled updates taken over with a
 * recovery first, a graceful leave, fenced writes from a process that lost its chats, and Redis restarting.
 */
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Cluster, type ClusterEntry } from "../../src/cluster/index.js";
import { loadConfig } from "../../src/config/index.js";
import { modelClientsFrom } from "../../src/hosts/index.js";
import { createLogger } from "../../src/log/index.js";
import { startFakeOllama } from "../fakes/ollama.js";
import { type RedisServer, startRedisServer } from "../support/redis-server.js";

const log = createLogger({ level: "silent" });
let redis: RedisServer;
let prefixN = 0;
const open: Cluster[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.close();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

async function join(
  options: { leaseMs?: number; onLost?: () => void; prefix?: string } = {},
): Promise<Cluster> {
  const c = await Cluster.connect({
    url: redis.url,
    log,
    leaseMs: options.leaseMs ?? 10_000,
    prefix: options.prefix ?? `t${prefixN}:`,
    ...(options.onLost ? { onLost: options.onLost } : {}),
  });
  open.push(c);
  return c;
}

/** Reads the inbox until it has given `n` entries (or 5 s passed). */
const take = async (c: Cluster, n: number): Promise<ClusterEntry[]> => {
  const all: ClusterEntry[] = [];
  const deadline = Date.now() + 5_000;
  while (all.length < n && Date.now() < deadline) {
    all.push(...(await c.take(100, AbortSignal.timeout(Math.max(1, deadline - Date.now())))));
  }
  return all;
};
const updates = (entries: ClusterEntry[]) =>
  entries.map((e) => (e.kind === "recover" ? `recover:${e.chat}` : JSON.parse(e.data!).n));

describe("the cluster on a real Redis", () => {
  it("routes a chat's updates to the process that first got one, in order, and drops re-deliveries", async () => {
    prefixN++;
    const a = await join();
    const b = await join();
    expect(await a.route(1, "42", JSON.stringify({ n: "a1" }))).toBe("ok");
    // b receives the chat's next updates (the load balancer's choice): they go to a, the owner.
    expect(await b.route(2, "42", JSON.stringify({ n: "b2" }))).toBe("ok");
    expect(await b.route(3, "42", JSON.stringify({ n: "b3" }))).toBe("ok");
    // Telegram delivers 2 again (its answer was lost): dropped, wherever it lands.
    expect(await a.route(2, "42", JSON.stringify({ n: "b2-again" }))).toBe("dup");
    // Another chat first seen by b is b's.
    expect(await b.route(4, "7", JSON.stringify({ n: "c7" }))).toBe("ok");
    expect(updates(await take(a, 3))).toEqual(["a1", "b2", "b3"]);
    expect(updates(await take(b, 1))).toEqual(["c7"]);
    expect(b.liveProcesses).toBeGreaterThanOrEqual(1);
  });

  it("a process that stops renewing loses its chats to the next one that routes them, with a recovery first and its unhandled updates in order", async () => {
    prefixN++;
    let lost = 0;
    const dead = await join({ leaseMs: 600, onLost: () => lost++ });
    const b = await join({ leaseMs: 600 });
    await dead.route(1, "42", JSON.stringify({ n: "one" }));
    await dead.route(2, "42", JSON.stringify({ n: "two" }));
    const first = await take(dead, 2);
    expect(updates(first)).toEqual(["one", "two"]);
    await dead.done(first[0]!.id); // "two" was being handled when it died
    expect(await dead.fencedSet(`t${prefixN}:session:42`, '"dead wrote"', "42")).toBe(true);
    // It dies (SIGKILL: no leave): simulated by stopping its renewals.
    await dead.close();
    open.splice(open.indexOf(dead), 1);
    // b gets the chat's next update after the lease has ended (and before or after b's own timer reaps).
    await new Promise((r) => setTimeout(r, 900));
    await b.route(3, "42", JSON.stringify({ n: "three" }));
    expect(updates(await take(b, 3))).toEqual(["recover:42", "two", "three"]);
    expect(lost).toBe(0);
  });

  it("the timer takes over a dead process's chats that get no new update (their cut work is recovered)", async () => {
    prefixN++;
    const dead = await join({ leaseMs: 400 });
    const b = await join({ leaseMs: 400 });
    await dead.route(1, "5", JSON.stringify({ n: "x" }));
    await dead.route(2, "6", JSON.stringify({ n: "y" }));
    for (const entry of await take(dead, 2)) await dead.done(entry.id);
    await dead.close();
    open.splice(open.indexOf(dead), 1);
    const got = updates(await take(b, 2));
    expect(got.filter((x) => String(x).startsWith("recover:")).sort()).toEqual(["recover:5", "recover:6"]);
    // Both were handled before it died: nothing of theirs is handled again.
    expect(got).toHaveLength(2);
  });

  it("a paused process that lost its chats is told, and its writes to them are refused", async () => {
    prefixN++;
    let lost = 0;
    const slow = await join({ leaseMs: 300, onLost: () => lost++ });
    const b = await join({ leaseMs: 300 });
    await slow.route(1, "9", JSON.stringify({ n: "s" }));
    for (const entry of await take(slow, 1)) await slow.done(entry.id);
    // Its lease ends without it knowing (a GC pause, a partition), and b takes the chat over.
    const raw = new Redis(redis.url);
    await raw.zadd(`t${prefixN}:procs`, 0, slow.id);
    await b.route(2, "9", JSON.stringify({ n: "b" }));
    expect(updates(await take(b, 2))).toEqual(["recover:9", "b"]);
    expect(await b.fencedSet(`t${prefixN}:session:9`, '"new owner"', "9")).toBe(true);
    // The paused one wakes up: its write is refused, its next renewal tells it, and it routes nothing more.
    expect(await slow.fencedSet(`t${prefixN}:session:9`, '"stale"', "9")).toBe(false);
    expect(await raw.get(`t${prefixN}:session:9`)).toBe('"new owner"');
    await new Promise((r) => setTimeout(r, 400));
    expect(lost).toBe(1);
    await expect(slow.route(3, "10", "{}")).rejects.toMatchObject({ code: "CLUSTER_LEASE_LOST" });
    raw.disconnect();
  });

  it("a graceful leave hands chats and waiting updates to the live process with the fewest chats", async () => {
    prefixN++;
    const leaving = await join();
    const busy = await join();
    const idle = await join();
    await busy.route(1, "100", JSON.stringify({ n: "busy's" }));
    await leaving.route(2, "200", JSON.stringify({ n: "waiting" }));
    await leaving.route(3, "201", JSON.stringify({ n: "other" }));
    expect(await leaving.leave()).toBe(idle.id);
    const got = updates(await take(idle, 4));
    expect(got.slice(0, 2).sort()).toEqual(["recover:200", "recover:201"]);
    expect(got.slice(2).sort()).toEqual(["other", "waiting"]);
    // Their next updates go to the new owner, whoever receives them.
    await busy.route(4, "200", JSON.stringify({ n: "next" }));
    expect(updates(await take(idle, 1))).toEqual(["next"]);
  });

  it("shares generation slots across processes, first asked first served, and frees a dead holder's after its lease", async () => {
    prefixN++;
    const a = await join({ leaseMs: 600 });
    const b = await join({ leaseMs: 600 });
    const never = new AbortController().signal;
    const releaseA = await a.slot("gen", 1, never);
    const order: string[] = [];
    const waitB = b.slot("gen", 1, never).then((r) => {
      order.push("b");
      return r;
    });
    await new Promise((r) => setTimeout(r, 100));
    const waitA2 = a.slot("gen", 1, never).then((r) => {
      order.push("a2");
      return r;
    });
    await new Promise((r) => setTimeout(r, 400));
    expect(order).toEqual([]); // the one slot is held (and renewed past its lease)
    await releaseA();
    const releaseB = await waitB;
    await new Promise((r) => setTimeout(r, 300));
    expect(order).toEqual(["b"]);
    // A waiter that gives up leaves the line.
    const gaveUp = new AbortController();
    const quitter = b.slot("gen", 1, gaveUp.signal);
    gaveUp.abort();
    await expect(quitter).rejects.toBeDefined();
    // b dies holding its slot: after its lease the slot goes to the next in line.
    await b.close();
    open.splice(open.indexOf(b), 1);
    await waitA2;
    expect(order).toEqual(["b", "a2"]);
    void releaseB;
  });

  it("with MODEL_HOSTS, each host's slots are counted across processes: a host of one slot runs one turn in all", async () => {
    prefixN++;
    const a = await join();
    const b = await join();
    const fakeA = await startFakeOllama({ models: ["tiny:latest"] });
    const fakeB = await startFakeOllama({ models: ["long:latest"] });
    const config = loadConfig({ MODEL_HOSTS: `one ollama ${fakeA.url} 1, two ollama ${fakeB.url} 1` });
    const pools = [a, b].map(
      (c) =>
        modelClientsFrom(config, {
          log: { warn: () => {}, info: () => {} },
          sharedSlot: (name, max, signal) => c.slot(`generations:${name}`, max, signal),
        }).hosts!,
    );
    try {
      await Promise.all(pools.map((p) => p.start()));
      const never = new AbortController().signal;
      // Process a runs a turn on host one; process b's turn for the same host waits for it, though b's own
      // count of host one is free; b's turn for host two does not wait.
      const first = pools[0]!.place("tiny:latest")!;
      await first.ready(never);
      const second = pools[1]!.place("tiny:latest")!;
      expect(second.host).toBe("one");
      let secondReady = false;
      const waiting = second.ready(never).then(() => {
        secondReady = true;
      });
      const other = pools[1]!.place("long:latest")!;
      expect(other.host).toBe("two");
      await other.ready(never);
      await new Promise((r) => setTimeout(r, 300));
      expect(secondReady).toBe(false);
      await first.release();
      await waiting;
      expect(secondReady).toBe(true);
      await Promise.all([second.release(), other.release()]);
    } finally {
      await Promise.all(pools.map((p) => p.close()));
      await Promise.all([fakeA.close(), fakeB.close()]);
    }
  });

  it("a waiter in another process gets a slot as soon as it is given back, not at its next poll", async () => {
    prefixN++;
    const a = await join();
    const b = await join();
    const never = new AbortController().signal;
    const releaseA = await a.slot("quick", 1, never);
    let gotAt = 0;
    const waitB = b.slot("quick", 1, never).then((r) => {
      gotAt = Date.now();
      return r;
    });
    await new Promise((r) => setTimeout(r, 150)); // b is waiting, between two polls (a second apart)
    const releasedAt = Date.now();
    await releaseA();
    const releaseB = await waitB;
    expect(gotAt - releasedAt).toBeLessThan(500);
    await releaseB();
  });

  it("a dead process's waiter at the head of the line holds a free slot for seconds, not for a lease", async () => {
    prefixN++;
    const holder = await join({ leaseMs: 15_000 });
    const dead = await join({ leaseMs: 15_000 });
    const live = await join({ leaseMs: 15_000 });
    const never = new AbortController().signal;
    const release = await holder.slot("head", 1, never);
    // First in line, then its process dies without leaving the line (its connections cut).
    const deadWait = dead.slot("head", 1, never).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 100));
    let liveGot = 0;
    const liveWait = live.slot("head", 1, never).then((r) => {
      liveGot = Date.now();
      return r;
    });
    await new Promise((r) => setTimeout(r, 100));
    (dead as unknown as { cmd: Redis; blocking: Redis; events: Redis }).cmd.disconnect();
    (dead as unknown as { cmd: Redis; blocking: Redis; events: Redis }).blocking.disconnect();
    (dead as unknown as { cmd: Redis; blocking: Redis; events: Redis }).events.disconnect();
    await deadWait;
    const freedAt = Date.now();
    await release();
    const releaseLive = await liveWait;
    // The dead waiter's place ends about 3 s after its last ask, far short of its 15 s lease.
    expect(liveGot - freedAt).toBeLessThan(5_000);
    await releaseLive();
  }, 10_000);

  it("counts a shared rate across processes", async () => {
    prefixN++;
    const a = await join();
    const b = await join();
    const hits = [];
    for (let i = 0; i < 3; i++) hits.push(await a.hit("user:1", 60_000, 4), await b.hit("user:1", 60_000, 4));
    expect(hits).toEqual([true, true, true, true, false, false]);
  });

  it("rides out a Redis restart: routing fails while it is away (the webhook answers 503) and works after", async () => {
    prefixN++;
    const a = await join();
    await a.route(1, "1", JSON.stringify({ n: "before" }));
    await redis.stop();
    await expect(a.route(2, "1", JSON.stringify({ n: "during" }))).rejects.toBeDefined();
    await redis.start();
    // The append-only file kept the ownership and the inbox.
    let ok: string | undefined;
    for (let i = 0; i < 50 && ok === undefined; i++) {
      ok = await a.route(3, "1", JSON.stringify({ n: "after" })).catch(() => undefined);
      if (ok === undefined) await new Promise((r) => setTimeout(r, 100));
    }
    expect(ok).toBe("ok");
    expect(updates(await take(a, 2))).toEqual(["before", "after"]);
  });
});
