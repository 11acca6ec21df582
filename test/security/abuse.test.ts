/** Strangers and floods: silence for strangers in groups, presses within a budget, answers that cannot act. */
import { afterEach, describe, expect, it } from "vitest";
import { ADMIN, type Harness, OTHER_USER, STRANGER, startHarness, USER } from "../support/bot-harness.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const GROUP = -100999;

describe("strangers and floods", () => {
  it("gives strangers silence in groups (and Telegram's service account everywhere), one reply an hour in private", async () => {
    h = await startHarness();
    h.tg.addChat(GROUP, { type: "supergroup", title: "Public" });
    h.tg.sendText(GROUP, "@test_ollama_bot hello?", { from: { id: STRANGER } });
    h.tg.sendText(GROUP, "just chatting", { from: { id: STRANGER } });
    h.tg.sendText(GROUP, "forwarded channel post", { from: { id: 777000, first_name: "Telegram" } });
    h.tg.sendText(STRANGER, "hi");
    h.tg.sendText(STRANGER, "hi again");
    await h.waitForBot(STRANGER, (m) => m.text.includes(String(STRANGER)));
    // A marker from an allowed user, answered after everything above was handled.
    h.tg.sendText(GROUP, "/help", { from: { id: USER } });
    await h.waitForBot(GROUP, (m) => m.text.includes("/ollama"));
    expect(
      h
        .botMessages(GROUP)
        .map((m) => m.text)
        .filter((t) => t.includes("private")),
    ).toEqual([]);
    expect(h.botMessages(GROUP)).toHaveLength(1);
    expect(h.botMessages(STRANGER)).toHaveLength(1);
  });

  it("keeps button floods within a per-user budget: forged presses get answers, never messages or hub calls", async () => {
    h = await startHarness({ env: { RATE_LIMIT_PER_MINUTE: "5" } });
    h.tg.sendText(USER, "/ollama");
    const picker = await h.waitForBot(USER, (m) => m.text.includes("Pick a model"));
    const hubCalls = h.hub.requests.length;
    const messages = h.botMessages(USER).length;
    for (let i = 0; i < 60; i++) {
      h.tg.pressButton(USER, picker.messageId, `pk:forged${i % 10}:0`, { forged: true });
      h.tg.pressButton(USER, picker.messageId, `pm:abc${String(i).padStart(3, "0")}`, { forged: true });
    }
    await h.tg.waitFor(
      () => h!.tg.unansweredCallbackQueries().length === 0 && h!.tg.callbackAnswers.length >= 120,
      {
        timeoutMs: 15_000,
      },
    );
    expect(h.botMessages(USER)).toHaveLength(messages);
    expect(h.hub.requests.length).toBe(hubCalls);
    const limited = h.tg.callbackAnswers.filter((a) => a.text?.startsWith("✋ Slow down"));
    expect(limited.length).toBeGreaterThanOrEqual(120 - 15);
  });

  it("gives every callback key a fresh random value, so an old Stop button cannot stop a new answer", async () => {
    // The ⏹ button of a live message (with drafts, Telegram's own stop control replaces it).
    h = await startHarness({ ollama: { longTokens: 100_000, tokenDelayMs: 5 }, env: { LIVE_MODE: "edit" } });
    await h.pick(USER, "long:latest");
    h.tg.sendText(USER, "first");
    const first = await h.waitForBot(USER, (m) => m.text.startsWith("word0") && m.buttons.length === 1);
    const oldStop = first.buttons[0]![0]!.data!;
    await h.restart();
    h.tg.sendText(USER, "second");
    const second = await h.waitForBot(
      USER,
      (m) => m.messageId > first.messageId && m.text.startsWith("word0") && m.buttons.length === 1,
    );
    expect(second.buttons[0]![0]!.data).not.toBe(oldStop);
    h.tg.pressButton(USER, second.messageId, oldStop, { forged: true });
    await h.tg.waitFor(() =>
      h!.tg.callbackAnswers.some((a) => a.text === "This answer has already finished."),
    );
    expect(h.botMessages(USER).find((m) => m.messageId === second.messageId)?.buttons).toHaveLength(1);
    h.tg.sendText(USER, "/stop");
  });

  it("bounds the line: a few waiting messages per user across chats, and per chat, the rest refused with a reason", async () => {
    // Telegram's group budget is not what this is about (and auto-retry would wait it out in real seconds).
    h = await startHarness({ ollama: { longTokens: 100_000, tokenDelayMs: 5 }, telegramLimits: false });
    await h.pick(USER, "long:latest");
    h.tg.addChat(GROUP, { type: "supergroup", title: "Team" });
    await h.store.update(String(GROUP), (s) => {
      s.model = "tiny:latest";
    });
    h.tg.sendText(USER, "keep the slot busy");
    await h.waitForBot(USER, (m) => m.text.startsWith("word0"));
    for (const text of ["one", "two"]) h.tg.sendText(USER, text);
    await h.tg.waitFor(() => h!.botMessages(USER).filter((m) => m.text.startsWith("⏳")).length === 2);
    h.tg.sendText(GROUP, "@test_ollama_bot three", { from: { id: USER } });
    h.tg.sendText(GROUP, "@test_ollama_bot four", { from: { id: USER } });
    await h.waitForBot(
      GROUP,
      (m) => m.text === "⏳ You already have 3 messages waiting. Wait for their answers, or /stop them.",
    );
    // Other members still get their place in that group's line, up to the chat's bound.
    for (let i = 0; i < 3; i++)
      h.tg.sendText(GROUP, `@test_ollama_bot other ${i}`, { from: { id: OTHER_USER } });
    for (let i = 0; i < 2; i++) h.tg.sendText(GROUP, `@test_ollama_bot admin ${i}`, { from: { id: ADMIN } });
    await h.waitForBot(
      GROUP,
      (m) =>
        m.text === "⏳ 5 messages are already waiting in this chat. Wait for their answers, or /stop them.",
      15_000,
    );
    h.tg.sendText(USER, "/stop");
    h.tg.sendText(GROUP, "/stop", { from: { id: USER } });
  });

  it("stops an endless answer at MAX_ANSWER_CHARS with a note, freeing the model for the others", async () => {
    h = await startHarness({
      env: { MAX_ANSWER_CHARS: "600" },
      ollama: { longTokens: 100_000, tokenDelayMs: 1 },
    });
    await h.pick(USER, "long:latest");
    h.tg.sendText(USER, "count to a million");
    const cut = await h.waitForBot(USER, (m) => m.text.endsWith("the most one answer may have."));
    expect(cut.text.length).toBeLessThan(800);
    expect(h.botMessages(USER).filter((m) => m.text.startsWith("word0"))).toHaveLength(1);
    const s = await h.waitForSession(USER, (x) => x.turn === undefined && x.history.length === 2);
    expect(s.history.at(-1)).toMatchObject({ role: "assistant", status: "stopped" });
  });

  it("counts only what is addressed to the bot against a group member's rate limit", async () => {
    h = await startHarness({ env: { RATE_LIMIT_PER_MINUTE: "3" } });
    h.tg.addChat(GROUP, { type: "supergroup", title: "Chatty", botIsAdmin: true });
    for (let i = 0; i < 8; i++) h.tg.sendText(GROUP, `just talking ${i}`, { from: { id: USER } });
    h.tg.sendText(GROUP, "/help", { from: { id: USER } });
    await h.waitForBot(GROUP, (m) => m.text.includes("/ollama"));
    expect(h.botMessages(GROUP).some((m) => m.text.startsWith("✋ Slow down"))).toBe(false);
  });

  it("gives up a question after a few unusable answers, so its stored state cannot grow", async () => {
    h = await startHarness({ env: { MAX_PROMPT_CHARS: "50" } });
    await h.pick(USER, "tiny:latest");
    h.tg.sendText(USER, "/system");
    await h.press(USER, "📝 Write my own");
    await h.waitForBot(USER, (m) => m.text.startsWith("Send the system prompt"));
    for (let i = 0; i < 3; i++) h.tg.sendText(USER, "x".repeat(60 + i));
    await h.waitForBot(USER, (m) => m.text.startsWith("That did not work out"));
    const s = await h.waitForSession(USER, (x) => x.conversations === undefined);
    expect(s.system).toBeUndefined();
  });
});
