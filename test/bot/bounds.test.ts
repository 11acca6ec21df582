/** Every per-chat and per-user structure has a bound, and sweeps cost only what they forget. */
import { describe, expect, it } from "vitest";
import {
  addModeratorNote,
  addTurns,
  MAX_LINES,
  MAX_LINES_CHARS,
  MAX_TURNS,
  newAi2Ai,
} from "../../src/bot/services/ai2ai/rules.js";
import { addOffer } from "../../src/bot/services/turns.js";
import { type ChatSession, MAX_OFFERS, trimHistory } from "../../src/bot/session.js";
import { ExpiringMap } from "../../src/util/expiring.js";

describe("bounds", () => {
  it("sweeps expired entries from the oldest and stops at the first fresh one", () => {
    const map = new ExpiringMap<number, true>(60_000);
    for (let user = 0; user < 10_000; user++) map.set(user, true, user); // a flood, one per ms
    map.set(5, true, 59_990); // one of them came back: it moves to the end
    map.sweep(60_000 + 4_999); // everything written before 4,999 ms has expired
    expect(map.size).toBe(10_000 - 5_000 + 1);
    expect(map.get(5)).toBe(true);
    expect(map.get(4_999)).toBeUndefined();
    expect(map.get(5_000)).toBe(true);
  });

  it("keeps the newest offers of a chat, and the newest AI↔AI lines, within their bounds", () => {
    const s: ChatSession = { mode: "chat", stream: true, history: [] };
    for (let i = 0; i < MAX_OFFERS + 30; i++) addOffer(s, { id: `o${i}`, prompt: "p", messageId: i, at: i });
    expect(s.offers).toHaveLength(MAX_OFFERS);
    expect(s.offers?.at(-1)?.id).toBe(`o${MAX_OFFERS + 29}`);
    const st = newAi2Ai(10, "t");
    for (let i = 0; i < MAX_LINES + 50; i++) addModeratorNote(st, `note ${i}`, i);
    expect(st.lines).toHaveLength(MAX_LINES);
    expect(st.lines.at(-1)?.text).toBe(`note ${MAX_LINES + 49}`);
    for (let i = 0; i < 500; i++) addTurns(st, 5);
    expect(st.maxTurns).toBe(MAX_TURNS);
    const big = newAi2Ai(10, "t");
    for (let i = 0; i < 100; i++) addModeratorNote(big, `${i} ${"y".repeat(7_990)}`, i);
    expect(big.lines.reduce((n, l) => n + l.text.length, 0)).toBeLessThanOrEqual(MAX_LINES_CHARS);
    expect(big.lines.at(-1)?.text.startsWith("99 ")).toBe(true);
  });

  it("keeps the stored history bounded by size as well as by count", () => {
    const big = "x".repeat(10_000);
    const history = Array.from({ length: 20 }, (_, i) => ({
      role: (i % 2 ? "assistant" : "user") as "user" | "assistant",
      content: big,
      at: i,
    }));
    const kept = trimHistory(history, { maxMessages: 40, maxChars: 24_000 });
    expect(kept.reduce((n, e) => n + e.content.length, 0)).toBeLessThanOrEqual(48_000);
    expect(kept.at(-1)).toBe(history.at(-1));
    const many = Array.from({ length: 200 }, (_, i) => ({ role: "user" as const, content: "hi", at: i }));
    expect(trimHistory(many, { maxMessages: 40, maxChars: 24_000 })).toHaveLength(80);
  });
});
