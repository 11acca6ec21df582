import { afterEach, describe, expect, it } from "vitest";
import {
  ADMIN,
  finished,
  type Harness,
  modelCalls,
  OTHER_USER,
  STRANGER,
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
const chatRequests = (harness: Harness) => modelCalls(harness);

describe("the bot, used through the fake Telegram", () => {
  it("explains itself on /start and publishes its command menu", async () => {
    h = await startHarness();
    h.tg.sendText(USER, "/start");
    const reply = await h.waitForBot(USER, (m) => m.text.includes("/ollama"));
    expect(reply.text).toContain("No model chosen yet: send /ollama.");
    expect(h.tg.commands().map((c) => c.command)).toEqual([
      "ollama",
      "model",
      "stop",
      "reset",
      "settings",
      "summarize",
      "say",
      "system",
      "stream",
      "language",
      "topic",
      "transcript",
      "help",
    ]);
  });

  it("lets a user pick a model from the picker and chat with it; the history is kept", async () => {
    h = await startHarness();
    h.tg.sendText(USER, "/ollama");
    const picker = await h.waitForBot(USER, (m) => m.text.includes("Pick a model"));
    expect(picker.text).toContain("🤖 Chat · Model: none yet · Streaming: on");
    const labels = picker.buttons.flat().map((b) => b.text);
    expect(labels).toContain("tiny:latest · 1.1B, 638 MB · 🟢");
    expect(labels).toEqual(expect.arrayContaining(["🔄 Refresh", "✖ Close", "Streaming: on"]));
    for (const b of picker.buttons.flat()) expect(Buffer.byteLength(b.data ?? "")).toBeLessThanOrEqual(64);

    await h.press(USER, "tiny:latest");
    await h.waitForBot(USER, (m) => m.text.includes("✅ Now chatting with tiny:latest"));
    h.tg.sendText(USER, "hello");
    await h.waitForBot(USER, final("You said: hello"));
    h.tg.sendText(USER, "again");
    await h.waitForBot(USER, final("You said: again"));
    const lastRequest = chatRequests(h).at(-1)!.body as { messages: unknown[] };
    expect(lastRequest.messages).toEqual([
      { role: "user", content: "hello" },
      { role: "assistant", content: "You said: hello" },
      { role: "user", content: "again" },
    ]);
    const session = await h.waitForSession(USER, (s) => s.history.length === 4);
    expect(session.model).toBe("tiny:latest");
    expect(session.history.map((e) => [e.role, e.content, e.status])).toEqual([
      ["user", "hello", undefined],
      ["assistant", "You said: hello", "ok"],
      ["user", "again", undefined],
      ["assistant", "You said: again", "ok"],
    ]);
  });

  it("with streaming off, shows typing and sends the answer once", async () => {
    h = await startHarness();
    await h.pick(USER, "tiny:latest");
    h.tg.sendText(USER, "/stream off");
    await h.waitForBot(USER, (m) => m.text.startsWith("Streaming is off"));
    const editsBefore = h.tg.stats(USER).edits;
    h.tg.sendText(USER, "quiet please");
    await h.waitForBot(USER, final("You said: quiet please"));
    expect(h.tg.stats(USER).edits).toBe(editsBefore);
    expect(h.tg.chatActions(USER).map((a) => a.action)).toContain("typing");
  });

  it("splits a long answer over several messages that together hold the whole answer", async () => {
    h = await startHarness({ ollama: { longTokens: 1800, tokenDelayMs: 0 } });
    await h.pick(USER, "long:latest");
    h.tg.sendText(USER, "go");
    const expected = Array.from({ length: 1800 }, (_, i) => (i % 2 ? " " : `word${i / 2}`)).join("");
    await h.tg.waitFor(() => h!.botMessages(USER).some((m) => m.text.trimEnd().endsWith("word899")), {
      timeoutMs: 15_000,
    });
    await h.tg.waitFor(() => h!.botMessages(USER).every((m) => finished(m)), {
      timeoutMs: 15_000,
    });
    const answer = h.botMessages(USER).filter((m) => m.text.startsWith("word"));
    expect(answer.length).toBeGreaterThanOrEqual(2);
    expect(answer.map((m) => m.text).join(" ")).toBe(expected.trim());
    expect(Math.max(...answer.map((m) => m.text.length))).toBeLessThanOrEqual(4096);
  });

  it("stops mid-answer on ⏹ Stop and keeps the partial answer, in the chat and in the history", async () => {
    h = await startHarness({ ollama: { longTokens: 100_000, tokenDelayMs: 5 }, env: { LIVE_MODE: "edit" } });
    await h.pick(USER, "long:latest");
    h.tg.sendText(USER, "talk forever");
    await h.waitForBot(USER, (m) => m.text.startsWith("word0 word1") && m.buttons.length === 1);
    await h.press(USER, "⏹ Stop");
    const stopped = await h.waitForBot(USER, (m) => m.text.endsWith("⏹ Stopped.") && m.buttons.length === 0);
    const session = await h.waitForSession(USER, (s) => s.history.at(-1)?.role === "assistant");
    const answer = session.history.at(-1)!;
    expect(answer).toMatchObject({ role: "assistant", status: "stopped" });
    expect(stopped.text).toBe(`${answer.content.trim()}\n\n⏹ Stopped.`);
  });

  it("/stop stops the answer, which says so itself: no second message repeats it", async () => {
    h = await startHarness({ ollama: { longTokens: 100_000, tokenDelayMs: 5 }, env: { LIVE_MODE: "edit" } });
    await h.pick(USER, "long:latest");
    h.tg.sendText(USER, "talk forever");
    await h.waitForBot(USER, (m) => m.text.startsWith("word0 word1") && m.buttons.length === 1);
    h.tg.sendText(USER, "/stop");
    await h.waitForBot(USER, (m) => m.text.endsWith("⏹ Stopped.") && m.buttons.length === 0);
    // The /stop update is done once a later command is answered in the same chat (one sequence per chat).
    h.tg.sendText(USER, "/model");
    await h.waitForBot(USER, (m) => m.text.includes("long:latest") && m.text !== "talk forever");
    expect(h.botMessages(USER).filter((m) => m.text.includes("Stopping"))).toEqual([]);
  });

  it("answers an old or forged picker button with a notice only, never a wrong model nor a new message", async () => {
    h = await startHarness();
    h.tg.sendText(USER, "/ollama");
    const old = await h.waitForBot(USER, (m) => m.text.includes("Pick a model"));
    h.tg.sendText(USER, "/o");
    await h.tg.waitFor(
      () => h!.botMessages(USER).filter((m) => m.text.includes("Pick a model")).length === 2,
    );
    const oldTiny = old.buttons.flat().find((b) => b.text.startsWith("tiny"))!;
    h.tg.pressButton(USER, old.messageId, oldTiny.data!);
    await h.tg.waitFor(() =>
      h!.tg.callbackAnswers.some((a) => a.text === "This menu is out of date: send /ollama for a fresh one."),
    );
    h.tg.pressButton(USER, old.messageId, "pk:zzzzzz:0", { forged: true });
    h.tg.pressButton(USER, old.messageId, "pk:!!:99999999999999999999", { forged: true });
    await h.tg.waitFor(
      () => h!.tg.callbackAnswers.filter((a) => a.text?.includes("out of date")).length === 2,
    );
    // The other chat's current picker token is no good here either.
    h.tg.sendText(OTHER_USER, "/ollama");
    const theirs = await h.waitForBot(OTHER_USER, (m) => m.text.includes("Pick a model"));
    h.tg.pressButton(USER, old.messageId, theirs.buttons[0]![0]!.data!, { forged: true });
    await h.tg.waitFor(
      () => h!.tg.callbackAnswers.filter((a) => a.text?.includes("out of date")).length === 3,
    );
    expect((await h.store.get(String(USER))).model).toBeUndefined();
    // Every press got an answer (no spinner left on the user's screen), and no press made a message.
    await h.tg.waitFor(() => h!.tg.unansweredCallbackQueries().length === 0);
    expect(h.botMessages(USER).filter((m) => m.text.includes("Pick a model"))).toHaveLength(2);
  });

  it("tells a user who is not allowed their id once, and nothing else", async () => {
    h = await startHarness();
    h.tg.sendText(STRANGER, "hello?");
    const reply = await h.waitForBot(STRANGER, (m) => m.text.includes("666"));
    expect(reply.text).toBe(
      "Sorry, this bot is private. Your Telegram user id is 666. If this is your bot, add it to ALLOWED_USER_IDS in its .env and restart it; otherwise ask the bot's owner to.",
    );
    h.tg.sendText(STRANGER, "/ollama");
    h.tg.sendText(USER, "/help"); // a marker: once its reply is there, the stranger's message was handled
    await h.waitForBot(USER, (m) => m.text.includes("/ollama"));
    expect(h.botMessages(STRANGER)).toHaveLength(1);
    expect(chatRequests(h)).toEqual([]);
  });

  it("serves two chats with one generation slot: the second sees its place in line, then its answer", async () => {
    h = await startHarness({ ollama: { longTokens: 400, tokenDelayMs: 3 } });
    await h.pick(USER, "long:latest");
    await h.pick(OTHER_USER, "tiny:latest");
    h.tg.sendText(USER, "long one");
    await h.tg.waitFor(() => (h!.tg.visibleDraft(USER)?.text ?? "").startsWith("word0")); // streaming, as a draft
    h.tg.sendText(OTHER_USER, "short one");
    await h.waitForBot(
      OTHER_USER,
      (m) => m.text === "⏳ The model is busy with other chats: you are next in line.",
    );
    await h.waitForBot(OTHER_USER, final("You said: short one"), 15_000);
    const userFinishedFirst = h.botMessages(USER).some((m) => finished(m) && m.text.startsWith("word"));
    expect(userFinishedFirst).toBe(true);
    // The notice is gone once the turn starts.
    expect(h.botMessages(OTHER_USER).some((m) => m.text.includes("in line"))).toBe(false);
  });

  it("keeps many waiting chats told of their place without flooding them: position updates coalesced and paced", async () => {
    h = await startHarness({
      env: { ALLOWED_USER_IDS: "*", DEFAULT_MODEL: "long:latest", LIVE_MODE: "edit" },
      ollama: { longTokens: 30, tokenDelayMs: 5 },
    });
    const chats = [5001, 5002, 5003, 5004, 5005, 5006, 5007, 5008];
    for (const chat of chats) h.tg.sendText(chat, `question ${chat}`, { from: { id: chat } });
    for (const chat of chats)
      await h.waitForBot(chat, (m) => finished(m) && m.text.startsWith("word0"), 30_000);
    const notices = h.tg.calls.filter(
      (c) => c.method === "editMessageText" && String(c.params.text).startsWith("⏳"),
    );
    // Places changed as the line moved, and the notices said so…
    expect(notices.length).toBeGreaterThan(0);
    // …at most once per 3 s each (give or take the delivery), and Telegram never had to refuse one.
    const byNotice = new Map<string, typeof notices>();
    for (const c of notices) {
      const key = `${c.params.chat_id}:${c.params.message_id}`;
      byNotice.set(key, [...(byNotice.get(key) ?? []), c]);
    }
    for (const [key, edits] of byNotice) {
      for (let i = 1; i < edits.length; i++) {
        // Stamped at receipt, on a clock 8 times faster than real: a few ms of loopback jitter is ~0.1–0.5 s.
        expect(edits[i]!.at - edits[i - 1]!.at, key).toBeGreaterThanOrEqual(2_500);
      }
    }
    expect(h.tg.calls.filter((c) => c.error?.error_code === 429)).toEqual([]);
    // Each notice went once its turn started.
    for (const chat of chats) expect(h.botMessages(chat).some((m) => m.text.startsWith("⏳"))).toBe(false);
  });

  it("answers three messages in a row in one chat in order, saying the later ones are queued", async () => {
    h = await startHarness({ ollama: { tokenDelayMs: 20 } });
    await h.pick(USER, "tiny:latest");
    for (const t of ["one", "two", "three"]) h.tg.sendText(USER, t);
    await h.waitForBot(USER, (m) => m.text.startsWith("⏳ Queued"));
    await h.waitForBot(USER, final("You said: three"), 15_000);
    const answers = h
      .botMessages(USER)
      .filter((m) => m.text.startsWith("You said:"))
      .map((m) => m.text);
    expect(answers).toEqual(["You said: one", "You said: two", "You said: three"]);
    const prompts = chatRequests(h).map(
      (r) => (r.body as { messages: Array<{ content: string }> }).messages.at(-1)!.content,
    );
    expect(prompts.slice(-3)).toEqual(["one", "two", "three"]);
  });

  it("offers an admin to pull a missing model, shows the progress, then answers the waiting message", async () => {
    h = await startHarness();
    await h.store.update(String(ADMIN), (s) => {
      s.model = "new:1b"; // picked earlier, deleted since
    });
    h.tg.sendText(ADMIN, "hi there");
    await h.waitForBot(ADMIN, (m) => m.text.startsWith("new:1b is not installed on the hub at"));
    await h.press(ADMIN, "📥 Pull new:1b");
    await h.waitForBot(ADMIN, (m) => m.text === "✅ new:1b is installed.");
    await h.waitForBot(ADMIN, final("You said: hi there"));
  });

  it("tells a user who is not an admin that the model is missing, with no Pull button", async () => {
    h = await startHarness();
    await h.store.update(String(USER), (s) => {
      s.model = "new:1b";
    });
    h.tg.sendText(USER, "hi");
    const msg = await h.waitForBot(USER, (m) => m.text.startsWith("new:1b is not installed."));
    expect(msg.buttons.flat().map((b) => b.text)).toEqual(["Pick another model"]);
  });

  it("says which hub is down, keeps the message, and answers it on Retry once the hub is back", async () => {
    h = await startHarness();
    await h.pick(USER, "tiny:latest");
    await h.hub.setFault("refuse");
    h.tg.sendText(USER, "are you there?");
    const note = await h.waitForBot(USER, (m) => m.text.includes("I can't reach the hub at"));
    expect(note.text).toContain(h.hub.apiBase);
    await h.waitForBot(USER, (m) => m.text.includes("Your message is saved"));
    // One message says what happened and carries the fix, not two.
    const failure = h.botMessages(USER).filter((m) => m.text.includes("I can't reach"));
    expect(failure).toHaveLength(1);
    expect(failure[0]!.buttons.flat().map((b) => b.text)).toEqual(["🔁 Retry", "Pick another model"]);
    const saved = await h.waitForSession(USER, (s) => s.turn === undefined);
    expect(saved.history.at(-1)).toMatchObject({ role: "user", content: "are you there?", status: "failed" });
    await h.hub.setFault(null);
    await h.press(USER, "🔁 Retry");
    await h.waitForBot(USER, final("You said: are you there?"));
    const after = await h.waitForSession(USER, (s) => s.history.at(-1)?.role === "assistant");
    expect(after.history.filter((e) => e.content === "are you there?")).toHaveLength(1);
  });

  it("keeps model, settings and history across a restart, and marks a turn the restart cut as interrupted", async () => {
    h = await startHarness({ ollama: { longTokens: 100_000, tokenDelayMs: 5 } });
    await h.pick(USER, "tiny:latest");
    h.tg.sendText(USER, "/system Be brief.");
    await h.waitForBot(USER, (m) => m.text.startsWith("📝 System prompt set"));
    h.tg.sendText(USER, "/stream off");
    await h.waitForBot(USER, (m) => m.text.startsWith("Streaming is off"));
    h.tg.sendText(USER, "remember me");
    await h.waitForBot(USER, final("You said: remember me"));

    await h.restart();
    h.tg.sendText(USER, "/model");
    const info = await h.waitForBot(USER, (m) => m.text.includes("History: 2 messages"));
    expect(info.text).toContain("Model: tiny:latest · Streaming: off · System prompt: set");
    h.tg.sendText(USER, "still there?");
    await h.waitForBot(USER, final("You said: still there?"));
    expect((chatRequests(h).at(-1)!.body as { messages: unknown[] }).messages).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "remember me" },
      { role: "assistant", content: "You said: remember me" },
      { role: "user", content: "still there?" },
    ]);

    // A turn still running when the bot stops is stopped and kept, marked interrupted.
    await h.store.update(String(USER), (s) => {
      s.model = "long:latest";
      s.stream = true;
    });
    h.tg.sendText(USER, "long story");
    await h.waitForBot(USER, (m) => m.text.startsWith("word0 word1"));
    await h.restart(0);
    const s = await h.store.get(String(USER));
    expect(s.turn).toBeUndefined();
    expect(s.history.at(-2)).toMatchObject({ role: "user", content: "long story" });
    expect(s.history.at(-1)).toMatchObject({ role: "assistant", status: "interrupted" });
  });

  it("after a crash, tells the chat its message was cut off and offers a retry", async () => {
    h = await startHarness();
    await h.stopBot();
    // What a killed process leaves: the prompt saved, the turn marked as running.
    await h.store.update(String(USER), (s) => {
      s.model = "tiny:latest";
      s.history.push({ role: "user", content: "lost in the crash", at: Date.now() });
      s.turn = { prompt: "lost in the crash", messageId: 1, startedAt: Date.now() };
    });
    h.tg.addChat(USER);
    await h.startBot();
    await h.waitForBot(USER, (m) => m.text.startsWith("⚠️ I was restarted while answering"));
    const s = await h.store.get(String(USER));
    expect(s.turn).toBeUndefined();
    expect(s.history.at(-1)).toMatchObject({ content: "lost in the crash", status: "interrupted" });
    await h.press(USER, "🔁 Retry");
    await h.waitForBot(USER, final("You said: lost in the crash"));
  });

  it("explains that it reads only text, refuses an over-long prompt, and in groups answers only when addressed", async () => {
    h = await startHarness({ env: { MAX_PROMPT_CHARS: "20" } });
    await h.pick(USER, "tiny:latest");
    h.tg.sendSticker(USER);
    await h.waitForBot(USER, (m) => m.text.startsWith("I can read text, photos"));
    h.tg.sendText(USER, "x".repeat(21));
    await h.waitForBot(USER, (m) => m.text.startsWith("Your message is 21 characters; the limit is 20."));

    const group = -100500;
    h.tg.sendText(group, "/ollama", { from: { id: USER } });
    await h.press(group, "tiny:latest", USER);
    await h.waitForBot(group, (m) => m.text.includes("Now chatting with tiny:latest"));
    const unaddressed = h.tg.sendText(group, "just chatting among humans", { from: { id: USER } });
    expect(unaddressed.delivered).toBe(false);
    h.tg.sendText(group, "@test_ollama_bot what now?", { from: { id: OTHER_USER } });
    await h.waitForBot(group, final("You said: what now?"));
    const answer = h.botMessages(group).at(-1)!;
    h.tg.sendText(group, "and then?", { from: { id: USER }, replyTo: answer.messageId });
    await h.waitForBot(group, final("You said: and then?"));
  });

  it("shows admins the queue, and no one else", async () => {
    h = await startHarness();
    h.tg.sendText(USER, "/queue");
    await h.waitForBot(USER, (m) => m.text === "Only admins can see the queue.");
    h.tg.sendText(ADMIN, "/queue");
    await h.waitForBot(ADMIN, (m) => m.text.startsWith("Generating: 0 of 1 slot"));
  });

  it("tells a flooding user to slow down, once", async () => {
    h = await startHarness({ env: { RATE_LIMIT_PER_MINUTE: "3" } });
    for (let i = 0; i < 6; i++) h.tg.sendText(USER, "/help");
    await h.waitForBot(USER, (m) => m.text.startsWith("✋ Slow down: at most 3 messages a minute."));
    h.tg.sendText(OTHER_USER, "/help"); // marker
    await h.waitForBot(OTHER_USER, (m) => m.text.includes("/ollama"));
    expect(h.botMessages(USER).filter((m) => m.text.startsWith("✋ Slow down"))).toHaveLength(1);
    expect(h.botMessages(USER).filter((m) => m.text.includes("/ollama"))).toHaveLength(3);
  });

  it("never writes the bot token or message text to the log at the default level", async () => {
    h = await startHarness();
    await h.pick(USER, "tiny:latest");
    h.tg.sendText(USER, "a very private question");
    await h.waitForBot(USER, final("You said: a very private question"));
    await h.waitForSession(USER, (s) => s.turn === undefined);
    await new Promise((r) => setTimeout(r, 50));
    const log = h.logs.join("");
    expect(log).toContain('"msg":"turn finished"');
    expect(log).toContain(`"chatId":${USER}`);
    expect(log).not.toContain(h.tg.token);
    expect(log).not.toContain("very private");
  });

  it("sets a system prompt, clears the history and closes, all from the picker's buttons", async () => {
    h = await startHarness();
    await h.pick(USER, "tiny:latest");
    h.tg.sendText(USER, "first");
    await h.waitForBot(USER, final("You said: first"));
    h.tg.sendText(USER, "/ollama");
    await h.press(USER, "📝 System prompt");
    await h.press(USER, "📝 Write my own");
    await h.waitForBot(USER, (m) => m.text.startsWith("Send the system prompt as your next message"));
    h.tg.sendText(USER, "You are terse.");
    await h.waitForBot(USER, (m) => m.text.startsWith("📝 System prompt set."));
    await h.press(USER, "🧹 Clear history");
    await h.tg.waitFor(() => h!.tg.callbackAnswers.some((a) => a.text === "History cleared."));
    const picker = h.botMessages(USER).findLast((m) => m.buttons.flat().some((b) => b.text === "✖ Close"))!;
    await h.press(USER, "✖ Close");
    await h.tg.waitFor(() => !h!.botMessages(USER).some((m) => m.messageId === picker.messageId));
    h.tg.sendText(USER, "second");
    await h.waitForBot(USER, final("You said: second"));
    expect((chatRequests(h).at(-1)!.body as { messages: unknown[] }).messages).toEqual([
      { role: "system", content: "You are terse." },
      { role: "user", content: "second" },
    ]);
  });

  it("answers a message sent before any model was picked, as soon as one is", async () => {
    h = await startHarness();
    h.tg.sendText(USER, "hello early");
    const prompt = await h.waitForBot(USER, (m) =>
      m.text.startsWith("Pick a model first: I'll answer your message"),
    );
    const tiny = prompt.buttons.flat().find((b) => b.text.startsWith("tiny:latest"))!;
    h.tg.pressButton(USER, prompt.messageId, tiny.data!);
    await h.waitForBot(USER, (m) =>
      m.text.endsWith("✅ Now chatting with tiny:latest. Answering your message…"),
    );
    await h.waitForBot(USER, final("You said: hello early"));
  });
});
