/**
 * Webhook mode (issue 14), one process: Telegram POSTs updates with the secret header, the bot answers each
 * request as soon as the update is kept (before the model answers), refuses requests without the secret, handles a
 * re-delivered update once, and goes back to long polling (removing the webhook) when WEBHOOK_URL is unset.
 * Through the fake Telegram, which delivers webhooks as Telegram does (in order, one per chat at a time, again
 * after a failure).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Update } from "grammy/types";
import { afterEach, describe, expect, it } from "vitest";
import { LocalInbox } from "../../src/bot/intake/inbox.js";
import { createLogger } from "../../src/log/index.js";
import {
  finished,
  type Harness,
  modelCalls,
  startHarness,
  USER,
  WEBHOOK_SECRET_FOR_TESTS,
} from "../support/bot-harness.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const hookUrl = (harness: Harness) => harness.tg.webhookInfo()!.url;

describe("webhook mode", () => {
  it("sets the webhook with the secret, answers Telegram before the model does, and answers the user", async () => {
    h = await startHarness({ webhook: true, ollama: { longTokens: 40, tokenDelayMs: 25 } });
    const info = h.tg.webhookInfo();
    expect(info?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/telegram$/);
    expect(info?.secret).toBe(WEBHOOK_SECRET_FOR_TESTS);
    await h.pick(USER, "long:latest");
    h.tg.sendText(USER, "tell me more");
    await h.tg.waitFor(() => (h!.tg.visibleDraft(USER)?.text ?? "").startsWith("word0"));
    // The update was taken (200) while its answer was still being written.
    const delivery = h.tg.webhookDeliveries().at(-1)!;
    expect(delivery.status).toBe(200);
    expect(h.botMessages(USER).some((m) => finished(m) && m.text.startsWith("word0"))).toBe(false);
    await h.waitForBot(USER, (m) => finished(m) && m.text.startsWith("word0"), 15_000);
    expect(h.tg.webhookDeliveries().every((d) => d.status === 200)).toBe(true);
    expect(h.tg.pendingUpdates()).toHaveLength(0);
    // Polling is refused while the webhook is set (what a second, polling instance would meet).
    const poll = await fetch(`${h.tg.apiRoot}/bot${h.tg.token}/getUpdates`);
    expect(poll.status).toBe(409);
  });

  it("refuses a request without the right secret (401), logged once, and nothing reaches the chat", async () => {
    h = await startHarness({ webhook: true });
    const forged: Update = {
      update_id: 999_999,
      message: {
        message_id: 1,
        date: 0,
        chat: { id: USER, type: "private", first_name: "Mallory" },
        from: { id: USER, is_bot: false, first_name: "Mallory" },
        text: "/reset",
      },
    };
    for (const secret of [undefined, "wrong-secret-wrong-secret-0000000", `${WEBHOOK_SECRET_FOR_TESTS}x`]) {
      const res = await fetch(hookUrl(h), {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(secret ? { "x-telegram-bot-api-secret-token": secret } : {}),
        },
        body: JSON.stringify(forged),
      });
      expect(res.status).toBe(401);
    }
    expect(h.logs.filter((l) => l.includes("without the right secret token"))).toHaveLength(1);
    // The right secret with a body that is not an update is refused too, and so is a huge one.
    const bad = await fetch(hookUrl(h), {
      method: "POST",
      headers: { "x-telegram-bot-api-secret-token": WEBHOOK_SECRET_FOR_TESTS },
      body: "{not json",
    });
    expect(bad.status).toBe(400);
    const huge = await fetch(hookUrl(h), {
      method: "POST",
      headers: { "x-telegram-bot-api-secret-token": WEBHOOK_SECRET_FOR_TESTS },
      body: "x".repeat(2 * 1024 * 1024),
    });
    expect(huge.status).toBe(413);
    expect((await fetch(hookUrl(h))).status).toBe(405);
    await new Promise((r) => setTimeout(r, 200));
    expect(h.botMessages(USER)).toHaveLength(0);
  });

  it("a re-delivered update is answered once", async () => {
    h = await startHarness({ webhook: true });
    await h.pick(USER, "tiny:latest");
    const before = modelCalls(h).length;
    h.tg.sendText(USER, "only once please");
    await h.waitForBot(USER, (m) => finished(m) && m.text.includes("only once please"));
    const id = h.tg.webhookDeliveries().at(-1)!.updateId;
    expect(await h.tg.redeliver(id)).toBe(200);
    expect(await h.tg.redeliver(id)).toBe(200);
    h.tg.sendText(USER, "and then this");
    await h.waitForBot(USER, (m) => finished(m) && m.text.includes("and then this"));
    expect(modelCalls(h).length - before).toBe(2);
    expect(h.botMessages(USER).filter((m) => m.text.includes("only once please"))).toHaveLength(1);
  });

  it("after a restart in polling mode, the webhook is removed and updates come by polling", async () => {
    h = await startHarness({ webhook: true });
    await h.pick(USER, "tiny:latest");
    await h.stopBot(0);
    // What Telegram keeps meanwhile for the webhook is delivered by polling after the switch.
    h.tg.sendText(USER, "sent while it was away");
    await new Promise((r) => setTimeout(r, 300));
    expect(h.tg.webhookDeliveries().at(-1)?.status).toBe(0);
    await h.restartWith({ WEBHOOK_URL: "" });
    await h.waitForBot(USER, (m) => finished(m) && m.text.includes("sent while it was away"));
    expect(h.tg.webhookInfo()).toBeUndefined();
    expect(h.logs.some((l) => l.includes("removed it to use long polling"))).toBe(true);
  });
});

describe("the single-process webhook journal", () => {
  const log = createLogger({ level: "silent" });
  const update = (id: number): Update => ({
    update_id: id,
    message: {
      message_id: id,
      date: 0,
      chat: { id: 1, type: "private", first_name: "A" },
      from: { id: 1, is_bot: false, first_name: "A" },
      text: `m${id}`,
    },
  });

  it("hands out again after a restart what was taken and not handled, and still knows what was handled", async () => {
    const dir = await mkdtemp(join(tmpdir(), "inbox-"));
    try {
      const path = join(dir, "webhook-inbox.jsonl");
      let inbox = await LocalInbox.open(path, log);
      for (const id of [1, 2, 3]) expect(await inbox.accept(update(id))).toBe("ok");
      const taken = await inbox.take(10, new AbortController().signal);
      expect(taken.map((i) => i.update_id)).toEqual([1, 2, 3]);
      await inbox.done(taken[0]!);
      // A kill here: 2 and 3 were being handled.
      await inbox.close();
      inbox = await LocalInbox.open(path, log);
      const again = await inbox.take(10, new AbortController().signal);
      expect(again.map((i) => i.update_id)).toEqual([2, 3]);
      // Telegram delivering 1 or 2 again (its answer was lost) changes nothing.
      expect(await inbox.accept(update(1))).toBe("ok");
      expect(await inbox.accept(update(2))).toBe("ok");
      for (const item of again) await inbox.done(item);
      await inbox.close();
      inbox = await LocalInbox.open(path, log);
      const aborted = new AbortController();
      const none = inbox.take(10, aborted.signal);
      aborted.abort();
      expect(await none).toEqual([]);
      expect(await inbox.accept(update(3))).toBe("ok");
      expect(await inbox.accept(update(4))).toBe("ok");
      expect((await inbox.take(10, new AbortController().signal)).map((i) => i.update_id)).toEqual([4]);
      await inbox.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
