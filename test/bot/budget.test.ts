/**
 * The bot-wide budget of Telegram calls (issue 15): several chats streaming at once stay within
 * TELEGRAM_MAX_CALLS_PER_SECOND in all, take turns (none starves), and every answer still gets its final text.
 * On the harness's scaled clock, which the fake Telegram's receipt times share.
 */
import { afterEach, describe, expect, it } from "vitest";
import { ADMIN, finished, type Harness, OTHER_USER, startHarness, USER } from "../support/bot-harness.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const WRITES = new Set(["sendmessage", "editmessagetext", "sendmessagedraft"]);

describe("a budget across chats", () => {
  it("keeps three streaming chats within the ceiling together, each served in turn, all finished", async () => {
    h = await startHarness({
      ollama: { longTokens: 200, tokenDelayMs: 10 },
      env: { TELEGRAM_MAX_CALLS_PER_SECOND: "3", LIVE_MODE: "edit" },
    });
    const chats = [USER, OTHER_USER, ADMIN];
    for (const chat of chats) await h.pick(chat, "long:latest");
    const from = h.tg.calls.length;
    for (const chat of chats) h.tg.sendText(chat, "a long one");
    for (const chat of chats)
      await h.waitForBot(chat, (m) => finished(m) && m.text.startsWith("word0"), 30_000);
    const writes = h.tg.calls.slice(from).filter((c) => WRITES.has(c.method.toLowerCase()) && c.ok);
    const start = writes[0]!.at;
    const end = writes.at(-1)!.at;
    // In any second: at most the ceiling plus the bucket's one call of burst.
    for (let t = start; t < end; t += 250) {
      const inSecond = writes.filter((c) => c.at >= t && c.at < t + 1000).length;
      expect(inSecond).toBeLessThanOrEqual(4);
    }
    // Each chat was updated while it streamed, not only at the end: turns were shared.
    for (const chat of chats) {
      const mine = writes.filter((c) => Number(c.params.chat_id) === chat);
      expect(mine.length).toBeGreaterThanOrEqual(3);
    }
    expect(h.tg.callsTo("editMessageText").filter((c) => c.error?.error_code === 429)).toEqual([]);
  });
});
