import { setTimeout as sleep } from "node:timers/promises";
import { Agent, type Dispatcher, request } from "undici";
import { definedOnly } from "../util/objects.js";
import { maskUrl } from "../util/secrets.js";
import { type ParsedBatch, parseHubPayloads } from "./bytes-literal.js";
import {
  HubAbortedError,
  HubError,
  HubHttpError,
  HubTimeoutError,
  HubUnreachableError,
  InvalidArgumentError,
  MediaUnsupportedError,
  ModelNotFoundError,
  OllamaUnavailableError,
  type PartialOutput,
  PayloadDecodeError,
  PayloadTooLargeError,
  StreamIncompleteError,
  SttUnavailableError,
  type TimeoutPhase,
  UploadTooLargeError,
  UpstreamError,
} from "./errors.js";
import { type Framing, framePayloads } from "./framing.js";
import {
  audioFailure,
  audioUrl,
  multipartBody,
  synthesiseFailure,
  toVoice,
  transcribeFailure,
  transcriptOf,
  uploadFilename,
  voiceLanguage,
} from "./media.js";
import type {
  AudioFile,
  ChatRequest,
  ClientMode,
  Completion,
  DeleteResult,
  GenerateRequest,
  Health,
  ModelInfo,
  ModelSummary,
  PullEvent,
  RunningModel,
  SpeechSupport,
  StreamEvent,
  Synthesis,
  SynthesisRequest,
  TranscribeOptions,
  Transcript,
  VoiceList,
  VoicePreview,
} from "./types.js";
import {
  isRecord,
  nonNegative,
  type ParseResult,
  parsePs,
  parseShow,
  parseSynthesis,
  parseTags,
  parseTranscribe,
  parseVoiceList,
  parseVoicePreview,
  statsOf,
} from "./validate.js";
import { realScheduler, type Scheduler, Watchdog } from "./watchdog.js";

/** Options of {@link OllamaClient}. Every field but `mode` and `baseUrl` is optional; defaults are given. */
export interface ClientOptions {
  /** `hub`: the hub's SSE API at `TTSHUB_API_BASE`; `direct`: Ollama's own NDJSON API at `OLLAMA_URL`. */
  mode: ClientMode;
  /** e.g. `http://10.0.0.2:7860/api` (hub) or `http://127.0.0.1:11434` (direct). */
  baseUrl: string;
  /** TCP connect. Default 10 s. */
  connectTimeoutMs?: number;
  /** Whole request of a management call (tags, ps, show, delete, health). Default 30 s. */
  requestTimeoutMs?: number;
  /** From sending a streamed request to its first event. Default 120 s. */
  firstEventTimeoutMs?: number;
  /**
   * Longest silence between two events of a stream. Default 300 s: the hub sends no heartbeats, so a model being
   * loaded into memory after the `starting` event is silent, sometimes for minutes.
   */
  idleTimeoutMs?: number;
  /** Whole generation, streamed or not (not pulls, which can take an hour). Default 30 min. */
  totalTimeoutMs?: number;
  /** Extra attempts for reads and for requests that failed before any byte came. Default 2. */
  retries?: number;
  /** First backoff; it doubles per attempt with full jitter. Default 250 ms. */
  retryBaseDelayMs?: number;
  /** Cap of one backoff. Default 4 s. */
  retryMaxDelayMs?: number;
  /** undici dispatcher; by default a keep-alive `Agent` owned (and closed) by the client. */
  dispatcher?: Dispatcher;
  /** Monotonic clock in ms, for timings. Default `performance.now`. */
  now?: () => number;
  /** Source of jitter in [0, 1). Default `Math.random`. */
  random?: () => number;
  /** Timers for the timeouts. Default: Node's, unref'd. */
  scheduler?: Scheduler;
  /**
   * A bearer key sent as `Authorization: Bearer …` (Ollama's cloud, reverse proxies). Default: none. Credentials
   * in `baseUrl` (`http://user:pass@host/…`) are sent as Basic authorization instead, and never shown.
   */
  apiKey?: string | undefined;
  /** Longest single event (SSE) or line (NDJSON) of a stream, in bytes. Default 8 MiB. */
  maxEventBytes?: number;
  /** Longest whole reply of a management call (tags, show, …) or error body, in bytes. Default 32 MiB. */
  maxBodyBytes?: number;
  /**
   * Whole `transcribe` call: upload, the hub's conversion and Whisper, which has no server-side timeout and is
   * loaded (even downloaded) on the hub's first request. Default 10 min.
   */
  transcribeTimeoutMs?: number;
  /** Whole `synthesise` call: Kokoro renders the whole clip before answering, longer for longer text. Default 5 min. */
  synthesiseTimeoutMs?: number;
  /** Largest audio `transcribe` uploads, in bytes; a larger one is refused before sending. Default 25 MiB. */
  maxUploadBytes?: number;
  /** Largest audio `fetchAudio` reads, in bytes (Kokoro's WAV is 48 kB per second). Default 64 MiB. */
  maxAudioBytes?: number;
}

type Resolved = Required<Omit<ClientOptions, "dispatcher" | "apiKey">>;

const DEFAULTS = {
  connectTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  firstEventTimeoutMs: 120_000,
  idleTimeoutMs: 300_000,
  totalTimeoutMs: 1_800_000,
  retries: 2,
  retryBaseDelayMs: 250,
  retryMaxDelayMs: 4_000,
  maxEventBytes: 8 * 1024 * 1024,
  maxBodyBytes: 32 * 1024 * 1024,
  transcribeTimeoutMs: 600_000,
  synthesiseTimeoutMs: 300_000,
  maxUploadBytes: 25 * 1024 * 1024,
  maxAudioBytes: 64 * 1024 * 1024,
} as const;

type Endpoint = "tags" | "ps" | "show" | "delete" | "pull" | "chat" | "generate";

/** How the two servers differ; everything else is shared. */
interface Dialect {
  framing: Framing;
  /** Names the server in messages, so a user knows which machine and which setting to check. */
  label: string;
  fix: string;
  endpoint(e: Endpoint): string;
  deleteMethod: "POST" | "DELETE";
  healthUrl: string;
}

function dialectOf(mode: ClientMode, base: string): Dialect {
  if (mode === "hub") {
    return {
      framing: "sse",
      label: `the hub at ${base}`,
      fix: "Check that the hub is running on that machine and that TTSHUB_API_BASE is right.",
      endpoint: (e) => `${base}/ollama/${e}`,
      deleteMethod: "POST",
      // The hub serves /health at its root, not under the /api prefix.
      healthUrl: new URL("/health", base).href,
    };
  }
  return {
    framing: "ndjson",
    label: `Ollama at ${base}`,
    fix: 'Check that Ollama is running ("ollama serve") and that OLLAMA_URL is right.',
    endpoint: (e) => `${base}/api/${e}`,
    deleteMethod: "DELETE",
    healthUrl: `${base}/api/version`,
  };
}

/** `llama3` and `llama3:latest` name the same model. */
export function sameModel(a: string, b: string): boolean {
  const norm = (n: string) => {
    const s = n.trim().toLowerCase();
    return /:[^/]+$/.test(s) ? s : `${s}:latest`;
  };
  return norm(a) === norm(b);
}

function requireName(name: string, what: string): string {
  const trimmed = typeof name === "string" ? name.trim() : "";
  if (trimmed === "") throw new InvalidArgumentError(`${what} needs a model name, e.g. "llama3.2".`);
  return trimmed;
}

const HUB_WRAPPED_404 = /404 Client Error/;
const OLLAMA_NOT_FOUND = /model ['"]?[^'"]*['"]? not found|not found, try pulling/i;
const REGISTRY_MISSING = /file does not exist|manifest unknown/i;
const OLLAMA_DOWN = /Connection refused|Max retries exceeded|Failed to establish a new connection/i;

/** A 2xx-or-error reply read in full, for management calls and one-shot generations. */
interface JsonCall {
  method: "GET" | "POST" | "DELETE";
  url: string;
  body?: unknown;
  /** A body sent as is instead of `body` as JSON (the multipart upload). */
  raw?: RawBody;
  signal: AbortSignal | undefined;
  /** Phase, length, and optionally what the timeout message says the time was for. */
  timeout: [TimeoutPhase, number, string?];
  retry: boolean;
  model?: string;
  /** The endpoint's own error for an error status, before the generic `httpError`. */
  refine?: (status: number, serverError: string | undefined) => HubError | undefined;
}

interface RawBody {
  bytes: Uint8Array;
  contentType: string;
}

/**
 * The typed client for the hub (and for Ollama itself, in direct mode): one interface for both, so the bot and
 * the CLI never know which one they talk to. Knows HTTP, SSE, NDJSON, the hub's quirks, timeouts, retries and
 * errors; knows nothing of Telegram.
 */
export class OllamaClient {
  readonly mode: ClientMode;
  readonly baseUrl: string;
  private readonly opts: Resolved;
  private readonly dialect: Dialect;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly authorization: string | undefined;
  /** Set once a transcription succeeded: the only evidence of speech-to-text the hub gives. */
  private sttSeen = false;

  constructor(options: ClientOptions) {
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch (cause) {
      throw new InvalidArgumentError(
        `"${maskUrl(options.baseUrl)}" is not a URL. Use a full address such as http://10.0.0.2:7860/api.`,
        { cause },
      );
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new InvalidArgumentError(`"${maskUrl(options.baseUrl)}" must start with http:// or https://.`);
    }
    this.mode = options.mode;
    // undici drops userinfo from a URL: it is taken out here and sent as a header, so an auth-protected hub
    // answers, and the address in every label, message and log line carries no password.
    const user = decodeURIComponent(url.username);
    const pass = decodeURIComponent(url.password);
    url.username = "";
    url.password = "";
    this.authorization =
      options.apiKey !== undefined && options.apiKey !== ""
        ? `Bearer ${options.apiKey}`
        : user !== "" || pass !== ""
          ? `Basic ${Buffer.from(`${user}:${pass}`, "utf8").toString("base64")}`
          : undefined;
    this.baseUrl = url.href.replace(/\/+$/, "");
    this.opts = {
      ...DEFAULTS,
      now: () => performance.now(),
      random: Math.random,
      scheduler: realScheduler,
      ...definedOnly(options),
    } as Resolved;
    this.dialect = dialectOf(this.mode, this.baseUrl);
    this.ownsDispatcher = options.dispatcher === undefined;
    this.dispatcher =
      options.dispatcher ??
      new Agent({
        connect: { timeout: this.opts.connectTimeoutMs },
        keepAliveTimeout: 10_000,
        // Our own watchdog owns the timeouts (it knows which phase it is in); undici's would fire first.
        headersTimeout: 0,
        bodyTimeout: 0,
      });
  }

  /** The installed models (`/api/tags`). Retried on transient failures. */
  async listModels(signal?: AbortSignal): Promise<ModelSummary[]> {
    const body = await this.callJson({ ...this.read("tags"), signal });
    // The real hub answers any unknown GET path with 200 {"status":"ok"}: a reply without a model list is a wrong
    // address, never "no models installed".
    if (isRecord(body) && !("models" in body)) {
      throw new PayloadDecodeError(
        `${this.dialect.label} answered without a model list (${clip(body, 80)}): this is not ${
          this.mode === "hub"
            ? "the hub's API. Set TTSHUB_API_BASE to the hub's address ending in /api, e.g. http://10.0.0.2:7860/api"
            : "Ollama's API. Set OLLAMA_URL to Ollama's address, e.g. http://127.0.0.1:11434"
        }.`,
        clip(body),
      );
    }
    return this.validated(parseTags(body), "tags", body);
  }

  /** The models loaded in memory now (`/api/ps`). */
  async runningModels(signal?: AbortSignal): Promise<RunningModel[]> {
    const body = await this.callJson({ ...this.read("ps"), signal });
    return this.validated(parsePs(body), "ps", body);
  }

  /** Details of one model (`/api/show`). Throws `ModelNotFoundError` when it is not installed. */
  async showModel(name: string, signal?: AbortSignal): Promise<ModelInfo> {
    const model = requireName(name, "show");
    const body = await this.callJson({
      method: "POST",
      url: this.dialect.endpoint("show"),
      body: { model },
      signal,
      timeout: ["request", this.opts.requestTimeoutMs],
      retry: true,
      model,
    });
    return this.validated(parseShow(body), "show", body);
  }

  /**
   * Deletes a model and tells the truth about it. The real hub answers 503 after a *successful* delete (it
   * cannot parse Ollama's empty reply), so the outcome is confirmed against the model list, not the reply.
   */
  async deleteModel(name: string, signal?: AbortSignal): Promise<DeleteResult> {
    const model = requireName(name, "delete");
    if (!(await this.hasModel(model, signal))) {
      throw new ModelNotFoundError(
        `Model "${model}" is not installed on ${this.dialect.label}, so there is nothing to delete.`,
        model,
        "local",
      );
    }
    let replyError: unknown;
    try {
      await this.callJson({
        method: this.dialect.deleteMethod,
        url: this.dialect.endpoint("delete"),
        body: { model },
        signal,
        timeout: ["request", this.opts.requestTimeoutMs],
        retry: false,
        model,
      });
    } catch (err) {
      if (err instanceof HubAbortedError) throw err;
      replyError = err;
    }
    if (!(await this.hasModel(model, signal))) return { model, deleted: true };
    if (replyError instanceof Error) throw replyError;
    throw new HubHttpError(
      `${this.dialect.label} said "${model}" was deleted, but it is still installed.`,
      200,
      undefined,
    );
  }

  /** Whether `name` is installed (`llama3` matches `llama3:latest`). */
  async hasModel(name: string, signal?: AbortSignal): Promise<boolean> {
    const models = await this.listModels(signal);
    return models.some((m) => sameModel(m.name, name) || sameModel(m.model, name));
  }

  /**
   * Pulls a model, yielding progress; ends after `success`. An unknown name throws `ModelNotFoundError` with
   * `where: "registry"`. Pulls have no total timeout (big models take long), only first-event and idle.
   */
  async *pull(name: string, signal?: AbortSignal): AsyncGenerator<PullEvent, void, undefined> {
    const model = requireName(name, "pull");
    const events = this.events("pull", { model, stream: true }, signal, 0, model);
    for await (const batch of events)
      for (const obj of batch) {
        if (typeof obj.error === "string") {
          const text = clip(obj.error, 1000);
          if (REGISTRY_MISSING.test(text)) {
            throw new ModelNotFoundError(
              `There is no model "${model}" to pull: ${text}. Check the name at https://ollama.com/library.`,
              model,
              "registry",
            );
          }
          throw new UpstreamError(`Pulling "${model}" failed: ${text}`, text);
        }
        const status = typeof obj.status === "string" ? obj.status : "";
        if (status === "success") {
          yield { type: "success" };
          return;
        }
        const total = nonNegative(obj.total);
        const completed = nonNegative(obj.completed);
        const event: PullEvent = { type: "progress", status };
        if (typeof obj.digest === "string") event.digest = obj.digest;
        if (total !== undefined) event.total = total;
        if (completed !== undefined) event.completed = completed;
        if (total !== undefined && total > 0 && completed !== undefined) {
          event.percent = Math.min(100, (completed / total) * 100);
        }
        yield event;
      }
    throw new StreamIncompleteError(
      `The pull of "${model}" ended before Ollama reported success. Run it again; finished layers are kept.`,
      "ended",
    );
  }

  /**
   * Pulls a model and resolves when it is installed. Built on the progress stream on purpose: a non-streamed
   * pull through the hub reports a missing model only as an opaque "500 Server Error", the stream says why.
   */
  async pullOnce(name: string, signal?: AbortSignal): Promise<void> {
    for await (const _ of this.pull(name, signal)) {
      // progress is not needed here
    }
  }

  /** A chat turn, streamed: content and thinking deltas, then `done` with the metrics. */
  chatStream(req: ChatRequest, signal?: AbortSignal): AsyncGenerator<StreamEvent, void, undefined> {
    return this.generation("chat", { ...req, model: requireName(req.model, "chat"), stream: true }, signal);
  }

  /** A generate call, streamed. */
  generateStream(req: GenerateRequest, signal?: AbortSignal): AsyncGenerator<StreamEvent, void, undefined> {
    return this.generation(
      "generate",
      { ...req, model: requireName(req.model, "generate"), stream: true },
      signal,
    );
  }

  /** A chat turn in one reply. */
  chat(req: ChatRequest, signal?: AbortSignal): Promise<Completion> {
    return this.oneShot("chat", { ...req, model: requireName(req.model, "chat"), stream: false }, signal);
  }

  /** A generate call in one reply. */
  generate(req: GenerateRequest, signal?: AbortSignal): Promise<Completion> {
    return this.oneShot(
      "generate",
      { ...req, model: requireName(req.model, "generate"), stream: false },
      signal,
    );
  }

  /** Is the server up? Hub: `GET /health` at its root. Direct: `GET /api/version`. */
  async health(signal?: AbortSignal): Promise<Health> {
    const t0 = this.opts.now();
    const body = await this.callJson({
      method: "GET",
      url: this.dialect.healthUrl,
      signal,
      timeout: ["request", this.opts.requestTimeoutMs],
      retry: true,
    });
    const latencyMs = this.opts.now() - t0;
    if (this.mode === "hub") {
      if (!isRecord(body) || body.status !== "ok") {
        throw new PayloadDecodeError(
          `${this.dialect.label} answered /health without "status":"ok".`,
          clip(body),
        );
      }
      return { ok: true, mode: this.mode, latencyMs };
    }
    const version = isRecord(body) && typeof body.version === "string" ? body.version : undefined;
    return version === undefined
      ? { ok: true, mode: this.mode, latencyMs }
      : { ok: true, mode: this.mode, latencyMs, version };
  }

  /**
   * Speech to text through the hub (`POST /media/transcribe`, faster-whisper with automatic language detection).
   * `audio` is any format the hub's ffmpeg reads (a Telegram voice note's OGG/Opus, MP3, WAV, ...), at most
   * `maxUploadBytes`. Silence is a transcript with `text: ""`. A hub without a speech engine throws
   * `SttUnavailableError`, also when it answers with its placeholder transcript.
   */
  async transcribe(audio: Uint8Array, options: TranscribeOptions, signal?: AbortSignal): Promise<Transcript> {
    this.requireHub("stt", "transcribe");
    if (!(audio instanceof Uint8Array) || audio.byteLength === 0) {
      throw new InvalidArgumentError("transcribe needs the audio's bytes; it was given none.");
    }
    const limit = this.opts.maxUploadBytes;
    if (audio.byteLength > limit) {
      throw new UploadTooLargeError(
        `The audio is ${audio.byteLength} bytes, more than the ${limit} this client uploads (maxUploadBytes). Send a shorter recording.`,
        audio.byteLength,
        limit,
      );
    }
    const filename = uploadFilename(typeof options?.filename === "string" ? options.filename : "");
    const { body, contentType } = multipartBody("file", filename, options?.contentType, audio);
    let reply: unknown;
    try {
      reply = await this.callJson({
        method: "POST",
        url: `${this.baseUrl}/media/transcribe`,
        raw: { bytes: body, contentType },
        signal,
        timeout: ["total", this.opts.transcribeTimeoutMs, "for the transcription"],
        retry: true,
        refine: (status, text) => transcribeFailure(status, text, this.dialect.label, filename),
      });
      const transcript = transcriptOf(
        this.validated(parseTranscribe(reply), "transcribe", reply),
        up(this.dialect.label),
      );
      this.sttSeen = true;
      return transcript;
    } catch (err) {
      if (err instanceof SttUnavailableError) this.sttSeen = false;
      throw err;
    }
  }

  /**
   * The hub's voices (`GET /voices`), with the language each speaks. `available: false` (and no voices) when
   * Kokoro cannot run on the hub.
   */
  async voices(signal?: AbortSignal): Promise<VoiceList> {
    this.requireHub("tts", "voices");
    const body = await this.callJson({
      method: "GET",
      url: `${this.baseUrl}/voices`,
      signal,
      timeout: ["request", this.opts.requestTimeoutMs],
      retry: true,
      refine: (status) =>
        status === 404
          ? new MediaUnsupportedError(
              `${up(this.dialect.label)} has no voice list (/voices answered 404). Update the hub, or check TTSHUB_API_BASE.`,
              "tts",
            )
          : undefined,
    });
    const list = this.validated(parseVoiceList(body), "voices", body);
    return { engine: list.engine, available: list.available, voices: list.voices.map(toVoice) };
  }

  /**
   * Text to speech (`POST /synthesise`, Kokoro): the hub writes a WAV clip (mono, 24 kHz, 16-bit) and answers
   * where it is; `fetchAudio(result.path)` gets it. `language` defaults to the voice's own (the hub would read
   * every voice as American English). Speed 0.5–2.0 and a non-blank text are checked before sending.
   */
  async synthesise(req: SynthesisRequest, signal?: AbortSignal): Promise<Synthesis> {
    this.requireHub("tts", "synthesise");
    const text = typeof req?.text === "string" ? req.text : "";
    if (text.trim() === "") throw new InvalidArgumentError("synthesise needs a text to speak; it was blank.");
    const voice = typeof req.voice === "string" ? req.voice.trim() : "";
    if (voice === "") {
      throw new InvalidArgumentError(
        'synthesise needs a voice id, e.g. "af_heart" (the hub has no default).',
      );
    }
    const body: Record<string, unknown> = { text, voice };
    if (req.speed !== undefined) {
      if (typeof req.speed !== "number" || !(req.speed >= 0.5 && req.speed <= 2)) {
        throw new InvalidArgumentError(`speed must be a number from 0.5 to 2.0, not ${String(req.speed)}.`);
      }
      body.speed = req.speed;
    }
    const language =
      typeof req.language === "string" && req.language.trim() !== ""
        ? req.language.trim().toLowerCase()
        : voiceLanguage(voice)?.code;
    if (language !== undefined) body.language = language;
    const reply = await this.callJson({
      method: "POST",
      url: `${this.baseUrl}/synthesise`,
      body,
      signal,
      timeout: ["total", this.opts.synthesiseTimeoutMs, "for the speech"],
      retry: true,
      refine: (status, error) => synthesiseFailure(status, error, this.dialect.label, voice),
    });
    const w = this.validated(parseSynthesis(reply), "synthesise", reply);
    return {
      id: w.id,
      filename: w.filename,
      path: w.path,
      engine: w.engine,
      voice: w.voice,
      language: w.language,
      speed: w.speed,
      sampleRate: w.sample_rate,
      text: w.text,
      trimSilence: w.trim_silence,
    };
  }

  /**
   * A voice's sample (`POST /api/voices/preview`): the hub renders a fixed sentence once per voice and language
   * and answers where it is; `fetchAudio(result.path)` gets it. `language` defaults to the voice's own, as for
   * `synthesise`. The hub serves this endpoint only under its API prefix.
   */
  async previewVoice(voiceId: string, language?: string, signal?: AbortSignal): Promise<VoicePreview> {
    this.requireHub("tts", "previewVoice");
    const voice = typeof voiceId === "string" ? voiceId.trim() : "";
    if (voice === "") throw new InvalidArgumentError('previewVoice needs a voice id, e.g. "af_heart".');
    const lang =
      typeof language === "string" && language.trim() !== ""
        ? language.trim().toLowerCase()
        : voiceLanguage(voice)?.code;
    const reply = await this.callJson({
      method: "POST",
      url: `${this.baseUrl}/voices/preview`,
      body: { voiceId: voice, ...(lang !== undefined ? { language: lang } : {}) },
      signal,
      timeout: ["total", this.opts.synthesiseTimeoutMs, "for the voice's sample"],
      retry: true,
      refine: (status, error) =>
        status === 404
          ? new MediaUnsupportedError(
              `${up(this.dialect.label)} has no voice samples (/voices/preview answered 404). Update the hub, or check that TTSHUB_API_BASE ends with its API prefix (/api).`,
              "tts",
            )
          : synthesiseFailure(status, error, this.dialect.label, voice),
    });
    const w = this.validated(parseVoicePreview(reply), "voices/preview", reply);
    return { voice: w.voice, language: w.language ?? undefined, path: w.preview_url };
  }

  /**
   * A clip or converted upload (`GET /audio/...`, at the hub's server root: the trailing `/api` of the base is
   * dropped), at most `maxAudioBytes`, within `requestTimeoutMs`. Throws `AudioNotFoundError` when it is gone.
   */
  async fetchAudio(path: string, signal?: AbortSignal): Promise<AudioFile> {
    this.requireHub("tts", "fetchAudio");
    const url = audioUrl(this.baseUrl, path);
    const limit = this.opts.maxAudioBytes;
    const wd = new Watchdog(this.dialect.label, signal, this.opts.scheduler);
    wd.arm("request", this.opts.requestTimeoutMs);
    try {
      return await this.withRetries(wd, true, async () => {
        const res = await this.send("GET", url, undefined, wd, undefined, "audio/*");
        if (res.statusCode >= 300) {
          const text = await this.readText(res, wd);
          const error = errorTextOf(text);
          throw (
            audioFailure(res.statusCode, error, this.dialect.label, path) ??
            this.httpError(res.statusCode, text, undefined)
          );
        }
        const type = String(res.headers["content-type"] ?? "");
        if (!/^audio\//i.test(type)) {
          discard(res);
          throw new PayloadDecodeError(
            `${up(this.dialect.label)} answered ${path} with ${type || "no Content-Type"}, not audio: the hub's address may be wrong (TTSHUB_API_BASE).`,
            type,
          );
        }
        const bytes = await this.readBytes(res, wd, limit, "an audio file");
        return { bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), contentType: type };
      });
    } finally {
      wd.dispose();
    }
  }

  /**
   * What the hub can do with speech. TTS is probed safely through the voice list (a hub without the endpoint
   * counts as none); speech-to-text cannot be probed without sending audio, so it is `"unknown"` until a
   * transcription through this client succeeded. Transport failures throw as usual.
   */
  async speech(signal?: AbortSignal): Promise<SpeechSupport> {
    this.requireHub("tts", "speech");
    let tts = false;
    try {
      const list = await this.voices(signal);
      tts = list.available && list.voices.length > 0;
    } catch (err) {
      if (!(err instanceof MediaUnsupportedError)) throw err;
    }
    return { tts, stt: this.sttSeen ? "available" : "unknown" };
  }

  /** Largest audio `transcribe` sends (`maxUploadBytes`), so a caller can refuse a bigger file before reading it. */
  get maxUploadBytes(): number {
    return this.opts.maxUploadBytes;
  }

  /** Names the server for people: "the hub at http://…" or "Ollama at http://…". */
  get label(): string {
    return this.dialect.label;
  }

  /** Closes the connection pool (only when the client created it). */
  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  // ---------------------------------------------------------------------------------------------------------------

  private requireHub(feature: "tts" | "stt", call: string): void {
    if (this.mode === "hub") return;
    throw new MediaUnsupportedError(
      `${call} needs the hub: ${this.dialect.label} has no text-to-speech or speech-to-text. Set TTSHUB_API_BASE to the hub's address (e.g. http://10.0.0.2:7860/api) to use it.`,
      feature,
    );
  }

  private read(endpoint: "tags" | "ps"): Omit<JsonCall, "signal"> {
    return {
      method: "GET",
      url: this.dialect.endpoint(endpoint),
      timeout: ["request", this.opts.requestTimeoutMs],
      retry: true,
    };
  }

  private validated<T>(result: ParseResult<T>, what: string, body: unknown): T {
    if (result.ok) return result.value;
    throw new PayloadDecodeError(
      `${this.dialect.label} sent a ${what} reply of an unexpected shape (${result.problem}).`,
      clip(body),
    );
  }

  private async oneShot(
    kind: "chat" | "generate",
    body: (ChatRequest | GenerateRequest) & { stream: false },
    signal: AbortSignal | undefined,
  ): Promise<Completion> {
    const t0 = this.opts.now();
    const reply = await this.callJson({
      method: "POST",
      url: this.dialect.endpoint(kind),
      body,
      signal,
      timeout: ["total", this.opts.totalTimeoutMs],
      retry: true,
      model: body.model,
    });
    if (isRecord(reply) && typeof reply.error === "string") throw this.inBandError(reply.error, body.model);
    const parts = isRecord(reply) ? deltasOf(kind, reply) : undefined;
    if (!isRecord(reply) || parts?.content === undefined) {
      throw new PayloadDecodeError(
        `${this.dialect.label} sent a ${kind} reply without ${kind === "chat" ? "message.content" : "response"}.`,
        clip(reply),
      );
    }
    const totalMs = this.opts.now() - t0;
    return {
      model: typeof reply.model === "string" ? reply.model : body.model,
      content: parts.content,
      thinking: parts.thinking ?? "",
      doneReason: typeof reply.done_reason === "string" ? reply.done_reason : undefined,
      stats: statsOf(reply),
      timings: { totalMs },
    };
  }

  private async *generation(
    kind: "chat" | "generate",
    body: (ChatRequest | GenerateRequest) & { stream: true },
    signal: AbortSignal | undefined,
  ): AsyncGenerator<StreamEvent, void, undefined> {
    const t0 = this.opts.now();
    const timing: { firstEventAt?: number } = {};
    let content = "";
    let thinking = "";
    let firstTokenMs: number | undefined;
    try {
      const batches = this.events(kind, body, signal, this.opts.totalTimeoutMs, body.model, timing);
      // Deltas of one kind that arrived in the same network chunk are yielded as one delta: the same text, with
      // one await per chunk instead of one per token for the consumer. Ollama usually sends a token per chunk;
      // a burst (a slow consumer, a buffering proxy) is where this matters.
      let pendingKind: "content" | "thinking" = "content";
      let pending = "";
      for await (const batch of batches) {
        for (const obj of batch) {
          if (typeof obj.error === "string") {
            if (pending !== "") yield { type: pendingKind, text: pending };
            pending = "";
            throw this.inBandError(obj.error, body.model);
          }
          const parts = deltasOf(kind, obj);
          if (parts.thinking) {
            firstTokenMs ??= this.opts.now() - t0;
            thinking += parts.thinking;
            if (pendingKind !== "thinking" && pending !== "") {
              yield { type: pendingKind, text: pending };
              pending = "";
            }
            pendingKind = "thinking";
            pending += parts.thinking;
          }
          if (parts.content) {
            firstTokenMs ??= this.opts.now() - t0;
            content += parts.content;
            if (pendingKind !== "content" && pending !== "") {
              yield { type: pendingKind, text: pending };
              pending = "";
            }
            pendingKind = "content";
            pending += parts.content;
          }
          if (obj.done === true) {
            if (pending !== "") yield { type: pendingKind, text: pending };
            pending = "";
            const timings: Completion["timings"] = { totalMs: this.opts.now() - t0 };
            if (timing.firstEventAt !== undefined) timings.firstEventMs = timing.firstEventAt - t0;
            if (firstTokenMs !== undefined) timings.firstTokenMs = firstTokenMs;
            yield {
              type: "done",
              model: typeof obj.model === "string" ? obj.model : body.model,
              content,
              thinking,
              doneReason: typeof obj.done_reason === "string" ? obj.done_reason : undefined,
              stats: statsOf(obj),
              timings,
            };
            return;
          }
        }
        if (pending !== "") yield { type: pendingKind, text: pending };
        pending = "";
      }
      throw new StreamIncompleteError(
        `${this.dialect.label} ended the answer before it was done${content ? "; the text so far is kept" : ""}.`,
        "ended",
      );
    } catch (err) {
      const partial: PartialOutput = { content, thinking };
      if (err instanceof HubError) err.partial ??= partial;
      // The hub cannot change the status once its stream started, so a missing model shows up only as a stream
      // cut right after `starting`. One look at the model list tells that apart from a crash.
      if (err instanceof StreamIncompleteError && content === "" && thinking === "" && !signal?.aborted) {
        throw await this.diagnoseEarlyCut(err, body.model, signal);
      }
      throw err;
    }
  }

  private async diagnoseEarlyCut(err: StreamIncompleteError, model: string, signal?: AbortSignal) {
    try {
      if (!(await this.hasModel(model, signal))) {
        return new ModelNotFoundError(this.notFoundText(model), model, "local", {
          cause: err,
          partial: err.partial,
        });
      }
      return err;
    } catch (listErr) {
      if (listErr instanceof OllamaUnavailableError) {
        return new OllamaUnavailableError(
          `${this.dialect.label} started the answer but cannot reach Ollama behind it. Start Ollama on the hub's machine.`,
          undefined,
          { cause: err, partial: err.partial },
        );
      }
      return err;
    }
  }

  /**
   * The events of one streamed call as JSON objects, in batches (one per network chunk): opens the request (with retries while nothing has
   * been received), reads SSE or NDJSON, decodes payloads, skips the hub's `starting` marker, and runs the
   * first-event, idle and total timers. Transport failures come out as `HubError`s.
   */
  private async *events(
    endpoint: Endpoint,
    body: unknown,
    signal: AbortSignal | undefined,
    totalMs: number,
    model: string,
    timing: { firstEventAt?: number } = {},
  ): AsyncGenerator<Array<Record<string, unknown>>, void, undefined> {
    const wd = new Watchdog(this.dialect.label, signal, this.opts.scheduler);
    wd.arm("first-event", this.opts.firstEventTimeoutMs);
    wd.arm("total", totalMs);
    let res: Dispatcher.ResponseData | undefined;
    try {
      res = await this.withRetries(wd, true, async () => {
        const r = await this.send("POST", this.dialect.endpoint(endpoint), body, wd);
        if (r.statusCode >= 300) throw this.httpError(r.statusCode, await this.readText(r, wd), model);
        return r;
      });
      let first = true;
      try {
        const tooLarge = (limit: number): never => {
          throw new PayloadTooLargeError(
            `${this.dialect.label} sent one event longer than ${limit} bytes; the answer was stopped.`,
            limit,
          );
        };
        for await (const payloads of framePayloads(
          this.dialect.framing,
          res.body,
          this.opts.maxEventBytes,
          tooLarge,
        )) {
          if (first) {
            first = false;
            timing.firstEventAt = this.opts.now();
            wd.disarm("first-event");
            wd.arm("idle", this.opts.idleTimeoutMs);
          } else {
            wd.touch("idle");
          }
          const parsed =
            this.dialect.framing === "sse" ? parseHubPayloads(payloads) : parseJsonLines(payloads);
          const batch: Array<Record<string, unknown>> = [];
          for (const obj of parsed.values) {
            if (!isRecord(obj)) {
              parsed.failure ??= { payload: JSON.stringify(obj), cause: new Error("not a JSON object") };
              break;
            }
            // The hub's liveness marker: proof the hub is alive, not content.
            if (obj.status === "starting" && obj.done === undefined) continue;
            batch.push(obj);
          }
          if (parsed.failure) {
            if (batch.length > 0) yield batch; // what came before the bad event is still the answer
            throw this.decodeError(parsed.failure.payload, parsed.failure.cause);
          }
          if (batch.length > 0) yield batch;
        }
      } catch (err) {
        throw this.transportError(err, wd, "body");
      }
    } finally {
      wd.dispose();
      // Destroying the body closes the socket: a consumer that stops early must not leave Ollama generating.
      if (res && !res.body.destroyed) res.body.destroy();
    }
  }

  private decodeError(payload: string, cause: unknown): PayloadDecodeError {
    const why = cause instanceof Error ? cause.message : String(cause);
    return new PayloadDecodeError(
      `${this.dialect.label} sent an event that could not be decoded (${why}).`,
      clip(payload),
      {
        cause,
      },
    );
  }

  private async callJson(call: JsonCall): Promise<unknown> {
    const wd = new Watchdog(this.dialect.label, call.signal, this.opts.scheduler);
    wd.arm(...call.timeout);
    try {
      return await this.withRetries(wd, call.retry, async () => {
        const res = await this.send(call.method, call.url, call.body, wd, call.raw);
        const text = await this.readText(res, wd);
        if (res.statusCode >= 300) {
          throw (
            call.refine?.(res.statusCode, errorTextOf(text)) ??
            this.httpError(res.statusCode, text, call.model)
          );
        }
        if (text.trim() === "") return undefined; // Ollama's DELETE answers 200 with an empty body
        try {
          return JSON.parse(text);
        } catch (cause) {
          throw new PayloadDecodeError(`${this.dialect.label} sent a reply that is not JSON.`, clip(text), {
            cause,
          });
        }
      });
    } finally {
      wd.dispose();
    }
  }

  private async send(
    method: JsonCall["method"],
    url: string,
    body: unknown,
    wd: Watchdog,
    raw?: RawBody,
    accept = "application/json",
  ): Promise<Dispatcher.ResponseData> {
    try {
      return await request(url, {
        method,
        dispatcher: this.dispatcher,
        signal: wd.signal,
        headers: {
          ...(raw !== undefined
            ? { "content-type": raw.contentType, accept }
            : body === undefined
              ? { accept }
              : { "content-type": "application/json" }),
          ...(this.authorization ? { authorization: this.authorization } : {}),
        },
        body: raw !== undefined ? raw.bytes : body === undefined ? null : JSON.stringify(body),
      });
    } catch (err) {
      throw this.transportError(err, wd, "connect");
    }
  }

  /** A whole reply as text, at most `maxBodyBytes` (a bigger one is cut off and refused, not buffered). */
  private async readText(res: Dispatcher.ResponseData, wd: Watchdog): Promise<string> {
    return (await this.readBytes(res, wd, this.opts.maxBodyBytes, "a reply")).toString("utf8");
  }

  /** A whole reply, at most `limit` bytes: a bigger one is refused as soon as it says so or grows past it. */
  private async readBytes(
    res: Dispatcher.ResponseData,
    wd: Watchdog,
    limit: number,
    what: string,
  ): Promise<Buffer> {
    const tooLarge = () => {
      discard(res);
      return new PayloadTooLargeError(
        `${this.dialect.label} sent ${what} longer than ${limit} bytes; it was not read.`,
        limit,
      );
    };
    if (Number(res.headers["content-length"]) > limit) throw tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of res.body) {
        size += (chunk as Buffer).byteLength;
        if (size > limit) throw tooLarge();
        chunks.push(chunk as Buffer);
      }
      return Buffer.concat(chunks);
    } catch (err) {
      throw this.transportError(err, wd, "connect");
    }
  }

  private async withRetries<T>(wd: Watchdog, enabled: boolean, attempt: () => Promise<T>): Promise<T> {
    for (let i = 0; ; i++) {
      try {
        return await attempt();
      } catch (err) {
        if (!enabled || i >= this.opts.retries || !isRetryable(err) || wd.signal.aborted) throw err;
        const cap = Math.min(this.opts.retryMaxDelayMs, this.opts.retryBaseDelayMs * 2 ** i);
        try {
          await sleep(Math.round(this.opts.random() * cap), undefined, { signal: wd.signal });
        } catch (abort) {
          throw this.transportError(abort, wd, "connect");
        }
      }
    }
  }

  /**
   * Names a transport failure. "connect" covers everything before a reply was read (nothing was received, so a
   * retry is safe); "body" is a stream cut after events came.
   */
  private transportError(err: unknown, wd: Watchdog, stage: "connect" | "body"): HubError {
    if (err instanceof HubError) return err;
    if (wd.fired) return wd.fired;
    if (wd.callerSignal?.aborted) {
      return new HubAbortedError("The request was cancelled.", { cause: wd.callerSignal.reason ?? err });
    }
    const code = errorCode(err);
    if (code === "UND_ERR_CONNECT_TIMEOUT") {
      return new HubTimeoutError(
        `Could not connect to ${this.dialect.label} within ${this.opts.connectTimeoutMs} ms. ${this.dialect.fix}`,
        "connect",
        this.opts.connectTimeoutMs,
        { cause: err },
      );
    }
    if (stage === "connect") {
      return new HubUnreachableError(
        `Cannot reach ${this.dialect.label} (${code ?? (err as Error)?.message ?? "network error"}). ${this.dialect.fix}`,
        this.baseUrl,
        { cause: err },
      );
    }
    return new StreamIncompleteError(
      `The connection to ${this.dialect.label} was cut before the answer was done.`,
      "cut",
      {
        cause: err,
      },
    );
  }

  private httpError(status: number, text: string, model: string | undefined): HubError {
    const fullError = errorTextOf(text);
    const serverError = fullError === undefined ? undefined : clip(fullError, 1000);
    const detail = clip(serverError ?? text, 1000) || "no details";
    // Ollama says 404 "model 'x' not found"; the hub wraps that in a 503 carrying requests' "404 Client Error".
    const notFound =
      OLLAMA_NOT_FOUND.test(detail) ||
      (this.mode === "hub" && status === 503 && HUB_WRAPPED_404.test(detail));
    if (model !== undefined && notFound)
      return new ModelNotFoundError(this.notFoundText(model), model, "local");
    if (this.mode === "hub" && status === 503 && OLLAMA_DOWN.test(detail)) {
      return new OllamaUnavailableError(
        `${this.dialect.label} answered ${status}: ${detail}. The hub is up but cannot reach Ollama behind it: start Ollama on the hub's machine.`,
        status,
      );
    }
    let hint = "";
    if (status === 404) {
      hint = ` Is ${this.baseUrl} the right address? ${this.dialect.fix}`;
    }
    return new HubHttpError(
      `${this.dialect.label} answered ${status}: ${detail}.${hint}`,
      status,
      serverError,
    );
  }

  private inBandError(text: string, model: string): HubError {
    // Patterns are matched on a clipped text: a huge error string must not cost seconds of regex time.
    if (OLLAMA_NOT_FOUND.test(clip(text, 1000)))
      return new ModelNotFoundError(this.notFoundText(model), model, "local");
    // Stored and logged clipped: a server's text is not for any regex or log line to see unbounded.
    const clipped = clip(text, 1000);
    return new UpstreamError(`Ollama reported an error: ${clipped}`, clipped);
  }

  private notFoundText(model: string): string {
    return `Model "${model}" is not installed on ${this.dialect.label}. Pull it first, or pick another model.`;
  }
}

/**
 * Drops a reply that is refused unread. The abort error the body then emits says nothing new, and unheard it
 * would be an uncaught exception.
 */
function discard(res: Dispatcher.ResponseData): void {
  res.body.on("error", () => {});
  res.body.destroy();
}

function parseJsonLines(lines: readonly string[]): ParsedBatch {
  const values: unknown[] = [];
  for (const line of lines) {
    try {
      values.push(JSON.parse(line));
    } catch (cause) {
      return { values, failure: { payload: line, cause } };
    }
  }
  return { values };
}

function deltasOf(
  kind: "chat" | "generate",
  obj: Record<string, unknown>,
): { content: string | undefined; thinking: string | undefined } {
  if (kind === "chat") {
    const message = obj.message;
    if (!isRecord(message)) return { content: undefined, thinking: undefined };
    return { content: str(message.content), thinking: str(message.thinking) };
  }
  return { content: str(obj.response), thinking: str(obj.thinking) };
}

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

function isRetryable(err: unknown): boolean {
  if (err instanceof HubUnreachableError || err instanceof OllamaUnavailableError) return true;
  if (err instanceof HubTimeoutError) return err.phase === "connect";
  if (err instanceof HubHttpError) return err.status === 502 || err.status === 503 || err.status === 504;
  return false;
}

function errorCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function errorTextOf(text: string): string | undefined {
  try {
    const body: unknown = JSON.parse(text);
    return isRecord(body) && typeof body.error === "string" ? body.error : undefined;
  } catch {
    return undefined;
  }
}

/** "the hub at …" at the start of a sentence. */
function up(label: string): string {
  return label.charAt(0).toUpperCase() + label.slice(1);
}

function clip(value: unknown, max = 200): string {
  const s = typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
