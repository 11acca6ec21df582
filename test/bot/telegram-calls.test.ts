/** Bot API calls are bounded: a network failure is retried a few times with backoff, then reported. */
import { HttpError } from "grammy";
import { describe, expect, it } from "vitest";
import { boundedNetworkRetry, notModifiedIsSuccess } from "../../src/bot/services/telegram.js";

type Prev = Parameters<ReturnType<typeof boundedNetworkRetry>>[0];

describe("Bot API calls", () => {
  it("retries a dropped or timed-out call a bounded number of times, then gives up with the error", async () => {
    let calls = 0;
    const prev = (async () => {
      calls++;
      throw new HttpError("Network request for 'sendMessage' failed!", new Error("timeout"));
    }) as unknown as Prev;
    const call = boundedNetworkRetry({ attempts: 3, baseDelayMs: 1 });
    await expect(call(prev, "sendMessage", { chat_id: 1, text: "x" } as never)).rejects.toBeInstanceOf(
      HttpError,
    );
    expect(calls).toBe(3);
  });

  it("does not retry an answer from Telegram (only the network), and returns a later success", async () => {
    let calls = 0;
    const prev = (async () => {
      calls++;
      if (calls === 1) throw new HttpError("Network request failed!", new Error("ECONNRESET"));
      return { ok: false, error_code: 400, description: "Bad Request: chat not found" };
    }) as unknown as Prev;
    const res = await boundedNetworkRetry({ attempts: 3, baseDelayMs: 1 })(prev, "sendMessage", {} as never);
    expect(res).toMatchObject({ ok: false, error_code: 400 });
    expect(calls).toBe(2);
  });

  it("treats “message is not modified” as success", async () => {
    const prev = (async () => ({
      ok: false,
      error_code: 400,
      description: "Bad Request: message is not modified: specified new message content is the same",
    })) as unknown as Prev;
    await expect(notModifiedIsSuccess(prev, "editMessageText", {} as never)).resolves.toMatchObject({
      ok: true,
    });
  });
});
