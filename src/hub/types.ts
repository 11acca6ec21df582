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

// --- Speech (the hub's Kokoro text-to-speech and faster-whisper speech-to-text; hub mode only) -------------------

/** One voice of `GET /api/voices`, as the hub sends it. */
export interface WireVoice {
  id: string;
  label: string;
  gender?: "female" | "male" | null;
  /** Wrong outside English (see `Voice.language`). */
  locale?: string | null;
  engine?: string;
  [key: string]: unknown;
}

/** `GET /api/voices`. */
export interface WireVoiceList {
  available: boolean;
  engine: string;
  count?: number;
  voices: WireVoice[];
  [key: string]: unknown;
}

/** `POST /api/synthesise`: the clip it wrote; the audio itself is fetched from `path`. */
export interface WireSynthesis {
  id: string;
  filename: string;
  /** `/audio/<filename>`, at the server root (not under `/api`). */
  path: string;
  engine: string;
  voice: string;
  language: string;
  speed: number;
  sample_rate: number;
  text: string;
  trim_silence: boolean;
  [key: string]: unknown;
}

/** `POST /api/voices/preview`. */
export interface WireVoicePreview {
  voice: string;
  /** The language asked for, or null (the hub then renders American English). */
  language: string | null;
  /** `/audio/voice_previews/...`, at the server root. */
  preview_url: string;
  [key: string]: unknown;
}

export interface WireSegment {
  start: number;
  end: number;
  text: string;
  [key: string]: unknown;
}

export interface WireWord {
  text: string;
  start: number;
  end: number;
  confidence: number;
  [key: string]: unknown;
}

/** `POST /api/media/transcribe`. */
export interface WireTranscribeReply {
  jobId?: string;
  media?: { audio_url: string; duration: number; [key: string]: unknown };
  transcript: {
    duration: number;
    language: string;
    segments: WireSegment[];
    words: WireWord[];
    /** Only in the placeholder transcript of a hub without a speech-to-text engine. */
    note?: string;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export interface TranscribeOptions {
  /**
   * The upload's file name, e.g. `voice.oga`. The hub only uses its extension, and fails on `.wav` and on no
   * extension, so such names are changed before sending (`voice.wav` → `voice.bin`, `blob` → `blob.ogg`).
   */
  filename: string;
  /** The part's Content-Type. Default `application/octet-stream` (the hub's ffmpeg reads the content anyway). */
  contentType?: string;
}

export interface TranscriptWord {
  text: string;
  /** Seconds from the start. */
  start: number;
  end: number;
  /** 0–1. */
  confidence: number;
}

export interface TranscriptSegment {
  /** Trimmed (Whisper starts each segment with a space). */
  text: string;
  start: number;
  end: number;
}

export interface Transcript {
  /** The segments' text joined and trimmed; `""` when nothing was heard (silence is not an error). */
  text: string;
  /** Whisper's detected language code, e.g. `en`. */
  language: string;
  /** Length of the audio as the hub converted it. */
  durationSeconds: number;
  words: TranscriptWord[];
  segments: TranscriptSegment[];
  /** The hub's converted WAV (mono 24 kHz), for `fetchAudio`; deleted by the hub after some days. */
  audioPath?: string;
}

export type VoiceGender = "female" | "male";

export interface Voice {
  /** e.g. `af_heart`. */
  id: string;
  /** The hub's label, e.g. `Af Heart`. */
  label: string;
  gender: VoiceGender | undefined;
  /**
   * The language the voice speaks, as the espeak code to send with it (`en-us`, `en-gb`, `ja`, `cmn`, `es`,
   * `fr-fr`, `hi`, `it`, `pt-br`), from the id's first letter; undefined for an id outside that scheme. The hub's
   * own `locale` is not used: it is wrong outside English.
   */
  language: string | undefined;
  /** The language in English, e.g. `British English`. */
  languageName: string | undefined;
}

export interface VoiceList {
  /** The TTS engine, `kokoro`. */
  engine: string;
  /** False when the engine cannot run (Kokoro's model or voice file missing); `voices` is then empty. */
  available: boolean;
  voices: Voice[];
}

export interface SynthesisRequest {
  /** Spoken as given (the hub strips it); no length limit, but time grows with it. */
  text: string;
  /** A voice id from `voices()`. The hub has no default. */
  voice: string;
  /** 0.5–2.0. Default 1.0 (the hub's). */
  speed?: number;
  /** espeak language code. Default: the voice's own language (`Voice.language`); the hub would use `en-us`. */
  language?: string;
}

export interface Synthesis {
  id: string;
  filename: string;
  /** `/audio/...` at the server root: pass it to `fetchAudio`. */
  path: string;
  engine: string;
  voice: string;
  language: string;
  speed: number;
  /** Always 24000 for Kokoro: the clip is a mono 16-bit WAV. */
  sampleRate: number;
  /** The text as the hub spoke it (stripped). */
  text: string;
  trimSilence: boolean;
}

/** A voice's sample: a fixed sentence of at most 5 s, rendered once per voice and language, cached by the hub. */
export interface VoicePreview {
  voice: string;
  language: string | undefined;
  /** `/audio/...` at the server root: pass it to `fetchAudio`. */
  path: string;
}

export interface AudioFile {
  bytes: Uint8Array;
  /** As the hub sent it, e.g. `audio/x-wav`. */
  contentType: string;
}

/** What this hub can do with speech (see `OllamaClient.speech`). */
export interface SpeechSupport {
  /** Kokoro is loaded and has voices. */
  tts: boolean;
  /**
   * Speech-to-text cannot be probed without sending audio: the hub has no status for it, and a hub without an
   * engine only shows it by answering a transcription with its placeholder. So `"unknown"` until a transcription
   * through this client succeeded, `"available"` after.
   */
  stt: "available" | "unknown";
}
