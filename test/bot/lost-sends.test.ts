/**
 * A send whose answer was lost after Telegram applied it: the bot, not knowing the message's id, sends again.
 * The copy left behind (a "⏳" placeholder with a dead ⏹, or a final answer shown twice) is found and deleted.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { finished, type Harness, startHarness, USER } from "../support/bot-harness.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const working = (m: { text: string; buttons: { text: string }[][] }) =>
  m.text.includes("⏳") || m.buttons.flat().some((b) => b.text.includes("Stop"));

describe("sends whose answer was lost", () => {
  it("leaves no stray placeholder when the placeholder's answer was lost", async () => {
    h = await startHarness();
    await h.pick(USER, "tiny:latest");
    h.tg.failNext("sendMessage", { dropConnection: true, afterApplying: true });
    h.tg.sendText(USER, "hello there");
    await h.waitForBot(USER, (m) => m.text === "You said: hello there" && finished(m));
    await vi.waitFor(() => expect(h!.lostSends.stats.removed).toBe(1));
    expect(h.botMessages(USER).filter(working)).toEqual([]);
    expect(h.botMessages(USER).filter((m) => m.text.includes("hello there"))).toHaveLength(1);
    expect(h.lostSends.stats).toMatchObject({ lost: 1, removed: 1, unresolved: 0 });
  });

  it("shows a final answer once when its send's answer was lost (not streamed)", async () => {
    h = await startHarness();
    await h.pick(USER, "tiny:latest");
    h.tg.sendText(USER, "/stream off");
    await h.waitForBot(USER, (m) => /off/i.test(m.text) && m.text.toLowerCase().includes("stream"));
    h.tg.failNext("sendMessage", { dropConnection: true, afterApplying: true });
    h.tg.sendText(USER, "quietly");
    await h.waitForBot(USER, (m) => m.text === "You said: quietly");
    // The copy is deleted once the second send's answer is back.
    await vi.waitFor(() => expect(h!.lostSends.stats.removed).toBe(1));
    expect(h.botMessages(USER).filter((m) => m.text === "You said: quietly")).toHaveLength(1);
    expect(h.botMessages(USER).filter(working)).toEqual([]);
  });

  it("never touches the user's messages or the bot's other messages while looking", async () => {
    h = await startHarness();
    await h.pick(USER, "tiny:latest");
    h.tg.sendText(USER, "one");
    await h.waitForBot(USER, (m) => m.text === "You said: one" && finished(m));
    const before = h.tg.visibleMessages(USER).map((m) => [m.messageId, m.text]);
    // The connection drops before Telegram applies the call: there is no copy to find.
    h.tg.failNext("sendMessage", { dropConnection: true });
    h.tg.sendText(USER, "two");
    await h.waitForBot(USER, (m) => m.text === "You said: two" && finished(m));
    await vi.waitFor(() => expect(h!.lostSends.stats.lost).toBe(1));
    await h.lostSends.settled();
    const after = h.tg.visibleMessages(USER).map((m) => [m.messageId, m.text]);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.filter(([, text]) => text === "two")).toHaveLength(1);
    expect(h.lostSends.stats).toMatchObject({ lost: 1, removed: 0 });
  });

  it("a message a crash left mid-stream with a dead ⏹: pressing it takes the button off and marks it cut", async () => {
    h = await startHarness();
    h.tg.sendText(USER, "/start");
    await h.waitForBot(USER, () => true);
    // What a process killed between Telegram applying a send and saving its id leaves behind.
    const orphan = await h.services.core.api.sendMessage(USER, "⏳ tiny:latest…", {
      reply_markup: { inline_keyboard: [[{ text: "⏹ Stop", callback_data: "stop:gone0000" }]] },
    });
    h.tg.pressButton(USER, orphan.message_id, "stop:gone0000");
    const marked = await h.waitForBot(
      USER,
      (m) => m.messageId === orphan.message_id && m.buttons.length === 0,
    );
    expect(marked.text).toBe("⏳ tiny:latest…\n\n⚠️ This answer was cut off.");
    await h.tg.waitFor(() =>
      h!.tg.callbackAnswers.some((a) => a.text === "This answer has already finished."),
    );
  });
});
