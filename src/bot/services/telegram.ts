/** Bot API behaviour shared by every caller. */
import { GrammyError, HttpError, type Transformer } from "grammy";

/**
 * "message is not modified" means the message already shows what was asked (a double tap, a redraw that changed
 * nothing): success, everywhere, so no handler reports it as a failure. A transformer sees the raw response
 * (grammY throws only after the transformers ran), so this one turns that refusal into an `ok` answer.
 */
export const notModifiedIsSuccess: Transformer = async (prev, method, payload, signal) => {
  const res = await prev(method, payload, signal);
  if (!res.ok && res.error_code === 400 && /message is not modified/i.test(res.description)) {
    // `true` is what these methods answer for an inline message; no caller reads more of the result.
    return { ok: true, result: true as never };
  }
  // A button pressed while the bot was down is answered too late for its spinner: the press itself still counts
  // (a Retry after a restart must run), so the stale answer is not a failure of the handler.
  if (
    !res.ok &&
    method === "answerCallbackQuery" &&
    res.error_code === 400 &&
    /query is too old|query ID is invalid/i.test(res.description)
  ) {
    return { ok: true, result: true as never };
  }
  return res;
};

/**
 * grammY's errors for the log: the method, Telegram's code and description, never the payload (it holds the
 * user's text and the model's answer, which the log shows only at debug, by the caller's choice).
 */
export function serializeTelegramError(err: unknown): Record<string, unknown> | undefined {
  if (err instanceof GrammyError) {
    return {
      type: "GrammyError",
      method: err.method,
      error_code: err.error_code,
      description: err.description,
      ...(err.parameters && Object.keys(err.parameters).length > 0 ? { parameters: err.parameters } : {}),
    };
  }
  if (err instanceof HttpError) {
    const inner = err.error as { name?: unknown; message?: unknown; code?: unknown } | undefined;
    return {
      type: "HttpError",
      message: err.message,
      cause: {
        type: typeof inner?.name === "string" ? inner.name : undefined,
        message: typeof inner?.message === "string" ? inner.message : String(inner),
        code: typeof inner?.code === "string" ? inner.code : undefined,
      },
    };
  }
  return undefined;
}

/**
 * Network errors (a dropped connection, a call that timed out) retried a bounded number of times, with a short
 * backoff: auto-retry alone retries them without limit (its backoff grows to an hour), which would hold a chat's
 * sequence, and a generation slot, for as long as Telegram is unreachable. Install it before auto-retry (so it
 * runs inside it) with auto-retry's `rethrowHttpErrors` on.
 */
export function boundedNetworkRetry(options: { attempts: number; baseDelayMs: number }): Transformer {
  return async (prev, method, payload, signal) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await prev(method, payload, signal);
      } catch (err) {
        if (!(err instanceof HttpError) || attempt + 1 >= options.attempts || signal?.aborted) throw err;
        await new Promise((r) => setTimeout(r, options.baseDelayMs * 2 ** attempt).unref());
      }
    }
  };
}
