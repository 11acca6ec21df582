/**
 * Faults lose nothing (issue 16), with the real bot in its own process: killed with SIGKILL at a point each test
 * chooses by waiting for a condition (a queue notice on screen, the answer streaming, the instant Telegram
 * delivered a message), stopped with SIGTERM, or cut off from Redis, then started again on the same data. What
 * counts is what users see in the fake Telegram afterwards: no message left in a working state (⏳, ⏹ Stop),
 * every message answered or carrying a 🔁 Retry whose press answers it.
 *
 * The in-process tests (test/bot/promises.test.ts, bot.test.ts, ai2ai.test.ts) simulate what a kill leaves by
 * editing the session; these kill for real, so the window between a Telegram call and the write that records it
 * is part of the test.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, type ExpectStatic, it } from "vitest";
import type { ApiCall, FakeTelegram } from "../fakes/telegram.js";
import {
  buttonLabels,
  castAi2Ai,
  en,
  finalAnswer,
  isQueueNotice,
  OTHER_USER,
  pick,
  press,
  repliesTo,
  startWorld,
  THIRD_USER,
  transcript,
  USER,
  type World,
  waitForBot,
  workingMessages,
} from "./child-bot.js";

const warmed: Array<Promise<World>> = [];

/**
 * A test's fakes and bot, started as the file is collected: a start costs the child a second and a half of CPU,
 * and starting them all at once, rather than five at a time as the tests run, keeps both cores busy. Each test
 * owns its world, so they run side by side; most of their time is spent waiting.
 */
function warm(options: Parameters<typeof startWorld>[0]): Promise<World> {
  const started = startWorld(options).then(async (w) => {
    try {
      await w.bot.start();
      return w;
    } catch (err) {
      await w.close();
      throw err;
    }
  });
  // Its test awaits it (and fails on a start that did not come up); this keeps the rejection from counting as
  // unhandled in the meantime, or at all when a -t filter skips the test.
  started.catch(() => undefined);
  warmed.push(started);
  return started;
}

// Worlds of tests that did not run (a -t filter) are closed too.
afterAll(async () => {
  await Promise.all(
    warmed.map((p) =>
      p.then(
        (w) => w.close(),
        () => undefined,
      ),
    ),
  );
});

async function withWorld(world: Promise<World>, body: (w: World) => Promise<void>) {
  const w = await world;
  try {
    await body(w);
    const crashes = w.bot.lines.filter(
      (l) => l.level === 0 || l.level >= 60 || l.msg === "unhandled rejection",
    );
    if (crashes.length > 0)
      throw new Error(`the bot crashed or logged fatally:\n${crashes.map((l) => l.raw).join("\n")}`);
  } catch (err) {
    (err as Error).message += `\n--- bot stderr (last lines) ---\n${w.bot.tail(15)}`;
    throw err;
  } finally {
    await w.close();
  }
}

/** Nothing on screen in any of these chats still says "working": nothing would ever change it now. */
function expectSettled(w: World, expect: ExpectStatic, ...chats: number[]) {
  for (const chat of chats) {
    expect(
      workingMessages(w.tg, chat),
      `chat ${chat} still shows work in progress:\n${transcript(w.tg, chat)}`,
    ).toEqual([]);
  }
}

/** The stored session of a chat, read from DATA_DIR as the next start-up will (file store only). */
async function sessionFile(w: World, chat: number): Promise<string> {
  return readFile(join(w.dataDir, "sessions", `${chat}.json`), "utf8").catch(() => "");
}

/** Polls `cond` (state outside the fake Telegram, whose own waitFor would not see it change). */
async function until(cond: () => boolean, what: string, timeoutMs = 5_000) {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function waitForSessionFile(
  w: World,
  chat: number,
  pred: (text: string) => boolean,
  timeoutMs = 5_000,
) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const text = await sessionFile(w, chat);
    if (pred(text)) return;
    if (Date.now() > until) throw new Error(`the session of chat ${chat} never matched; it is: ${text}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * SIGKILLs the bot the instant the fake Telegram has answered a call matching `pred`: the response is on its way,
 * but the bot has had no time to act on it (to write down the message id it got). Resolves once the bot is gone.
 */
function killOnCall(w: World, pred: (call: ApiCall) => boolean): Promise<ApiCall> {
  return new Promise((resolve) => {
    const onCall = (call: ApiCall) => {
      if (!pred(call)) return;
      w.tg.events.off("call", onCall);
      void w.bot.kill("SIGKILL").then(() => resolve(call));
    };
    w.tg.events.on("call", onCall);
  });
}

const sent = (text: string) => (call: ApiCall) =>
  call.method === "sendMessage" && call.ok && String(call.params.text ?? "").includes(text);

/** What the model was asked (a preload on pick sends no messages). */
const asked = (w: World) =>
  w.ollama.requests.filter(
    (r) => r.path === "/api/chat" && ((r.body as { messages?: unknown[] }).messages?.length ?? 0) > 0,
  );
const chatRequests = (w: World) => asked(w).map((r) => JSON.stringify(r.body));
/** The prompt of each chat request: the last message's content. */
const promptsAsked = (w: World) =>
  asked(w).map((r) => (r.body as { messages: Array<{ content: string }> }).messages.at(-1)?.content ?? "");

const longAnswer = (words: number) => Array.from({ length: words }, (_, i) => `word${i}`).join(" ");

/** The data of the button labelled exactly `label` on message `messageId` (an old message, not the newest). */
function buttonOn(tg: FakeTelegram, chat: number, messageId: number, label: string): string {
  const m = tg.visibleMessages(chat).find((x) => x.messageId === messageId);
  const b = m?.buttons.flat().find((x) => x.text === label);
  if (!b?.data) throw new Error(`message #${messageId} has no "${label}" button:\n${transcript(tg, chat)}`);
  return b.data;
}

/** How long Redis stays away in its test: longer than ioredis waits before failing commands (~10.5 s). */
const OUTAGE_MS = 11_500;

describe.concurrent("faults lose nothing: the bot in its own process, killed and restarted", () => {
  // First: most of its time is the outage, which the other tests overlap.
  const redisWorld = warm({ redis: true });
  it("Redis away longer than its client waits, from the instant an answer is shown: nothing lost, no “Something went wrong”", async ({
    expect,
  }) => {
    await withWorld(redisWorld, async (w) => {
      // The outage begins as the first answer reaches the screen, before the bot has saved it.
      let down = 0;
      const shown = new Promise<void>((resolve) => {
        const onCall = (call: ApiCall) => {
          if (!call.ok || String(call.params.text ?? "") !== "You said: before the outage") return;
          w.tg.events.off("call", onCall);
          w.redis!.setAvailable(false);
          down = Date.now();
          resolve();
        };
        w.tg.events.on("call", onCall);
      });
      const before = w.tg.sendText(USER, "before the outage");
      await shown;
      const asked = w.tg.sendText(USER, "while redis is away");
      // Told while it waits, as a reply: not silence.
      await w.tg
        .waitFor(() => repliesTo(w.tg, USER, asked.messageId).length > 0, {
          timeoutMs: OUTAGE_MS,
          description: "a reply during the outage",
        })
        .catch((err: Error) => {
          throw new Error(`${err.message}\nchat shows:\n${transcript(w.tg, USER)}`);
        });
      // The outage lasts past ioredis's own retries, when its commands start failing. This wait is the fault's
      // length, not a wait for a result.
      await new Promise((r) => setTimeout(r, Math.max(0, OUTAGE_MS - (Date.now() - down))));
      w.redis!.setAvailable(true);
      await w.tg
        .waitFor(
          () =>
            repliesTo(w.tg, USER, asked.messageId).some((m) => m.text === "You said: while redis is away"),
          { timeoutMs: 6_000, description: "the answer, as a reply" },
        )
        .catch((err: Error) => {
          throw new Error(`${err.message}\nchat shows:\n${transcript(w.tg, USER)}`);
        });
      const chat = `the chat shows:\n${transcript(w.tg, USER)}`;
      expect
        .soft(
          w.tg.visibleMessages(USER).filter((m) => m.text.includes("Something went wrong")),
          chat,
        )
        .toEqual([]);
      expect
        .soft(
          repliesTo(w.tg, USER, before.messageId).map((m) => m.text),
          chat,
        )
        .toEqual(["You said: before the outage"]);
      // Both exchanges were saved: the next turn's history holds them.
      w.tg.sendText(USER, "and now?");
      await waitForBot(w.tg, USER, finalAnswer("You said: and now?"));
      const last = JSON.parse(chatRequests(w).at(-1)!) as { messages: Array<{ content: string }> };
      expect
        .soft(last.messages.map((m) => m.content))
        .toEqual([
          "before the outage",
          "You said: before the outage",
          "while redis is away",
          "You said: while redis is away",
          "and now?",
        ]);
      expectSettled(w, expect, USER);
    });
  }, 40_000);

  const lineWorld = warm({ ollama: { longTokens: 200, tokenDelayMs: 10 } });
  it("SIGKILL mid-answer with turns waiting in line: the cut answer loses ⏹ and gets a Retry that answers, the waiting turns are answered in order, no notice stays", async ({
    expect,
  }) => {
    await withWorld(lineWorld, async (w) => {
      await pick(w.tg, USER, "long:latest");
      const asked = w.tg.sendText(USER, "talk for a while");
      const live = await waitForBot(
        w.tg,
        USER,
        (m) => m.text.startsWith("word0 word1") && buttonLabels(m).includes("⏹ Stop"),
      );
      const first = w.tg.sendText(OTHER_USER, "first in line");
      await waitForBot(w.tg, OTHER_USER, (m) => m.text === en("queue-next"));
      const second = w.tg.sendText(THIRD_USER, "second in line");
      await waitForBot(w.tg, THIRD_USER, (m) => isQueueNotice(m) && m.text.includes("#2 in line"));
      // The point: streaming, its live message and both notices written down with their message ids (the
      // instants before those writes are the next tests').
      await waitForSessionFile(w, USER, (s) => s.includes('"liveMessageIds"'));
      await waitForSessionFile(w, OTHER_USER, (s) => s.includes('"noticeId"'));
      await waitForSessionFile(w, THIRD_USER, (s) => s.includes('"noticeId"'));

      await w.bot.restart("SIGKILL");
      await waitForBot(w.tg, OTHER_USER, finalAnswer("You said: first in line"));
      await waitForBot(w.tg, THIRD_USER, finalAnswer("You said: second in line"));
      const prompts = promptsAsked(w);
      expect.soft(prompts.indexOf("first in line")).toBeLessThan(prompts.indexOf("second in line"));
      // Each answer replies to its message, and nothing else does (the notices are gone).
      expect
        .soft(repliesTo(w.tg, OTHER_USER, first.messageId).map((m) => m.text))
        .toEqual(["You said: first in line"]);
      expect
        .soft(repliesTo(w.tg, THIRD_USER, second.messageId).map((m) => m.text))
        .toEqual(["You said: second in line"]);
      await waitForBot(w.tg, USER, (m) => buttonLabels(m).includes("🔁 Retry"));
      expectSettled(w, expect, USER, OTHER_USER, THIRD_USER);
      // The cut message keeps what was said; a Retry may sit on it, a dead ⏹ Stop may not.
      const cut = w.tg.visibleMessages(USER).find((m) => m.messageId === live.messageId);
      expect.soft(buttonLabels(cut ?? { buttons: [] })).not.toContain("⏹ Stop");
      await press(w.tg, USER, "🔁 Retry");
      await waitForBot(w.tg, USER, finalAnswer(longAnswer(100)), 10_000);
      expect(repliesTo(w.tg, USER, asked.messageId).some((m) => m.text === longAnswer(100))).toBe(true);
      expectSettled(w, expect, USER);
    });
  }, 30_000);

  const noticeWorld = warm({ ollama: { longTokens: 120, tokenDelayMs: 10 } });
  it("SIGKILL the instant a queue notice is delivered: the message is answered and its notice does not stay", async ({
    expect,
  }) => {
    await withWorld(noticeWorld, async (w) => {
      await pick(w.tg, USER, "long:latest");
      w.tg.sendText(USER, "keep the slot busy");
      await waitForBot(w.tg, USER, (m) => m.text.startsWith("word0 word1"));
      const killed = killOnCall(
        w,
        (c) => c.method === "sendMessage" && c.ok && isQueueNotice({ text: String(c.params.text ?? "") }),
      );
      const waiting = w.tg.sendText(OTHER_USER, "noticed, then killed");
      await killed;
      await w.bot.start();
      await waitForBot(w.tg, OTHER_USER, finalAnswer("You said: noticed, then killed"));
      expect(repliesTo(w.tg, OTHER_USER, waiting.messageId).map((m) => m.text)).toEqual([
        "You said: noticed, then killed",
      ]);
      await waitForBot(w.tg, USER, (m) => buttonLabels(m).includes("🔁 Retry"));
      expectSettled(w, expect, USER, OTHER_USER);
    });
  }, 30_000);

  const placeholderWorld = warm({ ollama: { longTokens: 120, tokenDelayMs: 10 } });
  it("SIGKILL the instant the answer's first message is delivered: no ⏳ placeholder stays, a Retry answers", async ({
    expect,
  }) => {
    await withWorld(placeholderWorld, async (w) => {
      await pick(w.tg, USER, "long:latest");
      const killed = killOnCall(w, sent("long:latest"));
      w.tg.sendText(USER, "killed as it began");
      const placeholder = await killed;
      await w.bot.start();
      await waitForBot(w.tg, USER, (m) => buttonLabels(m).includes("🔁 Retry"));
      const id = (placeholder.result as { message_id: number }).message_id;
      expectSettled(w, expect, USER);
      expect(w.tg.visibleMessages(USER).find((m) => m.messageId === id)?.text ?? "(deleted)").not.toMatch(
        /^⏳/,
      );
      await press(w.tg, USER, "🔁 Retry");
      await waitForBot(w.tg, USER, finalAnswer(longAnswer(60)), 10_000);
      expectSettled(w, expect, USER);
    });
  }, 30_000);

  const retryWorld = warm({});
  it("a Retry works after a restart (SIGKILL), and another after a second restart (SIGTERM)", async ({
    expect,
  }) => {
    await withWorld(retryWorld, async (w) => {
      await w.hub.setFault("refuse");
      const saved = (m: { text: string; buttons: unknown[] }) =>
        m.text.includes("Your message is saved") && m.buttons.length > 0;
      w.tg.sendText(USER, "first try");
      await waitForBot(w.tg, USER, saved);
      w.tg.sendText(USER, "second try");
      await w.tg.waitFor(() => w.tg.visibleMessages(USER).filter(saved).length === 2);
      const [older, newer] = w.tg.visibleMessages(USER).filter(saved);
      await w.hub.setFault(null);

      await w.bot.restart("SIGKILL");
      w.tg.pressButton(USER, older!.messageId, buttonOn(w.tg, USER, older!.messageId, "🔁 Retry"));
      await waitForBot(w.tg, USER, finalAnswer("You said: first try"));

      await w.bot.restart("SIGTERM");
      w.tg.pressButton(USER, newer!.messageId, buttonOn(w.tg, USER, newer!.messageId, "🔁 Retry"));
      await waitForBot(w.tg, USER, finalAnswer("You said: second try"));
      expect(promptsAsked(w).filter((x) => x === "first try")).toHaveLength(1);
      expect(w.bot.exits.map((e) => e.signal ?? e.code)).toEqual(["SIGKILL", 0]);
      expectSettled(w, expect, USER);
    });
  }, 30_000);

  const termWorld = warm({
    ollama: { longTokens: 150, tokenDelayMs: 10 },
    env: { SHUTDOWN_GRACE_MS: "8000" },
  });
  it("SIGTERM with two turns waiting: none starts in the grace (even while a notice's edit waits out a 429), the running answer finishes, all are answered after the restart", async ({
    expect,
  }) => {
    await withWorld(termWorld, async (w) => {
      await pick(w.tg, USER, "long:latest");
      // Streaming off: the running answer makes no edits, so the only edits are the queue notices'.
      w.tg.sendText(USER, "/stream off");
      await waitForBot(w.tg, USER, (m) => m.text.startsWith("Streaming is off"));
      w.tg.sendText(USER, "finish within the grace");
      await until(() => promptsAsked(w).includes("finish within the grace"), "the answer to start");
      const first = w.tg.sendText(OTHER_USER, "first in line");
      const firstNotice = await waitForBot(w.tg, OTHER_USER, (m) => m.text === en("queue-next"));
      const second = w.tg.sendText(THIRD_USER, "second in line");
      await waitForBot(w.tg, THIRD_USER, (m) => isQueueNotice(m) && m.text.includes("#2 in line"));
      // At the stop, the first notice's "stopping" edit is told to wait 3 s; the running answer ends meanwhile
      // and frees the slot.
      w.tg.failNext("editMessageText", { code: 429, retryAfter: 3 });
      const exit = await w.bot.kill("SIGTERM");
      expect(exit.code).toBe(0);
      await waitForBot(w.tg, USER, finalAnswer(longAnswer(75)), 1_000);
      const started = promptsAsked(w).filter((x) => x === "first in line" || x === "second in line");
      expect.soft(started, "turns the queue started after the SIGTERM").toEqual([]);
      expect
        .soft(w.tg.visibleMessages(OTHER_USER).find((m) => m.messageId === firstNotice.messageId)?.text)
        .toBe(en("queue-restarting"));
      const during = w.tg.sendText(OTHER_USER, "sent while it was away");

      await w.bot.start();
      await waitForBot(w.tg, OTHER_USER, finalAnswer("You said: first in line"));
      await waitForBot(w.tg, THIRD_USER, finalAnswer("You said: second in line"));
      await waitForBot(w.tg, OTHER_USER, finalAnswer("You said: sent while it was away"));
      expect(repliesTo(w.tg, OTHER_USER, first.messageId).map((m) => m.text)).toEqual([
        "You said: first in line",
      ]);
      expect(repliesTo(w.tg, THIRD_USER, second.messageId).map((m) => m.text)).toEqual([
        "You said: second in line",
      ]);
      expect(repliesTo(w.tg, OTHER_USER, during.messageId)).toHaveLength(1);
      expectSettled(w, expect, USER, OTHER_USER, THIRD_USER);
    });
  }, 30_000);

  const autoWorld = warm({ ollama: { longTokens: 100, tokenDelayMs: 10 }, env: { OLLAMA_AI2AI_TURNS: "2" } });
  it("SIGKILL during AI↔AI on Auto: the cut line loses its ⏹ Stop and the run carries on by itself", async ({
    expect,
  }) => {
    await withWorld(autoWorld, async (w) => {
      await castAi2Ai(w.tg, USER, "long:latest", "unicode:latest");
      await press(w.tg, USER, "▶️ Start");
      await waitForBot(w.tg, USER, (m) => m.text.startsWith("Turn 1/2 ·") && m.buttons.length > 0, 10_000);
      await press(w.tg, USER, "⏩ Auto");
      const line = await waitForBot(
        w.tg,
        USER,
        (m) =>
          m.text.startsWith("Albert Einstein (long:latest) · Turn 2/2\n\nword0") &&
          buttonLabels(m).includes("⏹ Stop"),
      );
      // The point: the line streaming, its message written down as the speaking side's.
      await waitForSessionFile(w, USER, (s) => /"speaking":\{[^{}]*"messageId"/.test(s));
      await w.bot.restart("SIGKILL");
      // No press: Auto was on, so the conversation goes on to its end.
      await waitForBot(w.tg, USER, (m) => m.text.startsWith("🏁 The conversation has ended"), 8_000);
      const cut = w.tg.visibleMessages(USER).find((m) => m.messageId === line.messageId);
      expect(buttonLabels(cut ?? { buttons: [] })).not.toContain("⏹ Stop");
      expectSettled(w, expect, USER);
    });
  }, 30_000);

  const aiInstantWorld = warm({ ollama: { longTokens: 40, tokenDelayMs: 5 } });
  it("SIGKILL the instant an AI↔AI line's message is delivered: no ⏳ or ⏹ stays, and Continue runs the exchange", async ({
    expect,
  }) => {
    await withWorld(aiInstantWorld, async (w) => {
      await castAi2Ai(w.tg, USER, "long:latest", "unicode:latest");
      const killed = killOnCall(w, sent("Albert Einstein (long:latest) · Turn 1/"));
      await press(w.tg, USER, "▶️ Start");
      const first = await killed;
      await w.bot.start();
      await waitForBot(w.tg, USER, (m) => m.text.startsWith("⚠️ Paused by a restart") && m.buttons.length > 0);
      const id = (first.result as { message_id: number }).message_id;
      expectSettled(w, expect, USER);
      const cut = w.tg.visibleMessages(USER).find((m) => m.messageId === id);
      expect(buttonLabels(cut ?? { buttons: [] })).not.toContain("⏹ Stop");
      await press(w.tg, USER, "⏭️ Continue exchange");
      await waitForBot(w.tg, USER, (m) => m.text.startsWith("Turn 1/3 ·") && m.buttons.length > 0, 10_000);
      expectSettled(w, expect, USER);
    });
  }, 30_000);

  const aiQueuedWorld = warm({ ollama: { longTokens: 100, tokenDelayMs: 10 } });
  it("SIGKILL while a pressed ⏭️ Continue exchange waits in line: after the restart a button still moves the run on", async ({
    expect,
  }) => {
    await withWorld(aiQueuedWorld, async (w) => {
      await castAi2Ai(w.tg, USER, "tiny:latest", "unicode:latest");
      await press(w.tg, USER, "▶️ Start");
      await waitForBot(w.tg, USER, (m) => m.text.startsWith("Turn 1/3 ·") && m.buttons.length > 0, 10_000);
      await pick(w.tg, OTHER_USER, "long:latest");
      w.tg.sendText(OTHER_USER, "keep the slot busy");
      await waitForBot(w.tg, OTHER_USER, (m) => m.text.startsWith("word0 word1"));
      // The point: Continue pressed and taken (its controls lose their buttons), the exchange waiting in line
      // behind OTHER_USER's answer.
      const controls = await press(w.tg, USER, "⏭️ Continue exchange");
      await w.tg.waitFor(
        () =>
          w.tg.callbackAnswers.some((a) => a.messageId === controls.messageId) &&
          w.tg.visibleMessages(USER).find((m) => m.messageId === controls.messageId)?.buttons.length === 0,
        { description: "the press to be taken" },
      );
      await w.bot.restart("SIGKILL");
      const onward = (m: { buttons: Array<Array<{ text: string }>> }) =>
        buttonLabels(m).some((b) => b === "⏭️ Continue exchange" || b === "🔁 Retry");
      const spoke = () => w.tg.visibleMessages(USER).some((m) => m.text.startsWith("Turn 2/3 ·"));
      await w.tg
        .waitFor(() => spoke() || w.tg.visibleMessages(USER).some(onward), { timeoutMs: 6_000 })
        .catch(() => undefined);
      expect(
        spoke() || w.tg.visibleMessages(USER).some(onward),
        `the exchange neither ran nor left a button to run it:\n${transcript(w.tg, USER)}`,
      ).toBe(true);
      if (!spoke()) await press(w.tg, USER, "⏭️ Continue exchange");
      await waitForBot(w.tg, USER, (m) => m.text.startsWith("Turn 2/3 ·") && m.buttons.length > 0, 10_000);
      expectSettled(w, expect, USER);
    });
  }, 30_000);

  const lostWorld = warm({ ollama: { tokenDelayMs: 20 } });
  it("a send whose response was lost after it took effect: no stray ⏳ copy, and an answer shown once", async ({
    expect,
  }) => {
    await withWorld(lostWorld, async (w) => {
      // OTHER_USER reads answers whole: the final answer is the send whose response is lost.
      w.tg.sendText(OTHER_USER, "/stream off");
      await waitForBot(w.tg, OTHER_USER, (m) => m.text.startsWith("Streaming is off"));
      w.tg.failNext("sendMessage", { dropConnection: true, afterApplying: true });
      const streamed = w.tg.sendText(USER, "lost in the post");
      await waitForBot(w.tg, USER, finalAnswer("You said: lost in the post"));
      w.tg.failNext("sendMessage", { dropConnection: true, afterApplying: true });
      const whole = w.tg.sendText(OTHER_USER, "say it once");
      await waitForBot(w.tg, OTHER_USER, finalAnswer("You said: say it once"));
      // Time for a sweeper to remove an orphaned copy: the condition, not a sleep, ends the wait.
      await w.tg
        .waitFor(
          () =>
            workingMessages(w.tg, USER).length === 0 &&
            repliesTo(w.tg, OTHER_USER, whole.messageId).length === 1,
          { timeoutMs: 4_000 },
        )
        .catch(() => undefined);
      // Both faults struck: each send took effect and its response never came back.
      expect(w.tg.calls.filter((c) => c.method === "sendMessage" && c.transport === "dropped")).toHaveLength(
        2,
      );
      expectSettled(w, expect, USER, OTHER_USER);
      expect(repliesTo(w.tg, USER, streamed.messageId).map((m) => m.text)).toEqual([
        "You said: lost in the post",
      ]);
      expect(repliesTo(w.tg, OTHER_USER, whole.messageId).map((m) => m.text)).toEqual([
        "You said: say it once",
      ]);
    });
  }, 30_000);
});
