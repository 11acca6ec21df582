/** How a Bot API failure is handled: by kind, never by the caller parsing text. */

export type TelegramFailure =
  | { kind: "flood"; retryAfter: number }
  | { kind: "not-modified" }
  | { kind: "bad-markup" }
  | { kind: "gone" }
  | { kind: "transient" }
  | { kind: "permanent" };

/** Sorts a Bot API failure by what to do about it (grammY's `GrammyError` and `HttpError`, duck-typed). */
export function classifyTelegramError(err: unknown): TelegramFailure {
  const e = err as { error_code?: unknown; description?: unknown; parameters?: { retry_after?: unknown } };
  const code = typeof e?.error_code === "number" ? e.error_code : undefined;
  const description = typeof e?.description === "string" ? e.description : "";
  if (code === 429) {
    const retry = Number(e.parameters?.retry_after);
    return { kind: "flood", retryAfter: Number.isFinite(retry) && retry > 0 ? retry : 1 };
  }
  if (code === undefined) return { kind: "transient" }; // network: HttpError
  if (code >= 500) return { kind: "transient" };
  if (/message is not modified/i.test(description)) return { kind: "not-modified" };
  if (/can't parse entities|unsupported start tag|can't find end tag/i.test(description))
    return { kind: "bad-markup" };
  if (/message to edit not found|message can't be edited|MESSAGE_ID_INVALID/i.test(description)) {
    return { kind: "gone" };
  }
  return { kind: "permanent" };
}
