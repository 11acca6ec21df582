/**
 * One class per failure kind, each with a literal `code` (as undici does). Callers decide by `err.code`.
 * Transport failures (unreachable, timeout, cut) stay apart from answers that say no (HTTP status with a body).
 * Errors raised after a stream started carry `partial`: the text received so far is never lost.
 */

export interface PartialOutput {
  content: string;
  thinking: string;
}

export type HubErrorCode =
  | "HUB_UNREACHABLE"
  | "HUB_TIMEOUT"
  | "HUB_HTTP_ERROR"
  | "OLLAMA_UNAVAILABLE"
  | "MODEL_NOT_FOUND"
  | "UPSTREAM_ERROR"
  | "STREAM_INCOMPLETE"
  | "BAD_PAYLOAD"
  | "PAYLOAD_TOO_LARGE"
  | "ABORTED"
  | "INVALID_ARGUMENT"
  | "MEDIA_UNSUPPORTED"
  | "STT_UNAVAILABLE"
  | "STT_FAILED"
  | "MEDIA_INVALID"
  | "FFMPEG_MISSING"
  | "UPLOAD_TOO_LARGE"
  | "TTS_UNAVAILABLE"
  | "VOICE_NOT_FOUND"
  | "AUDIO_NOT_FOUND";

interface HubErrorOptions {
  cause?: unknown;
  partial?: PartialOutput | undefined;
}

export abstract class HubError extends Error {
  abstract readonly code: HubErrorCode;
  /** Output received before the failure, for stream calls; undefined when nothing was streamed. */
  partial: PartialOutput | undefined;

  constructor(message: string, options: HubErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.partial = options.partial;
  }

  override get name(): string {
    return this.constructor.name;
  }
}

/** The hub (or Ollama in direct mode) could not be reached: refused, DNS, reset before an answer. */
export class HubUnreachableError extends HubError {
  readonly code = "HUB_UNREACHABLE";
  constructor(
    message: string,
    readonly url: string,
    options?: HubErrorOptions,
  ) {
    super(message, options);
  }
}

export type TimeoutPhase = "connect" | "request" | "first-event" | "idle" | "total";

/**
 * The server is not answering at all (refused, reset before an answer, a connection that could not be made in
 * time, or the hub up with Ollama behind it down), as opposed to a refusal or a slow answer: what is worth
 * trying again a moment later, or on another host. Not a later timeout: a first event can be minutes away while
 * a model loads, and that server is busy, not away.
 */
export function isServerAway(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return (
    code === "HUB_UNREACHABLE" ||
    code === "OLLAMA_UNAVAILABLE" ||
    (code === "HUB_TIMEOUT" && (err as { phase?: unknown }).phase === "connect")
  );
}

/** A timeout fired; `phase` says which one, `timeoutMs` its configured value. */
export class HubTimeoutError extends HubError {
  readonly code = "HUB_TIMEOUT";
  constructor(
    message: string,
    readonly phase: TimeoutPhase,
    readonly timeoutMs: number,
    options?: HubErrorOptions,
  ) {
    super(message, options);
  }
}

/** The server answered with an error status. `serverError` is its `error` text when it sent one. */
export class HubHttpError extends HubError {
  readonly code = "HUB_HTTP_ERROR";
  constructor(
    message: string,
    readonly status: number,
    readonly serverError: string | undefined,
    options?: HubErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * The hub answers, but Ollama behind it does not: a 503 naming a refused connection, or (the hub cannot change
 * the status once a stream started) a stream cut right after `starting` while the model list fails the same way.
 * `status` is the hub's status when it answered one.
 */
export class OllamaUnavailableError extends HubError {
  readonly code = "OLLAMA_UNAVAILABLE";
  constructor(
    message: string,
    readonly status: number | undefined,
    options?: HubErrorOptions,
  ) {
    super(message, options);
  }
}

/** The model is not installed (`where: "local"`), or the registry has no such model to pull (`"registry"`). */
export class ModelNotFoundError extends HubError {
  readonly code = "MODEL_NOT_FOUND";
  constructor(
    message: string,
    readonly model: string,
    readonly where: "local" | "registry",
    options?: HubErrorOptions,
  ) {
    super(message, options);
  }
}

/** Ollama reported an error inside a stream (`{"error": …}` as an event). */
export class UpstreamError extends HubError {
  readonly code = "UPSTREAM_ERROR";
  constructor(
    message: string,
    readonly upstreamError: string,
    options?: HubErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * A reply larger than the client accepts: one event or line of a stream past `maxEventBytes`, a whole
 * management reply past `maxBodyBytes`, or an audio file past `maxAudioBytes`. A broken or hostile server cannot make the bot buffer without bound.
 */
export class PayloadTooLargeError extends HubError {
  readonly code = "PAYLOAD_TOO_LARGE";
  constructor(
    message: string,
    readonly limitBytes: number,
    options?: HubErrorOptions,
  ) {
    super(message, options);
  }
}

/** The stream ended, or the connection was cut, before its terminal event (`done` / `success`). */
export class StreamIncompleteError extends HubError {
  readonly code = "STREAM_INCOMPLETE";
  constructor(
    message: string,
    readonly how: "ended" | "cut",
    options?: HubErrorOptions,
  ) {
    super(message, options);
  }
}

/** A payload could not be decoded (bad bytes literal, bad UTF-8, bad JSON, or JSON of the wrong shape). */
export class PayloadDecodeError extends HubError {
  readonly code = "BAD_PAYLOAD";
  constructor(
    message: string,
    /** The offending payload, cut to 200 characters. */
    readonly payload: string,
    options?: HubErrorOptions,
  ) {
    super(message, options);
  }
}

/** The caller aborted (its `AbortSignal` fired). */
export class HubAbortedError extends HubError {
  readonly code = "ABORTED";
}

export function isHubError(err: unknown): err is HubError {
  return err instanceof HubError;
}

/** A call was made with an argument that cannot work (empty model name, base URL that is not a URL). */
export class InvalidArgumentError extends HubError {
  readonly code = "INVALID_ARGUMENT";
}

/** Speech needs the hub: Ollama itself (direct mode) has none, and a hub without the endpoint answers 404. */
export class MediaUnsupportedError extends HubError {
  readonly code = "MEDIA_UNSUPPORTED";
  constructor(
    message: string,
    readonly feature: "tts" | "stt",
    options?: HubErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * The hub has no speech-to-text engine: it answered with its placeholder transcript (`reason: "placeholder"`,
 * faster-whisper missing and `ALLOW_STUB_STT` on; `hubNote` is its `note`), or with 503 (`"not-installed"`).
 */
export class SttUnavailableError extends HubError {
  readonly code = "STT_UNAVAILABLE";
  constructor(
    message: string,
    readonly reason: "placeholder" | "not-installed",
    readonly hubNote: string | undefined,
    options?: HubErrorOptions,
  ) {
    super(message, options);
  }
}

/** The hub's speech-to-text engine raised while transcribing; `serverError` is the hub's text. */
export class SttFailedError extends HubError {
  readonly code = "STT_FAILED";
  constructor(
    message: string,
    readonly serverError: string,
    options?: HubErrorOptions,
  ) {
    super(message, options);
  }
}

/** The hub's ffmpeg could not read the upload as audio ("Media processing failed"); `serverError` is its text. */
export class MediaInvalidError extends HubError {
  readonly code = "MEDIA_INVALID";
  constructor(
    message: string,
    readonly serverError: string,
    options?: HubErrorOptions,
  ) {
    super(message, options);
  }
}

/** The hub cannot convert audio at all: ffmpeg is not installed on its machine (or not on its PATH). */
export class FfmpegMissingError extends HubError {
  readonly code = "FFMPEG_MISSING";
  constructor(
    message: string,
    readonly serverError: string,
    options?: HubErrorOptions,
  ) {
    super(message, options);
  }
}

/** Audio to upload is larger than `maxUploadBytes`; nothing was sent. */
export class UploadTooLargeError extends HubError {
  readonly code = "UPLOAD_TOO_LARGE";
  constructor(
    message: string,
    readonly sizeBytes: number,
    readonly limitBytes: number,
    options?: HubErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * The hub cannot speak: Kokoro's model or voice file is missing (503 "TTS engine 'kokoro' is not available."),
 * or its voice list says `available: false`. `serverError` is the hub's text when it sent one.
 */
export class TtsUnavailableError extends HubError {
  readonly code = "TTS_UNAVAILABLE";
  constructor(
    message: string,
    readonly serverError: string | undefined,
    options?: HubErrorOptions,
  ) {
    super(message, options);
  }
}

/** The voice is not in the hub's voice bank (the hub says so with a 500). */
export class VoiceNotFoundError extends HubError {
  readonly code = "VOICE_NOT_FOUND";
  constructor(
    message: string,
    readonly voice: string,
    options?: HubErrorOptions,
  ) {
    super(message, options);
  }
}

/** No audio at that `/audio/...` path (the hub answers 500 "404 Not Found: ..." for a missing file). */
export class AudioNotFoundError extends HubError {
  readonly code = "AUDIO_NOT_FOUND";
  constructor(
    message: string,
    readonly path: string,
    options?: HubErrorOptions,
  ) {
    super(message, options);
  }
}
