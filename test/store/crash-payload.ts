import { createHash } from "node:crypto";

/** A value that proves itself whole: `checksum` covers every other field, `key` names the key it was written to. */
export interface CrashPayload {
  key: string;
  run: number;
  seq: number;
  history: Array<{ role: "user" | "assistant"; content: string }>;
  checksum: string;
}

export const CRASH_KEYS = ["-100123", "42", "../x", "Big Chat"];

export function makePayload(key: string, run: number, seq: number): CrashPayload {
  // Sizes swing from a few bytes to ~600 KB, so kills land both in tiny writes and inside long ones.
  const turns = (seq * 7919 + run * 104_729) % 60;
  const history = Array.from({ length: turns }, (_, i) => ({
    role: i % 2 === 0 ? ("user" as const) : ("assistant" as const),
    content: `${run}:${seq}:${i} ${"ünïcødé ✓ ".repeat(((seq + i) * 31) % 1000)}`,
  }));
  const body = { key, run, seq, history };
  return { ...body, checksum: checksumOf(body) };
}

export function checksumOf(body: Omit<CrashPayload, "checksum">): string {
  return createHash("sha256").update(JSON.stringify(body)).digest("hex");
}

/** Why `value` is not a payload the writer could have produced for `key`, or undefined when it is one. */
export function payloadProblem(key: string, value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return "not an object";
  const { checksum, ...body } = value as CrashPayload;
  if (body.key !== key) return `written for ${JSON.stringify(body.key)}`;
  if (checksum !== checksumOf(body)) return "checksum mismatch";
  return undefined;
}
