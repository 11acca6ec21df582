import { afterEach, describe, expect, it } from "vitest";
import {
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

type Msg = { role: string; content: string };
const chatBodies = (harness: Harness) =>
  modelCalls(harness).map((r) => r.body as { model: string; messages: Msg[] });
const lineCount = async (harness: Harness, chat: number) =>
  (await harness.store.get(String(chat))).ai2ai?.lines.length ?? 0;

/** Through the picker, as a user: AI↔AI on, tap A, tap B. */
async function cast(harness: Harness, chat: number, a: string, b: string) {
  harness.tg.sendText(chat, "/ollama");
  await harness.press(chat, "🤖↔🤖 AI↔AI: off");
  await harness.waitForBot(chat, (m) => m.text.includes("Tap the model for A"));
  await harness.press(chat, a);
  await harness.waitForBot(
    chat,
    (m) => m.text.includes(`A: Albert Einstein (${a})`) && m.text.includes("for B"),
  );
  await harness.press(chat, b);
  return harness.waitForBot(chat, (m) => m.text.includes(`B: Socrates (${b})`));
}

/** Waits for the controls message that follows exchange `n` (or the end of the conversation). */
const afterTurn = (harness: Harness, chat: number, n: number, max: number) =>
  harness.waitForBot(
    chat,
    (m) => m.text.startsWith(n >= max ? "🏁" : `Turn ${n}/${max} ·`) && m.buttons.length > 0,
    15_000,
  );

describe("AI↔AI through the fake Telegram", () => {
  it("picks A then B from the picker, takes personas and a topic, and counts every exchange to the limit", async () => {
    h = await startHarness({ env: { OLLAMA_AI2AI_TURNS: "3" } });
    const picker = await cast(h, USER, "tiny:latest", "tiny:latest"); // the same model on both sides is fine
    expect(picker.text).toContain(
      "🤖↔🤖 AI↔AI · A: Albert Einstein (tiny:latest) · B: Socrates (tiny:latest)",
    );

    await h.press(USER, "⚙️ Options");
    await h.press(USER, "B: Curie");
    await h.waitForBot(USER, (m) => m.text.includes("B: Marie Curie (tiny:latest)"));
    await h.press(USER, "📝 Topic");
    await h.waitForBot(USER, (m) => m.text.startsWith("What should the two talk about?"));
    h.tg.sendText(USER, "Is light a wave?");
    await h.waitForBot(USER, (m) => m.text === "📝 Topic set: Is light a wave?");

    await h.press(USER, "▶️ Start");
    const one = await afterTurn(h, USER, 1, 3);
    expect(one.text).toContain("Turn 1/3 · 2 left");
    const texts = h.botMessages(USER).map((m) => m.text);
    expect(
      texts.some((t) =>
        t.startsWith("Albert Einstein (tiny:latest) · Turn 1/3\n\nYou said: Open the conversation"),
      ),
    ).toBe(true);
    expect(
      texts.some((t) => t.startsWith("Marie Curie (tiny:latest) · Turn 1/3\n\nYou said: You said:")),
    ).toBe(true);

    await h.press(USER, "⏭️ Continue exchange");
    await afterTurn(h, USER, 2, 3);
    await h.press(USER, "⏩ Auto"); // runs the one remaining exchange
    const end = await afterTurn(h, USER, 3, 3);
    expect(end.buttons.flat().map((b) => b.text)).toEqual([
      "➕ 5 more turns",
      "🔁 Restart",
      "📄 Transcript",
      "⚙️ Options",
      "🎧 Episode", // the hub can speak
    ]);
    const s = await h.store.get(String(USER));
    expect(s.ai2ai).toMatchObject({ done: 3, auto: false });
    expect(s.ai2ai?.lines.map((l) => l.side)).toEqual(["a", "b", "a", "b", "a", "b"]);
    expect(chatBodies(h)).toHaveLength(6);

    await h.press(USER, "➕ 5 more turns");
    const more = await h.waitForBot(USER, (m) => m.text.startsWith("Turn 3/8 · 5 left"));
    expect(more.buttons.flat().map((b) => b.text)).toContain("⏭️ Continue exchange");

    await h.press(USER, "⏭️ Continue exchange");
    await afterTurn(h, USER, 4, 8);
    h.tg.sendText(USER, "/transcript");
    await h.tg.waitFor(() => h!.tg.documents.length === 1);
    const doc = h.tg.documents[0]!;
    expect(doc.fileName).toBe("ai2ai-transcript.md");
    const md = doc.content!.toString("utf8");
    expect(md).toContain("- **Topic:** Is light a wave?");
    expect(md).toContain("- **B:** Marie Curie — tiny:latest");
    expect(md.match(/^## /gm)).toHaveLength(8);
  });

  it("gives each side the conversation from its own point of view, with the moderator's notes", async () => {
    h = await startHarness();
    await cast(h, USER, "tiny:latest", "think:latest");
    h.tg.sendText(USER, "Is time real?"); // before the start, a message sets the topic
    await h.waitForBot(USER, (m) => m.text === "📝 Topic set: Is time real?");
    await h.press(USER, "▶️ Start");
    await afterTurn(h, USER, 1, 10);
    h.tg.sendText(USER, "Please use an example.");
    await h.waitForBot(USER, (m) => m.text.startsWith("📝 Noted as the moderator"));
    await h.press(USER, "⏭️ Continue exchange");
    await afterTurn(h, USER, 2, 10);

    const s = (await h.store.get(String(USER))).ai2ai!;
    const [a1, b1, , a2] = s.lines;
    const bodies = chatBodies(h);
    const aSecond = bodies[2]!;
    const bSecond = bodies[3]!;
    expect(aSecond.model).toBe("tiny:latest");
    expect(aSecond.messages[0]!.content).toContain("You are Albert Einstein");
    expect(s.topic).toBe("Is time real?");
    expect(aSecond.messages[0]!.content).toContain("You are talking with Socrates about: Is time real?");
    expect(aSecond.messages.slice(1)).toEqual([
      { role: "user", content: `Let's talk about: ${s.topic}` },
      { role: "assistant", content: a1!.text },
      { role: "user", content: b1!.text },
      { role: "user", content: "[Moderator] Please use an example." },
    ]);
    expect(bSecond.model).toBe("think:latest");
    expect(bSecond.messages[0]!.content).toContain("You are Socrates");
    expect(bSecond.messages.slice(1)).toEqual([
      { role: "user", content: a1!.text },
      { role: "assistant", content: b1!.text },
      { role: "user", content: "[Moderator] Please use an example." },
      { role: "user", content: a2!.text },
    ]);
  });

  it("stops an Auto run mid-stream: the partial line stays, nothing more runs, and Continue resumes", async () => {
    h = await startHarness({ ollama: { longTokens: 400, tokenDelayMs: 5 }, env: { LIVE_MODE: "edit" } });
    await cast(h, USER, "long:latest", "tiny:latest");
    await h.press(USER, "▶️ Start");
    await afterTurn(h, USER, 1, 10);
    await h.press(USER, "⏩ Auto");
    await h.waitForBot(USER, (m) =>
      m.text.startsWith("Albert Einstein (long:latest) · Turn 2/10\n\nword0 word1"),
    );
    await h.press(USER, "⏹ Stop"); // the Stop button on the speaking message
    await h.waitForBot(
      USER,
      (m) => m.text.startsWith("Albert Einstein (long:latest) · Turn 2/10") && m.text.endsWith("⏹ Stopped."),
    );
    const paused = await h.waitForBot(
      USER,
      (m) => m.text.startsWith("Turn 1/10 · 9 left") && m.buttons.length > 0,
    );
    expect(paused.buttons.flat().map((b) => b.text)).toContain("⏩ Auto"); // Auto is off again
    const s = await h.waitForSession(USER, (x) => x.ai2ai?.lines.length === 3);
    expect(s.ai2ai).toMatchObject({ auto: false, done: 1, pausedAt: "b", pauseReason: "stopped" });
    expect(s.ai2ai?.lines[2]).toMatchObject({ side: "a", status: "stopped" });
    await h.services.queue.drained();
    expect(chatBodies(h)).toHaveLength(3); // A, B, then the stopped A: Auto did not go on

    await h.press(USER, "⏭️ Continue exchange"); // B answers what A said before the stop
    await afterTurn(h, USER, 2, 10);
    expect((await h.store.get(String(USER))).ai2ai?.lines.map((l) => l.side)).toEqual(["a", "b", "a", "b"]);
  });

  it("pauses on a failure mid-turn with the partial line kept, and Retry resumes that side only", async () => {
    h = await startHarness();
    await cast(h, USER, "tiny:latest", "crash:latest");
    await h.press(USER, "▶️ Start");
    await h.waitForBot(USER, (m) => m.text.includes("⚠️ The model stopped with an error"));
    const paused = await h.waitForBot(USER, (m) => m.text.startsWith("⚠️ Paused: Socrates could not answer."));
    expect(paused.buttons.flat().map((b) => b.text)).toContain("🔁 Retry");
    const s = await h.store.get(String(USER));
    expect(s.ai2ai).toMatchObject({ done: 0, pausedAt: "b" });
    expect(s.ai2ai?.lines.map((l) => [l.side, l.status])).toEqual([
      ["a", undefined],
      ["b", "failed"],
    ]);
    // The operator fixes the model; the user retries.
    await h.store.update(String(USER), (x) => {
      x.ai2ai!.b!.model = "tiny:latest";
    });
    const before = chatBodies(h).length;
    await h.press(USER, "🔁 Retry");
    await afterTurn(h, USER, 1, 10);
    expect(
      chatBodies(h)
        .slice(before)
        .map((b) => b.model),
    ).toEqual(["tiny:latest"]); // only B spoke again
    const after = await h.store.get(String(USER));
    expect(after.ai2ai?.done).toBe(1);
    // The failed partial stays in the transcript but not in what the models see.
    expect(
      chatBodies(h)
        .at(-1)!
        .messages.some((m) => m.content.startsWith("You said:") && m.role === "assistant"),
    ).toBe(false);
  });

  it("carries on after a restart between exchanges, from the old Continue button", async () => {
    h = await startHarness();
    await cast(h, USER, "tiny:latest", "tiny:latest");
    await h.press(USER, "▶️ Start");
    await afterTurn(h, USER, 1, 10);
    await h.restart();
    await h.press(USER, "⏭️ Continue exchange");
    await afterTurn(h, USER, 2, 10);
    expect(await lineCount(h, USER)).toBe(4);
  });

  it("after a restart mid-line, gives the controls back at start-up; Continue goes on from the last complete line", async () => {
    h = await startHarness({ ollama: { longTokens: 100_000, tokenDelayMs: 5 }, env: { LIVE_MODE: "edit" } });
    await cast(h, USER, "tiny:latest", "long:latest");
    await h.press(USER, "▶️ Start");
    await h.waitForBot(USER, (m) => m.text.startsWith("Socrates (long:latest) · Turn 1/10\n\nword0 word1"));
    await h.stopBot(0);
    await h.waitForBot(
      USER,
      (m) => m.text.startsWith("Socrates (long:latest)") && m.text.endsWith("restarted."),
    );
    await h.startBot();
    const back = await h.waitForBot(
      USER,
      (m) => m.text.startsWith("⚠️ Paused by a restart") && m.buttons.length > 0,
    );
    expect(back.text).toContain("Socrates speaks next");
    const s = await h.store.get(String(USER));
    expect(s.ai2ai).toMatchObject({ done: 0, pausedAt: "b", pauseReason: "interrupted" });
    expect(s.ai2ai?.speaking).toBeUndefined();
    expect(s.ai2ai?.lines.map((l) => [l.side, l.status])).toEqual([
      ["a", undefined],
      ["b", "interrupted"],
    ]);
    // Continue: B speaks again, seeing A's line (its own cut line is not sent to the model).
    await h.store.update(String(USER), (x) => {
      x.ai2ai!.b!.model = "tiny:latest";
    });
    await h.press(USER, "⏭️ Continue exchange");
    await afterTurn(h, USER, 1, 10);
    const toB = chatBodies(h)
      .at(-1)!
      .messages.map((m) => m.content);
    expect(toB.join("\n")).not.toContain("word0 word1");
  });

  it("after a crash mid-line, gives the controls back at start-up and the cut side speaks again", async () => {
    h = await startHarness();
    await cast(h, USER, "tiny:latest", "tiny:latest");
    await h.press(USER, "▶️ Start");
    await afterTurn(h, USER, 1, 10);
    await h.stopBot();
    // What a killed process leaves: A's line of exchange 2 was being spoken.
    await h.store.update(String(USER), (x) => {
      x.ai2ai!.speaking = { side: "a", startedAt: Date.now() };
    });
    await h.startBot();
    const back = await h.waitForBot(
      USER,
      (m) => m.text.startsWith("⚠️ Paused by a restart") && m.buttons.length > 0,
    );
    expect(back.text).toContain("Albert Einstein speaks next");
    await h.press(USER, "⏭️ Continue exchange");
    await afterTurn(h, USER, 2, 10);
    expect((await h.store.get(String(USER))).ai2ai?.lines.map((l) => l.side)).toEqual(["a", "b", "a", "b"]);
  });

  it("after a crash mid-line streamed as a draft, what the line had said comes back as a message", async () => {
    h = await startHarness();
    await cast(h, USER, "tiny:latest", "tiny:latest");
    await h.press(USER, "▶️ Start");
    await afterTurn(h, USER, 1, 10);
    await h.stopBot();
    // A killed process's draft is gone with it: the line has its checkpoint and no message.
    await h.store.update(String(USER), (x) => {
      x.ai2ai!.speaking = { side: "a", startedAt: Date.now(), partial: "Half a thought about" };
    });
    await h.startBot();
    const said = await h.waitForBot(USER, (m) => m.text.includes("Half a thought about"));
    expect(said.text).toBe(
      "Albert Einstein (tiny:latest) · Turn 2/10\n\nHalf a thought about\n\n⚠️ Interrupted: the bot was restarted.",
    );
    await h.waitForBot(USER, (m) => m.text.startsWith("⚠️ Paused by a restart") && m.buttons.length > 0);
  });

  it("a Restart while an exchange runs stops it, and the old exchange writes nothing into the new one", async () => {
    h = await startHarness({ ollama: { longTokens: 100_000, tokenDelayMs: 5 } });
    await cast(h, USER, "long:latest", "tiny:latest");
    await h.press(USER, "▶️ Start");
    // A private chat: the line streams as a draft.
    await h.tg.waitFor(() =>
      (h!.tg.visibleDraft(USER)?.text ?? "").startsWith("Albert Einstein (long:latest) · Turn 1/10\n\nword0"),
    );
    const before = await h.store.get(String(USER));
    await h.services.ai2ai.restart(USER, before.ai2ai!.token);
    await h.services.queue.drained();
    const after = await h.store.get(String(USER));
    expect(after.ai2ai?.token).not.toBe(before.ai2ai?.token);
    expect(after.ai2ai).toMatchObject({ done: 0, lines: [] });
    expect(after.ai2ai?.speaking).toBeUndefined();
    expect(chatBodies(h)).toHaveLength(1); // B never spoke for the old conversation
  });

  it("a stop during an Auto run ends as soon as the running line does: no Auto timer or queued exchange holds it", async () => {
    h = await startHarness({ env: { OLLAMA_AI2AI_TURNS: "50" } });
    await cast(h, USER, "tiny:latest", "tiny:latest");
    await h.press(USER, "▶️ Start");
    await afterTurn(h, USER, 1, 50);
    await h.press(USER, "⏩ Auto");
    await afterTurn(h, USER, 2, 50);
    const began = Date.now();
    await h.stopBot(60_000);
    expect(Date.now() - began).toBeLessThan(5_000);
    const asked = chatBodies(h).length;
    await new Promise((r) => setTimeout(r, 300)); // an Auto pause is ~190 ms on the test clock
    expect(chatBodies(h)).toHaveLength(asked);
    expect(asked).toBeLessThan(10);
    // After the restart, the run says so and goes on by itself: it was on Auto.
    const done = (await h.store.get(String(USER))).ai2ai!.done;
    await h.startBot();
    const back = await h.waitForBot(
      USER,
      (m) => m.text.startsWith("⚠️ The bot was restarted") && m.buttons.length > 0,
    );
    expect(back.text).toContain("Auto goes on");
    expect(back.buttons.flat().map((b) => b.text)).toContain("⏸ Auto is on");
    await h.waitForSession(USER, (x) => (x.ai2ai?.done ?? 0) >= done + 2);
  });

  it("on Auto, only the newest controls keep their buttons: none of the older ones still looks live", async () => {
    h = await startHarness({ env: { OLLAMA_AI2AI_TURNS: "4" } });
    await cast(h, USER, "tiny:latest", "tiny:latest");
    await h.press(USER, "▶️ Start");
    await afterTurn(h, USER, 1, 4);
    await h.press(USER, "⏩ Auto");
    await h.waitForBot(
      USER,
      (m) => m.text.startsWith("🏁 The conversation has ended") && m.buttons.length > 0,
    );
    const live = () =>
      h!
        .botMessages(USER)
        .filter((m) => m.buttons.flat().some((b) => /Continue exchange|Auto|⏹ Stop/.test(b.text)));
    await h.tg.waitFor(() => live().length === 0).catch(() => undefined);
    expect(live().map((m) => m.text.split("\n")[0])).toEqual([]);
    expect(
      h.botMessages(USER).filter((m) => m.buttons.flat().some((b) => b.text === "🔁 Restart")),
    ).toHaveLength(1);
  });

  it("after a kill mid-line on Auto: the cut line shows what it had said and the mark, no Stop; Auto goes on", async () => {
    h = await startHarness();
    await cast(h, USER, "tiny:latest", "tiny:latest");
    await h.press(USER, "▶️ Start");
    await afterTurn(h, USER, 1, 10);
    await h.stopBot();
    // What a killed process leaves: A's line of exchange 2 live, with its ⏹, checkpointed a few seconds in.
    const cut = await h.services.core.api.sendMessage(
      USER,
      "Albert Einstein (tiny:latest) · Turn 2/10\n\nhalf a",
      {
        reply_markup: { inline_keyboard: [[{ text: "⏹ Stop", callback_data: "s:dead" }]] },
      },
    );
    await h.store.update(String(USER), (x) => {
      x.ai2ai!.auto = true;
      x.ai2ai!.speaking = {
        side: "a",
        startedAt: Date.now(),
        messageId: cut.message_id,
        partial: "half a thought",
      };
    });
    await h.startBot();
    const marked = await h.waitForBot(
      USER,
      (m) => m.messageId === cut.message_id && m.text.includes("restarted"),
    );
    expect(marked.text).toBe(
      "Albert Einstein (tiny:latest) · Turn 2/10\n\nhalf a thought\n\n⚠️ Interrupted: the bot was restarted.",
    );
    expect(marked.buttons).toEqual([]);
    // Nobody presses anything: the run goes on, and the cut side speaks again.
    await h.waitForSession(USER, (x) => (x.ai2ai?.done ?? 0) >= 3);
    const lines = (await h.store.get(String(USER))).ai2ai!.lines;
    expect(lines.slice(0, 5).map((l) => [l.side, l.status])).toEqual([
      ["a", undefined],
      ["b", undefined],
      ["a", "interrupted"],
      ["a", undefined],
      ["b", undefined],
    ]);
    await h.stopBot();
  });

  it("a graceful stop between A's line and B's: after the restart the controls are back and B speaks next", async () => {
    h = await startHarness({ ollama: { longTokens: 300, tokenDelayMs: 5 } });
    await cast(h, USER, "long:latest", "tiny:latest");
    await h.press(USER, "▶️ Start");
    await h.waitForBot(USER, (m) => m.text.startsWith("Albert Einstein (long:latest) · Turn 1/10\n\nword0"));
    await h.stopBot(60_000); // A finishes within the grace; B does not start
    await h.startBot();
    const back = await h.waitForBot(
      USER,
      (m) => m.text.startsWith("⚠️ Paused by a restart") && m.buttons.length > 0,
    );
    expect(back.text).toContain("Socrates speaks next");
    await h.press(USER, "⏭️ Continue exchange");
    await afterTurn(h, USER, 1, 10);
    expect((await h.store.get(String(USER))).ai2ai?.lines.map((l) => l.side)).toEqual(["a", "b"]);
  });

  it("a Stop while the exchange waits in line takes it out: nothing runs", async () => {
    h = await startHarness({ ollama: { longTokens: 100_000, tokenDelayMs: 5 } });
    await h.pick(OTHER_USER, "long:latest");
    h.tg.sendText(OTHER_USER, "keep the only slot busy");
    // Streaming, as a draft (a private chat).
    await h.tg.waitFor(() => (h!.tg.visibleDraft(OTHER_USER)?.text ?? "").startsWith("word0"));
    await cast(h, USER, "tiny:latest", "tiny:latest");
    await h.press(USER, "▶️ Start");
    await h.tg.waitFor(() => h!.tg.callbackAnswers.some((a) => a.text === "Next exchange…"));
    h.tg.sendText(USER, "/stop");
    await h.waitForBot(USER, (m) => m.text === "⏹ Stopping.");
    h.tg.sendText(OTHER_USER, "/stop");
    await h.services.queue.drained();
    expect(chatBodies(h).filter((b) => b.model === "tiny:latest")).toHaveLength(0);
    expect((await h.store.get(String(USER))).ai2ai?.lines).toEqual([]);
  });

  it("runs two chats' conversations at once through the fair queue", async () => {
    h = await startHarness();
    await cast(h, USER, "tiny:latest", "tiny:latest");
    await cast(h, OTHER_USER, "unicode:latest", "tiny:latest");
    await h.press(USER, "▶️ Start");
    await h.press(OTHER_USER, "▶️ Start");
    await afterTurn(h, USER, 1, 10);
    await afterTurn(h, OTHER_USER, 1, 10);
    expect(await lineCount(h, USER)).toBe(2);
    expect(await lineCount(h, OTHER_USER)).toBe(2);
  });

  it("answers a second Continue while an exchange runs instead of running two", async () => {
    h = await startHarness({ ollama: { tokenDelayMs: 30 } });
    await cast(h, USER, "tiny:latest", "tiny:latest");
    const picker = h.botMessages(USER).findLast((m) => m.buttons.flat().some((b) => b.text === "▶️ Start"))!;
    const start = picker.buttons.flat().find((b) => b.text === "▶️ Start")!;
    h.tg.pressButton(USER, picker.messageId, start.data!);
    h.tg.pressButton(USER, picker.messageId, start.data!, { forged: true });
    await h.tg.waitFor(() => h!.tg.callbackAnswers.some((a) => a.text === "An exchange is already running."));
    await afterTurn(h, USER, 1, 10);
    expect(await lineCount(h, USER)).toBe(2);
    expect(chatBodies(h)).toHaveLength(2);
  });

  it("takes a custom persona in two steps (a name with spaces stays whole), and goes back to chat mode", async () => {
    h = await startHarness();
    await cast(h, USER, "tiny:latest", "tiny:latest");
    await h.press(USER, "⚙️ Options");
    await h.press(USER, "A: ✍️ Custom");
    await h.waitForBot(USER, (m) => m.text.startsWith("Persona A: what is their name?"));
    h.tg.sendText(USER, "Jean-Luc Picard");
    await h.waitForBot(USER, (m) => m.text.startsWith("Who is Jean-Luc Picard, and how do they talk?"));
    h.tg.sendText(USER, "a calm starship captain who quotes Shakespeare");
    await h.waitForBot(USER, (m) => m.text === "🎭 A is now Jean-Luc Picard.");
    // The question is over: nothing of it is left in the session.
    const s = await h.waitForSession(USER, (x) => x.conversations === undefined);
    expect(s.ai2ai?.a?.persona).toEqual({
      name: "Jean-Luc Picard",
      description: "You are Jean-Luc Picard: a calm starship captain who quotes Shakespeare",
    });
    await h.press(USER, "💬 Back to chat");
    await h.waitForBot(USER, (m) => m.text.startsWith("💬 Back to chat mode"));
    await h.store.update(String(USER), (x) => {
      x.model = "tiny:latest";
    });
    h.tg.sendText(USER, "just us now");
    await h.waitForBot(USER, (m) => m.text === "You said: just us now" && finished(m));
  });

  it("restarts a finished conversation keeping cast, topic and length; a new length shows at once", async () => {
    h = await startHarness({ env: { OLLAMA_AI2AI_TURNS: "1" } });
    await cast(h, USER, "tiny:latest", "tiny:latest");
    await h.press(USER, "▶️ Start");
    await h.waitForBot(USER, (m) => m.text.startsWith("🏁 The conversation has ended after one turn."));
    await h.press(USER, "🔁 Restart");
    const fresh = await h.waitForBot(USER, (m) => m.text.startsWith("Turn 0/1 · 1 left"));
    let s = await h.store.get(String(USER));
    expect(s.ai2ai).toMatchObject({ done: 0, maxTurns: 1, lines: [] });
    expect(s.ai2ai?.a?.model).toBe("tiny:latest");
    await h.press(USER, "⚙️ Options");
    await h.press(USER, "5 turns");
    // The controls on screen follow the new length before anything runs (edited in place, not repeated).
    await h.tg.waitFor(() =>
      h!
        .botMessages(USER)
        .some((m) => m.messageId === fresh.messageId && m.text.startsWith("Turn 0/5 · 5 left")),
    );
    await h.press(USER, "▶️ Start");
    await afterTurn(h, USER, 1, 5);
    s = await h.store.get(String(USER));
    expect(s.ai2ai).toMatchObject({ done: 1, maxTurns: 5 });
  });

  it("lengthens a finished conversation from the options: its controls come back at once", async () => {
    h = await startHarness({ env: { OLLAMA_AI2AI_TURNS: "1" } });
    await cast(h, USER, "tiny:latest", "tiny:latest");
    await h.press(USER, "▶️ Start");
    await h.waitForBot(USER, (m) => m.text.startsWith("🏁 The conversation has ended after one turn."));
    await h.press(USER, "⚙️ Options");
    await h.press(USER, "10 turns");
    const resumed = await h.waitForBot(USER, (m) => m.text.startsWith("Turn 1/10 · 9 left"));
    expect(resumed.buttons.flat().map((b) => b.text)).toContain("⏭️ Continue exchange");
    await h.press(USER, "⏭️ Continue exchange");
    await afterTurn(h, USER, 2, 10);
    expect((await h.store.get(String(USER))).ai2ai).toMatchObject({ done: 2, maxTurns: 10 });
  });
});
