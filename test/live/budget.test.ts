import { describe, expect, it } from "vitest";
import { CallBudget } from "../../src/live/index.js";
import { VirtualClock } from "../support/virtual-clock.js";

/** Lets granted promises settle between clock steps. */
const settle = () => new Promise((r) => setImmediate(r));

function recorder(budget: CallBudget) {
  const granted: string[] = [];
  const ask = (chat: number, priority: "final" | "reply" | "live", label = `${chat}`) =>
    void budget.acquire(chat, priority).then(() => granted.push(label));
  return { granted, ask };
}

describe("CallBudget", () => {
  it("keeps the total within the ceiling, whatever the number of chats", async () => {
    const clock = new VirtualClock();
    const budget = new CallBudget({ perSecond: 20, clock });
    const { granted, ask } = recorder(budget);
    for (let chat = 1; chat <= 50; chat++) for (let k = 0; k < 4; k++) ask(chat, "live");
    await settle();
    const burst = granted.length;
    expect(burst).toBe(5); // a quarter of a second's worth
    for (let i = 0; i < 10; i++) {
      clock.advance(100);
      await settle();
    }
    // One second later: the burst plus ~20.
    expect(granted.length - burst).toBeGreaterThanOrEqual(19);
    expect(granted.length - burst).toBeLessThanOrEqual(21);
  });

  it("takes an equal part of the ceiling when several processes send for the bot, and its whole again when alone", async () => {
    const clock = new VirtualClock();
    const budget = new CallBudget({ perSecond: 40, clock });
    budget.share(4);
    expect(budget.ceiling).toBe(10);
    expect(budget.rate).toBe(10);
    const { granted, ask } = recorder(budget);
    for (let chat = 1; chat <= 30; chat++) for (let k = 0; k < 4; k++) ask(chat, "live");
    await settle();
    const burst = granted.length;
    for (let i = 0; i < 10; i++) {
      clock.advance(100);
      await settle();
    }
    // One second at a quarter of 40 a second.
    expect(granted.length - burst).toBeGreaterThanOrEqual(9);
    expect(granted.length - burst).toBeLessThanOrEqual(11);
    // The other processes stopped: the ceiling is the whole again, and successes raise the rate back to it.
    budget.share(1);
    expect(budget.ceiling).toBe(40);
    for (let i = 0; i < 60; i++) budget.succeeded();
    expect(budget.rate).toBe(40);
  });

  it("serves chats in turn, so one busy chat cannot starve the others", async () => {
    const clock = new VirtualClock();
    const budget = new CallBudget({ perSecond: 4, clock });
    const { granted, ask } = recorder(budget);
    ask(9, "live", "warm"); // uses the one token of the bucket
    for (let k = 0; k < 10; k++) ask(1, "live", "busy");
    ask(2, "live", "quiet-a");
    ask(3, "live", "quiet-b");
    for (let i = 0; i < 4; i++) {
      clock.advance(250);
      await settle();
    }
    expect(granted.slice(0, 5)).toEqual(["warm", "busy", "quiet-a", "quiet-b", "busy"]);
  });

  it("gives final texts, then replies, the turn before intermediate updates", async () => {
    const clock = new VirtualClock();
    const budget = new CallBudget({ perSecond: 4, clock });
    const { granted, ask } = recorder(budget);
    ask(9, "live", "warm");
    ask(1, "live", "live");
    ask(2, "reply", "reply");
    ask(3, "final", "final");
    for (let i = 0; i < 3; i++) {
      clock.advance(250);
      await settle();
    }
    expect(granted).toEqual(["warm", "final", "reply", "live"]);
  });

  it("halves the rate on a 429 for a while, and takes it back slowly with successes", () => {
    const clock = new VirtualClock();
    const budget = new CallBudget({ perSecond: 100, clock, holdMs: 10_000 });
    budget.tooMany(2);
    expect(budget.rate).toBe(50);
    budget.tooMany(1);
    expect(budget.rate).toBe(25);
    for (let i = 0; i < 5; i++) budget.tooMany(1);
    expect(budget.rate).toBe(10); // the floor, a tenth
    budget.succeeded();
    expect(budget.rate).toBe(10); // held
    clock.advance(12_000);
    budget.succeeded();
    expect(budget.rate).toBe(12);
    for (let i = 0; i < 100; i++) budget.succeeded();
    expect(budget.rate).toBe(100);
  });

  it("takes a waiting call out when its signal aborts, without spending a turn", async () => {
    const clock = new VirtualClock();
    const budget = new CallBudget({ perSecond: 4, clock });
    const { granted, ask } = recorder(budget);
    ask(9, "live", "warm");
    const gone = new AbortController();
    const aborted = budget.acquire(1, "live", gone.signal).then(
      () => "granted",
      () => "aborted",
    );
    ask(2, "live", "next");
    gone.abort(new Error("finished"));
    expect(await aborted).toBe("aborted");
    expect(budget.pending).toBe(1);
    clock.advance(250);
    await settle();
    expect(granted).toEqual(["warm", "next"]);
  });
});
