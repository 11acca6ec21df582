/**
 * Wire types: Ollama's request and response shapes as they travel (snake_case), passed through the hub unchanged,
 * plus the typed events the client yields. Responses are validated at the boundary (see `validate.ts`), never cast.
 */

export type Role = "system" | "user" | "assistant" | "tool";

export interface ChatMessage {
  role: Role;
  content: string;
  thinking?: string;
  images?: string[];
}

/** Sampling options passed to the model (`options` in Ollama's API). */
export interface ModelOptions {
  temperature?: number;
  num_ctx?: number;
  num_predict?: number;
  seed?: number;
  stop?: string[];
  top_k?: number;
  top_p?: number;
  [key: string]: unknown;
}

export type ThinkSetting = boolean | "low" | "medium" | "high";

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  think?: ThinkSetting;
  format?: "json" | Record<string, unknown>;
  options?: ModelOptions;
  keep_alive?: string | number;
}

export interface GenerateRequest {
  model: string;
  prompt: string;
  system?: string;
  think?: ThinkSetting;
  format?: "json" | Record<string, unknown>;
  options?: ModelOptions;
  raw?: boolean;
  keep_alive?: string | number;
}

export interface ModelDetails {
  parent_model?: string;
  format?: string;
  family?: string;
  families?: string[] | null;
  parameter_size?: string;
  quantization_level?: string;
}

/** One entry of `/api/tags`. */
export interface ModelSummary {
  name: string;
  model: string;
  modified_at: string;
  size: number;
  digest: string;
  details: ModelDetails;
  capabilities?: string[];
}

/** One entry of `/api/ps`. */
export interface RunningModel extends ModelSummary {
  expires_at?: string;
  size_vram?: number;
  context_length?: number;
}

/** `/api/show`. */
export interface ModelInfo {
  parameters?: string;
  license?: string;
  modified_at?: string;
  details?: ModelDetails;
  template?: string;
  capabilities?: string[];
  model_info?: Record<string, unknown>;
  modelfile?: string;
}

/** What the final event of a generation reports, with durations in milliseconds and tokens/s derived. */
export interface GenerationStats {
  /** Ollama's `total_duration`. */
  totalMs?: number;
  loadMs?: number;
  promptTokens?: number;
  promptMs?: number;
  evalTokens?: number;
  evalMs?: number;
  /** `eval_count / eval_duration`, when both are known. */
  tokensPerSecond?: number;
}

/** Timings the client observed itself, from sending the request. */
export interface ClientTimings {
  /** Until the first event of any kind (the hub's `starting` marker counts): the hub is alive. */
  firstEventMs?: number;
  /** Until the first content or thinking delta: the model is loaded and generating. */
  firstTokenMs?: number;
  totalMs: number;
}

export interface Completion {
  model: string;
  content: string;
  thinking: string;
  /** `stop`, `length`, `load`, `unload`, or undefined when Ollama did not say. */
  doneReason: string | undefined;
  stats: GenerationStats;
  timings: ClientTimings;
}

/** Events of a streamed chat or generate call. The stream ends after `done`. */
export type StreamEvent =
  | { type: "content"; text: string }
  | { type: "thinking"; text: string }
  | ({ type: "done" } & Completion);

/** Events of a streamed pull. The stream ends after `success`. */
export type PullEvent =
  | {
      type: "progress";
      status: string;
      digest?: string;
      total?: number;
      completed?: number;
      /** 0–100, when `total` and `completed` are both known. */
      percent?: number;
    }
  | { type: "success" };

export interface DeleteResult {
  model: string;
  /** Always true when the call resolves: the model is confirmed absent from the model list. */
  deleted: true;
}

export interface Health {
  ok: true;
  mode: ClientMode;
  latencyMs: number;
  /** Ollama's version, in direct mode. */
  version?: string;
}

export type ClientMode = "hub" | "direct";
