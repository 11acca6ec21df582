/**
 * The promises the bot makes to its users, each kept end to end through the fake Telegram: Retry and Continue
 * that work after a restart, pulls that leave a way forward, restarts named as restarts, /stop for a message in
 * line, double taps, the model's text as written, Ollama down behind a working hub, names that stay apart.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { type ChatSession, SESSION_MIGRATIONS } from "../../src/bot/index.js";
import {
  ADMIN,
  finished,
  type Harness,
  modelCalls,
  OTHER_USER,
  startHarness,
  USER,
} from "../support/bot-harness.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const final = (text: string) => (m: Parameters<typeof finished>[0] & { text: string }) =>
  m.text === text && finished(m);
const GROUP = -100777;

describe("promises the bot keeps", () => {
  it("gives every failed message its own Retry, which still works after a restart and only once", async () => {
    h = await startHarness();
    await h.pick(USER, "tiny:latest");
    await h.hub.setFault("refuse");
    h.tg.sendText(USER, "first try");
    await h.waitForBot(USER, (m) => m.text.includes("Your message is saved") && m.buttons.length > 0);
    h.tg.sendText(USER, "second try");
    await h.tg.waitFor(
      () =>
        h!.botMessages(USER).filter((m) => m.text.includes("Your message is saved") && m.buttons.length > 0)
          .length === 2,
    );
    const [older, newer] = h.botMessages(USER).filter((m) => m.text.includes("Your message is saved"));
    await h.hub.setFault(null);
    await h.restart();

    const retryOf = (m: typeof older) => m!.buttons.flat().find((b) => b.text === "🔁 Retry")!.data!;
    // A double tap on the older one: two presses arrive before its buttons are gone; one answer.
    h.tg.pressButton(USER, older!.messageId, retryOf(older));
    h.tg.pressButton(USER, older!.messageId, retryOf(older));
    await h.waitForBot(USER, final("You said: first try"));
    await h.tg.waitFor(() => h!.tg.callbackAnswers.some((a) => a.text === "This button was already used."));
    h.tg.pressButton(USER, newer!.messageId, retryOf(newer));
    await h.waitForBot(USER, final("You said: second try"));
    const asked = modelCalls(h).map((r) => JSON.stringify(r.body));
    expect(asked).toHaveLength(2);
    const s = await h.waitForSession(USER, (x) => x.turn === undefined && x.history.length === 4);
    // Each message moved to the end when answered: asked once, in the order they were answered.
    expect(s.history.map((e) => [e.role, e.content, e.status])).toEqual([
      ["user", "first try", undefined],
      ["assistant", "You said: first try", "ok"],
      ["user", "second try", undefined],
      ["assistant", "You said: second try", "ok"],
    ]);
  });

  it("rides out a model server that is away for a moment: the answer comes, no failure, no Retry needed", async () => {
    h = await startHarness({ env: { HUB_OUTAGE_WINDOW_MS: "30000" } });
    await h.pick(USER, "tiny:latest");
    await h.hub.setFault("refuse"); // the hub is restarting
    h.tg.sendText(USER, "are you back?");
    await h.tg.waitFor(() =>
      h!.logs.some((l) => l.includes("the model server is away; the turn waits for it")),
    );
    await h.hub.setFault(null);
    await h.waitForBot(USER, final("You said: are you back?"));
    expect(h.botMessages(USER).some((m) => m.text.includes("Your message is saved"))).toBe(false);
  });

  it("runs a Retry pressed while the bot was down, although its spinner can no longer be answered", async () => {
    h = await startHarness();
    await h.pick(USER, "tiny:latest");
    await h.hub.setFault("refuse");
    h.tg.sendText(USER, "pressed while down");
    const failed = await h.waitForBot(
      USER,
      (m) => m.text.includes("Your message is saved") && m.buttons.length > 0,
    );
    await h.hub.setFault(null);
    await h.stopBot();
    const retry = failed.buttons.flat().find((b) => b.text === "🔁 Retry")!;
    h.tg.pressButton(USER, failed.messageId, retry.data!);
    // Longer than Telegram waits for an answer to a press (15 s on the test clock).
    await new Promise((r) => setTimeout(r, 2_500));
    await h.startBot();
    await h.waitForBot(USER, final("You said: pressed while down"));
    expect(
      h.tg.callsTo("answerCallbackQuery").some((c) => c.error?.description?.includes("query is too old")),
    ).toBe(true);
  });

  it("answers the saved message with the model picked from “Pick another model”", async () => {
    h = await startHarness();
    await h.pick(USER, "crash:latest");
    await h.store.update(String(USER), (s) => {
      s.model = "gone:latest"; // picked earlier, deleted since
    });
    h.tg.sendText(USER, "which model are you?");
    await h.waitForBot(USER, (m) => m.text.startsWith("gone:latest is not installed."));
    await h.press(USER, "Pick another model");
    await h.waitForBot(USER, (m) => m.text.startsWith("Pick a model: it will answer your saved message."));
    await h.press(USER, "tiny:latest");
    await h.waitForBot(USER, (m) => m.text.endsWith("Answering your message…"));
    await h.waitForBot(USER, final("You said: which model are you?"));
    expect((await h.store.get(String(USER))).model).toBe("tiny:latest");
  });

  it("answers every message saved with “Pick another model”, not only the last one", async () => {
    h = await startHarness();
    await h.store.update(String(USER), (s) => {
      s.model = "gone:latest";
    });
    h.tg.sendText(USER, "first saved");
    await h.tg.waitFor(
      () =>
        h!.botMessages(USER).filter((m) => m.text.startsWith("gone:latest is not installed")).length === 1,
    );
    h.tg.sendText(USER, "second saved");
    await h.tg.waitFor(
      () =>
        h!.botMessages(USER).filter((m) => m.text.startsWith("gone:latest is not installed")).length === 2,
    );
    const [one, two] = h.botMessages(USER).filter((m) => m.text.startsWith("gone:latest is not installed"));
    const pick = (m: typeof one) => m!.buttons.flat().find((b) => b.text === "Pick another model")!.data!;
    h.tg.pressButton(USER, one!.messageId, pick(one));
    await h.waitForBot(USER, (m) => m.text.startsWith("Pick a model: it will answer your saved message."));
    h.tg.pressButton(USER, two!.messageId, pick(two));
    await h.tg.waitFor(
      () =>
        h!.botMessages(USER).filter((m) => m.text.startsWith("Pick a model: it will answer")).length === 2,
    );
    await h.press(USER, "tiny:latest");
    await h.waitForBot(USER, final("You said: first saved"));
    await h.waitForBot(USER, final("You said: second saved"));
  });

  it("migrates a v2 session's one waiting message into v3's list", () => {
    const migrate = SESSION_MIGRATIONS[3] as (old: unknown) => ChatSession;
    const v3 = migrate({
      mode: "chat",
      stream: true,
      history: [],
      waiting: { prompt: "hi", messageId: 7 },
      awaiting: "system",
    });
    expect(v3.waiting).toEqual([{ prompt: "hi", messageId: 7 }]);
    expect("awaiting" in v3).toBe(false);
  });

  it("leaves a way forward when a pull fails: try again or pick another model, the message still waiting", async () => {
    h = await startHarness();
    await h.store.update(String(ADMIN), (s) => {
      s.model = "nosuch:7b";
    });
    h.tg.sendText(ADMIN, "hello?");
    await h.waitForBot(ADMIN, (m) => m.text.startsWith("nosuch:7b is not installed on"));
    await h.press(ADMIN, "📥 Pull nosuch:7b");
    const failed = await h.waitForBot(ADMIN, (m) => m.text.startsWith("❌ Could not pull nosuch:7b"));
    expect(failed.text).toContain("there is no such model in the library");
    expect(failed.buttons.flat().map((b) => b.text)).toEqual(["🔁 Try the pull again", "Pick another model"]);
    await h.press(ADMIN, "Pick another model");
    await h.press(ADMIN, "tiny:latest");
    await h.waitForBot(ADMIN, final("You said: hello?"));
  });

  it("marks an answer a graceful stop cut as interrupted by a restart, then offers Retry and Continue", async () => {
    h = await startHarness({ ollama: { longTokens: 100_000, tokenDelayMs: 5 }, env: { LIVE_MODE: "edit" } });
    await h.pick(USER, "long:latest");
    h.tg.sendText(USER, "talk a lot");
    await h.waitForBot(USER, (m) => m.text.startsWith("word0 word1") && m.buttons.length === 1);
    await h.stopBot(0);
    const cut = await h.waitForBot(USER, (m) => m.text.endsWith("⚠️ Interrupted: the bot was restarted."));
    expect(cut.text).not.toContain("⏹ Stopped.");
    expect(cut.buttons).toEqual([]);
    await h.startBot();
    // The buttons go under the cut answer itself, which already says what happened.
    const offer = await h.waitForBot(USER, (m) => m.messageId === cut.messageId && m.buttons.length > 0);
    expect(offer.text).toBe(cut.text);
    expect(offer.buttons.flat().map((b) => b.text)).toEqual(["🔁 Retry", "▶️ Continue"]);
    expect(h.botMessages(USER).some((m) => m.text.startsWith("⚠️ I was restarted while answering"))).toBe(
      false,
    );
    const s = await h.store.get(String(USER));
    expect(s.history.map((e) => [e.role, e.status])).toEqual([
      ["user", "interrupted"],
      ["assistant", "interrupted"],
    ]);
    await h.press(USER, "▶️ Continue");
    await h.tg.waitFor(() => modelCalls(h!).length === 2);
    const body = modelCalls(h).at(-1)!.body as {
      messages: Array<{ role: string; content: string }>;
    };
    expect(body.messages.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
    expect(body.messages[1]!.content.startsWith("word0 word1")).toBe(true);
    expect(body.messages[2]!.content).toMatch(/^Please continue your previous answer/);
  });

  it("keeps messages waiting in line through a kill: at start-up they are answered, in order, their old notices gone", async () => {
    h = await startHarness();
    await h.pick(USER, "tiny:latest");
    await h.pick(OTHER_USER, "tiny:latest");
    const a = { messageId: 101 };
    const b = { messageId: 102 };
    const notice = await h.services.core.api.sendMessage(
      USER,
      "⏳ The model is busy with other chats: you are next in line.",
    );
    await h.stopBot();
    // What a killed process leaves: two messages written to their chats' lines, one notice on screen.
    const now = Date.now();
    await h.store.update(String(USER), (s) => {
      s.queued = [
        {
          id: "q00001",
          prompt: "first in line",
          messageId: a.messageId,
          userId: USER,
          chatType: "private",
          locale: "en",
          at: now,
          noticeId: notice.message_id,
        },
      ];
    });
    await h.store.update(String(OTHER_USER), (s) => {
      s.queued = [
        {
          id: "q00002",
          prompt: "second in line",
          messageId: b.messageId,
          userId: OTHER_USER,
          chatType: "private",
          locale: "en",
          at: now + 1,
        },
      ];
    });
    await h.startBot();
    await h.waitForBot(USER, final("You said: first in line"));
    await h.waitForBot(OTHER_USER, final("You said: second in line"));
    const asked = modelCalls(h).map((r) => JSON.stringify(r.body));
    expect(asked.findIndex((x) => x.includes("first in line"))).toBeLessThan(
      asked.findIndex((x) => x.includes("second in line")),
    );
    expect(h.botMessages(USER).some((m) => m.messageId === notice.message_id)).toBe(false);
    await h.waitForSession(USER, (x) => x.queued === undefined && x.turn === undefined);
    expect(asked.filter((x) => x.includes("first in line"))).toHaveLength(1);
  });

  it("a graceful stop leaves waiting messages in line, says so, and answers them after the restart", async () => {
    h = await startHarness({ ollama: { longTokens: 100_000, tokenDelayMs: 5 } });
    await h.pick(USER, "long:latest");
    await h.pick(OTHER_USER, "tiny:latest");
    h.tg.sendText(USER, "keep the slot busy");
    await h.tg.waitFor(() => (h!.tg.visibleDraft(USER)?.text ?? "").startsWith("word0")); // streaming, as a draft
    h.tg.sendText(OTHER_USER, "wait for me");
    await h.waitForBot(OTHER_USER, (m) => m.text.includes("in line"));
    await h.stopBot(0);
    await h.waitForBot(
      OTHER_USER,
      (m) => m.text === "⏳ The bot is stopping: I'll answer this as soon as it runs again.",
    );
    expect((await h.store.get(String(OTHER_USER))).queued?.map((q) => q.prompt)).toEqual(["wait for me"]);
    await h.startBot();
    await h.waitForBot(OTHER_USER, final("You said: wait for me"));
  });

  it("after a crash, takes the dead ⏹ Stop button off the cut message and offers Retry", async () => {
    h = await startHarness();
    await h.pick(USER, "tiny:latest");
    // What a killed process leaves: a live message with its Stop button, and the turn marked as running.
    const user = h.tg.sendText(USER, "lost in the crash");
    const live = await h.services.core.api.sendMessage(USER, "You said: lost", {
      reply_markup: { inline_keyboard: [[{ text: "⏹ Stop", callback_data: "stop:dead1" }]] },
    });
    await h.stopBot();
    await h.store.update(String(USER), (s) => {
      s.history.push({ role: "user", content: "lost in the crash", at: Date.now() });
      s.turn = {
        prompt: "lost in the crash",
        messageId: user.messageId,
        startedAt: Date.now(),
        liveMessageIds: [live.message_id],
      };
    });
    await h.startBot();
    // Killed before the first checkpoint: the cut message itself says so and carries the Retry.
    const after = await h.waitForBot(
      USER,
      (m) => m.messageId === live.message_id && m.text === "⚠️ Interrupted: the bot was restarted.",
    );
    expect(after.buttons.flat().map((b) => b.text)).toEqual(["🔁 Retry"]);
    expect(h.botMessages(USER).some((m) => m.text.startsWith("⚠️ I was restarted while answering"))).toBe(
      false,
    );
    await h.press(USER, "🔁 Retry");
    await h.waitForBot(USER, final("You said: lost in the crash"));
  });

  it("after a kill between Telegram posting the live message and the bot saving its id, finds and marks it", async () => {
    h = await startHarness();
    await h.pick(USER, "tiny:latest");
    const user = h.tg.sendText(USER, "sent, then killed");
    await h.waitForBot(USER, final("You said: sent, then killed"));
    await h.stopBot();
    // The bot noted what it was about to send, Telegram posted it, and the process died before the id was saved.
    const content = {
      text: "⏳ tiny:latest…",
      reply_markup: { inline_keyboard: [[{ text: "⏹ Stop", callback_data: "stop:dead2" }]] },
      link_preview_options: { is_disabled: true },
    };
    const orphan = await h.services.core.api.sendMessage(USER, content.text, {
      reply_markup: content.reply_markup,
      link_preview_options: content.link_preview_options,
    });
    await h.store.update(String(USER), (s) => {
      s.history.push({ role: "user", content: "sent, then killed", at: Date.now() });
      s.turn = {
        prompt: "sent, then killed",
        messageId: user.messageId,
        startedAt: Date.now(),
        // The newest id the bot knew when it sent: the answer just before.
        pendingSend: { content, floor: orphan.message_id - 1 },
      };
    });
    const before = h.tg.visibleMessages(USER).map((m) => m.messageId);
    await h.startBot();
    const marked = await h.waitForBot(
      USER,
      (m) => m.messageId === orphan.message_id && m.text === "⚠️ Interrupted: the bot was restarted.",
    );
    expect(marked.buttons.flat().map((b) => b.text)).toEqual(["🔁 Retry"]);
    // Nothing else was touched: the user's messages and the bot's others are as they were.
    expect(h.tg.visibleMessages(USER).map((m) => m.messageId)).toEqual(before);
    await h.press(USER, "🔁 Retry");
    await h.tg.waitFor(() => h!.botMessages(USER).filter(final("You said: sent, then killed")).length === 2);
    expect(h.botMessages(USER).filter((m) => m.text.includes("⏳") || m.text.includes("#1 in line"))).toEqual(
      [],
    );
  });

  it("after a kill between Telegram posting a queue notice and the bot saving its id, removes it and answers", async () => {
    h = await startHarness();
    await h.pick(USER, "tiny:latest");
    const user = h.tg.sendText(USER, "waited in line");
    await h.waitForBot(USER, final("You said: waited in line"));
    await h.stopBot();
    const content = {
      text: "⏳ The model is busy with other chats: you are next in line.",
      reply_markup: { inline_keyboard: [[{ text: "✖️ Cancel", callback_data: "qx:q1" }]] },
    };
    const orphan = await h.services.core.api.sendMessage(USER, content.text, {
      reply_markup: content.reply_markup,
    });
    await h.store.update(String(USER), (s) => {
      s.queued = [
        {
          id: "q1",
          prompt: "waited in line",
          messageId: user.messageId,
          userId: USER,
          chatType: "private",
          locale: "en",
          at: Date.now(),
          pendingNotice: { content, floor: orphan.message_id - 1 },
        },
      ];
    });
    await h.startBot();
    await h.tg.waitFor(() => h!.botMessages(USER).filter(final("You said: waited in line")).length === 2);
    await h.tg.waitFor(() => !h!.botMessages(USER).some((m) => m.messageId === orphan.message_id));
  });

  it("checkpoints a streaming answer; after a crash the cut message itself gets the mark and Retry/Continue", async () => {
    h = await startHarness({ ollama: { longTokens: 100_000, tokenDelayMs: 5 }, env: { LIVE_MODE: "edit" } });
    await h.pick(USER, "long:latest");
    h.tg.sendText(USER, "talk a lot");
    const live = await h.waitForBot(USER, (m) => m.text.startsWith("word0 word1") && m.buttons.length === 1);
    const saved = await h.waitForSession(USER, (x) => (x.turn?.partial ?? "").startsWith("word0 word1"));
    // What a kill leaves: the turn with its checkpoint; the chat shows the live message with its ⏹ Stop.
    const turn = saved.turn!;
    h.tg.sendText(USER, "/stop");
    await h.waitForBot(USER, (m) => m.text.endsWith("⏹ Stopped."));
    await h.stopBot();
    await h.store.update(String(USER), (x) => {
      x.history = x.history.slice(0, 1); // as if the answer had never been saved
      x.turn = turn;
    });
    await h.services.core.api.editMessageText(USER, live.messageId, "word0 word1 word2", {
      reply_markup: { inline_keyboard: [[{ text: "⏹ Stop", callback_data: "stop:dead2" }]] },
    });
    await h.startBot();
    const marked = await h.waitForBot(
      USER,
      (m) => m.messageId === live.messageId && m.text.endsWith("⚠️ Interrupted: the bot was restarted."),
    );
    expect(marked.text.startsWith(turn.partial!.trimEnd())).toBe(true);
    expect(marked.buttons.flat().map((b) => b.text)).toEqual(["🔁 Retry", "▶️ Continue"]);
    const after = await h.store.get(String(USER));
    expect(after.history.map((e) => [e.role, e.status])).toEqual([
      ["user", "interrupted"],
      ["assistant", "interrupted"],
    ]);
    expect(h.botMessages(USER).some((m) => m.text.startsWith("⚠️ I was restarted"))).toBe(false);
  });

  it("offers Retry and Continue under an answer cut mid-stream, not only when nothing was said", async () => {
    h = await startHarness();
    await h.pick(USER, "cut:latest");
    h.tg.sendText(USER, "hello");
    const cut = await h.waitForBot(USER, (m) => m.buttons.flat().some((b) => b.text === "▶️ Continue"));
    expect(cut.text).toMatch(/^You said:/);
    expect(cut.text).toContain("The answer was cut off");
    expect(cut.buttons.flat().map((b) => b.text)).toEqual(["🔁 Retry", "▶️ Continue"]);
    await h.store.update(String(USER), (s) => {
      s.model = "tiny:latest";
    });
    await h.press(USER, "🔁 Retry");
    await h.waitForBot(USER, final("You said: hello"));
    // The retried prompt replaced the cut answer: one prompt, one answer.
    const s = await h.waitForSession(USER, (x) => x.turn === undefined && x.history.length === 2);
    expect(s.history.map((e) => [e.role, e.content])).toEqual([
      ["user", "hello"],
      ["assistant", "You said: hello"],
    ]);
  });

  it("takes a message waiting in line out with /stop, and with the Cancel button on its notice", async () => {
    h = await startHarness({ ollama: { longTokens: 100_000, tokenDelayMs: 5 }, env: { LIVE_MODE: "edit" } });
    await h.pick(USER, "long:latest");
    await h.pick(OTHER_USER, "tiny:latest");
    h.tg.sendText(USER, "keep the slot busy");
    await h.waitForBot(USER, (m) => m.text.startsWith("word0"));
    h.tg.sendText(OTHER_USER, "wait for me");
    await h.waitForBot(OTHER_USER, (m) => m.text.includes("you are next in line"));
    h.tg.sendText(OTHER_USER, "/stop");
    await h.waitForBot(OTHER_USER, (m) => m.text === "✖ The message waiting in line is cancelled.");
    await h.waitForBot(OTHER_USER, (m) => m.text === "✖ Cancelled: I won't answer this message.");
    h.tg.sendText(OTHER_USER, "and me");
    await h.press(OTHER_USER, "✖ Cancel");
    await h.tg.waitFor(() => h!.tg.callbackAnswers.some((a) => a.text === "Cancelled."));
    h.tg.sendText(USER, "/stop");
    await h.waitForBot(USER, (m) => m.text.endsWith("⏹ Stopped."));
    await h.services.queue.drained();
    const asked = modelCalls(h).map((r) => r.body);
    expect(JSON.stringify(asked)).not.toContain("wait for me");
    expect(JSON.stringify(asked)).not.toContain("and me");
  });

  it("never answers a double tap with “Something went wrong”: not modified is success", async () => {
    const models = Array.from({ length: 10 }, (_, i) => `m${i}:latest`);
    h = await startHarness({ ollama: { models } });
    h.tg.sendText(USER, "/ollama");
    const picker = await h.waitForBot(USER, (m) => m.text.includes("Pick a model"));
    // The page indicator redraws the page it shows: the same text and buttons, which Telegram refuses as
    // "message is not modified". Tapped twice, quickly.
    const here = picker.buttons.flat().find((b) => b.text === "1/2")!;
    h.tg.pressButton(USER, picker.messageId, here.data!);
    h.tg.pressButton(USER, picker.messageId, here.data!);
    await h.tg.waitFor(() => h!.tg.callsTo("editMessageText").length === 2);
    await h.tg.waitFor(() => h!.tg.unansweredCallbackQueries().length === 0);
    expect(h.tg.callsTo("editMessageText").map((c) => c.error?.description)).toEqual([
      "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
      "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
    ]);
    expect(h.botMessages(USER).some((m) => m.text.includes("Something went wrong"))).toBe(false);
    expect(h.logs.join("")).not.toContain('"msg":"update failed"');
  });

  it("names Ollama down behind a running hub as such, in a stream too", async () => {
    h = await startHarness();
    await h.pick(USER, "tiny:latest");
    await h.ollama.close();
    h.tg.sendText(USER, "anyone home?");
    const note = await h.waitForBot(USER, (m) => m.text.includes("Your message is saved"));
    expect(note.text).toContain(
      `I can reach the hub at ${h.hub.apiBase}, but Ollama behind it is not running.`,
    );
    expect(note.text).not.toContain("connection");
    expect(h.logs.join("")).toContain('"code":"OLLAMA_UNAVAILABLE"');
  });

  it("keeps model names that differ only at the end apart, and opens the picker on the current model's page", async () => {
    const models = [
      ...Array.from({ length: 9 }, (_, i) => `m${i}:latest`),
      "qwen2.5-coder:7b-instruct-q4_K_M",
      "qwen2.5-coder:7b-instruct-q8_0",
    ];
    h = await startHarness({ ollama: { models } });
    await h.store.update(String(USER), (s) => {
      s.model = "qwen2.5-coder:7b-instruct-q8_0";
    });
    h.tg.sendText(USER, "/ollama");
    const picker = await h.waitForBot(USER, (m) => m.text.includes("Pick a model"));
    const labels = picker.buttons.flat().map((b) => b.text);
    expect(labels).toContain("2/2");
    const qwen = labels.filter((l) => l.includes("qwen"));
    expect(qwen).toHaveLength(2);
    expect(qwen.some((l) => l.includes("q4_K_M"))).toBe(true);
    expect(qwen.some((l) => l.startsWith("✅ ") && l.includes("q8_0"))).toBe(true);
    for (const b of picker.buttons.flat()) expect(Buffer.byteLength(b.data ?? "")).toBeLessThanOrEqual(64);
  });

  it("in a group, asks for the system prompt with force_reply and takes only the asking member's reply", async () => {
    // A group's budget is not what this is about (auto-retry would wait its 429s out in real seconds).
    h = await startHarness({ telegramLimits: false });
    h.tg.addChat(GROUP, { type: "supergroup", title: "Team" });
    await h.pick(GROUP, "tiny:latest", USER);
    h.tg.sendText(GROUP, "/system", { from: { id: USER } });
    await h.waitForBot(GROUP, (m) => m.text.startsWith("How should the model behave?"));
    // Another member's tap on the asker's menu does nothing but say so.
    await h.press(GROUP, "⚡ Concise", OTHER_USER);
    await h.tg.waitFor(() =>
      h!.tg.callbackAnswers.some((a) => a.text === "This question is for someone else, or it is closed."),
    );
    await h.press(GROUP, "📝 Write my own", USER);
    // Started from a button, the question names the member, so force_reply reaches them (it is selective).
    const question = await h.waitForBot(GROUP, (m) => m.text.includes("Send the system prompt"));
    expect(question.text).not.toMatch(/^Send/);
    // Another member replying to the question does not set it.
    h.tg.sendText(GROUP, "You are a pirate.", { from: { id: OTHER_USER }, replyTo: question.messageId });
    await h.waitForBot(
      GROUP,
      (m) => m.text === "That question was for someone else. Mention me to ask your own.",
    );
    h.tg.sendText(GROUP, "You are terse.", { from: { id: USER }, replyTo: question.messageId });
    await h.waitForBot(GROUP, (m) => m.text.startsWith("📝 System prompt set."));
    const s = await h.waitForSession(GROUP, (x) => x.system !== undefined && x.questions === undefined);
    expect(s.system).toBe("You are terse.");
    // The pirate was neither the system prompt nor a question to the model.
    expect(JSON.stringify(h.ollama.requests.map((r) => r.body))).not.toContain("pirate");
    const asked = h.tg
      .callsTo("sendMessage")
      .find((c) => String(c.params.text ?? "").includes("Send the system prompt"));
    const markup = asked?.params.reply_markup;
    expect(typeof markup === "string" ? JSON.parse(markup) : markup).toMatchObject({ force_reply: true });
    const entities = asked?.params.entities;
    expect(typeof entities === "string" ? JSON.parse(entities) : entities).toMatchObject([
      { type: "text_mention", offset: 0, user: { id: USER } },
    ]);
  });

  it("keeps a question open across a restart, and /cancel ends it with nothing changed", async () => {
    h = await startHarness();
    await h.pick(USER, "tiny:latest");
    h.tg.sendText(USER, "/system");
    await h.press(USER, "📝 Write my own");
    await h.waitForBot(USER, (m) => m.text.startsWith("Send the system prompt"));
    await h.restart();
    h.tg.sendText(USER, "You are brief.");
    await h.waitForBot(USER, (m) => m.text.startsWith("📝 System prompt set."));
    expect((await h.store.get(String(USER))).system).toBe("You are brief.");
    h.tg.sendText(USER, "/system");
    await h.waitForBot(USER, (m) => m.text.startsWith("Current system prompt: You are brief."));
    h.tg.sendText(USER, "/cancel");
    await h.waitForBot(USER, (m) => m.text === "OK, nothing changed.");
    h.tg.sendText(USER, "hi");
    await h.waitForBot(USER, final("You said: hi"));
    expect((await h.store.get(String(USER))).system).toBe("You are brief.");
  });

  it("lets a question expire: a late answer is told so and changes nothing", async () => {
    h = await startHarness();
    await h.pick(USER, "tiny:latest");
    h.tg.sendText(USER, "/topic");
    await h.waitForBot(USER, (m) => m.text.startsWith("What should the two talk about?"));
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 16 * 60_000 });
    try {
      h.tg.sendText(USER, "much later");
      await h.waitForBot(USER, (m) => m.text.startsWith("That question has expired"));
    } finally {
      vi.useRealTimers();
    }
    const s = await h.waitForSession(USER, (x) => x.conversations === undefined);
    expect(s.ai2ai?.topic).not.toBe("much later");
  });

  it("sets a preset system prompt in one tap, in the user's language, and removes it in one more", async () => {
    h = await startHarness();
    await h.pick(USER, "tiny:latest");
    const de = { from: { id: USER, language_code: "de" } };
    h.tg.sendText(USER, "/system", de);
    await h.press(USER, "⚡ Knapp");
    await h.waitForBot(USER, (m) => m.text.startsWith("📝 Systemprompt gesetzt"));
    const s = await h.waitForSession(USER, (x) => x.system !== undefined && x.conversations === undefined);
    expect(s.system).toBe("You are a concise assistant. Answer briefly and to the point. Answer in German.");
    // Shown to the user by its name in their language, not as the English instruction.
    h.tg.sendText(USER, "/model", de);
    await h.waitForBot(USER, (m) => m.text.includes("📝 Systemprompt: ⚡ Knapp"));
    h.tg.sendText(USER, "/system", de);
    await h.press(USER, "🗑 Entfernen");
    await h.waitForSession(USER, (x) => x.system === undefined && x.conversations === undefined);
  });

  it("a graceful restart right after an answer does not answer the same message again", async () => {
    h = await startHarness();
    await h.pick(USER, "tiny:latest");
    // The polls after the one that brings the message fail, so none of them confirms it to Telegram.
    h.tg.failNext("getUpdates", { code: 502 }, 2);
    h.tg.sendText(USER, "only once");
    await h.waitForBot(USER, final("You said: only once"));
    await h.tg.waitFor(() => h!.tg.callsTo("getUpdates").filter((c) => !c.ok).length >= 2);
    // The stop must confirm it, or Telegram delivers it again to the next run.
    await h.restart();
    h.tg.sendText(USER, "and then this");
    await h.waitForBot(USER, final("You said: and then this"));
    expect(h.botMessages(USER).filter(final("You said: only once"))).toHaveLength(1);
  });

  it("takes a text typed under the /system menu as the system prompt, as the menu says", async () => {
    h = await startHarness();
    await h.pick(USER, "tiny:latest");
    h.tg.sendText(USER, "/system");
    await h.waitForBot(USER, (m) => m.text.startsWith("How should the model behave?"));
    h.tg.sendText(USER, "Be brief.");
    await h.waitForBot(USER, (m) => m.text.startsWith("📝 System prompt set."));
    const s = await h.waitForSession(USER, (x) => x.system !== undefined && x.conversations === undefined);
    expect(s.system).toBe("Be brief.");
    expect(modelCalls(h)).toHaveLength(0); // not sent to the model
    const menu = h.botMessages(USER).find((m) => m.text.startsWith("How should the model behave?"))!;
    expect(menu.buttons).toEqual([]);
  });

  it("answers small things correctly: spaces in a private chat, /stream with a wrong argument", async () => {
    h = await startHarness();
    await h.pick(USER, "tiny:latest");
    h.tg.sendText(USER, "   ");
    await h.waitForBot(USER, (m) => m.text === "Your message is empty: write your question as text.");
    h.tg.sendText(USER, "/stream maybe");
    await h.waitForBot(USER, (m) => m.text.startsWith("Use /stream on or /stream off"));
    expect((await h.store.get(String(USER))).stream).toBe(true);
  });
});
