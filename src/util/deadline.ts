/**
 * A signal that aborts when `signal` does or after `ms`, whichever comes first.
 *
 * Not `AbortSignal.any([signal, AbortSignal.timeout(ms)])`: on Node 20 a timeout signal is held only weakly by
 * its timer, and `any` holds its sources weakly too, so once nothing else holds the timeout signal a garbage
 * collection takes it with its timer and the deadline never fires. Seen here: a host check bounded at 300 ms
 * that took the client's own 30 s, in one run out of two. This timer holds its controller strongly until it
 * fires or the signal aborts.
 */
export function deadline(ms: number, signal?: AbortSignal): AbortSignal {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException("The operation was aborted due to timeout", "TimeoutError")),
    ms,
  );
  // As AbortSignal.timeout's: the deadline does not keep the process alive by itself.
  timer.unref?.();
  controller.signal.addEventListener("abort", () => clearTimeout(timer), { once: true });
  if (signal?.aborted) controller.abort(signal.reason);
  else signal?.addEventListener("abort", () => controller.abort(signal.reason), { once: true });
  return controller.signal;
}
