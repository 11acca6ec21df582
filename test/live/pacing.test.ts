import { describe, expect, it } from "vitest";
import { ChatPace, chatKindOf, PaceRegistry } from "../../src/live/index.js";

describe("pacing decisions", () => {
  it("spaces calls 400 ms apart in private chats and 3 s apart in groups by default", () => {
    const dm = new ChatPace("private");
    expect(dm.delay(0)).toBe(0);
    dm.started(1000);
    expect(dm.delay(1100)).toBe(300);
    expect(dm.delay(1400)).toBe(0);
    const group = new ChatPace(chatKindOf("supergroup"));
    group.started(0);
    expect(group.delay(1000)).toBe(2000);
  });

  it("obeys retry_after, then stays slower and recovers only gradually", () => {
    const pace = new ChatPace("private");
    pace.started(0);
    pace.tooMany(100, 3);
    expect(pace.delay(100)).toBe(3000);
    expect(pace.delay(3100)).toBe(0);
    expect(pace.intervalMs).toBe(800);
    pace.tooMany(3100, 1);
    expect(pace.intervalMs).toBe(1600);
    const after: number[] = [];
    for (let i = 0; i < 30; i++) {
      pace.succeeded();
      after.push(pace.intervalMs);
    }
    expect(after[0]).toBeCloseTo(400 + 1200 * 0.9);
    expect(after[9]).toBeGreaterThan(700); // still slower ten calls later
    expect(after.every((v, i) => i === 0 || v <= after[i - 1]!)).toBe(true);
    expect(after.at(-1)).toBeLessThan(460);
  });

  it("never slows past the cap, and treats a missing retry_after as one second", () => {
    const pace = new ChatPace("private", { maxSlowdown: 4 });
    for (let i = 0; i < 10; i++) pace.tooMany(0, Number.NaN);
    expect(pace.intervalMs).toBe(1600);
    expect(pace.delay(0)).toBe(1000);
  });

  it("shares one pace per chat and forgets idle ones", () => {
    const reg = new PaceRegistry({ privateIntervalMs: 100 });
    const a = reg.for(1, "private");
    expect(reg.for(1, "private")).toBe(a);
    a.started(0);
    reg.prune(11 * 60_000);
    expect(reg.for(1, "private")).not.toBe(a);
  });

  it("forgets idle chats as new ones come, keeping recent and still-slowed ones, so floods cannot grow it", () => {
    const reg = new PaceRegistry({ privateIntervalMs: 100 }, 60_000);
    for (let chat = 0; chat < 5_000; chat++) reg.for(chat, "private", 0);
    const slowed = reg.for(-1, "private", 0);
    slowed.tooMany(0, 600); // Telegram said: wait ten minutes
    expect(reg.size).toBe(5_001);
    // Later, the next chat's first message sweeps out the idle ones.
    const recent = reg.for(-2, "private", 100_000);
    expect(reg.size).toBe(2);
    expect(reg.for(-1, "private")).toBe(slowed);
    expect(reg.for(-2, "private")).toBe(recent);
  });
});
