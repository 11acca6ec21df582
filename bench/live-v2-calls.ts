/** The fake Telegram's call log of `bench/live-v2.ts` turned into numbers: what each chat showed, and when. */
import type { ApiCall } from "../test/fakes/telegram.js";

export interface CallSummary {
  type: "calls";
  /** Flattened triples: chat id, highest word shown, receipt time (ms since the epoch). */
  shown: number[];
  calls: number;
  tooMany: number;
  /** Refusals other than 429, by "method: description". */
  refused: Record<string, number>;
}

const WORD = /word(\d+)/g;

/** Summarizes the text-carrying calls (drafts, edits, sends) of `log` and empties it. */
export function drainCalls(log: ApiCall[]): CallSummary {
  const m: CallSummary = { type: "calls", shown: [], calls: 0, tooMany: 0, refused: {} };
  for (const call of log) {
    const method = call.method.toLowerCase();
    if (method !== "sendmessagedraft" && method !== "editmessagetext" && method !== "sendmessage") continue;
    m.calls++;
    if (!call.ok) {
      if (call.error?.error_code === 429) m.tooMany++;
      else {
        const key = `${method}: ${call.error?.description}`;
        m.refused[key] = (m.refused[key] ?? 0) + 1;
      }
      continue;
    }
    let last: string | undefined;
    for (const match of String(call.params.text ?? "").matchAll(WORD)) last = match[1];
    if (last !== undefined) m.shown.push(Number(call.params.chat_id), Number(last), call.at);
  }
  log.length = 0;
  return m;
}
