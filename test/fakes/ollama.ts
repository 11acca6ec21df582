/**
 * A fake Ollama on loopback that follows shared/ollama-api.md and reproduces the stand-in behind the hub fixtures
 * byte for byte (field order, tokens, metrics), so the fake hub in front of it yields the fixtures' bodies.
 *
 * Models (the name before `:` picks the behaviour; an unknown name added to `models` behaves like `tiny`):
 * - `tiny`: echoes `You said: <last user message or prompt>` as tokens `You`, ` `, `said:`, ` `, then every
 *   whitespace character and every word of the prompt.
 * - `unicode`: always the same non-ASCII, quote, backslash, newline and tab tokens (chat-unicode-stream).
 * - `think`: four thinking tokens with empty content, then the echo (unless the request says `think: false`); so does
 *   any model whose `modelInfo` capabilities include `thinking`. `think` for a model without it is a 400, as Ollama.
 * - `crash`: three echo tokens, then `{"error":...}` and a clean end (non-stream: 500).
 * - `cut`: three echo tokens, then the socket is destroyed mid-body (non-stream: destroyed before any reply).
 * - `slow`: silent for `slowFirstChunkMs` before its first byte, then the echo.
 * - `long`: `longTokens` tokens of filler text.
 * `new:1b` can be pulled (then it appears in tags); pulling anything else fails after `pulling manifest`.
 *
 * Images (`messages[].images` in a chat, `images` in a generate) are checked as Ollama does: each must be a string
 * of standard, padded base64 (Go's `encoding/json` decodes `[]byte` so: otherwise 400 `illegal base64 data at input
 * byte N`, N as Go's decoder counts), and a model whose capabilities lack `vision` answers 400 `this model is
 * missing data required for image input` (what Ollama says for a model without a vision projector). A model with
 * `audio` takes WAV or MP3 bytes in the same array (shared/ollama-api.md), but no pictures. Every decoded image is
 * logged in `images` (size and SHA-256), refused or not, so tests can assert the bytes a client sent.
 *
 * Loading follows Ollama: a model not in `running` stays silent for `loadMs` before its first byte, then is loaded
 * (a request during a load waits for that load).
 * A chat with no messages (or a generate with an empty prompt) only loads the model (`done_reason: "load"`), or
 * unloads it with `keep_alive: 0` (`"unload"`). With `countTokens`, `prompt_eval_count` is the prompt's size (4
 * characters a token, plus 4 per message), a prompt over `num_ctx` (default 4096) is counted in `overflows` and
 * truncated as Ollama does (oldest non-system messages first), and an answer stops at the context's end with
 * `done_reason: "length"`; without it, the fixtures' fixed 26.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import {
  cutConnection,
  Listener,
  pause,
  type RecordedRequest,
  readBody,
  record,
  writeFlushed,
} from "./http-util.js";

export interface FakeOllamaOptions {
  /** Clock for `created_at`, read once per emitted reply line. Default: the real clock. */
  now?: () => Date;
  /** Pause before each streamed line after the first, in ms. Default 0 (no timer is armed). */
  tokenDelayMs?: number;
  /** Silence before the first byte of every chat/generate reply, in ms. Default 0. */
  delayBeforeFirstChunkMs?: number;
  /** Silence before the first byte of a `slow:latest` reply, in ms. Default 30 000. */
  slowFirstChunkMs?: number;
  /** Number of tokens `long:latest` generates. Default 200. */
  longTokens?: number;
  /** Installed models. Default: tiny, unicode, think, crash, cut, slow and long (all `:latest`). */
  models?: string[];
  /** Models that `pull` can fetch. Default: `new:1b`. */
  pullable?: string[];
  /** Models reported as loaded by `/api/ps`. Default: `tiny:latest`. */
  running?: string[];
  /** How long a model that is not loaded takes before its first byte, in ms. Default 0. */
  loadMs?: number;
  /** Report `prompt_eval_count` from the prompt and truncate at `num_ctx` (see above). Default false. */
  countTokens?: boolean;
  /** `show` facts per model name: capabilities and context length (default: by name, and 2048). */
  modelInfo?: Record<string, { capabilities?: string[]; contextLength?: number }>;
  /**
   * Told as each streamed content line leaves (flushed), with the request's last user text and the line's index
   * among the content lines: a benchmark's clock for "token → screen", kept out of the bot's process.
   */
  onContentLine?: (prompt: string, index: number, at: number) => void;
}

export interface TagModel {
  name: string;
  model: string;
  modified_at: string;
  size: number;
  digest: string;
  details: {
    parent_model: string;
    format: string;
    family: string;
    families: string[];
    parameter_size: string;
    quantization_level: string;
  };
}

/** One image a client sent, as the fake decoded it. */
export interface SeenImage {
  /** Index of its request in `requests`. */
  request: number;
  route: "chat" | "generate";
  model: string;
  /** The message it came in (index in `messages`); undefined for a generate's top-level `images`. */
  message: number | undefined;
  /** Decoded size in bytes. */
  bytes: number;
  /** SHA-256 of the decoded bytes, hex. */
  sha256: string;
}

export interface FakeOllama {
  /** E.g. `http://127.0.0.1:40123`, no trailing slash. */
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Installed models as `/api/tags` lists them; tests may edit it (see {@link tagModel}). */
  models: TagModel[];
  /** Names `/api/ps` reports as loaded. */
  running: string[];
  /** Chat prompts that did not fit their `num_ctx` (with `countTokens`). */
  overflows: number;
  /** Chat and generate requests being answered now, and the most there ever were at once. */
  generating: number;
  maxGenerating: number;
  /** Every image decoded from a chat or generate request, oldest first (see the header). */
  images: SeenImage[];
  /** `show` facts per model name (see the options); tests may edit it. */
  modelInfo: Record<string, { capabilities?: string[]; contextLength?: number }>;
  /** Live settings; changing them affects the next request. */
  settings: Required<
    Pick<FakeOllamaOptions, "tokenDelayMs" | "delayBeforeFirstChunkMs" | "slowFirstChunkMs" | "loadMs">
  >;
  /** Down: the port refuses connections (open ones are dropped); up: it listens again on the same port. */
  setDown(down: boolean): Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_MODELS = [
  "tiny:latest",
  "unicode:latest",
  "think:latest",
  "crash:latest",
  "cut:latest",
  "slow:latest",
  "long:latest",
];

/** A `/api/tags` entry with the fixtures' fields. */
export function tagModel(name: string): TagModel {
  return {
    name,
    model: name,
    modified_at: "2026-11-01T10:00:00.000000Z",
    size: 637700138,
    digest: "a".repeat(64),
    details: {
      parent_model: "",
      format: "gguf",
      family: "llama",
      families: ["llama"],
      parameter_size: "1.1B",
      quantization_level: "Q4_0",
    },
  };
}

const METRICS = {
  total_duration: 182242375,
  load_duration: 41295167,
  prompt_eval_count: 26,
  prompt_eval_duration: 24573166,
};
const EVAL_DURATION = 115959084;
const UNICODE_TOKENS = [
  "Grüße",
  " aus",
  " Zürich",
  " — ",
  "日本語",
  " ",
  "😀",
  " «ok»",
  " it's",
  ' "quoted"',
  " back\\slash",
  "\n",
  "tab\there",
];
const THINK_TOKENS = ["Let", " me", " think", "."];
const CRASH_ERROR = "an error was encountered while running the model";
const PULL_DIGEST = "sha256:6a0746a1ec1aef3e7ec53868f220ff6e389f6f8ef87a01d77c96807de94ca2aa";
const PULL_TOTAL = 1_000_000;

type Json = Record<string, unknown>;

interface Plan {
  thinking: string[];
  content: string[];
  doneReason: "stop" | "length";
  fault?: "crash" | "cut";
  silentMs: number;
}

/** Go's encoder escapes these even inside strings, and clients must cope with it. */
function goJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** Ollama resolves a bare name to its `:latest` tag. */
function fullName(name: string): string {
  return name.includes(":") ? name : `${name}:latest`;
}

function asObject(value: unknown): Json {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function nameOf(body: Json): string {
  const name = body.model ?? body.name;
  return typeof name === "string" ? name : "";
}

function lastUserText(body: Json): string {
  if (typeof body.prompt === "string") return body.prompt;
  const messages = Array.isArray(body.messages) ? body.messages.map(asObject) : [];
  const last = messages.filter((m) => m.role === "user").at(-1);
  return typeof last?.content === "string" ? last.content : "";
}

const BASE64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const BASE64_VALUE = new Map([...BASE64_ALPHABET].map((c, i) => [c.charCodeAt(0), i]));
const WELL_FORMED_BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Go's `base64.StdEncoding.Decode` (padded, `\r` and `\n` skipped anywhere, not strict about trailing bits), with
 * its error offsets: the decoded bytes, or the `input byte` where `CorruptInputError` points.
 */
export function goBase64Decode(text: string): { ok: true; bytes: Buffer } | { ok: false; at: number } {
  // The usual case, well-formed base64, at native speed; anything else goes byte by byte as Go's decoder does.
  if (text.length % 4 === 0 && WELL_FORMED_BASE64.test(text))
    return { ok: true, bytes: Buffer.from(text, "base64") };
  // Go counts bytes of the UTF-8 string, not UTF-16 units.
  const src = Buffer.from(text, "utf8");
  const out = Buffer.alloc(Math.ceil(src.length / 4) * 3);
  let n = 0;
  const newline = (c: number | undefined) => c === 0x0a || c === 0x0d;
  let si = 0;
  for (;;) {
    const quantum: number[] = [];
    let length = 4;
    for (let j = 0; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return { ok: true, bytes: out.subarray(0, n) };
        // Padding is required: a quantum cut short is corrupt where it started.
        return { ok: false, at: si - j };
      }
      const c = src[si]!;
      si++;
      const value = BASE64_VALUE.get(c);
      if (value !== undefined) {
        quantum.push(value);
        continue;
      }
      if (newline(c)) {
        j--;
        continue;
      }
      if (c !== 0x3d) return { ok: false, at: si - 1 };
      // "=": padding, which may only come third or fourth, and "==" when third.
      if (j < 2) return { ok: false, at: si - 1 };
      if (j === 2) {
        while (si < src.length && newline(src[si])) si++;
        if (si === src.length) return { ok: false, at: src.length };
        if (src[si] !== 0x3d) return { ok: false, at: si - 1 };
        si++;
      }
      while (si < src.length && newline(src[si])) si++;
      // Anything after the padding is trailing garbage.
      if (si < src.length) return { ok: false, at: si };
      length = j;
      break;
    }
    while (quantum.length < 4) quantum.push(0);
    const v = (quantum[0]! << 18) | (quantum[1]! << 12) | (quantum[2]! << 6) | quantum[3]!;
    for (const byte of [(v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff].slice(0, length - 1)) out[n++] = byte;
    if (length < 4) return { ok: true, bytes: out.subarray(0, n) };
  }
}

/** Go's name for a JSON value's kind, as `json: cannot unmarshal <kind> into ...` says it. */
function goKind(value: unknown): string {
  if (Array.isArray(value)) return "array";
  if (value === null) return "null";
  return typeof value === "object" ? "object" : typeof value === "boolean" ? "bool" : typeof value;
}

/** WAV (RIFF/WAVE) or MP3 (an ID3 tag or an MPEG audio frame sync): what a model with `audio` takes in `images`. */
function isAudio(bytes: Buffer): boolean {
  if (
    bytes.length >= 12 &&
    bytes.toString("latin1", 0, 4) === "RIFF" &&
    bytes.toString("latin1", 8, 12) === "WAVE"
  )
    return true;
  if (bytes.length >= 3 && bytes.toString("latin1", 0, 3) === "ID3") return true;
  return bytes.length >= 2 && bytes[0] === 0xff && (bytes[1]! & 0xe0) === 0xe0;
}

export async function startFakeOllama(opts: FakeOllamaOptions = {}): Promise<FakeOllama> {
  const now = opts.now ?? (() => new Date());
  const longTokens = opts.longTokens ?? 200;
  const pullable = new Set(opts.pullable ?? ["new:1b"]);
  const closing = new AbortController();
  const fake: FakeOllama = {
    url: "",
    port: 0,
    requests: [],
    models: (opts.models ?? DEFAULT_MODELS).map(tagModel),
    running: opts.running ?? ["tiny:latest"],
    overflows: 0,
    generating: 0,
    maxGenerating: 0,
    images: [],
    modelInfo: opts.modelInfo ?? {},
    settings: {
      loadMs: opts.loadMs ?? 0,
      tokenDelayMs: opts.tokenDelayMs ?? 0,
      delayBeforeFirstChunkMs: opts.delayBeforeFirstChunkMs ?? 0,
      slowFirstChunkMs: opts.slowFirstChunkMs ?? 30_000,
    },
    setDown: (down) => (down ? listener.stop() : listener.start()),
    close: async () => {
      closing.abort();
      await listener.stop();
    },
  };
  const find = (name: string) => fake.models.find((m) => m.name === fullName(name));

  function send(res: ServerResponse, status: number, body: string, type: string): void {
    res.writeHead(status, { "Content-Type": type, "Content-Length": Buffer.byteLength(body) });
    res.end(body);
  }
  const json = (res: ServerResponse, status: number, value: unknown) =>
    send(res, status, goJson(value), "application/json; charset=utf-8");

  function plan(model: string, body: Json): Plan {
    const kind = model.split(":")[0];
    const echo = `You said: ${lastUserText(body)}`.match(/\s|\S+/g) ?? [];
    const filler = () => Array.from({ length: longTokens }, (_, i) => (i % 2 ? " " : `word${i / 2}`));
    const content = kind === "unicode" ? UNICODE_TOKENS : kind === "long" ? filler() : echo;
    const numPredict = asObject(body.options).num_predict;
    const limited = typeof numPredict === "number" && numPredict > 0 && numPredict < content.length;
    return {
      thinking: capabilitiesOf(model).includes("thinking") && body.think !== false ? THINK_TOKENS : [],
      content: limited ? content.slice(0, numPredict) : content,
      doneReason: limited ? "length" : "stop",
      fault: kind === "crash" || kind === "cut" ? kind : undefined,
      silentMs:
        fake.settings.delayBeforeFirstChunkMs + (kind === "slow" ? fake.settings.slowFirstChunkMs : 0),
    };
  }

  /**
   * Ollama loads a model on first use: the load time passes before any byte, then the model is in `ps`. Requests
   * that come during a load wait for that load (they do not start their own), as Ollama's scheduler does.
   */
  const loads = new Map<string, Promise<void>>();
  async function load(name: string, signal: AbortSignal) {
    if (fake.running.includes(name)) return;
    let job = loads.get(name);
    if (!job) {
      job = pause(fake.settings.loadMs, closing.signal)
        .then(() => {
          if (!fake.running.includes(name)) fake.running.push(name);
        })
        .finally(() => loads.delete(name));
      loads.set(name, job);
      // Closed mid-load with nobody waiting any more: not an unhandled rejection.
      job.catch(() => undefined);
    }
    await Promise.race([
      job,
      new Promise<never>((_, reject) => {
        if (signal.aborted) reject(signal.reason);
        signal.addEventListener("abort", () => reject(signal.reason), { once: true });
      }),
    ]);
  }

  /** What Ollama does to a prompt over its context: the oldest messages go, system messages stay. */
  function fitContext(body: Json): number {
    const messages = Array.isArray(body.messages) ? body.messages.map(asObject) : [];
    const size = (m: Json) => Math.ceil(String(m.content ?? "").length / 4) + 4;
    const numCtx = asObject(body.options).num_ctx;
    const limit = typeof numCtx === "number" && numCtx > 0 ? numCtx : 4096;
    let tokens = messages.reduce((n, m) => n + size(m), 0);
    if (tokens <= limit) return tokens;
    fake.overflows++;
    for (let i = 0; i < messages.length - 1 && tokens > limit; i++) {
      if (messages[i]!.role === "system") continue;
      tokens -= size(messages[i]!);
    }
    return Math.min(tokens, limit);
  }

  /**
   * The images of a request, decoded as Ollama's JSON binding does before anything else (a bad one is a 400 whatever
   * the model): a message's `images` in a chat, the top-level `images` in a generate.
   */
  function decodeImages(
    route: "chat" | "generate",
    body: Json,
  ):
    | { ok: true; images: Array<{ message: number | undefined; bytes: Buffer }> }
    | { ok: false; error: string } {
    const lists: Array<{ message: number | undefined; value: unknown }> =
      route === "generate"
        ? [{ message: undefined, value: body.images }]
        : (Array.isArray(body.messages) ? body.messages : []).map((m, i) => ({
            message: i,
            value: asObject(m).images,
          }));
    const field = route === "generate" ? "GenerateRequest.images" : "Message.messages.images";
    const images: Array<{ message: number | undefined; bytes: Buffer }> = [];
    for (const { message, value } of lists) {
      if (value === undefined || value === null) continue;
      if (!Array.isArray(value)) {
        return {
          ok: false,
          error: `json: cannot unmarshal ${goKind(value)} into Go struct field ${field} of type []api.ImageData`,
        };
      }
      for (const item of value) {
        if (item === null) continue;
        if (typeof item !== "string") {
          return {
            ok: false,
            error: `json: cannot unmarshal ${goKind(item)} into Go struct field ${field} of type api.ImageData`,
          };
        }
        const decoded = goBase64Decode(item);
        if (!decoded.ok) return { ok: false, error: `illegal base64 data at input byte ${decoded.at}` };
        images.push({ message, bytes: decoded.bytes });
      }
    }
    return { ok: true, images };
  }

  async function generate(
    route: "chat" | "generate",
    body: Json,
    res: ServerResponse,
    signal: AbortSignal,
    request: number,
  ) {
    const decoded = decodeImages(route, body);
    if (!decoded.ok) return json(res, 400, { error: decoded.error });
    const model = nameOf(body);
    if (!model) return json(res, 400, { error: "model is required" });
    if (!find(model)) return json(res, 404, { error: `model "${model}" not found, try pulling it first` });
    const name = fullName(model);
    for (const image of decoded.images) {
      fake.images.push({
        request,
        route,
        model: name,
        message: image.message,
        bytes: image.bytes.length,
        sha256: createHash("sha256").update(image.bytes).digest("hex"),
      });
    }
    const empty =
      route === "chat" ? Array.isArray(body.messages) && body.messages.length === 0 : body.prompt === "";
    if (empty) {
      // A preload (or, with keep_alive 0, an unload): no tokens, only the model's state changes.
      const unload = body.keep_alive === 0 || body.keep_alive === "0";
      if (unload) fake.running = fake.running.filter((n) => n !== name);
      else await load(name, signal);
      const reply = {
        model,
        created_at: now().toISOString(),
        ...(route === "chat" ? { message: { role: "assistant", content: "" } } : { response: "" }),
        done_reason: unload ? "unload" : "load",
        done: true,
      };
      if (body.stream === false) return json(res, 200, reply);
      res.writeHead(200, { "Content-Type": "application/x-ndjson" });
      await writeFlushed(res, `${goJson(reply)}\n`);
      return res.end();
    }
    await load(name, signal);
    // Ollama finds out once the model is loaded, when its runner has no projector to encode the image with.
    const caps = capabilitiesOf(name);
    const refused = decoded.images.some(
      (image) => !caps.includes("vision") && !(caps.includes("audio") && isAudio(image.bytes)),
    );
    if (refused) return json(res, 400, { error: "this model is missing data required for image input" });
    const promptTokens = opts.countTokens && route === "chat" ? fitContext(body) : METRICS.prompt_eval_count;
    const p = plan(name, body);
    if (opts.countTokens) {
      // The answer shares the context with the prompt: Ollama stops at its end with done_reason "length".
      const numCtx = asObject(body.options).num_ctx;
      const room = (typeof numCtx === "number" && numCtx > 0 ? numCtx : 4096) - promptTokens;
      if (p.content.length > room) {
        p.content = p.content.slice(0, Math.max(0, room));
        p.doneReason = "length";
      }
    }
    const wantsThinking = body.think === true || typeof body.think === "string";
    const thinks = capabilitiesOf(name).includes("thinking");
    if (wantsThinking && !thinks) {
      return json(res, 400, { error: `"${model}" does not support thinking` });
    }
    const line = (content: string, thinking?: string): Json => {
      const head = { model, created_at: now().toISOString() };
      if (route === "generate")
        return { ...head, response: content, ...(thinking !== undefined && { thinking }) };
      const message = { role: "assistant", content, ...(thinking !== undefined && { thinking }) };
      return { ...head, message };
    };
    const final = (content: string, thinking?: string): Json => ({
      ...line(content, thinking),
      done_reason: p.doneReason,
      done: true,
      ...METRICS,
      prompt_eval_count: promptTokens,
      eval_count: p.content.length,
      eval_duration: EVAL_DURATION,
    });
    const shown = p.fault ? p.content.slice(0, 3) : p.content;

    await pause(p.silentMs, signal);
    if (body.stream === false) {
      await pause(fake.settings.tokenDelayMs * (p.thinking.length + shown.length), signal);
      if (p.fault === "cut") return cutConnection(res);
      if (p.fault === "crash") return json(res, 500, { error: CRASH_ERROR });
      const thinking = p.thinking.length ? p.thinking.join("") : undefined;
      return json(res, 200, final(p.content.join(""), thinking));
    }
    // Like Ollama, headers leave with the first line: a loading model sends nothing at all.
    res.writeHead(200, { "Content-Type": "application/x-ndjson" });
    const partial = (content: string, thinking?: string) => () => ({
      ...line(content, thinking),
      done: false,
    });
    const lines: Array<() => Json> = [
      ...p.thinking.map((t) => partial("", t)),
      ...shown.map((t) => partial(t)),
    ];
    if (!p.fault) lines.push(() => final(""));
    if (p.fault === "crash") lines.push(() => ({ error: CRASH_ERROR }));
    const prompt = opts.onContentLine ? lastUserText(body) : "";
    for (const [i, make] of lines.entries()) {
      if (i > 0) await pause(fake.settings.tokenDelayMs, signal);
      await writeFlushed(res, `${goJson(make())}\n`);
      const content = i - p.thinking.length;
      if (opts.onContentLine && content >= 0 && content < shown.length)
        opts.onContentLine(prompt, content, Date.now());
    }
    if (p.fault === "cut") cutConnection(res);
    else res.end();
  }

  async function pull(body: Json, res: ServerResponse, signal: AbortSignal) {
    const model = nameOf(body);
    if (!model) return json(res, 400, { error: "model is required" });
    const ok = pullable.has(fullName(model));
    const events: Json[] = [{ status: "pulling manifest" }];
    if (ok) {
      const layer = { status: `pulling ${PULL_DIGEST.slice(7, 19)}`, digest: PULL_DIGEST, total: PULL_TOTAL };
      events.push(layer);
      for (let done = PULL_TOTAL / 4; done <= PULL_TOTAL; done += PULL_TOTAL / 4) {
        events.push({ ...layer, completed: done });
      }
      events.push(
        { status: "verifying sha256 digest" },
        { status: "writing manifest" },
        { status: "success" },
      );
    } else {
      events.push({ error: "pull model manifest: file does not exist" });
    }
    const install = () => {
      if (ok && !find(model)) fake.models.push(tagModel(fullName(model)));
    };
    if (body.stream === false) {
      await pause(fake.settings.tokenDelayMs * events.length, signal);
      install();
      return ok ? json(res, 200, { status: "success" }) : json(res, 500, events.at(-1));
    }
    res.writeHead(200, { "Content-Type": "application/x-ndjson" });
    for (const [i, event] of events.entries()) {
      if (i > 0) await pause(fake.settings.tokenDelayMs, signal);
      if (event.status === "success") install();
      await writeFlushed(res, `${goJson(event)}\n`);
    }
    res.end();
  }

  function capabilitiesOf(name: string): string[] {
    return (
      fake.modelInfo[name]?.capabilities ??
      (name.startsWith("think:") ? ["completion", "thinking"] : ["completion"])
    );
  }

  function show(body: Json, res: ServerResponse) {
    const model = find(nameOf(body));
    if (!model) return json(res, 404, { error: `model '${nameOf(body)}' not found` });
    json(res, 200, {
      modelfile: "FROM x",
      parameters: 'stop "<|eot|>"',
      template: "{{ .Prompt }}",
      details: model.details,
      model_info: {
        "general.architecture": "llama",
        "llama.context_length": fake.modelInfo[model.name]?.contextLength ?? 2048,
      },
      capabilities: capabilitiesOf(model.name),
      modified_at: "2026-11-01T10:00:00Z",
    });
  }

  function remove(body: Json, res: ServerResponse) {
    const model = find(nameOf(body));
    if (!model) return json(res, 404, { error: `model '${nameOf(body)}' not found` });
    fake.models.splice(fake.models.indexOf(model), 1);
    fake.running = fake.running.filter((name) => name !== model.name);
    res.writeHead(200, { "Content-Length": 0 });
    res.end();
  }

  async function handle(req: IncomingMessage, res: ServerResponse, signal: AbortSignal) {
    const raw = await readBody(req);
    const rec = record(req, raw);
    const index = fake.requests.push(rec) - 1;
    const route = `${rec.method} ${rec.path}`;
    const isPost = ["POST /api/chat", "POST /api/generate", "POST /api/pull", "POST /api/show"].includes(
      route,
    );
    if ((isPost || route === "DELETE /api/delete") && raw.length === 0) {
      return json(res, 400, { error: "missing request body" });
    }
    if (isPost && (typeof rec.body !== "object" || rec.body === null)) {
      return json(res, 400, { error: "invalid request body" });
    }
    const body = asObject(rec.body);
    switch (route) {
      case "GET /":
      case "HEAD /":
        return send(res, 200, "Ollama is running", "text/plain; charset=utf-8");
      case "GET /api/version":
        return json(res, 200, { version: "0.12.0" });
      case "GET /api/tags":
        return json(res, 200, { models: fake.models });
      case "GET /api/ps": {
        const loaded = fake.running.map((name) => find(name)).filter((m) => m !== undefined);
        const models = loaded.map((m) => ({ ...m, expires_at: "2026-11-21T10:00:00Z", size_vram: m.size }));
        return json(res, 200, { models });
      }
      case "POST /api/show":
        return show(body, res);
      case "DELETE /api/delete":
        return remove(body, res);
      case "POST /api/pull":
        return pull(body, res, signal);
      case "POST /api/chat":
      case "POST /api/generate": {
        fake.generating++;
        fake.maxGenerating = Math.max(fake.maxGenerating, fake.generating);
        try {
          return await generate(route === "POST /api/chat" ? "chat" : "generate", body, res, signal, index);
        } finally {
          fake.generating--;
        }
      }
      default:
        return send(res, 404, "404 page not found", "text/plain");
    }
  }

  const server = createServer((req, res) => {
    const gone = new AbortController();
    res.on("close", () => gone.abort());
    const signal = AbortSignal.any([gone.signal, closing.signal]);
    handle(req, res, signal).catch((err: unknown) => {
      // An abort means nobody waits for the answer any more; anything else is a bug in the fake: make it loud.
      if (signal.aborted || res.headersSent) cutConnection(res);
      else json(res, 500, { error: `fake ollama failed: ${String(err)}` });
    });
  });
  const listener = new Listener(server);
  await listener.start();
  fake.port = listener.port;
  fake.url = `http://127.0.0.1:${listener.port}`;
  return fake;
}
