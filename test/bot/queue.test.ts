import { describe, expect, it } from "vitest";
import { FairQueue } from "../../src/bot/queue.js";

/** A turn the test finishes by hand. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => {
    open = r;
  });
  return { open, opened };
}
const tick = () => new Promise((r) => setImmediate(r));

describe("fair queue", () => {
  it("runs at most `limit` turns at once, first come first served across chats", async () => {
    const q = new FairQueue(1);
    const order: string[] = [];
    const gates = { a: gate(), b: gate(), c: gate() };
    for (const [chat, id] of [
      [1, "a"],
      [2, "b"],
      [3, "c"],
    ] as const) {
      q.enqueue(chat, async () => {
        order.push(`start ${id}`);
        await gates[id].opened;
      });
    }
    await tick();
    expect(order).toEqual(["start a"]);
    gates.a.open();
    await tick();
    await tick();
    expect(order).toEqual(["start a", "start b"]);
    gates.b.open();
    gates.c.open();
    await q.drained();
    expect(order).toEqual(["start a", "start b", "start c"]);
  });

  it("keeps one chat's turns in order and never runs two of them at once, even with free slots", async () => {
    const q = new FairQueue(4);
    const order: string[] = [];
    let running = 0;
    let maxRunning = 0;
    const turns = [1, 2, 3].map((n) =>
      q.enqueue(7, async () => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        order.push(`turn ${n}`);
        await tick();
        running--;
      }),
    );
    await Promise.all(turns.map((t) => t.done));
    expect(order).toEqual(["turn 1", "turn 2", "turn 3"]);
    expect(maxRunning).toBe(1);
  });

  it("lets another chat go ahead of a chat whose earlier turn is still running", async () => {
    const q = new FairQueue(1);
    const order: string[] = [];
    const first = gate();
    q.enqueue(1, async () => {
      order.push("1a");
      await first.opened;
    });
    q.enqueue(1, async () => void order.push("1b"));
    q.enqueue(2, async () => void order.push("2a"));
    first.open();
    await q.drained();
    // 1b was enqueued before 2a, so it keeps its place: first come, first served.
    expect(order).toEqual(["1a", "1b", "2a"]);
  });

  it("tells waiting turns their position, and again whenever it changes", async () => {
    const q = new FairQueue(1);
    const first = gate();
    const seen: Record<string, string[]> = { b: [], c: [], own: [] };
    q.enqueue(1, () => first.opened);
    q.enqueue(2, async () => {}, { onPosition: (p, own) => seen.b!.push(`${p}${own ? " own" : ""}`) });
    q.enqueue(3, async () => {}, { onPosition: (p, own) => seen.c!.push(`${p}${own ? " own" : ""}`) });
    q.enqueue(1, async () => {}, { onPosition: (p, own) => seen.own!.push(`${p}${own ? " own" : ""}`) });
    expect(q.snapshot().waiting.map((w) => [w.chat, w.position])).toEqual([
      [2, 1],
      [3, 2],
      [1, 0],
    ]);
    first.open();
    await q.drained();
    expect(seen.b).toEqual(["1"]);
    expect(seen.c).toEqual(["2", "1"]);
    expect(seen.own).toEqual(["1 own", "2", "1"]);
  });

  it("keeps going when a turn throws, and can cancel a turn that has not started", async () => {
    const q = new FairQueue(1);
    const ran: number[] = [];
    q.enqueue(1, async () => {
      throw new Error("boom");
    });
    const cancelled = q.enqueue(2, async () => void ran.push(2));
    expect(cancelled.cancel()).toBe(true);
    q.enqueue(3, async () => void ran.push(3));
    await q.drained();
    expect(ran).toEqual([3]);
    expect(cancelled.cancel()).toBe(false);
  });

  it("is fair per user too: while one user's turn runs, another user's turn goes before their next one", async () => {
    const q = new FairQueue(1);
    const order: string[] = [];
    const g = gate();
    const job = (id: string, wait?: Promise<void>) => async () => {
      order.push(id);
      await wait;
    };
    q.enqueue(1, job("alice in group 1", g.opened), { user: 7 });
    q.enqueue(2, job("alice in group 2"), { user: 7 });
    q.enqueue(3, job("alice in group 3"), { user: 7 });
    q.enqueue(4, job("bob"), { user: 8 });
    await tick();
    g.open();
    await q.drained();
    expect(order).toEqual(["alice in group 1", "bob", "alice in group 2", "alice in group 3"]);
  });
});

describe("fair queue with slots shared with other processes", () => {
  /** The other processes' side: a slot given by hand, as Redis would once another process frees one. */
  function sharedByHand() {
    const asked: Array<{ grant: () => void; signal: AbortSignal }> = [];
    const released: number[] = [];
    let n = 0;
    const slots = (signal: AbortSignal) =>
      new Promise<() => Promise<void>>((resolve, reject) => {
        const id = ++n;
        signal.addEventListener("abort", () => reject(signal.reason), { once: true });
        asked.push({ grant: () => resolve(async () => void released.push(id)), signal });
      });
    return { slots, asked, released };
  }

  it("starts a turn only once it has a shared slot, and gives it back when the turn ends", async () => {
    const shared = sharedByHand();
    const q = new FairQueue(1, Date.now, () => {}, shared.slots);
    const order: string[] = [];
    const g = gate();
    q.enqueue(1, async () => {
      order.push("a");
      await g.opened;
    });
    q.enqueue(2, async () => {
      order.push("b");
    });
    await tick();
    expect(order).toEqual([]); // another process holds the slot
    expect(shared.asked).toHaveLength(1); // only the head asks: the local limit still holds
    expect(q.snapshot().waiting.map((w) => w.chat)).toEqual([1, 2]);
    shared.asked[0]!.grant();
    await tick();
    expect(order).toEqual(["a"]);
    g.open();
    await tick();
    await tick();
    expect(shared.released).toEqual([1]);
    expect(shared.asked).toHaveLength(2);
  });

  it("a turn waiting for a shared slot can be cancelled, and a stop gives up the wait (the turn stays in line)", async () => {
    const shared = sharedByHand();
    const q = new FairQueue(1, Date.now, () => {}, shared.slots);
    let ran = 0;
    const first = q.enqueue(1, async () => void ran++);
    await tick();
    expect(first.cancel()).toBe(true);
    expect(shared.asked[0]!.signal.aborted).toBe(true);
    q.enqueue(2, async () => void ran++);
    await tick();
    expect(shared.asked).toHaveLength(2);
    q.close();
    expect(shared.asked[1]!.signal.aborted).toBe(true);
    await q.drained();
    expect(ran).toBe(0);
    expect(q.waitingCount(2)).toBe(1);
  });
});
