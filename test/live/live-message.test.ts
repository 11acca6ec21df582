import { Api } from "grammy";
import { afterEach, describe, expect, it } from "vitest";
import { OllamaClient } from "../../src/hub/index.js";
import {
  type LiveApi,
  type LiveOptions,
  type LiveResult,
  PaceRegistry,
  streamToChat,
  validateTelegramHtml,
} from "../../src/live/index.js";
import { type FakeHub, startFakeHub } from "../fakes/hub.js";
import { type FakeOllama, startFakeOllama } from "../fakes/ollama.js";
import { startFakeTelegram } from "../fakes/telegram.js";
import { Feed } from "../support/feed.js";
import { VirtualClock } from "../support/virtual-clock.js";

const CHAT = 42;
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Counts Bot API calls in flight, so a test can wait for the live message to go quiet before moving time. */
function tracked(api: Api) {
  let inflight = 0;
  const wrap =
    <A extends unknown[], R>(f: (...a: A) => Promise<R>) =>
    async (...a: A): Promise<R> => {
      inflight++;
      try {
        return await f(...a);
      } finally {
        inflight--;
      }
    };
  const live: LiveApi = {
    sendMessage: wrap((c, t, o) => api.sendMessage(c, t, o)),
    editMessageText: wrap((c, m, t, o) => api.editMessageText(c, m, t, o)),
    deleteMessage: wrap((c, m) => api.deleteMessage(c, m)),
    sendChatAction: wrap((c, a) => api.sendChatAction(c, a)),
  };
  const settle = async () => {
    for (let quiet = 0; quiet < 3; ) {
      await new Promise((r) => setImmediate(r));
      quiet = inflight === 0 ? quiet + 1 : 0;
    }
  };
  return { live, settle };
}

async function setup(opts: { limits?: false } = {}) {
  const clock = new VirtualClock();
  const tg = await startFakeTelegram({ now: () => clock.now(), ...opts });
  cleanups.push(() => tg.close());
  tg.addChat(CHAT);
  const { live, settle } = tracked(new Api(tg.token, { apiRoot: tg.apiRoot }));
  const paces = new PaceRegistry();
  const start = (
    source: AsyncIterable<import("../../src/hub/index.js").StreamEvent>,
    o: Partial<LiveOptions> = {},
  ) => {
    let result: LiveResult | undefined;
    const promise = streamToChat({ api: live, paces, clock }, source, {
      chatId: CHAT,
      chatKind: "private",
      label: "llama3.2",
      stopData: "stop:1",
      ...o,
    }).then((r) => {
      result = r;
      return r;
    });
    return {
      promise,
      /** Lets virtual time run (timer after timer) until the live message has finished. */
      async finish(): Promise<LiveResult> {
        for (let i = 0; i < 10_000 && !result; i++) {
          await settle();
          if (result) break;
          clock.advance(clock.nextTimerIn() ?? 0);
        }
        return promise;
      },
    };
  };
  const botTexts = () =>
    tg
      .visibleMessages(CHAT)
      .filter((m) => m.from === "bot")
      .map((m) => m.text);
  const editTimes = () => tg.callsTo("editMessageText").map((c) => c.at);
  return { clock, tg, paces, settle, start, botTexts, editTimes };
}

describe("live message through the fake Telegram", () => {
  it("shows a placeholder at once, then the newest text at most every 400 ms, then the final answer", async () => {
    const { clock, tg, settle, start, botTexts, editTimes } = await setup();
    const feed = new Feed();
    const run = start(feed);
    await settle();
    expect(botTexts()).toEqual(["⏳ llama3.2…"]);
    expect(tg.lastBotMessage(CHAT)?.buttons).toEqual([[{ text: "⏹ Stop", data: "stop:1" }]]);

    feed.content("Hel").content("lo");
    await settle();
    expect(botTexts()).toEqual(["⏳ llama3.2…"]); // too soon after the placeholder
    clock.advance(400);
    await settle();
    expect(botTexts()).toEqual(["Hello"]);

    feed.content(" wor").content("ld").content("!");
    await settle();
    clock.advance(399);
    await settle();
    expect(botTexts()).toEqual(["Hello"]);
    clock.advance(1);
    await settle();
    expect(botTexts()).toEqual(["Hello world!"]); // intermediate states skipped, not queued
    expect(tg.callsTo("editMessageText")).toHaveLength(2);

    feed.content(" **Bye**").done();
    const result = await run.finish();
    expect(result).toMatchObject({ outcome: "done", text: "Hello world! **Bye**", delivered: true });
    const final = tg.lastBotMessage(CHAT)!;
    expect(final.text).toBe("Hello world! Bye");
    expect(final.html).toBe("Hello world! <b>Bye</b>");
    expect(final.buttons).toEqual([]);
    expect(result.messageIds).toEqual([final.messageId]);
    const gaps = editTimes().map((t, i, all) => t - (all[i - 1] ?? t - 400));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(400);
    expect(tg.stats(CHAT)).toMatchObject({ tooManyRequests: 0, errors: 0 });
  });

  it("continues a 10,000-character answer in new messages whose texts give back the answer", async () => {
    const { clock, tg, settle, start, botTexts } = await setup();
    const paragraphs = Array.from(
      { length: 25 },
      (_, i) => `Paragraph ${i}: ${"lorem ipsum dolor sit amet ".repeat(15).trim()}.`,
    );
    const answer = paragraphs.join("\n\n");
    expect(answer.length).toBeGreaterThan(10_000);
    const feed = new Feed();
    const run = start(feed);
    for (let i = 0; i < answer.length; i += 40) {
      feed.content(answer.slice(i, i + 40));
      await settle();
      clock.advance(20); // 50 tokens/s
    }
    await settle();
    expect(Math.max(...botTexts().map((t) => t.length))).toBeLessThanOrEqual(4096);
    feed.done();
    const result = await run.finish();
    const texts = botTexts();
    expect(texts.length).toBe(3);
    expect(texts.join("\n\n")).toBe(answer);
    expect(result.messageIds).toHaveLength(3);
    expect(tg.stats(CHAT)).toMatchObject({ tooManyRequests: 0, errors: 0 });
  });

  it("obeys a burst of 429s mid-stream (retry_after), slows down, and still lands the final answer", async () => {
    const { clock, tg, paces, settle, start, botTexts, editTimes } = await setup();
    const feed = new Feed();
    const run = start(feed);
    await settle();
    feed.content("one");
    clock.advance(400);
    await settle();
    expect(botTexts()).toEqual(["one"]);

    tg.failNext("editMessageText", { code: 429, retryAfter: 5 }, 2);
    feed.content(" two");
    clock.advance(400);
    await settle();
    const firstRefusal = clock.now();
    feed.content(" three");
    clock.advance(4_999);
    await settle();
    expect(editTimes().filter((t) => t > firstRefusal)).toEqual([]); // nothing during retry_after
    clock.advance(1);
    await settle(); // second 429
    clock.advance(5_000);
    await settle();
    expect(botTexts()).toEqual(["one two three"]);
    expect(paces.for(CHAT, "private").intervalMs).toBeGreaterThan(400);

    feed.done();
    const result = await run.finish();
    expect(result.delivered).toBe(true);
    expect(tg.stats(CHAT).tooManyRequests).toBe(2);
    expect(tg.lastBotMessage(CHAT)?.text).toBe("one two three");
  });

  it("after a burst (a long 429 wait), keeps streaming: every continuation is cut at 4096 while streaming too", async () => {
    const { clock, tg, settle, start, botTexts } = await setup();
    const feed = new Feed();
    const run = start(feed);
    await settle();
    feed.content("start ");
    clock.advance(400);
    await settle();
    tg.failNext("editMessageText", { code: 429, retryAfter: 30 });
    feed.content("x");
    clock.advance(400);
    await settle();
    // 30 s of Telegram saying "wait" while the model writes three messages' worth.
    const words = Array.from({ length: 2_400 }, (_, i) => `w${i}`).join(" ");
    feed.content(words);
    for (let i = 0; i < 40; i++) {
      clock.advance(1_000);
      await settle();
    }
    const streamed = botTexts();
    expect(streamed.length).toBeGreaterThanOrEqual(3); // the live updates went on, part after part
    const refused = [...tg.callsTo("sendMessage"), ...tg.callsTo("editMessageText")].filter(
      (c) => c.error && c.error.error_code !== 429,
    );
    expect(refused.map((c) => c.error?.description)).toEqual([]);
    feed.done();
    const result = await run.finish();
    expect(result.delivered).toBe(true);
    expect(botTexts().join(" ").replace(/\s+/g, " ")).toBe(`start x${words}`.replace(/\s+/g, " "));
  });

  it("keeps the partial answer with the caller's note when the hub fails mid-stream", async () => {
    const ollama: FakeOllama = await startFakeOllama();
    const hub: FakeHub = await startFakeHub({ ollamaUrl: ollama.url });
    const client = new OllamaClient({ mode: "hub", baseUrl: hub.apiBase });
    cleanups.push(
      () => ollama.close(),
      () => hub.close(),
      () => client.close(),
    );
    const { tg, start } = await setup();
    const source = client.chatStream({
      model: "crash:latest",
      messages: [{ role: "user", content: "hello" }],
    });
    const seen: unknown[] = [];
    const describeError = (err: unknown) => {
      seen.push(err);
      return `⚠️ failed: ${(err as { code?: string }).code}`;
    };
    const result = await start(source, { describeError }).finish();
    expect(result).toMatchObject({ outcome: "failed", text: "You said:" });
    expect(seen).toEqual([result.error]);
    expect(tg.lastBotMessage(CHAT)?.text).toBe("You said:\n\n⚠️ failed: UPSTREAM_ERROR");
  });

  it("stops when asked: the text so far stays, marked as stopped", async () => {
    const { clock, tg, settle, start } = await setup();
    const feed = new Feed();
    const controller = new AbortController();
    const run = start(feed, { signal: controller.signal });
    feed.content("Half an ans");
    clock.advance(400);
    await settle();
    controller.abort();
    const result = await run.finish();
    expect(result).toMatchObject({ outcome: "stopped", text: "Half an ans" });
    expect(tg.lastBotMessage(CHAT)?.text).toBe("Half an ans\n\n⏹ Stopped.");
  });

  it("shows a thinking model thinking, with elapsed time, and keeps the thoughts in an expandable quote", async () => {
    const { clock, settle, start, botTexts, tg } = await setup();
    const feed = new Feed();
    const run = start(feed);
    feed.thinking("Let me").thinking(" think.");
    clock.advance(1_000);
    await settle();
    expect(botTexts()).toEqual(["🤔 llama3.2 is thinking… 1 s\n\n💭 Let me think."]);
    clock.advance(1_000);
    await settle();
    expect(botTexts()).toEqual(["🤔 llama3.2 is thinking… 2 s\n\n💭 Let me think."]);
    feed.content("Because.").done();
    await run.finish();
    const final = tg.lastBotMessage(CHAT)!;
    expect(final.html).toBe("<blockquote expandable>💭 Let me think.</blockquote>\nBecause.");
  });

  it("never lets model output inject markup: <script> and unbalanced Markdown arrive as text", async () => {
    const { tg, start } = await setup();
    const feed = new Feed();
    const answer = "<script>alert(1)</script> *unbalanced _markdown & <b>bold?</b>";
    feed.content(answer).done();
    await start(feed).finish();
    const final = tg.lastBotMessage(CHAT)!;
    expect(final.text).toBe(answer);
    expect(validateTelegramHtml(final.html ?? "").ok).toBe(true);
    expect(tg.stats(CHAT).errors).toBe(0);
  });

  it("falls back to plain text when Telegram rejects the formatting", async () => {
    const { tg, start } = await setup();
    const feed = new Feed();
    tg.failNext("sendMessage", { code: 400, description: "Bad Request: can't parse entities: test" });
    feed.content("**bold** answer").done();
    const result = await start(feed, { streaming: false }).finish();
    expect(result.delivered).toBe(true);
    expect(tg.lastBotMessage(CHAT)?.text).toBe("**bold** answer");
  });

  it("with streaming off, shows typing… while generating and sends the answer once", async () => {
    const { clock, tg, settle, start } = await setup();
    const feed = new Feed();
    const run = start(feed, { streaming: false });
    await settle();
    feed.content("All at ");
    clock.advance(5_000);
    await settle();
    expect(tg.chatActions(CHAT).map((a) => a.action)).toEqual(["typing", "typing"]);
    expect(tg.visibleMessages(CHAT).filter((m) => m.from === "bot")).toEqual([]);
    feed.content("once.").done();
    await run.finish();
    expect(tg.stats(CHAT)).toMatchObject({ sends: 1, edits: 0 });
    expect(tg.lastBotMessage(CHAT)?.text).toBe("All at once.");
  });

  it("reports, and still returns the text, when Telegram stays unreachable past the deadline", async () => {
    const { tg, settle, start } = await setup();
    const feed = new Feed();
    const run = start(feed, { finalDeadlineMs: 10_000 });
    await settle();
    tg.failNext("*", { code: 502, description: "Bad Gateway" }, 1_000);
    feed.content("Important answer").done();
    const result = await run.finish();
    expect(result).toMatchObject({ delivered: false, outcome: "done", text: "Important answer" });
  });

  it("goes on in a new message when the user deletes the live one", async () => {
    const { clock, tg, settle, start, botTexts } = await setup();
    const feed = new Feed();
    const run = start(feed);
    await settle();
    const placeholder = tg.lastBotMessage(CHAT)!.messageId;
    tg.failNext("editMessageText", { code: 400, description: "Bad Request: message to edit not found" });
    feed.content("Still here");
    clock.advance(400);
    await settle();
    clock.advance(400);
    await settle();
    feed.done();
    const result = await run.finish();
    expect(botTexts().at(-1)).toBe("Still here");
    expect(result.messageIds).not.toContain(placeholder);
  });
});
