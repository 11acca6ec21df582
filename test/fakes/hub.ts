/**
 * A fake of the TTS hub (Flask 2.2 on Werkzeug 2.2.2, calling Ollama with Python `requests` 2.28) in front of an
 * Ollama URL, reproducing the bytes shared/hub-contract.md and test/fixtures/hub describe: Werkzeug's header
 * block, `jsonify`'s sorted ASCII-only JSON, the `data: b'...'` events, the 503 texts of Python exceptions, and
 * the connection cuts of a failing stream.
 */
import { createServer, type IncomingMessage, request, type ServerResponse } from "node:http";
import {
  cutConnection,
  Listener,
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
}

export interface FakeHub {
  /** What the bot calls TTSHUB_API_BASE, e.g. `http://127.0.0.1:40123/api`. */
  apiBase: string;
  /** The server root, e.g. `http://127.0.0.1:40123` (where `/health` lives). */
  origin: string;
  port: number;
  requests: RecordedRequest[];
  /** Makes the hub itself misbehave until called with `null`. */
  setFault(fault: HubFault | null): Promise<void>;
  close(): Promise<void>;
}

const SERVER = "Werkzeug/2.2.2 Python/3.11.2";
// Werkzeug writes the reason phrase in capitals.
const REASONS: Record<number, string> = {
  200: "OK",
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
    const name = /^(?:\/api)?\/ollama\/([a-z]+)$/.exec(rec.path)?.[1];
    const methods =
      name !== undefined && Object.hasOwn(ROUTE_METHODS, name) ? ROUTE_METHODS[name] : undefined;
    if (name === undefined || methods === undefined) return werkzeugError(res, 404);
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
