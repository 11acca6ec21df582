import type { CallBudget, CallPriority } from "./budget.js";
import { type Clock, sleep } from "./clock.js";
import type { ChatPace } from "./pacing.js";
import { classifyTelegramError, type TelegramFailure } from "./telegram-errors.js";

export type PacedResult<T> =
  | { ok: true; value: T }
  | { ok: false; failure: TelegramFailure | { kind: "deadline" }; error?: unknown };

/**
 * One Bot API call that must land: waits for the chat's pace, obeys 429s (`retry_after`, then a slower pace), and
 * retries transient failures (5xx, network) with backoff, until `deadline` on `clock`. "Not modified" counts as
 * success (the message already shows that). Other refusals come back as they are, for the caller to decide.
 */
export async function pacedCall<T>(
  pace: ChatPace,
  clock: Clock,
  deadline: number,
  call: () => Promise<T>,
  /** The bot-wide budget and this call's class in it (a final text, an ordinary reply). */
  shared?: { budget: CallBudget; chat: number | string; priority: CallPriority },
): Promise<PacedResult<T | undefined>> {
  let attempt = 0;
  for (;;) {
    const wait = pace.delay(clock.now());
    if (clock.now() + wait > deadline) return { ok: false, failure: { kind: "deadline" } };
    if (wait > 0) await sleep(clock, wait);
    if (shared) await shared.budget.acquire(shared.chat, shared.priority);
    pace.started(clock.now());
    try {
      const value = await call();
      pace.succeeded();
      shared?.budget.succeeded();
      return { ok: true, value };
    } catch (error) {
      const failure = classifyTelegramError(error);
      if (failure.kind === "not-modified") return { ok: true, value: undefined };
      if (failure.kind === "flood") {
        shared?.budget.tooMany(failure.retryAfter);
        pace.tooMany(clock.now(), failure.retryAfter);
      } else if (failure.kind === "transient") {
        attempt++;
        const backoff = Math.min(10_000, 500 * 2 ** attempt);
        if (clock.now() + backoff > deadline) return { ok: false, failure: { kind: "deadline" }, error };
        await sleep(clock, backoff);
      } else {
        return { ok: false, failure, error };
      }
    }
  }
}
