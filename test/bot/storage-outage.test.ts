/**
 * The session storage away for a while (Redis restarting): a message that cannot be stored is answered at once,
 * as a reply, with a note, kept, and answered when the storage is back; nothing is lost in silence.
 */
import { afterEach, describe, expect, it } from "vitest";
import { type FakeRedis, startFakeRedis } from "../fakes/redis.js";
import { finished, type Harness, OTHER_USER, startHarness, USER } from "../support/bot-harness.js";

let h: Harness | undefined;
let redis: FakeRedis | undefined;
afterEach(async () => {
  await h?.close();
  await redis?.close();
  h = undefined;
  redis = undefined;
});

const NOTE = "I can't save messages right now";

describe("the session storage away", () => {
  it("answers a message sent while Redis is down as soon as it is back; the note goes, the prompt is saved", async () => {
    redis = await startFakeRedis();
    h = await startHarness({ redis });
    await h.pick(USER, "tiny:latest");
    redis.setAvailable(false);
    const sent = h.tg.sendText(USER, "while you were away");
    const note = await h.waitForBot(USER, (m) => m.text.includes(NOTE));
    const replyTo = (id: number) => h!.tg.history(USER).find((m) => m.messageId === id)?.replyToMessageId;
    expect(replyTo(note.messageId)).toBe(sent.messageId);
    expect(h.logs.join("")).toContain("the session storage is away; the update is held");
    redis.setAvailable(true);
    const answer = await h.waitForBot(
      USER,
      (m) => m.text === "You said: while you were away" && finished(m),
      15_000,
    );
    expect(replyTo(answer.messageId)).toBe(sent.messageId);
    await h.tg.waitFor(() => !h!.botMessages(USER).some((m) => m.text.includes(NOTE)));
    const s = await h.waitForSession(USER, (x) => x.history.length === 2);
    expect(s.history.map((e) => e.content)).toEqual(["while you were away", "You said: while you were away"]);
  });

  it("answers messages held in an outage in the order they were sent, then the ones sent after", async () => {
    redis = await startFakeRedis();
    h = await startHarness({ redis });
    await h.pick(USER, "tiny:latest");
    redis.setAvailable(false);
    h.tg.sendText(USER, "first");
    await h.waitForBot(USER, (m) => m.text.includes(NOTE));
    h.tg.sendText(USER, "second");
    await h.tg.waitFor(() => h!.botMessages(USER).filter((m) => m.text.includes(NOTE)).length === 2);
    redis.setAvailable(true);
    h.tg.sendText(USER, "third");
    await h.waitForBot(USER, (m) => m.text === "You said: third" && finished(m), 15_000);
    const s = await h.waitForSession(USER, (x) => x.history.length === 6);
    expect(s.history.filter((e) => e.role === "user").map((e) => e.content)).toEqual([
      "first",
      "second",
      "third",
    ]);
    await h.tg.waitFor(() => !h!.botMessages(USER).some((m) => m.text.includes(NOTE)));
  });

  it("in a group: holds what members address to the bot, in order, and ignores their talk among themselves", async () => {
    const GROUP = -100888;
    redis = await startFakeRedis();
    // Without the group's flood budget: auto-retry would wait out its 429s in real seconds.
    h = await startHarness({ redis, telegramLimits: false });
    h.tg.addChat(GROUP, { type: "supergroup", title: "Team" });
    await h.pick(GROUP, "tiny:latest", USER);
    const at = `@${h.tg.botInfo.username}`;
    redis.setAvailable(false);
    h.tg.sendText(GROUP, `${at} first from one`, { from: { id: USER } });
    await h.waitForBot(GROUP, (m) => m.text.includes(NOTE));
    h.tg.sendText(GROUP, "just chatting among ourselves", { from: { id: OTHER_USER } });
    h.tg.sendText(GROUP, `${at} then from the other`, { from: { id: OTHER_USER } });
    await h.tg.waitFor(() => h!.botMessages(GROUP).filter((m) => m.text.includes(NOTE)).length === 2);
    redis.setAvailable(true);
    // The bot's own mention is not part of the prompt.
    await h.waitForBot(GROUP, (m) => m.text === "You said: then from the other" && finished(m), 15_000);
    const s = await h.waitForSession(GROUP, (x) => x.history.length === 4);
    expect(s.history.filter((e) => e.role === "user").map((e) => e.content)).toEqual([
      "first from one",
      "then from the other",
    ]);
    expect(h.botMessages(GROUP).filter((m) => m.text.includes(NOTE))).toEqual([]);
  });

  it("keeps a held message through a stop (in a file under DATA_DIR): the next run answers it once Redis is back", async () => {
    redis = await startFakeRedis();
    h = await startHarness({ redis });
    await h.pick(USER, "tiny:latest");
    redis.setAvailable(false);
    const sent = h.tg.sendText(USER, "kept across the restart");
    const note = await h.waitForBot(USER, (m) => m.text.includes(NOTE));
    await h.stopBot();
    // The note stays true: the message is kept for the next run.
    expect(h.botMessages(USER).find((m) => m.messageId === note.messageId)?.text).toContain(NOTE);
    redis.setAvailable(true);
    await h.startBot();
    await h.waitForBot(USER, (m) => m.text === "You said: kept across the restart" && finished(m), 15_000);
    await h.tg.waitFor(() => !h!.botMessages(USER).some((m) => m.messageId === note.messageId));
    const answers = h.tg
      .history(USER)
      .filter((m) => m.replyToMessageId === sent.messageId && m.from === "bot" && !m.text.includes(NOTE));
    expect(answers.map((m) => m.text)).toEqual(["You said: kept across the restart"]);
  });
});
