/**
 * A fake of the TTS hub (Flask 2.2 on Werkzeug 2.2.2, calling Ollama with Python `requests` 2.28) in front of an
 * Ollama URL, reproducing the bytes shared/hub-contract.md and test/fixtures/hub describe: Werkzeug's header
 * block, `jsonify`'s sorted ASCII-only JSON, the `data: b'...'` events, the 503 texts of Python exceptions, and
 * the connection cuts of a failing stream. Also its speech endpoints (shared/hub-media.md, test/fixtures/hub-media):
 * voices, synthesise, `/audio/...` at the root, and transcribe, with switches for a hub without a speech-to-text
 * engine, without ffmpeg, or without Kokoro's files.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, request, type ServerResponse } from "node:http";
import {
  cutConnection,
  Listener,
  pause,
  type RecordedRequest,
  readBody,
  record,
  writeFlushed,
} from "./http-util.js";
import { pyJsonDumps } from "./pyjson.js";
import { pyBytesRepr } from "./pyrepr.js";

/** `refuse`: the port refuses connections; `reset`: each request's connection is dropped unanswered; `stall`: requests are read and never answered. */
export type HubFault = "refuse" | "reset" | "stall";

type TimedRoute = "tags" | "ps" | "show" | "delete" | "chat" | "generate";

export interface FakeHubOptions {
  /** Ollama base URL the hub talks to, e.g. a fake Ollama's `url`. */
  ollamaUrl: string;
  /** Clock for the `Date` header. Default: the real clock. */
  now?: () => Date;
  /** Whether the delete fallback finds the `ollama` binary (then a missing model "deletes" with 200). Default false. */
  ollamaCli?: boolean;
  /** The hub's read timeouts toward Ollama, in ms. Defaults: tags 20 s, ps 10 s, show 20 s, delete 30 s, non-stream chat/generate 120 s. */
  timeoutsMs?: Partial<Record<TimedRoute, number>>;
  /** How the speech engines are set up at the start (see {@link FakeSpeech}); changeable later through `speech`. */
  speech?: Partial<FakeSpeech>;
  /** Kokoro's stand-in: the samples (mono, 24 kHz) of a clip. Default {@link standInSpeech}. */
  render?: (text: string, voice: string, speed: number) => Int16Array;
  /** ffmpeg's stand-in: the samples of an upload, mono 24 kHz, or undefined where ffmpeg fails. */
  decode?: (upload: Buffer) => Int16Array | undefined;
  /** `n` random hex digits, for clip names (10) and job ids (12). Default: crypto. */
  randomHex?: (n: number) => string;
}

/** The hub's speech set-up; every field can be changed while it runs. */
export interface FakeSpeech {
  /**
   * `ready`: faster-whisper works; `stub`: not installed with `ALLOW_STUB_STT` on (the placeholder transcript, 200);
   * `strict`: not installed with `ALLOW_STUB_STT=0` (503); `error`: it raises `sttError` inside transcribe() (500).
   */
  stt: "ready" | "stub" | "strict" | "error";
  sttError: string;
  /** Whether ffmpeg is on the hub's PATH. */
  ffmpeg: boolean;
  /** `no-model`: kokoro-v1.0.onnx is missing; `no-voices`: voices-v1.0.bin is missing. */
  kokoro: "ready" | "no-model" | "no-voices";
  /** Where the hub runs, as its paths show: clips in `<root>/out`, its install in `<root>/tts-hub`. */
  root: string;
  /** How long Whisper takes, and Kokoro, in ms. Default 0. */
  transcribeDelayMs: number;
  synthesiseDelayMs: number;
}

/** A file the hub received on `/media/transcribe`. */
export interface FakeUpload {
  filename: string;
  contentType: string | undefined;
  bytes: Buffer;
}

export interface FakeHub {
  /** What the bot calls TTSHUB_API_BASE, e.g. `http://127.0.0.1:40123/api`. */
  apiBase: string;
  /** The server root, e.g. `http://127.0.0.1:40123` (where `/health` lives). */
  origin: string;
  port: number;
  requests: RecordedRequest[];
  /** The speech set-up, to change while it runs (a test resets what it changed). */
  speech: FakeSpeech;
  /** Changes some of `speech`; `setSpeech(DEFAULT_SPEECH)` puts it all back. */
  setSpeech(patch: Partial<FakeSpeech>): void;
  uploads: FakeUpload[];
  /** Makes the hub itself misbehave until called with `null`. */
  setFault(fault: HubFault | null): Promise<void>;
  close(): Promise<void>;
}

const SERVER = "Werkzeug/2.2.2 Python/3.11.2";
// Werkzeug writes the reason phrase in capitals.
const REASONS: Record<number, string> = {
  200: "OK",
  206: "PARTIAL CONTENT",
  400: "BAD REQUEST",
  404: "NOT FOUND",
  405: "METHOD NOT ALLOWED",
  500: "INTERNAL SERVER ERROR",
  503: "SERVICE UNAVAILABLE",
};
const ROUTE_METHODS: Record<string, string[]> = {
  tags: ["GET"],
  ps: ["GET"],
  generate: ["POST"],
  chat: ["POST"],
  pull: ["POST"],
  show: ["GET", "POST"],
  delete: ["GET", "POST"],
};
const DEFAULT_TIMEOUTS_MS: Record<TimedRoute, number> = {
  tags: 20_000,
  ps: 10_000,
  show: 20_000,
  delete: 30_000,
  chat: 120_000,
  generate: 120_000,
};
const BAD_REQUEST =
  "400 Bad Request: The browser (or proxy) sent a request that this server could not understand.";
const NOT_FOUND =
  "The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.";
const METHOD_NOT_ALLOWED = "405 Method Not Allowed: The method is not allowed for the requested URL.";
export const DEFAULT_SPEECH: FakeSpeech = {
  stt: "ready",
  sttError: "CUDA failed with error out of memory (simulated transcribe failure)",
  ffmpeg: true,
  kokoro: "ready",
  root: "/tmp/tts-hub-media/full",
  transcribeDelayMs: 0,
  synthesiseDelayMs: 0,
};

type Json = Record<string, unknown>;
type Header = [name: string, value: string];

/** An exception as Python's `str(e)` would print it. */
class PyError extends Error {}

/** Flask's `bool(value)` for JSON values. */
function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === "object" && value !== null) return Object.keys(value).length > 0;
  return Boolean(value);
}

function asObject(value: unknown): Json {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function seconds(ms: number): string {
  return String(ms / 1000);
}

export async function startFakeHub(opts: FakeHubOptions): Promise<FakeHub> {
  const now = opts.now ?? (() => new Date());
  const timeouts = { ...DEFAULT_TIMEOUTS_MS, ...opts.timeoutsMs };
  const ollama = new URL(opts.ollamaUrl);
  const pool = `HTTPConnectionPool(host='${ollama.hostname}', port=${ollama.port || 80})`;
  let fault: HubFault | null = null;
  const hub: FakeHub = {
    apiBase: "",
    origin: "",
    port: 0,
    requests: [],
    speech: { ...DEFAULT_SPEECH, ...opts.speech },
    setSpeech: (patch) => Object.assign(hub.speech, patch),
    uploads: [],
    setFault: async (next) => {
      if (fault === "refuse" && next !== "refuse") await listener.start();
      if (next === "refuse" && fault !== "refuse") await listener.stop();
      fault = next;
    },
    close: () => listener.stop(),
  };

  /**
   * Werkzeug's order: its own Server and Date, the app's headers, the CORS header added in `after_request`, then
   * what Werkzeug adds while sending (chunked framing; `Connection: close` as it serves one request per connection).
   */
  function head(res: ServerResponse, status: number, app: Header[], server: Header[] = []): void {
    const all: Header[] = [
      ["Server", SERVER],
      ["Date", now().toUTCString()],
      ...app,
      ["Access-Control-Allow-Origin", "*"],
      ...server,
      ["Connection", "close"],
    ];
    res.writeHead(status, REASONS[status] ?? "UNKNOWN", all.flat());
  }

  function send(res: ServerResponse, status: number, type: string, body: string, extra: Header[] = []): void {
    head(res, status, [
      ["Content-Type", type],
      ...extra,
      ["Content-Length", String(Buffer.byteLength(body))],
    ]);
    res.end(body);
  }

  const jsonify = (res: ServerResponse, status: number, value: unknown) =>
    send(res, status, "application/json", `${pyJsonDumps(value, { sortKeys: true, compact: true })}\n`);
  const fail = (res: ServerResponse, status: number, error: string) =>
    jsonify(res, status, { error, status });

  function werkzeugError(res: ServerResponse, status: 404 | 405, allow: string[] = []): void {
    const [name, description] =
      status === 404
        ? ["Not Found", NOT_FOUND]
        : ["Method Not Allowed", "The method is not allowed for the requested URL."];
    const body = `<!doctype html>\n<html lang=en>\n<title>${status} ${name}</title>\n<h1>${name}</h1>\n<p>${description}</p>\n`;
    send(res, status, "text/html; charset=utf-8", body, allow.length ? [["Allow", allow.join(", ")]] : []);
  }

  /** `requests.request(...)`: resolves with the response once its headers arrived, rejects with Python's text. */
  function call(method: string, path: string, payload: Json | undefined, timeoutMs?: number) {
    const body = payload === undefined ? undefined : pyJsonDumps(payload);
    const req = request(new URL(path, ollama), {
      method,
      agent: false,
      headers: {
        "User-Agent": "python-requests/2.28.2",
        Accept: "*/*",
        ...(body !== undefined && {
          "Content-Type": "application/json",
          "Content-Length": Buffer.byteLength(body),
        }),
      },
    });
    if (timeoutMs !== undefined) {
      req.setTimeout(timeoutMs, () =>
        req.destroy(new PyError(`${pool}: Read timed out. (read timeout=${seconds(timeoutMs)})`)),
      );
    }
    const response = new Promise<IncomingMessage>((resolve, reject) => {
      req.on("response", resolve);
      req.on("error", (err: NodeJS.ErrnoException) => {
        if (err instanceof PyError) reject(err);
        else if (err.code === "ECONNREFUSED") {
          reject(
            new PyError(
              `${pool}: Max retries exceeded with url: ${path} (Caused by NewConnectionError(` +
                "'<urllib3.connection.HTTPConnection object at 0x7f3c5a1b2d90>: " +
                "Failed to establish a new connection: [Errno 111] Connection refused'))",
            ),
          );
        } else if (err.code === "ECONNRESET") {
          reject(
            new PyError(
              "('Connection aborted.', RemoteDisconnected('Remote end closed connection without response'))",
            ),
          );
        } else reject(new PyError(err.message));
      });
    });
    // Callers may fail before awaiting it (the client left); that must not become an unhandled rejection.
    response.catch(() => {});
    req.end(body);
    return { req, response };
  }

  /** `raise_for_status()`. */
  function checkStatus(up: IncomingMessage, path: string): void {
    const status = up.statusCode ?? 0;
    if (status < 400 || status >= 600) return;
    const kind = status < 500 ? "Client" : "Server";
    throw new PyError(`${status} ${kind} Error: ${up.statusMessage} for url: ${new URL(path, ollama).href}`);
  }

  async function readAll(up: IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of up) chunks.push(chunk as Buffer);
    } catch (err) {
      if (err instanceof PyError) throw err;
    }
    if (!up.complete) {
      const n = Buffer.concat(chunks).length;
      throw new PyError(
        `('Connection broken: IncompleteRead(${n} bytes read)', IncompleteRead(${n} bytes read))`,
      );
    }
    return Buffer.concat(chunks);
  }

  /** `r.json()`. */
  function parseJson(raw: Buffer): unknown {
    try {
      return JSON.parse(raw.toString("utf8"));
    } catch {
      throw new PyError("Expecting value: line 1 column 1 (char 0)");
    }
  }

  /** The non-stream pattern of every hub route: call, raise_for_status, jsonify(r.json()), or 503 with the text. */
  async function relayJson(
    res: ServerResponse,
    route: string,
    method: string,
    payload?: Json,
    timeoutMs?: number,
  ) {
    const path = `/api/${route}`;
    try {
      const up = await call(method, path, payload, timeoutMs).response;
      const raw = await readAll(up);
      checkStatus(up, path);
      jsonify(res, 200, parseJson(raw));
    } catch (err) {
      if (!(err instanceof PyError)) throw err;
      fail(res, 503, `Ollama /${route} failed: ${err.message}`);
    }
  }

  async function relayStream(res: ServerResponse, route: string, payload: Json) {
    head(
      res,
      200,
      [
        ["Cache-Control", "no-cache"],
        ["Connection", "keep-alive"],
        ["X-Accel-Buffering", "no"],
        ["Content-Type", "text/event-stream; charset=utf-8"],
      ],
      [["Transfer-Encoding", "chunked"]],
    );
    await writeFlushed(res, 'data: {"status":"starting"}\n\n');
    const path = `/api/${route}`;
    const { req, response } = call("POST", path, payload);
    res.on("close", () => req.destroy());
    const emit = (line: Buffer) =>
      line.length ? writeFlushed(res, `data: ${pyBytesRepr(line)}\n\n`) : undefined;
    try {
      const up = await response;
      checkStatus(up, path);
      // requests' iter_lines(): bytes.splitlines() boundaries, a last unterminated line still counts.
      let pending = Buffer.alloc(0);
      for await (const chunk of up) {
        pending = Buffer.concat([pending, chunk as Buffer]);
        for (let i = 0; i < pending.length; i++) {
          const byte = pending[i];
          if (byte !== 0x0a && byte !== 0x0d) continue;
          if (byte === 0x0d && i === pending.length - 1) break;
          await emit(pending.subarray(0, i));
          const skip = byte === 0x0d && pending[i + 1] === 0x0a ? 2 : 1;
          pending = pending.subarray(i + skip);
          i = -1;
        }
      }
      if (!up.complete) throw new PyError("ChunkedEncodingError");
      await emit(pending.at(-1) === 0x0d ? pending.subarray(0, -1) : pending);
      res.end();
    } catch {
      // Werkzeug has already sent 200 and cannot report the failure: it drops the connection mid-body.
      cutConnection(res);
    }
  }

  function modelName(query: URLSearchParams, body: Json): string {
    const name = query.get("model") || query.get("name") || body.model || body.name;
    return typeof name === "string" ? name : "";
  }

  async function route(req: IncomingMessage, res: ServerResponse, rec: RecordedRequest, raw: Buffer) {
    if (rec.path === "/health") {
      return rec.method === "GET" ? jsonify(res, 200, { status: "ok" }) : werkzeugError(res, 405, ["GET"]);
    }
    if (rec.path.startsWith("/audio/")) {
      return rec.method === "GET"
        ? serveAudio(req, res, rec.path.slice("/audio/".length))
        : unrouted(res, rec);
    }
    const media = MEDIA_ROUTES.find((r) => r.path.test(rec.path));
    if (media) return rec.method === media.method ? media.handle(req, res, rec, raw) : unrouted(res, rec);
    const name = /^(?:\/api)?\/ollama\/([a-z]+)$/.exec(rec.path)?.[1];
    const methods =
      name !== undefined && Object.hasOwn(ROUTE_METHODS, name) ? ROUTE_METHODS[name] : undefined;
    if (name === undefined || methods === undefined) return unrouted(res, rec);
    if (!methods.includes(rec.method)) return werkzeugError(res, 405, methods);

    // request.get_json(): needs a JSON Content-Type and a parseable body, else BadRequest, which the hub turns
    // into a 500. show and delete read their body leniently since they also take the name from the query.
    const mime = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
    const isJson = mime === "application/json" || (mime.startsWith("application/") && mime.endsWith("+json"));
    let body: Json = {};
    if (name === "show" || name === "delete") {
      if (isJson) body = asObject(rec.body);
    } else if (rec.method === "POST") {
      try {
        if (!isJson) throw new Error("not JSON");
        body = asObject(JSON.parse(raw.toString("utf8")));
      } catch {
        return fail(res, 500, BAD_REQUEST);
      }
    }

    switch (name) {
      case "tags":
      case "ps":
        return relayJson(res, name, "GET", undefined, timeouts[name]);
      case "chat":
      case "generate":
        if (truthy(body.stream)) return relayStream(res, name, body);
        return relayJson(res, name, "POST", { ...body, stream: false }, timeouts[name]);
      case "pull": {
        const model = body.model || body.name;
        if (typeof model !== "string" || !model) return fail(res, 400, "Field 'model' is required.");
        const stream = body.stream === undefined || truthy(body.stream);
        if (stream) return relayStream(res, "pull", { name: model, stream: true });
        return relayJson(res, "pull", "POST", { name: model, stream: false });
      }
      case "show": {
        const model = modelName(rec.query, body);
        if (!model) return fail(res, 400, "Field 'model' is required.");
        return relayJson(res, "show", "POST", { name: model }, timeouts.show);
      }
      default:
        return remove(res, modelName(rec.query, body));
    }
  }

  async function remove(res: ServerResponse, model: string) {
    if (!model) return fail(res, 400, "Field 'model' is required.");
    try {
      const up = await call("DELETE", "/api/delete", { name: model }, timeouts.delete).response;
      const raw = await readAll(up);
      if (up.statusCode === 404) {
        // The hub falls back to `ollama rm`, which treats a missing model as done.
        if (opts.ollamaCli)
          return jsonify(res, 200, { status: "deleted", source: "cli", note: "already missing" });
        return fail(res, 503, "Ollama /delete fallback failed: ollama binary not found on PATH");
      }
      checkStatus(up, "/api/delete");
      // Ollama answers a successful delete with an empty body, which the hub still parses as JSON.
      jsonify(res, 200, parseJson(raw));
    } catch (err) {
      if (!(err instanceof PyError)) throw err;
      fail(res, 503, `Ollama /delete failed: ${err.message}`);
    }
  }

  // --- Speech ----------------------------------------------------------------------------------------------------

  const render = opts.render ?? ((text: string, _voice: string, speed: number) => standInSpeech(text, speed));
  const decode = opts.decode ?? standInDecode;
  const randomHex =
    opts.randomHex ??
    ((n: number) =>
      randomBytes(Math.ceil(n / 2))
        .toString("hex")
        .slice(0, n));
  /** What `/audio/` serves: paths under KOKORO_OUT, with the file's mtime (seconds, as `os.stat` gives it). */
  const files = new Map<string, { bytes: Buffer; mtime: number }>();
  /** Voices whose preview exists (the voice list then shows its `raw.preview_url`). */
  const previews = new Map<string, string>();
  const out = () => `${hub.speech.root}/out`;
  const kokoroReady = () => hub.speech.kokoro === "ready";

  /** The engine works for `ms`; false when the client left meanwhile (there is no one to answer). */
  async function working(res: ServerResponse, ms: number): Promise<boolean> {
    const gone = new AbortController();
    const leave = () => gone.abort();
    res.on("close", leave);
    try {
      await pause(ms, gone.signal);
      return true;
    } catch {
      return false;
    } finally {
      res.off("close", leave);
    }
  }

  function write(path: string, bytes: Buffer): void {
    files.set(path, { bytes, mtime: now().getTime() / 1000 });
  }

  /** Paths the hub serves with and without its `/api` prefix; media/transcribe and voices/preview only with it. */
  type Handler = (req: IncomingMessage, res: ServerResponse, rec: RecordedRequest, raw: Buffer) => unknown;
  const MEDIA_ROUTES: Array<{ path: RegExp; method: string; handle: Handler }> = [
    { path: /^(?:\/api)?\/meta$/, method: "GET", handle: (_q, res) => meta(res) },
    { path: /^(?:\/api)?\/voices$/, method: "GET", handle: (_q, res, rec) => voices(res, rec, "voices") },
    {
      path: /^(?:\/api)?\/voices_grouped$/,
      method: "GET",
      handle: (_q, res, rec) => voices(res, rec, "grouped"),
    },
    {
      path: /^(?:\/api)?\/voices_catalog$/,
      method: "GET",
      handle: (_q, res, rec) => voices(res, rec, "catalog"),
    },
    {
      path: /^(?:\/api)?\/synthesi[sz]e$/,
      method: "POST",
      handle: (req, res, _r, raw) => synthesise(req, res, raw),
    },
    {
      path: /^\/api\/voices\/preview$/,
      method: "POST",
      handle: (req, res, _r, raw) => preview(req, res, raw),
    },
    {
      path: /^\/api\/media\/transcribe$/,
      method: "POST",
      handle: (req, res, _r, raw) => transcribe(req, res, raw),
    },
  ];

  /**
   * No route for the method: the hub's catch-all (GET only) answers 404 under the API prefix; any other method
   * gets Werkzeug's 405, which the hub's error handler turns into a 500 (`transcribe-no-prefix`).
   */
  function unrouted(res: ServerResponse, rec: RecordedRequest) {
    if (rec.method !== "GET") return fail(res, 500, METHOD_NOT_ALLOWED);
    if (rec.path.startsWith("/api/")) return jsonify(res, 404, { error: "Not found" });
    return werkzeugError(res, 404);
  }

  const sendPy = (res: ServerResponse, status: number, value: unknown) =>
    send(res, status, "application/json", `${pyDumps(value)}\n`);

  function mimeOf(req: IncomingMessage): string {
    return (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  }

  /**
   * The hub's JSON body: with a JSON Content-Type Werkzeug's `get_json()` (its BadRequest becomes a 500 through
   * the error handler, `wrap` says with what prefix); without one `json.loads` of the body, whose error is a 400.
   */
  function payloadOf(
    req: IncomingMessage,
    raw: Buffer,
    wrap = "",
  ): { ok: true; value: unknown } | { ok: false; status: number; error: string } {
    const mime = mimeOf(req);
    if (mime === "application/json" || (mime.startsWith("application/") && mime.endsWith("+json"))) {
      try {
        return { ok: true, value: JSON.parse(raw.toString("utf8")) };
      } catch {
        return { ok: false, status: 500, error: `${wrap}${BAD_REQUEST}` };
      }
    }
    const loaded = pyJsonLoads(raw.toString("utf8"));
    return loaded.ok ? loaded : { ok: false, status: 400, error: `Invalid JSON payload: ${loaded.error}` };
  }

  function voiceJson(id: string) {
    const row = voiceRow(id);
    const url = previews.get(id);
    return {
      accent: accentOf(id),
      engine: "kokoro",
      gender: row.gender,
      id,
      label: id
        .split("_")
        .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
        .join(" "),
      locale: row.locale,
      notes: null,
      raw: url === undefined ? {} : { preview_url: url },
      tags: [],
    };
  }

  function engines() {
    const ready = kokoroReady();
    return [
      {
        available: ready,
        defaults: { language: "en-us", voice: "af_heart" },
        description: "Bundled Kokoro voices running locally via ONNX.",
        id: "kokoro",
        label: "Kokoro (ONNX)",
        requiresVoice: true,
        status: ready ? "ready" : "pending",
        supports: { audition: true, cloning: false },
      },
      {
        available: false,
        defaults: {},
        description: "Coqui XTTS voice cloning (local CLI).",
        id: "xtts",
        label: "XTTS v2",
        requiresVoice: true,
        status: "pending",
        supports: { cloning: true },
      },
      {
        available: false,
        defaults: { language: "English", style: "default" },
        description: "OpenVoice instant voice cloning (tone-color transfer).",
        id: "openvoice",
        label: "OpenVoice v2",
        requiresVoice: true,
        status: "pending",
        supports: { cloning: true, styles: true },
      },
      {
        available: false,
        defaults: {},
        description: "ChatTTS dialogue model (random speaker).",
        id: "chattts",
        label: "ChatTTS",
        requiresVoice: false,
        status: "pending",
        supports: { cloning: false },
      },
    ];
  }

  const noVoiceBank = (res: ServerResponse) =>
    fail(
      res,
      500,
      `Voice bank not found at ${hub.speech.root}/tts-hub/models/voices-v1.0.bin. Set KOKORO_VOICES to the voices bin.`,
    );

  async function meta(res: ServerResponse) {
    if (hub.speech.kokoro === "no-voices") return noVoiceBank(res);
    // The hub asks Ollama for its tags on every call, within 10 s.
    let ollamaAvailable = false;
    try {
      const up = await call("GET", "/api/tags", undefined, 10_000).response;
      await readAll(up);
      ollamaAvailable = (up.statusCode ?? 0) < 400;
    } catch (err) {
      if (!(err instanceof PyError)) throw err;
    }
    const api = `http://127.0.0.1:${hub.port}/api`;
    sendPy(res, 200, {
      accent_groups: accentGroups(KOKORO_VOICES),
      api_prefix: "api",
      bind_host: "127.0.0.1",
      default_engine: "kokoro",
      engines: engines(),
      frontend_bundle: { available: false, path: `${hub.speech.root}/tts-hub/frontend/dist` },
      has_model: hub.speech.kokoro !== "no-model",
      has_voices: true,
      lan_ip: null,
      ollama_available: ollamaAvailable,
      port: hub.port,
      public_host: null,
      random_categories: ["any", "dialogue", "narration", "news", "promo", "story", "whimsy"],
      urls: { bind: api, lan: null, local: api, wg: null },
      voice_count: KOKORO_VOICES.length,
    });
  }

  function voices(res: ServerResponse, rec: RecordedRequest, kind: "voices" | "grouped" | "catalog") {
    const engine = (rec.query.get("engine") || "kokoro").toLowerCase();
    if (!TTS_ENGINES.includes(engine)) return fail(res, 400, `Unknown TTS engine '${engine}'.`);
    if (kind === "catalog") {
      if (engine === "kokoro" && hub.speech.kokoro === "no-voices") return noVoiceBank(res);
      // The catalog still lists the voice bank when only the model is missing (`nomodel-voices-catalog`).
      const ids = engine === "kokoro" ? KOKORO_VOICES : [];
      const rows = ids.map(voiceRow);
      const family = (r: VoiceRow) =>
        r.accent.startsWith("us") ? "us" : r.accent.startsWith("uk") ? "uk" : "other";
      const families = (subset: VoiceRow[]) =>
        countBy(subset, family).map(([id, count]) => ({ count, ...FAMILIES[id]!, id }));
      return sendPy(res, 200, {
        available: engine === "kokoro" && kokoroReady(),
        count: ids.length,
        engine,
        filters: {
          accentFamilies: {
            any: families(rows),
            female: families(rows.filter((r) => r.gender === "female")),
            male: families(rows.filter((r) => r.gender === "male")),
          },
          accents: accentGroups(ids),
          engines: engines(),
          genders: countBy(rows, (r) => r.gender ?? "unknown").map(([id, count]) => ({
            count,
            id,
            label: id.charAt(0).toUpperCase() + id.slice(1),
          })),
          locales: countBy(rows, (r) => r.locale ?? "misc").map(([id, count]) => ({
            count,
            id,
            label: id === "misc" ? "Miscellaneous" : id.toUpperCase(),
          })),
        },
        voices: ids.map(voiceJson),
      });
    }
    const ids = engine === "kokoro" && kokoroReady() ? KOKORO_VOICES : [];
    const groups = accentGroups(ids);
    const list: Json = {
      accentGroups: groups,
      available: ids.length > 0,
      count: ids.length,
      engine,
      groups,
    };
    if (kind === "voices") list.voices = ids.map(voiceJson);
    return sendPy(res, 200, list);
  }

  /** Kokoro's own checks, in its order, then the clip; the hub passes its exceptions' texts on as 500s. */
  function kokoro(text: string, voice: string, speed: number, language: string): Int16Array | string {
    if (!(speed >= 0.5 && speed <= 2.0)) return "Speed should be between 0.5 and 2.0";
    if (!KOKORO_VOICES.includes(voice)) return `Voice ${voice} not found in available voices`;
    if (!ESPEAK_LANGUAGES.has(language))
      return `language "${language}" is not supported by the espeak backend`;
    return render(text, voice, speed);
  }

  async function synthesise(req: IncomingMessage, res: ServerResponse, raw: Buffer) {
    const payload = payloadOf(req, raw);
    if (!payload.ok) return fail(res, payload.status, payload.error);
    const body = payload.value;
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      return fail(res, 400, "JSON payload must be an object.");
    }
    const p = body as Json;
    const engine = pyStr(p.engine || "kokoro")
      .trim()
      .toLowerCase();
    if (!TTS_ENGINES.includes(engine)) return fail(res, 400, `Unknown TTS engine '${engine}'.`);
    if (engine !== "kokoro" || !kokoroReady())
      return fail(res, 503, `TTS engine '${engine}' is not available.`);
    const text = pyStr("text" in p ? p.text : "").trim();
    if (text === "") return fail(res, 400, "Field 'text' is required.");
    const voice = pyStr("voice" in p ? p.voice : "").trim();
    if (voice === "") return fail(res, 400, "Field 'voice' is required.");
    const speed = pyFloat("speed" in p ? p.speed : 1.0);
    if (speed === undefined) return fail(res, 400, "Field 'speed' must be numeric.");
    const language = pyStr(p.language || "en-us").toLowerCase();
    const trim = "trimSilence" in p ? p.trimSilence : "trim_silence" in p ? p.trim_silence : true;
    if (!(await working(res, hub.speech.synthesiseDelayMs))) return;
    const clip = kokoro(text, voice, speed, language);
    if (typeof clip === "string") return fail(res, 500, clip);
    const filename = `${Math.floor(now().getTime() / 1000)}-${randomHex(10)}-${voice}.wav`;
    write(`${out()}/${filename}`, wavFile(clip));
    sendPy(res, 200, {
      accent: accentOf(voice),
      engine: "kokoro",
      filename,
      id: filename,
      language,
      locale: voiceRow(voice).locale,
      path: `/audio/${filename}`,
      sample_rate: SAMPLE_RATE,
      speed: float(speed),
      text,
      trim_silence: truthy(trim),
      voice,
    });
  }

  function preview(req: IncomingMessage, res: ServerResponse, raw: Buffer) {
    const payload = payloadOf(req, raw);
    if (!payload.ok) return fail(res, payload.status, payload.error);
    const p = asObject(payload.value);
    const voice = pyStr(p.voiceId || "").trim();
    if (voice === "") return fail(res, 400, "Field 'voiceId' is required.");
    if (!kokoroReady()) return fail(res, 503, "TTS engine 'kokoro' is not available.");
    const language = typeof p.language === "string" && p.language ? p.language.toLowerCase() : null;
    // A fixed sentence, at most 5 s, once per voice and language.
    const clip = kokoro("This is how I sound.", voice, 1.0, language ?? "en-us");
    if (typeof clip === "string") return fail(res, 500, clip);
    const name = `voice_previews/kokoro/${voice}-${language ?? "en-us"}-v1.wav`;
    if (!files.has(`${out()}/${name}`)) write(`${out()}/${name}`, wavFile(clip.subarray(0, 5 * SAMPLE_RATE)));
    previews.set(voice, `/audio/${name}`);
    sendPy(res, 200, { engine: "kokoro", language, preview_url: `/audio/${name}`, voice });
  }

  /** Werkzeug's `send_file` of a file under KOKORO_OUT, with its two Date headers, ETag and ranges. */
  function serveAudio(req: IncomingMessage, res: ServerResponse, rel: string) {
    const full = `${out()}/${decodeURIComponent(rel)}`;
    const file = rel.split("/").includes("..") ? undefined : files.get(full);
    if (!file) return fail(res, 500, `404 Not Found: ${NOT_FOUND}`);
    const size = file.bytes.length;
    const headers: Header[] = [
      ["Content-Disposition", `inline; filename=${full.split("/").pop()}`],
      ["Content-Type", "audio/x-wav"],
    ];
    const tail: Header[] = [
      ["Last-Modified", new Date(Math.floor(file.mtime) * 1000).toUTCString()],
      ["Cache-Control", "no-cache"],
      ["ETag", `"${pyDumps(float(file.mtime))}-${size}-${adler32(full)}"`],
      ["Date", now().toUTCString()],
    ];
    const range = /^bytes=(\d*)-(\d*)$/.exec(String(req.headers.range ?? "").trim());
    if (range && (range[1] !== "" || range[2] !== "")) {
      const start = range[1] === "" ? Math.max(0, size - Number(range[2])) : Number(range[1]);
      const end = range[1] === "" || range[2] === "" ? size - 1 : Math.min(size - 1, Number(range[2]));
      if (start >= size || start > end) {
        return fail(
          res,
          500,
          "416 Requested Range Not Satisfiable: The server cannot provide the requested range.",
        );
      }
      const part = file.bytes.subarray(start, end + 1);
      head(res, 206, [
        ...headers,
        ["Content-Length", String(part.length)],
        ...tail,
        ["Accept-Ranges", "bytes"],
        ["Content-Range", `bytes ${start}-${end}/${size}`],
      ]);
      return res.end(part);
    }
    head(res, 200, [...headers, ["Content-Length", String(size)], ...tail]);
    res.end(file.bytes);
  }

  async function transcribe(req: IncomingMessage, res: ServerResponse, raw: Buffer) {
    if (mimeOf(req) === "multipart/form-data") {
      const file = parseMultipart(req.headers["content-type"] ?? "", raw).find((p) => p.name === "file");
      if (!file?.filename) return fail(res, 400, "No file uploaded.");
      hub.uploads.push({ filename: file.filename, contentType: file.contentType, bytes: file.data });
      return transcribeUpload(res, file.filename, file.data);
    }
    const payload = payloadOf(req, raw, "Unexpected error: ");
    if (!payload.ok) return fail(res, payload.status, payload.error);
    const p = asObject(payload.value);
    if (pyStr(p.source ?? "").toLowerCase() !== "youtube") {
      return fail(res, 400, "Provide multipart 'file' upload or JSON { source: 'youtube', url }.");
    }
    if (!p.url) return fail(res, 400, "Field 'url' is required for YouTube source.");
    return fail(res, 503, "yt-dlp is required for YouTube imports. Install 'yt-dlp' and try again.");
  }

  /**
   * The hub's pipeline: the upload saved as `source<extension>` (`source.wav` without one), ffmpeg to
   * `source.wav` (mono, 24 kHz), then Whisper on that.
   */
  async function transcribeUpload(res: ServerResponse, filename: string, data: Buffer) {
    const job = randomHex(12);
    const dir = `${out()}/media_edits/${job}`;
    const input = `${dir}/source${pySuffix(filename) || ".wav"}`;
    const output = `${dir}/source.wav`;
    if (!hub.speech.ffmpeg)
      return fail(res, 500, "Unexpected error: [Errno 2] No such file or directory: 'ffmpeg'");
    const command = ["ffmpeg", "-y", "-i", input, "-ac", "1", "-ar", "24000", output]
      .map(pyStrRepr)
      .join(", ");
    // ffmpeg refuses to write over its own input, and fails on what is not audio.
    const samples = input === output ? undefined : decode(data);
    if (samples === undefined) {
      return fail(
        res,
        500,
        `Media processing failed: Command '[${command}]' returned non-zero exit status 1.`,
      );
    }
    write(output, wavFile(samples, true));
    const duration = samples.length / SAMPLE_RATE;
    const media = { audio_url: `/audio/media_edits/${job}/source.wav`, duration: float(duration) };
    if (!(await working(res, hub.speech.transcribeDelayMs))) return;
    switch (hub.speech.stt) {
      case "strict":
        return fail(res, 503, "STT 'faster-whisper' is not available on this host.");
      case "error":
        return fail(res, 500, `Unexpected error: ${hub.speech.sttError}`);
      case "stub":
        return sendPy(res, 200, {
          jobId: job,
          media,
          transcript: {
            duration: float(duration),
            language: "unknown",
            note: STUB_NOTE,
            segments: [{ end: float(duration), start: 0, text: "(stub transcript)" }],
            words: Array.from({ length: 10 }, (_, i) => ({
              confidence: 0,
              end: float(pyRound2((duration * (i + 1)) / 10)),
              start: float(pyRound2((duration * i) / 10)),
              text: `word${i + 1}`,
            })),
          },
          whisperx: { enabled: false },
        });
    }
    // The stand-in engine hears " Hello from a voice note." over 5%–95% of any audio that is not silent, each
    // word's share of the time its length plus one.
    const heard = samples.some((x) => x !== 0);
    const start = duration * 0.05;
    const span = duration - start - start;
    const total = STAND_IN_WORDS.reduce((n, [w]) => n + w.length + 1, 0);
    let done = 0;
    const words = heard
      ? STAND_IN_WORDS.map(([text, confidence]) => {
          const from = start + (span * done) / total;
          done += text.length + 1;
          const to = start + (span * done) / total;
          return {
            confidence: float(confidence),
            end: float(pyRound2(to)),
            start: float(pyRound2(from)),
            text,
          };
        })
      : [];
    const segments = heard
      ? [
          {
            end: float(pyRound2(duration - start)),
            start: float(pyRound2(start)),
            text: " Hello from a voice note.",
          },
        ]
      : [];
    const elapsed = duration / 10 + 0.0005 + Math.random() * 0.0005;
    sendPy(res, 200, {
      jobId: job,
      media,
      transcript: {
        duration: float(duration),
        language: "en",
        segments,
        stats: {
          elapsed: float(elapsed),
          rtf: float(duration / elapsed),
          segments: segments.length,
          words: words.length,
        },
        words,
      },
      whisperx: { enabled: false },
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const raw = await readBody(req);
    const rec = record(req, raw);
    hub.requests.push(rec);
    if (fault !== "stall") await route(req, res, rec, raw);
  }

  const server = createServer((req, res) => {
    if (fault === "reset") {
      req.socket.destroy();
      return;
    }
    handle(req, res).catch((err: unknown) => {
      // A bug in the fake, not hub behaviour: make it visible instead of hanging the test.
      if (res.headersSent) cutConnection(res);
      else fail(res, 500, `fake hub failed: ${String(err)}`);
    });
  });
  const listener = new Listener(server);
  await listener.start();
  hub.port = listener.port;
  hub.origin = `http://127.0.0.1:${listener.port}`;
  hub.apiBase = `${hub.origin}/api`;
  return hub;
}

// --- Speech: Kokoro, ffmpeg and faster-whisper as the hub drives them (shared/hub-media.md) -----------------------

/** A Python `float`: `json.dumps` writes `2.0`, where a JS number would come out as the int `2`. */
class PyFloat {
  constructor(readonly value: number) {}
}
const float = (x: number) => new PyFloat(x);

/** `jsonify` of a value holding `PyFloat`s: sorted keys, compact, ASCII only, as `pyJsonDumps`. */
function pyDumps(value: unknown): string {
  if (value instanceof PyFloat) {
    const x = value.value;
    return Number.isInteger(x) && Math.abs(x) < 1e16 ? `${x}.0` : pyJsonDumps(x);
  }
  if (Array.isArray(value)) return `[${value.map(pyDumps).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${pyJsonDumps(k)}:${pyDumps(v)}`).join(",")}}`;
  }
  return pyJsonDumps(value);
}

/** Python's `round(x, 2)`: the exact binary value rounded, ties (only .125, .375, ...) to even. */
function pyRound2(x: number): number {
  if (Number.isInteger(x * 8) && !Number.isInteger(x * 4)) {
    const lo = Math.floor(x * 100);
    return (lo % 2 === 0 ? lo : lo + 1) / 100;
  }
  return Number(x.toFixed(2));
}

/** Python's `repr(str)`, for the ffmpeg command line the hub quotes in its error. */
function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === "\\" || ch === quote) out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return out + quote;
}

/** Python's `str()` of a JSON value (`null` is `None`, and is spoken as such). */
function pyStr(v: unknown): string {
  if (v === null || v === undefined) return "None";
  if (v === true) return "True";
  if (v === false) return "False";
  if (typeof v === "string") return v;
  if (typeof v === "number") return pyJsonDumps(v);
  if (Array.isArray(v)) return `[${v.map(pyReprValue).join(", ")}]`;
  return `{${Object.entries(v as Json)
    .map(([k, x]) => `${pyStrRepr(k)}: ${pyReprValue(x)}`)
    .join(", ")}}`;
}
const pyReprValue = (v: unknown) => (typeof v === "string" ? pyStrRepr(v) : pyStr(v));

/** Python's `float()` of a JSON value, or undefined where it raises (None, lists, non-numeric strings). */
function pyFloat(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v !== "string") return undefined;
  const s = v.trim().replace(/(\d)_(?=\d)/g, "$1");
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) return Number(s);
  if (/^[+-]?(inf|infinity)$/i.test(s)) return s.startsWith("-") ? -Infinity : Infinity;
  if (/^[+-]?nan$/i.test(s)) return Number.NaN;
  return undefined;
}

/** Python's `pathlib.PurePath(name).suffix`. */
function pySuffix(name: string): string {
  const last = name.split("/").pop() ?? "";
  const dot = last.lastIndexOf(".");
  return dot > 0 && dot < last.length - 1 ? last.slice(dot) : "";
}

class PyJsonError extends Error {
  constructor(msg: string, doc: string, pos: number) {
    const line = doc.slice(0, pos).split("\n").length;
    const col = pos - doc.lastIndexOf("\n", pos - 1);
    super(`${msg}: line ${line} column ${col} (char ${pos})`);
  }
}

/**
 * Python's `json.loads` (its C scanner), for the messages the hub quotes after "Invalid JSON payload: " when a
 * body comes without a JSON Content-Type. Accepts what Python accepts (NaN, Infinity).
 */
function pyJsonLoads(doc: string): { ok: true; value: unknown } | { ok: false; error: string } {
  const ws = (i: number) => {
    while (i < doc.length && " \t\n\r".includes(doc[i]!)) i++;
    return i;
  };
  const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/y;
  class Stop {
    constructor(readonly at: number) {}
  }
  function string(start: number): [string, number] {
    let i = start;
    for (;;) {
      if (i >= doc.length) throw new PyJsonError("Unterminated string starting at", doc, start - 1);
      const c = doc[i]!;
      if (c === '"') return [JSON.parse(doc.slice(start - 1, i + 1)) as string, i + 1];
      if (c.charCodeAt(0) < 0x20) throw new PyJsonError("Invalid control character at", doc, i);
      if (c === "\\") {
        const e = doc[i + 1];
        if (e === undefined) throw new PyJsonError("Unterminated string starting at", doc, start - 1);
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(doc.slice(i + 2, i + 6))) {
            throw new PyJsonError("Invalid \\uXXXX escape", doc, i + 1);
          }
          i += 6;
          continue;
        }
        if (!'"\\/bfnrt'.includes(e)) throw new PyJsonError("Invalid \\escape", doc, i);
        i += 2;
        continue;
      }
      i++;
    }
  }
  function value(i: number): [unknown, number] {
    const c = doc[i];
    if (c === undefined) throw new Stop(i);
    if (c === '"') return string(i + 1);
    if (c === "{") return object(i + 1);
    if (c === "[") return array(i + 1);
    for (const [word, v] of [
      ["null", null],
      ["true", true],
      ["false", false],
      ["NaN", Number.NaN],
      ["Infinity", Infinity],
      ["-Infinity", -Infinity],
    ] as const) {
      if (doc.startsWith(word, i)) return [v, i + word.length];
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(doc);
    if (m) return [Number(m[0]), i + m[0].length];
    throw new Stop(i);
  }
  function member(i: number): [unknown, number] {
    try {
      return value(i);
    } catch (err) {
      if (err instanceof Stop) throw new PyJsonError("Expecting value", doc, err.at);
      throw err;
    }
  }
  function object(i: number): [Json, number] {
    const out: Json = {};
    i = ws(i);
    if (doc[i] === "}") return [out, i + 1];
    if (doc[i] !== '"') throw new PyJsonError("Expecting property name enclosed in double quotes", doc, i);
    i++;
    for (;;) {
      const [key, afterKey] = string(i);
      i = ws(afterKey);
      if (doc[i] !== ":") throw new PyJsonError("Expecting ':' delimiter", doc, i);
      const [v, afterValue] = member(ws(i + 1));
      out[key] = v;
      i = ws(afterValue);
      const next = doc[i] ?? "";
      i++;
      if (next === "}") return [out, i];
      if (next !== ",") throw new PyJsonError("Expecting ',' delimiter", doc, i - 1);
      i = ws(i);
      const quote = doc[i] ?? "";
      i++;
      if (quote !== '"') {
        throw new PyJsonError("Expecting property name enclosed in double quotes", doc, i - 1);
      }
    }
  }
  function array(i: number): [unknown[], number] {
    const out: unknown[] = [];
    i = ws(i);
    if (doc[i] === "]") return [out, i + 1];
    for (;;) {
      const [v, after] = member(i);
      out.push(v);
      i = ws(after);
      const next = doc[i] ?? "";
      i++;
      if (next === "]") return [out, i];
      if (next !== ",") throw new PyJsonError("Expecting ',' delimiter", doc, i - 1);
      i = ws(i);
    }
  }
  try {
    const [v, end] = member(ws(0));
    const rest = ws(end);
    if (rest !== doc.length) throw new PyJsonError("Extra data", doc, rest);
    return { ok: true, value: v };
  } catch (err) {
    if (err instanceof PyJsonError) return { ok: false, error: err.message };
    throw err;
  }
}

interface Part {
  name: string;
  filename: string | undefined;
  contentType: string | undefined;
  data: Buffer;
}

/** Werkzeug's multipart form parser, for what it needs here: the parts' names, file names and bytes. */
function parseMultipart(contentType: string, raw: Buffer): Part[] {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!m) return [];
  const delimiter = Buffer.from(`--${m[1] ?? m[2]}`, "latin1");
  const parts: Part[] = [];
  let at = raw.indexOf(delimiter);
  while (at !== -1) {
    at += delimiter.length;
    if (raw.toString("latin1", at, at + 2) === "--") break;
    if (raw.toString("latin1", at, at + 2) !== "\r\n") break;
    const headEnd = raw.indexOf("\r\n\r\n", at, "latin1");
    if (headEnd === -1) break;
    const head = raw.toString("utf8", at + 2, headEnd);
    const next = raw.indexOf(Buffer.concat([Buffer.from("\r\n"), delimiter]), headEnd + 4);
    if (next === -1) break;
    const disposition = /^content-disposition:(.*)$/im.exec(head)?.[1] ?? "";
    const param = (key: string) => {
      const p = new RegExp(`;\\s*${key}=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]*))`, "i").exec(disposition);
      return p ? (p[1]?.replace(/\\(.)/g, "$1") ?? p[2]) : undefined;
    };
    parts.push({
      name: param("name") ?? "",
      filename: param("filename"),
      contentType: /^content-type:\s*(.*?)\s*$/im.exec(head)?.[1],
      data: raw.subarray(headEnd + 4, next),
    });
    at = next + 2;
  }
  return parts;
}

const SAMPLE_RATE = 24_000;

/** soundfile's WAV of a Kokoro clip: the canonical 44-byte PCM header, mono, 24 kHz, 16-bit. */
function wavFile(samples: Int16Array, lavf = false): Buffer {
  const data = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
  const fmt = Buffer.alloc(24);
  fmt.write("fmt ", 0, "latin1");
  fmt.writeUInt32LE(16, 4);
  fmt.writeUInt16LE(1, 8);
  fmt.writeUInt16LE(1, 10);
  fmt.writeUInt32LE(SAMPLE_RATE, 12);
  fmt.writeUInt32LE(SAMPLE_RATE * 2, 16);
  fmt.writeUInt16LE(2, 20);
  fmt.writeUInt16LE(16, 22);
  // ffmpeg's WAV carries its version in a LIST/INFO chunk before the samples.
  const software = Buffer.from("Lavf59.27.100\0", "latin1");
  const list = Buffer.alloc(lavf ? 8 + 12 + software.length : 0);
  if (lavf) {
    list.write("LIST", 0, "latin1");
    list.writeUInt32LE(list.length - 8, 4);
    list.write("INFOISFT", 8, "latin1");
    list.writeUInt32LE(software.length, 16);
    software.copy(list, 20);
  }
  const riff = Buffer.alloc(12);
  const dataHead = Buffer.alloc(8);
  dataHead.write("data", 0, "latin1");
  dataHead.writeUInt32LE(data.length, 4);
  riff.write("RIFF", 0, "latin1");
  riff.writeUInt32LE(4 + fmt.length + list.length + dataHead.length + data.length, 4);
  riff.write("WAVE", 8, "latin1");
  return Buffer.concat([riff, fmt, list, dataHead, data]);
}

/** The stand-in's voiced tone: a 240 Hz hum in syllable-like bursts, about 55 ms per character. */
export function standInSpeech(text: string, speed: number): Int16Array {
  const seconds = Math.max(0.3, (0.055 * text.length) / speed);
  const out = new Int16Array(Math.round(seconds * SAMPLE_RATE));
  for (let i = 0; i < out.length; i++) {
    const t = i / SAMPLE_RATE;
    out[i] = Math.round(13_600 * Math.sin(Math.PI * (t / 0.23)) ** 2 * Math.sin(2 * Math.PI * 240 * t));
  }
  return out;
}

/** What ffmpeg makes of an upload, mono 24 kHz, or undefined where it fails. */
type Decode = (upload: Buffer) => Int16Array | undefined;

/**
 * ffmpeg as far as the hub's answers depend on it: it reads OGG (Opus, Vorbis), MP3 and WAV by their content
 * (not their name), and yields their real length. The samples are a tone (digital silence stays silent): Opus is
 * not decoded here.
 */
const standInDecode: Decode = (upload) => {
  const found = oggAudio(upload) ?? mp3Audio(upload) ?? wavAudio(upload);
  if (found === undefined) return undefined;
  const out = new Int16Array(Math.round(found.seconds * SAMPLE_RATE));
  if (!found.silent) {
    for (let i = 0; i < out.length; i++)
      out[i] = Math.round(4000 * Math.sin((2 * Math.PI * 440 * i) / SAMPLE_RATE));
  }
  return out;
};

interface FoundAudio {
  seconds: number;
  silent: boolean;
}

function oggAudio(b: Buffer): FoundAudio | undefined {
  if (b.toString("latin1", 0, 4) !== "OggS") return undefined;
  const packets: number[] = [];
  let head: Buffer | undefined;
  let granule = 0;
  let open = 0;
  for (let at = 0; at + 27 <= b.length && b.toString("latin1", at, at + 4) === "OggS"; ) {
    granule = Number(b.readBigInt64LE(at + 6));
    const count = b[at + 26]!;
    let body = at + 27 + count;
    for (let s = 0; s < count; s++) {
      const lace = b[at + 27 + s]!;
      if (head === undefined) head = b.subarray(body, body + lace);
      open += lace;
      body += lace;
      if (lace < 255) {
        packets.push(open);
        open = 0;
      }
    }
    at = body;
  }
  if (head === undefined || packets.length < 3) return undefined;
  const audio = packets.slice(2);
  if (head.toString("latin1", 0, 8) === "OpusHead") {
    const preSkip = head.readUInt16LE(10);
    // libopus codes digital silence in 3-byte packets; a tone takes a hundred or more.
    const silent = audio.reduce((a, n) => a + n, 0) / audio.length <= 4;
    return { seconds: Math.max(0, granule - preSkip) / 48_000, silent };
  }
  if (head.toString("latin1", 1, 7) === "vorbis") {
    return { seconds: granule / head.readUInt32LE(12), silent: false };
  }
  return undefined;
}

const MP3_KBPS = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const MP3_KBPS_V2 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
const MP3_RATES = [44_100, 48_000, 32_000];

function mp3Audio(b: Buffer): FoundAudio | undefined {
  let at = 0;
  if (b.toString("latin1", 0, 3) === "ID3" && b.length >= 10) {
    at = 10 + (((b[6]! & 0x7f) << 21) | ((b[7]! & 0x7f) << 14) | ((b[8]! & 0x7f) << 7) | (b[9]! & 0x7f));
  }
  let frames = 0;
  let rate = 0;
  let perFrame = 1152;
  for (; at + 4 <= b.length; ) {
    if (b[at] !== 0xff || (b[at + 1]! & 0xe0) !== 0xe0) break;
    const version = (b[at + 1]! >> 3) & 3; // 3: MPEG 1, 2: MPEG 2, 0: MPEG 2.5
    const layer = (b[at + 1]! >> 1) & 3; // 1: layer III
    const kbps = (version === 3 ? MP3_KBPS : MP3_KBPS_V2)[(b[at + 2]! >> 4) & 15];
    const base = MP3_RATES[(b[at + 2]! >> 2) & 3];
    if (layer !== 1 || version === 1 || !kbps || !base) break;
    rate = version === 3 ? base : version === 2 ? base / 2 : base / 4;
    perFrame = version === 3 ? 1152 : 576;
    const size = Math.floor(((perFrame / 8) * kbps * 1000) / rate) + ((b[at + 2]! >> 1) & 1);
    if (frames === 0) {
      // A Xing/Info frame first says how many frames follow, and LAME's tag the encoder delay and padding.
      const mono = b[at + 3]! >> 6 === 3;
      const tag = at + 4 + (version === 3 ? (mono ? 17 : 32) : mono ? 9 : 17);
      const id = b.toString("latin1", tag, tag + 4);
      if ((id === "Xing" || id === "Info") && (b.readUInt32BE(tag + 4) & 1) === 1) {
        const count = b.readUInt32BE(tag + 8);
        const gap = b.subarray(tag + 141, tag + 144);
        const delay = gap.length === 3 ? (gap[0]! << 4) | (gap[1]! >> 4) : 0;
        const padding = gap.length === 3 ? ((gap[1]! & 15) << 8) | gap[2]! : 0;
        return { seconds: Math.max(0, count * perFrame - delay - padding) / rate, silent: false };
      }
    }
    frames++;
    at += size;
  }
  return frames > 0 ? { seconds: (frames * perFrame) / rate, silent: false } : undefined;
}

function wavAudio(b: Buffer): FoundAudio | undefined {
  if (b.length < 12 || b.toString("latin1", 0, 4) !== "RIFF" || b.toString("latin1", 8, 12) !== "WAVE") {
    return undefined;
  }
  let frameBytes = 0;
  let rate = 0;
  for (let at = 12; at + 8 <= b.length; ) {
    const id = b.toString("latin1", at, at + 4);
    const size = b.readUInt32LE(at + 4);
    if (id === "fmt " && at + 24 <= b.length) {
      rate = b.readUInt32LE(at + 12);
      frameBytes = b.readUInt16LE(at + 20);
    } else if (id === "data" && rate > 0 && frameBytes > 0) {
      const data = b.subarray(at + 8, at + 8 + size);
      return { seconds: Math.floor(data.length / frameBytes) / rate, silent: data.every((x) => x === 0) };
    }
    at += 8 + size + (size % 2);
  }
  return undefined;
}

/** zlib's adler32, which Werkzeug's `send_file` puts in the ETag (of the file's full path). */
function adler32(text: string): number {
  let a = 1;
  let b = 0;
  for (const byte of Buffer.from(text, "utf8")) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return (b * 65536 + a) >>> 0;
}

/** The voices of Kokoro v1.0's voice bank (`voices-v1.0.bin`), the keys the hub lists. */
export const KOKORO_VOICES = (
  "af_alloy af_aoede af_bella af_heart af_jessica af_kore af_nicole af_nova af_river af_sarah af_sky am_adam " +
  "am_echo am_eric am_fenrir am_liam am_michael am_onyx am_puck am_santa bf_alice bf_emma bf_isabella bf_lily " +
  "bm_daniel bm_fable bm_george bm_lewis ef_dora em_alex em_santa ff_siwis hf_alpha hf_beta hm_omega hm_psi " +
  "if_sara im_nicola jf_alpha jf_gongitsune jf_nezumi jf_tebukuro jm_kumo pf_dora pm_alex pm_santa zf_xiaobei " +
  "zf_xiaoni zf_xiaoxiao zf_xiaoyi zm_yunjian zm_yunxi zm_yunxia zm_yunyang"
).split(" ");

const FLAG_US = "\u{1f1fa}\u{1f1f8}";
const FLAG_UK = "\u{1f1ec}\u{1f1e7}";
const FLAG_WORLD = "\u{1f310}";
const ACCENTS: Record<string, { flag: string; label: string }> = {
  other: { flag: FLAG_WORLD, label: "Other" },
  uk_female: { flag: FLAG_UK, label: "UK \u00b7 Female" },
  uk_male: { flag: FLAG_UK, label: "UK \u00b7 Male" },
  us: { flag: FLAG_US, label: "USA" },
  us_female: { flag: FLAG_US, label: "USA \u00b7 Female" },
  us_male: { flag: FLAG_US, label: "USA \u00b7 Male" },
};
const FAMILIES: Record<string, { flag: string; label: string }> = {
  other: { flag: FLAG_WORLD, label: "Other" },
  uk: { flag: FLAG_UK, label: "UK" },
  us: { flag: FLAG_US, label: "USA" },
};
/** The hub's locale rule, wrong outside English as the real one is: these prefixes get `en-us`, the rest null. */
const EN_US_PREFIXES = new Set(["af", "am", "bf", "ef", "hf", "if", "jf", "pf"]);

interface VoiceRow {
  id: string;
  gender: "female" | "male" | null;
  locale: string | null;
  accent: string;
}

function voiceRow(id: string): VoiceRow {
  const prefix = id.slice(0, 2);
  const locale = EN_US_PREFIXES.has(prefix) ? "en-us" : null;
  const accent =
    { af: "us_female", am: "us_male", bf: "uk_female", bm: "uk_male" }[prefix] ?? (locale ? "us" : "other");
  const gender = id[1] === "f" ? "female" : id[1] === "m" ? "male" : null;
  return { id, gender, locale, accent };
}

function accentOf(id: string) {
  const { accent } = voiceRow(id);
  return { flag: ACCENTS[accent]!.flag, id: accent, label: ACCENTS[accent]!.label };
}

function accentGroups(ids: string[]) {
  const groups = new Map<string, string[]>();
  for (const id of ids) {
    const { accent } = voiceRow(id);
    groups.set(accent, [...(groups.get(accent) ?? []), id]);
  }
  return [...groups.keys()].sort().map((id) => ({
    count: groups.get(id)!.length,
    flag: ACCENTS[id]!.flag,
    id,
    label: ACCENTS[id]!.label,
    voices: groups.get(id)!.sort(),
  }));
}

function countBy<T>(items: T[], key: (item: T) => string): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
}

const ESPEAK_LANGUAGES = new Set(
  (
    "af am an ar as az ba be bg bn bpy bs ca cmn cs cy da de el en en-029 en-gb en-gb-scotland en-gb-x-gbclan " +
    "en-gb-x-gbcwmd en-gb-x-rp en-us eo es es-419 et eu fa fa-latn fi fr fr-be fr-ch fr-fr ga gd gn grc gu hak " +
    "haw he hi hr ht hu hy hyw ia id io is it ja jbo ka kk kl kn ko kok ku ky la lfn lt lv mi mk ml mr ms mt my " +
    "nb nci ne nl om or pa pap pl pt pt-br py quc ro ru ru-lv sd shn si sk sl sq sr sv sw ta te tn tr tt ur uz " +
    "vi vi-vn-x-central vi-vn-x-south yue"
  ).split(" "),
);
const TTS_ENGINES = ["kokoro", "xtts", "openvoice", "chattts"];
const STUB_NOTE = "STT engine unavailable; returning stub for UI development.";
const STAND_IN_WORDS: Array<[string, number]> = [
  ["Hello", 0.99],
  ["from", 0.96],
  ["a", 0.93],
  ["voice", 0.9],
  ["note.", 0.99],
];
