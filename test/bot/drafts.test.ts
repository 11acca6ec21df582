/**
 * Live message v2 (issue 15): in private chats the answer streams as a Telegram draft (sendMessageDraft, one
 * draft_id per answer), Telegram's own stop control stops it, finished parts of a long answer are sent as they
 * complete, and the final formatted message stays; groups, LIVE_MODE=edit, and a chat whose draft is refused
 * stream with edits. Through the fake Telegram, which enforces the draft rules (private chats, non-zero id,
 * expiry, the stop update only when asked for in allowed_updates).
 */
import { afterEach, describe, expect, it } from "vitest";
import { finished, type Harness, startHarness, USER } from "../support/bot-harness.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const draftCalls = (harness: Harness) =>
  harness.tg
    .callsTo("sendMessageDraft")
    .map((c) => c.params as { draft_id: number; text?: string; can_stop?: unknown });

describe("answers streamed as drafts", () => {
  it("streams a private answer through one draft, then sends the formatted answer; no live message is edited", async () => {
    h = await startHarness({ ollama: { longTokens: 60, tokenDelayMs: 20 } });
    await h.pick(USER, "long:latest");
    const edits = h.tg.callsTo("editMessageText").length;
    h.tg.sendText(USER, "tell me more");
    const answer = await h.waitForBot(USER, (m) => finished(m) && m.text.startsWith("word0"), 15_000);
    const drafts = draftCalls(h);
    expect(drafts.length).toBeGreaterThan(2);
    // One draft per answer, with Telegram's own stop control.
    expect(new Set(drafts.map((d) => d.draft_id)).size).toBe(1);
    expect(drafts[0]!.draft_id).not.toBe(0);
    expect(drafts.every((d) => String(d.can_stop) === "true")).toBe(true);
    // Before the first token: the empty draft, Telegram's "Thinking…".
    expect(drafts[0]!.text ?? "").toBe("");
    expect(drafts.at(-1)!.text).toMatch(/^word0 word1/);
    // The answer is one message, sent once: nothing was edited to show it growing.
    expect(h.tg.callsTo("editMessageText").length).toBe(edits);
    expect(answer.buttons.flat().map((b) => b.text)).toContain("🔄 Regenerate");
    expect(h.tg.visibleDraft(USER)).toBeUndefined(); // the final message removed it
  });

  it("a thinking model shows the empty draft while it thinks, then the answer", async () => {
    h = await startHarness();
    await h.pick(USER, "think:latest");
    h.tg.sendText(USER, "ponder");
    await h.waitForBot(USER, (m) => finished(m) && m.text.includes("You said: ponder"), 15_000);
    const texts = draftCalls(h).map((d) => d.text ?? "");
    expect(texts[0]).toBe("");
    expect(texts.some((t) => t.includes("Let me think"))).toBe(false);
  });

  it("Telegram's own stop control stops the answer: the partial answer stays, marked, in the chat and the history", async () => {
    h = await startHarness({ ollama: { longTokens: 100_000, tokenDelayMs: 5 } });
    await h.pick(USER, "long:latest");
    h.tg.sendText(USER, "go on forever");
    await h.tg.waitFor(() => (h!.tg.visibleDraft(USER)?.text ?? "").startsWith("word0 word1 word2"));
    const draft = h.tg.visibleDraft(USER)!;
    h.tg.stopDraft(USER, draft.draftId);
    const stopped = await h.waitForBot(USER, (m) => m.text.endsWith("⏹ Stopped."), 15_000);
    expect(stopped.text).toMatch(/^word0 word1 word2/);
    const s = await h.waitForSession(USER, (x) => x.history.at(-1)?.role === "assistant");
    const last = s.history.at(-1)!;
    expect(last.role).toBe("assistant");
    expect(last.content).toMatch(/^word0 word1 word2/);
    // Nothing more was drafted after the stop was answered.
    const after = draftCalls(h).length;
    await new Promise((r) => setTimeout(r, 200));
    expect(draftCalls(h).length).toBe(after);
  });

  it("sends each finished part of a long answer as it completes, while the draft shows the next", async () => {
    h = await startHarness({ ollama: { longTokens: 1500, tokenDelayMs: 2 } });
    await h.pick(USER, "long:latest");
    h.tg.sendText(USER, "a very long one");
    // The first part is a message while the answer still streams in the draft.
    await h.tg.waitFor(
      () =>
        h!.botMessages(USER).some((m) => m.text.startsWith("word0")) &&
        h!.tg.visibleDraft(USER) !== undefined,
      { timeoutMs: 15_000 },
    );
    await h.waitForBot(USER, (m) => finished(m) && m.buttons.length > 0, 20_000);
    const parts = h.botMessages(USER).filter((m) => /^word\d/.test(m.text));
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.text.length).toBeLessThanOrEqual(4096);
    const joined = parts.map((p) => p.text).join("");
    expect(joined.replace(/\s+/g, " ")).toContain("word749");
  });

  it("a group streams with edits and ⏹; so does a private chat with LIVE_MODE=edit", async () => {
    h = await startHarness({ ollama: { longTokens: 60, tokenDelayMs: 20 } });
    const group = -100900;
    h.tg.sendText(group, "/ollama", { from: { id: USER } });
    await h.press(group, "long:latest", USER);
    await h.waitForBot(group, (m) => m.text.includes("Now chatting with long:latest"));
    h.tg.sendText(group, "@test_ollama_bot speak", { from: { id: USER } });
    await h.waitForBot(group, (m) => m.buttons.flat().some((b) => b.text === "⏹ Stop"), 15_000);
    await h.waitForBot(group, (m) => finished(m) && m.text.startsWith("word0"), 20_000);
    expect(draftCalls(h)).toEqual([]);
    await h.close();

    h = await startHarness({ ollama: { longTokens: 60, tokenDelayMs: 20 }, env: { LIVE_MODE: "edit" } });
    await h.pick(USER, "long:latest");
    h.tg.sendText(USER, "speak");
    await h.waitForBot(USER, (m) => m.buttons.flat().some((b) => b.text === "⏹ Stop"), 15_000);
    await h.waitForBot(USER, (m) => finished(m) && m.text.startsWith("word0"), 15_000);
    expect(draftCalls(h)).toEqual([]);
  });

  it("a refused draft turns the answer to edits, logged once, and the chat keeps edits", async () => {
    h = await startHarness({ ollama: { longTokens: 60, tokenDelayMs: 20 } });
    await h.pick(USER, "long:latest");
    h.tg.failNext("sendMessageDraft", { code: 400, description: "Bad Request: TEXTDRAFT_PEER_INVALID" });
    h.tg.sendText(USER, "first");
    await h.waitForBot(USER, (m) => m.buttons.flat().some((b) => b.text === "⏹ Stop"), 15_000);
    await h.waitForBot(USER, (m) => finished(m) && m.text.startsWith("word0"), 15_000);
    const tried = draftCalls(h).length;
    expect(tried).toBe(1);
    h.tg.sendText(USER, "second");
    await h.tg.waitFor(
      () => h!.botMessages(USER).filter((m) => finished(m) && m.text.startsWith("word0")).length === 2,
      {
        timeoutMs: 15_000,
      },
    );
    expect(draftCalls(h).length).toBe(tried);
    expect(h.logs.filter((l) => l.includes("Telegram refused a draft"))).toHaveLength(1);
  });

  it("an answer a crash cut while drafted comes back as a message with what it had said, and Retry/Continue", async () => {
    h = await startHarness({ ollama: { longTokens: 100_000, tokenDelayMs: 5 } });
    await h.pick(USER, "long:latest");
    h.tg.sendText(USER, "keep going");
    const saved = await h.waitForSession(USER, (x) => (x.turn?.partial ?? "").startsWith("word0 word1"));
    // What a kill leaves: the turn with its checkpoint and no message (the draft vanishes with the process).
    const turn = saved.turn!;
    expect(turn.liveMessageIds ?? []).toEqual([]);
    h.tg.sendText(USER, "/stop");
    await h.waitForBot(USER, (m) => m.text.endsWith("⏹ Stopped."));
    await h.stopBot();
    const before = h.botMessages(USER).length;
    await h.store.update(String(USER), (x) => {
      x.history = x.history.slice(0, 1); // as if the answer had never been saved
      x.turn = turn;
    });
    await h.startBot();
    const back = await h.waitForBot(USER, (m) => m.text.endsWith("⚠️ Interrupted: the bot was restarted."));
    expect(h.botMessages(USER).length).toBe(before + 1);
    expect(back.text.startsWith(turn.partial!.trimEnd())).toBe(true);
    expect(back.buttons.flat().map((b) => b.text)).toEqual(["🔁 Retry", "▶️ Continue"]);
  });
});
