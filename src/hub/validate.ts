/**
 * Validation of untrusted JSON at the boundary. zod for the management replies (small, rare, and its messages
 * say exactly which field is wrong); hand-written checks for streamed chunks, which run once per token and must
 * stay within a small factor of bare `JSON.parse` (see bench/).
 */
import { z } from "zod";
import type {
  GenerationStats,
  ModelInfo,
  ModelSummary,
  RunningModel,
  WireSynthesis,
  WireTranscribeReply,
  WireVoiceList,
  WireVoicePreview,
} from "./types.js";

const details = z
  .object({
    parent_model: z.string().optional(),
    format: z.string().optional(),
    family: z.string().optional(),
    families: z.array(z.string()).nullable().optional(),
    parameter_size: z.string().optional(),
    quantization_level: z.string().optional(),
  })
  .loose();

const summary = z
  .object({
    name: z.string().min(1),
    model: z.string().optional(),
    modified_at: z.string().default(""),
    size: z.number().nonnegative().default(0),
    digest: z.string().default(""),
    details: details.default({}),
    capabilities: z.array(z.string()).optional(),
  })
  .loose()
  .transform((m) => ({ ...m, model: m.model ?? m.name }));

export const tagsSchema = z.object({ models: z.array(summary).nullable().default([]) });

const running = summary.and(
  z
    .object({
      expires_at: z.string().optional(),
      size_vram: z.number().optional(),
      context_length: z.number().optional(),
    })
    .loose(),
);
export const psSchema = z.object({ models: z.array(running).nullable().default([]) });

export const showSchema = z
  .object({
    parameters: z.string().optional(),
    license: z.string().optional(),
    modified_at: z.string().optional(),
    details: details.optional(),
    template: z.string().optional(),
    capabilities: z.array(z.string()).optional(),
    model_info: z.record(z.string(), z.unknown()).optional(),
    modelfile: z.string().optional(),
  })
  .loose();

export type ParseResult<T> = { ok: true; value: T } | { ok: false; problem: string };

function run<T>(schema: z.ZodType<T>, value: unknown): ParseResult<T> {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join(".") : "the reply";
  return { ok: false, problem: `${where}: ${issue?.message ?? "unexpected shape"}` };
}

export const parseTags = (v: unknown): ParseResult<ModelSummary[]> => {
  const r = run(tagsSchema, v);
  return r.ok ? { ok: true, value: (r.value.models ?? []) as ModelSummary[] } : r;
};
export const parsePs = (v: unknown): ParseResult<RunningModel[]> => {
  const r = run(psSchema, v);
  return r.ok ? { ok: true, value: (r.value.models ?? []) as RunningModel[] } : r;
};
export const parseShow = (v: unknown): ParseResult<ModelInfo> => run(showSchema, v) as ParseResult<ModelInfo>;

const seconds = z.number().nonnegative();

const voice = z
  .object({
    id: z.string().min(1),
    label: z.string(),
    gender: z.enum(["female", "male"]).nullable().optional(),
    locale: z.string().nullable().optional(),
    engine: z.string().optional(),
  })
  .loose();

export const voiceListSchema = z
  .object({
    available: z.boolean(),
    engine: z.string(),
    count: z.number().int().nonnegative().optional(),
    voices: z.array(voice),
  })
  .loose();

export const synthesisSchema = z
  .object({
    id: z.string().min(1),
    filename: z.string().min(1),
    // Fetched from the server root: anything else is not a clip of this hub.
    path: z.string().startsWith("/audio/"),
    engine: z.string(),
    voice: z.string(),
    language: z.string(),
    speed: z.number(),
    sample_rate: z.number().int().positive(),
    text: z.string(),
    trim_silence: z.boolean(),
  })
  .loose();

/** `POST /api/voices/preview`. */
export const voicePreviewSchema = z
  .object({
    voice: z.string(),
    language: z.string().nullable(),
    // Fetched from the server root like a clip.
    preview_url: z.string().startsWith("/audio/"),
  })
  .loose();

export const transcribeSchema = z
  .object({
    jobId: z.string().optional(),
    media: z.object({ audio_url: z.string(), duration: seconds }).loose().optional(),
    transcript: z
      .object({
        duration: seconds,
        language: z.string(),
        segments: z.array(z.object({ start: seconds, end: seconds, text: z.string() }).loose()),
        words: z.array(
          z
            .object({
              text: z.string(),
              start: seconds,
              end: seconds,
              confidence: z.number().min(0).max(1),
            })
            .loose(),
        ),
        note: z.string().optional(),
      })
      .loose(),
  })
  .loose();

export const parseVoiceList = (v: unknown): ParseResult<WireVoiceList> =>
  run(voiceListSchema, v) as ParseResult<WireVoiceList>;
export const parseSynthesis = (v: unknown): ParseResult<WireSynthesis> =>
  run(synthesisSchema, v) as ParseResult<WireSynthesis>;
export const parseVoicePreview = (v: unknown): ParseResult<WireVoicePreview> =>
  run(voicePreviewSchema, v) as ParseResult<WireVoicePreview>;
export const parseTranscribe = (v: unknown): ParseResult<WireTranscribeReply> =>
  run(transcribeSchema, v) as ParseResult<WireTranscribeReply>;

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A finite number ≥ 0, or undefined: Ollama's counts and durations are all optional. */
export function nonNegative(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : undefined;
}

const NS_PER_MS = 1e6;

/** Reads the optional metrics of a final chunk (nanoseconds on the wire) into milliseconds, tokens/s derived. */
export function statsOf(chunk: Record<string, unknown>): GenerationStats {
  const stats: GenerationStats = {};
  const total = nonNegative(chunk.total_duration);
  const load = nonNegative(chunk.load_duration);
  const promptTokens = nonNegative(chunk.prompt_eval_count);
  const promptDur = nonNegative(chunk.prompt_eval_duration);
  const evalTokens = nonNegative(chunk.eval_count);
  const evalDur = nonNegative(chunk.eval_duration);
  if (total !== undefined) stats.totalMs = total / NS_PER_MS;
  if (load !== undefined) stats.loadMs = load / NS_PER_MS;
  if (promptTokens !== undefined) stats.promptTokens = promptTokens;
  if (promptDur !== undefined) stats.promptMs = promptDur / NS_PER_MS;
  if (evalTokens !== undefined) stats.evalTokens = evalTokens;
  if (evalDur !== undefined) stats.evalMs = evalDur / NS_PER_MS;
  if (evalTokens !== undefined && evalDur !== undefined && evalDur > 0) {
    stats.tokensPerSecond = (evalTokens / evalDur) * 1e9;
  }
  return stats;
}
