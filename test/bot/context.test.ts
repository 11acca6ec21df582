/**
 * The history a turn sends, budgeted in tokens (pure): the system prompt always kept, the oldest dropped first,
 * a message too big alone sent by its end, the count of what was left out; the calibration from what the model
 * reported; and each setting's parsing with its range.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ModelFacts } from "../../src/bot/model-facts.js";
import { effective, parseSetting, requestSettings, thinkValue } from "../../src/bot/model-settings.js";
import {
  answerRoom,
  buildMessages,
  calibrate,
  estimateTokens,
  type HistoryEntry,
} from "../../src/bot/session.js";

const entry = (role: "user" | "assistant", content: string, at = 0): HistoryEntry => ({ role, content, at });
const history = (n: number, size: number): HistoryEntry[] =>
  Array.from({ length: n }, (_, i) => entry(i % 2 ? "assistant" : "user", `${i}:`.padEnd(size, "x"), i));

describe("the token budget", () => {
  it("never sends more than the budget (beyond system and prompt), always the system prompt, newest kept", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 3000 }),
        fc.integer({ min: 300, max: 6000 }),
        fc.double({ min: 1.5, max: 6, noNaN: true }),
        (n, size, tokens, cpt) => {
          const h = history(n, size);
          const built = buildMessages({ system: "Be kind.", history: h }, "the prompt", {
            maxMessages: 100,
            tokens,
            charsPerToken: cpt,
          });
          expect(built.messages[0]).toEqual({ role: "system", content: "Be kind." });
          expect(built.messages.at(-1)).toEqual({ role: "user", content: "the prompt" });
          const sent = built.messages.reduce((t, m) => t + estimateTokens(m.content, cpt), 0);
          expect(sent).toBe(built.tokens);
          const floor = estimateTokens("Be kind.", cpt) + estimateTokens("the prompt", cpt);
          expect(built.tokens).toBeLessThanOrEqual(Math.max(tokens, floor));
          // What is sent is the newest part of the history, in order (only its oldest message may be cut short).
          const middle = built.messages.slice(1, -1).map((m) => m.content);
          const whole = middle.filter((c) => !c.startsWith("…"));
          const tail = h.slice(h.length - whole.length).map((e) => e.content);
          expect(whole).toEqual(tail);
          // Nothing said to be left out means everything went (but a leading answer, which some templates refuse).
          expect(built.dropped).toBeLessThanOrEqual(n);
          if (built.dropped === 0) expect(middle.length).toBeGreaterThanOrEqual(n - 1);
        },
      ),
    );
  });

  it("counts what it left out, and sends the end of a message too big to fit alone, after its prompt", () => {
    const h = [entry("user", "old question"), entry("assistant", "old answer"), entry("user", "go on")];
    h.push(entry("assistant", `${"a".repeat(5000)}THE END`));
    const built = buildMessages({ history: h }, "Please continue", {
      maxMessages: 40,
      tokens: 600,
      charsPerToken: 4,
    });
    const [prompt, tail] = built.messages.slice(0, 2);
    expect(prompt).toEqual({ role: "user", content: "go on" });
    expect(tail!.role).toBe("assistant");
    expect(tail!.content.startsWith("…")).toBe(true);
    expect(tail!.content.endsWith("THE END")).toBe(true);
    expect(built.dropped).toBe(2);
    expect(built.tokens).toBeLessThanOrEqual(600);
  });

  it("keeps a quarter of the context for the answer, within 256 and 2048 tokens", () => {
    expect(answerRoom(512)).toBe(256);
    expect(answerRoom(8192)).toBe(2048);
    expect(answerRoom(131072)).toBe(2048);
  });

  it("calibrates toward what the model counted: fast when it counts more, slowly when fewer, never on nonsense", () => {
    const sent = { chars: 4000, messages: 4 };
    // 4000 characters counted as 2000 tokens (+16 for the messages): 2 characters a token, approached fast.
    expect(calibrate(3.5, sent, 2016, 8192)).toBeCloseTo(2.45, 2);
    // Counted fewer (a cache reuse can do that): moved a little only.
    expect(calibrate(3.5, sent, 816, 8192)).toBeCloseTo(3.8, 2);
    // Implausible, at the context's end (cut), or not reported: unchanged.
    expect(calibrate(3.5, sent, 20, 8192)).toBe(3.5);
    expect(calibrate(3.5, sent, 8190, 8192)).toBe(3.5);
    expect(calibrate(3.5, sent, undefined, 8192)).toBe(3.5);
  });
});

describe("settings", () => {
  const thinker: ModelFacts = {
    capabilities: new Set(["completion", "thinking"]),
    contextLength: 40960,
    thinkLevelsOnly: false,
  };
  const gptOss: ModelFacts = { ...thinker, thinkLevelsOnly: true };
  const plain: ModelFacts = {
    capabilities: new Set(["completion"]),
    contextLength: 2048,
    thinkLevelsOnly: false,
  };
  const defaults = {
    temperature: undefined,
    topP: undefined,
    numCtx: 8192,
    think: "on",
    showThinking: true,
    keepAlive: "30m",
    maxNumCtx: 32768,
  } as const;

  it("parses what people type, and refuses the rest with the range", () => {
    expect(parseSetting("temperature", "0,7", plain)).toEqual({ ok: true, value: { temperature: 0.7 } });
    expect(parseSetting("temperature", "2.5", plain)).toMatchObject({ ok: false, args: { min: 0, max: 2 } });
    expect(parseSetting("context", "4k", thinker)).toEqual({ ok: true, value: { numCtx: 4096 } });
    expect(parseSetting("context", "4096", plain)).toMatchObject({ ok: false, args: { max: 2048 } });
    expect(parseSetting("keep_alive", "forever", plain)).toEqual({ ok: true, value: { keepAlive: "-1" } });
    expect(parseSetting("keep_alive", "9999h", plain).ok).toBe(false);
    expect(parseSetting("thinking", "yes", plain)).toEqual({ ok: true, value: { think: "on" } });
  });

  it("keeps what costs the whole server within the operator's bounds: the context, and keeping a model loaded", () => {
    const user = { maxNumCtx: 16384, admin: false };
    expect(parseSetting("context", "32k", thinker, user)).toMatchObject({ ok: false, args: { max: 16384 } });
    expect(parseSetting("context", "16k", thinker, user)).toEqual({ ok: true, value: { numCtx: 16384 } });
    expect(parseSetting("keep_alive", "-1", plain, user)).toEqual({
      ok: false,
      key: "setting-admin-only-keep-alive",
    });
    expect(parseSetting("keep_alive", "48h", plain, user)).toMatchObject({
      ok: false,
      key: "setting-admin-only-keep-alive",
    });
    expect(parseSetting("keep_alive", "2h", plain, user)).toEqual({ ok: true, value: { keepAlive: "2h" } });
    expect(parseSetting("keep_alive", "-1", plain, { ...user, admin: true })).toEqual({
      ok: true,
      value: { keepAlive: "-1" },
    });
    expect(effective({ numCtx: 65536 }, defaults, thinker).numCtx).toBe(32768);
  });

  it("sends think only to models that think, a level to those that take levels only, num_ctx within the model's", () => {
    expect(thinkValue("on", plain)).toBeUndefined();
    expect(thinkValue("off", thinker)).toBe(false);
    expect(thinkValue("high", thinker)).toBe(true);
    expect(thinkValue("off", gptOss)).toBe("low");
    expect(thinkValue("on", gptOss)).toBe("medium");
    const req = requestSettings(effective({ temperature: 0 }, defaults, plain), plain);
    expect(req).toEqual({ options: { num_ctx: 2048, temperature: 0 }, keep_alive: "30m" });
    expect(requestSettings(effective({ keepAlive: "-1" }, defaults, thinker), thinker)).toEqual({
      options: { num_ctx: 8192 },
      think: true,
      keep_alive: -1,
    });
  });
});
