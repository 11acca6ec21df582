/** Bot API behaviour shared by every caller. */
import type { Transformer } from "grammy";

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
  return res;
};
