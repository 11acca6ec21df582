/**
 * The fake hub, in front of the fake Ollama, must send the bytes the real hub sent (test/fixtures/hub): same
 * status line, same header block in the same order, same body, and the same missing chunked terminator where the
 * real hub cut the connection. Both clocks are injected from the fixture, so nothing but the Ollama port (inside
 * error texts) needs normalising.
 */
import { readdirSync, readFileSync } from "node:fs";
import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeHub, type FakeHubOptions, type FakeSpeech, startFakeHub } from "./hub.js";
import { type FakeOllama, type FakeOllamaOptions, startFakeOllama } from "./ollama.js";
import { parseResponse, type RawResponse, rawRequest } from "./raw-http.js";

const FIXTURES = new URL("../fixtures/hub/", import.meta.url);
const FIXTURE_PORT = "17434";

interface FixtureCase {
  name: string;
  method: "GET" | "POST";
  path: string;
  /** JSON-encoded unless already a string. */
  body?: unknown;
  /** Ollama state the fixture was captured in. */
  setup?: (ollama: FakeOllama) => Promise<void>;
}

const chat = (model: string, content: string, extra: object = {}) => ({
  model,
  messages: [{ role: "user", content }],
  ...extra,
});

async function pullNew(ollama: FakeOllama): Promise<void> {
  const res = await fetch(`${ollama.url}/api/pull`, {
    method: "POST",
    body: '{"model":"new:1b","stream":false}',
  });
  expect(res.status).toBe(200);
}

const CASES: FixtureCase[] = [
  {
    name: "bad-json",
    method: "POST",
    path: "/api/ollama/chat",
    body: '{"model": "tiny:latest", "messages": [',
  },
  {
    name: "chat-error-midstream",
    method: "POST",
    path: "/api/ollama/chat",
    body: chat("crash:latest", "hello", { stream: true }),
  },
  {
    name: "chat-missing-model-nonstream",
    method: "POST",
    path: "/api/ollama/chat",
    body: chat("missing:latest", "hello"),
  },
  {
    name: "chat-missing-model-stream",
    method: "POST",
    path: "/api/ollama/chat",
    body: chat("missing:latest", "hello", { stream: true }),
  },
  {
    name: "chat-think-stream",
    method: "POST",
    path: "/api/ollama/chat",
    body: chat("think:latest", "why?", { stream: true }),
  },
  {
    name: "chat-tiny-nonstream",
    method: "POST",
    path: "/api/ollama/chat",
    body: chat("tiny:latest", "hello"),
  },
  {
    name: "chat-tiny-stream",
    method: "POST",
    path: "/api/ollama/chat",
    body: chat("tiny:latest", "Stream one line", { stream: true }),
  },
  {
    name: "chat-unicode-stream",
    method: "POST",
    path: "/api/ollama/chat",
    body: chat("unicode:latest", "hello", { stream: true }),
  },
  {
    name: "chat-upstream-cut",
    method: "POST",
    path: "/api/ollama/chat",
    body: chat("cut:latest", "hello", { stream: true }),
  },
  { name: "delete-existing", method: "POST", path: "/api/ollama/delete", body: { model: "tiny:latest" } },
  { name: "delete-missing", method: "GET", path: "/api/ollama/delete?name=missing:latest" },
  {
    name: "generate-tiny-nonstream",
    method: "POST",
    path: "/api/ollama/generate",
    body: { model: "tiny:latest", prompt: "hello" },
  },
  {
    name: "generate-tiny-stream",
    method: "POST",
    path: "/api/ollama/generate",
    body: { model: "tiny:latest", prompt: "Stream one line", stream: true },
  },
  { name: "health", method: "GET", path: "/health" },
  { name: "ps", method: "GET", path: "/api/ollama/ps" },
  { name: "pull-missing-name", method: "POST", path: "/api/ollama/pull", body: {} },
  { name: "pull-success-stream", method: "POST", path: "/api/ollama/pull", body: { model: "new:1b" } },
  { name: "pull-unknown-stream", method: "POST", path: "/api/ollama/pull", body: { model: "nope:1b" } },
  { name: "show-get", method: "GET", path: "/api/ollama/show?model=tiny:latest" },
  { name: "show-missing", method: "POST", path: "/api/ollama/show", body: { model: "missing:latest" } },
  { name: "tags", method: "GET", path: "/api/ollama/tags", setup: pullNew },
];

/** The two cases where the real hub dropped the connection mid-body. */
const CUT = new Set(["chat-upstream-cut", "chat-missing-model-stream"]);

function fixture(name: string) {
  const head = readFileSync(new URL(`${name}.headers`, FIXTURES), "latin1");
  const body = readFileSync(new URL(`${name}.body`, FIXTURES));
  const date = new Date(/^Date: (.+)\r$/m.exec(head)![1]!);
  const stamps = [...body.toString("utf8").matchAll(/"created_at":"([^"]+)"/g)].map((m) => new Date(m[1]!));
  return { head, body, date, stamps };
}

const running: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

async function start(ollamaOpts: FakeOllamaOptions = {}, hubOpts: Partial<FakeHubOptions> = {}) {
  const ollama = await startFakeOllama(ollamaOpts);
  const hub = await startFakeHub({ ollamaUrl: ollama.url, ...hubOpts });
  running.push(hub, ollama);
  return { ollama, hub };
}

function send(hub: FakeHub, method: string, path: string, body?: unknown) {
  if (body === undefined) return rawRequest(hub.origin, method, path);
  return rawRequest(hub.origin, method, path, {
    body: typeof body === "string" ? body : JSON.stringify(body),
    headers: { "Content-Type": "application/json" },
  });
}

const withFixturePort = (text: string) => text.replace(/127\.0\.0\.1:\d+/g, `127.0.0.1:${FIXTURE_PORT}`);

describe("fake hub against the real hub's fixtures", () => {
  it.each(CASES)("$name: same status, headers and body bytes", async (c) => {
    const fx = fixture(c.name);
    let stamp = 0;
    const { ollama, hub } = await start({ now: () => fx.stamps[stamp++] ?? fx.date }, { now: () => fx.date });
    await c.setup?.(ollama);

    const res = await send(hub, c.method, c.path, c.body);

    // Bodies are ASCII (repr and jsonify escape the rest), so latin1 compares bytes with a readable diff.
    const body = withFixturePort(res.body.toString("latin1"));
    expect(body).toBe(fx.body.toString("latin1"));
    const sentLength = /^Content-Length: (\d+)\r$/m.exec(res.head)?.[1];
    if (sentLength !== undefined) expect(Number(sentLength)).toBe(res.body.length);
    const head = res.head.replace(/^Content-Length: \d+\r$/m, `Content-Length: ${body.length}\r`);
    expect(head.split("\r\n")).toEqual(fx.head.split("\r\n"));
    expect(stamp).toBe(fx.stamps.length);
  });

  it.each(CASES.filter((c) => /^Transfer-Encoding: chunked/m.test(fixture(c.name).head)))(
    "$name: chunked terminator present exactly when the real hub did not cut the connection",
    async (c) => {
      const { hub } = await start();
      const res = await send(hub, c.method, c.path, c.body);
      expect(res.terminated).toBe(!CUT.has(c.name));
    },
  );
});

describe("fake hub behaviour beyond the fixtures", () => {
  it("serves the same routes without the /api prefix, and /health only at the root", async () => {
    const { hub } = await start({}, { now: () => new Date(0) });
    const withPrefix = await send(hub, "GET", "/api/ollama/tags");
    const without = await send(hub, "GET", "/ollama/tags");
    expect(without.head).toBe(withPrefix.head);
    expect(without.body.equals(withPrefix.body)).toBe(true);
    // The hub's catch-all answers an unknown path under its prefix with JSON (hub-media's `api-health`).
    const health = await send(hub, "GET", "/api/health");
    expect(health.head).toMatch(/^HTTP\/1\.1 404 NOT FOUND\r\n/);
    expect(health.body.toString()).toBe('{"error":"Not found"}\n');
  });

  it("answers a wrong method with Werkzeug's 405", async () => {
    const { hub } = await start();
    const res = await send(hub, "GET", "/api/ollama/chat");
    expect(res.head).toMatch(/^HTTP\/1\.1 405 METHOD NOT ALLOWED\r\n/);
    expect(res.head).toContain("Allow: POST\r\n");
  });

  it("treats a body without a JSON Content-Type as bad JSON, as Werkzeug 2.2's get_json does", async () => {
    const { hub } = await start();
    const res = await rawRequest(hub.origin, "POST", "/api/ollama/chat", {
      body: JSON.stringify(chat("tiny:latest", "hi")),
      headers: { "Content-Type": "text/plain" },
    });
    expect(res.head).toMatch(/^HTTP\/1\.1 500 INTERNAL SERVER ERROR\r\n/);
    expect(res.body.toString()).toBe(fixture("bad-json").body.toString());
  });

  it("really deletes an existing model although it answers 503", async () => {
    const { ollama, hub } = await start();
    const res = await send(hub, "POST", "/api/ollama/delete", { model: "tiny:latest" });
    expect(res.head).toMatch(/^HTTP\/1\.1 503 /);
    expect(ollama.models.map((m) => m.name)).not.toContain("tiny:latest");
    expect(ollama.requests.at(-1)).toMatchObject({
      method: "DELETE",
      path: "/api/delete",
      body: { name: "tiny:latest" },
    });
  });

  it("reports a missing model as deleted when the ollama CLI fallback is available", async () => {
    const { hub } = await start({}, { ollamaCli: true });
    const res = await send(hub, "GET", "/api/ollama/delete?model=missing:latest");
    expect(res.head).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(res.body.toString()).toBe('{"note":"already missing","source":"cli","status":"deleted"}\n');
  });

  it("forces stream:false upstream unless the body says stream:true, and passes the body through", async () => {
    const { ollama, hub } = await start();
    await send(hub, "POST", "/api/ollama/chat", chat("tiny:latest", "a", { options: { seed: 1 } }));
    await send(hub, "POST", "/api/ollama/chat", chat("tiny:latest", "b", { stream: true }));
    expect(ollama.requests.map((r) => r.body)).toEqual([
      chat("tiny:latest", "a", { options: { seed: 1 }, stream: false }),
      chat("tiny:latest", "b", { stream: true }),
    ]);
  });

  it("escapes non-ASCII in non-stream replies as jsonify does", async () => {
    const { hub } = await start();
    const res = await send(hub, "POST", "/api/ollama/chat", chat("unicode:latest", "x"));
    const text = res.body.toString("latin1");
    expect(text).toContain(
      '"content":"Gr\\u00fc\\u00dfe aus Z\\u00fcrich \\u2014 \\u65e5\\u672c\\u8a9e \\ud83d\\ude00',
    );
    expect(text).toContain('it\'s \\"quoted\\" back\\\\slash\\ntab\\there');
    expect(JSON.parse(text).message.content).toBe(
      'Grüße aus Zürich — 日本語 😀 «ok» it\'s "quoted" back\\slash\ntab\there',
    );
  });

  it("turns an upstream 500 into a 503 with requests' Server Error text", async () => {
    const { ollama, hub } = await start();
    const res = await send(hub, "POST", "/api/ollama/chat", chat("crash:latest", "x"));
    expect(res.head).toMatch(/^HTTP\/1\.1 503 SERVICE UNAVAILABLE\r\n/);
    expect(res.body.toString()).toBe(
      `{"error":"Ollama /chat failed: 500 Server Error: Internal Server Error for url: ${ollama.url}/api/chat","status":503}\n`,
    );
  });

  it("answers 503 with urllib3's connection-refused text when Ollama is down", async () => {
    const { ollama, hub } = await start();
    await ollama.setDown(true);
    const res = await send(hub, "GET", "/api/ollama/tags");
    expect(res.head).toMatch(/^HTTP\/1\.1 503 SERVICE UNAVAILABLE\r\n/);
    const { error } = JSON.parse(res.body.toString()) as { error: string };
    expect(error).toMatch(
      new RegExp(
        `^Ollama /tags failed: HTTPConnectionPool\\(host='127\\.0\\.0\\.1', port=${ollama.port}\\): ` +
          "Max retries exceeded with url: /api/tags \\(Caused by NewConnectionError\\(" +
          "'<urllib3\\.connection\\.HTTPConnection object at 0x[0-9a-f]+>: " +
          "Failed to establish a new connection: \\[Errno 111\\] Connection refused'\\)\\)$",
      ),
    );
    await ollama.setDown(false);
    expect((await send(hub, "GET", "/api/ollama/tags")).head).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
  });

  it("sends starting and then cuts a stream when Ollama is down", async () => {
    const { ollama, hub } = await start();
    await ollama.setDown(true);
    const res = await send(hub, "POST", "/api/ollama/generate", {
      model: "tiny:latest",
      prompt: "x",
      stream: true,
    });
    expect(res.body.toString()).toBe('data: {"status":"starting"}\n\n');
    expect(res.terminated).toBe(false);
  });

  it("gives up a non-stream call after its read timeout with requests' text", async () => {
    const { ollama, hub } = await start({ slowFirstChunkMs: 5_000 }, { timeoutsMs: { chat: 200 } });
    const res = await send(hub, "POST", "/api/ollama/chat", chat("slow:latest", "x"));
    expect(res.body.toString()).toBe(
      `{"error":"Ollama /chat failed: HTTPConnectionPool(host='127.0.0.1', port=${ollama.port}): ` +
        'Read timed out. (read timeout=0.2)","status":503}\n',
    );
  });

  it("can refuse, drop or ignore connections itself", async () => {
    const { hub } = await start();
    await hub.setFault("refuse");
    await expect(send(hub, "GET", "/health")).rejects.toMatchObject({ code: "ECONNREFUSED" });
    await hub.setFault("reset");
    await expect(send(hub, "GET", "/health")).rejects.toThrow(/no complete header block/);
    await hub.setFault("stall");
    const stalled = send(hub, "GET", "/health");
    await expect.poll(() => hub.requests.length).toBe(1);
    await hub.setFault(null);
    expect((await send(hub, "GET", "/health")).body.toString()).toBe('{"status":"ok"}\n');
    await hub.close();
    await expect(stalled).rejects.toThrow(/no complete header block/);
  });
});

// --- Speech (test/fixtures/hub-media) -----------------------------------------------------------------------------

const MEDIA = new URL("../fixtures/hub-media/", import.meta.url);
const input = (name: string) => readFileSync(new URL(name, MEDIA));

/** The hub set-ups of the capture (its README's sections), each with the paths it printed. */
const SETUPS: Record<string, Partial<FakeSpeech>> = {
  full: {},
  nomodel: { kokoro: "no-model", stt: "stub", root: "/tmp/tts-hub-media/nomodel" },
  novoices: { kokoro: "no-voices", stt: "strict", root: "/tmp/tts-hub-media/novoices" },
  stterror: { stt: "error" },
  noffmpeg: { ffmpeg: false },
};

type Body =
  | { json: unknown }
  | { text: string; contentType?: string }
  | { file: string; type: string; filename?: string; field?: string };

interface MediaCase {
  name: string;
  method: "GET" | "POST";
  /** A path, or one made from the answer of `after` (the clip or upload it refers to). */
  path: string | ((previous: unknown) => string);
  body?: Body;
  headers?: Record<string, string>;
  setup?: keyof typeof SETUPS;
  /** The case whose request makes what this one fetches. */
  after?: string;
}

const ogg: Body = { file: "input-voice.ogg", type: "audio/ogg" };
const clipOf = (reply: unknown) => (reply as { path: string }).path;
const synthOk = { json: { text: "Hello from the hub.", voice: "af_heart" } };
const hello = (extra: object) => ({ json: { text: "Hello.", voice: "af_heart", ...extra } });

const MEDIA_CASES: MediaCase[] = [
  { name: "meta", method: "GET", path: "/api/meta" },
  { name: "voices", method: "GET", path: "/api/voices" },
  { name: "voices-kokoro", method: "GET", path: "/api/voices?engine=kokoro" },
  { name: "voices-xtts", method: "GET", path: "/api/voices?engine=xtts" },
  { name: "voices-unknown-engine", method: "GET", path: "/api/voices?engine=nope" },
  { name: "voices-grouped", method: "GET", path: "/api/voices_grouped" },
  { name: "voices-catalog", method: "GET", path: "/api/voices_catalog" },
  { name: "synth-ok", method: "POST", path: "/api/synthesise", body: synthOk },
  {
    name: "synth-options",
    method: "POST",
    path: "/api/synthesise",
    body: {
      json: {
        text: "Testing one two three.",
        voice: "bm_george",
        language: "en-GB",
        speed: 1.25,
        trimSilence: false,
      },
    },
  },
  {
    name: "synth-format-mp3",
    method: "POST",
    path: "/api/synthesise",
    body: { json: { ...synthOk.json, format: "mp3" } },
  },
  {
    name: "synth-format-ogg",
    method: "POST",
    path: "/api/synthesise",
    body: { json: { ...synthOk.json, format: "ogg" } },
  },
  {
    name: "synth-unicode",
    method: "POST",
    path: "/api/synthesise",
    body: { json: { text: "Grüße aus Zürich 😀", voice: "ff_siwis", language: "fr-fr" } },
  },
  {
    name: "synthesize-alias",
    method: "POST",
    path: "/api/synthesize",
    body: { json: { text: "Hello.", voice: "am_adam" } },
  },
  {
    name: "synth-no-prefix",
    method: "POST",
    path: "/synthesise",
    body: { json: { text: "Hello.", voice: "am_adam" } },
  },
  {
    name: "synth-unknown-voice",
    method: "POST",
    path: "/api/synthesise",
    body: { json: { text: "Hello from the hub.", voice: "xx_nobody" } },
  },
  {
    name: "synth-empty-text",
    method: "POST",
    path: "/api/synthesise",
    body: { json: { text: "", voice: "af_heart" } },
  },
  {
    name: "synth-blank-text",
    method: "POST",
    path: "/api/synthesise",
    body: { json: { text: "   ", voice: "af_heart" } },
  },
  {
    name: "synth-missing-voice",
    method: "POST",
    path: "/api/synthesise",
    body: { json: { text: "Hello from the hub." } },
  },
  { name: "synth-missing-body", method: "POST", path: "/api/synthesise" },
  {
    name: "synth-missing-body-json",
    method: "POST",
    path: "/api/synthesise",
    headers: { "Content-Type": "application/json" },
  },
  {
    name: "synth-bad-json",
    method: "POST",
    path: "/api/synthesise",
    body: { text: '{"text": "Hello",', contentType: "application/json" },
  },
  {
    name: "synth-bad-json-no-ct",
    method: "POST",
    path: "/api/synthesise",
    body: { text: '{"text": "Hello",' },
  },
  {
    name: "synth-not-object",
    method: "POST",
    path: "/api/synthesise",
    body: { json: ["Hello from the hub."] },
  },
  { name: "synth-bad-speed", method: "POST", path: "/api/synthesise", body: hello({ speed: "fast" }) },
  { name: "synth-speed-out-of-range", method: "POST", path: "/api/synthesise", body: hello({ speed: 3 }) },
  {
    name: "synth-unknown-language",
    method: "POST",
    path: "/api/synthesise",
    body: hello({ language: "xx-yy" }),
  },
  { name: "synth-unknown-engine", method: "POST", path: "/api/synthesise", body: hello({ engine: "nope" }) },
  {
    name: "synth-engine-unavailable",
    method: "POST",
    path: "/api/synthesise",
    body: hello({ engine: "xtts" }),
  },
  { name: "audio-wav", method: "GET", path: clipOf, after: "synth-ok" },
  { name: "audio-range", method: "GET", path: clipOf, after: "synth-ok", headers: { Range: "bytes=0-43" } },
  { name: "audio-missing", method: "GET", path: "/audio/1700000000-0000000000-af_heart.wav" },
  { name: "audio-under-api", method: "GET", path: "/api/audio/1700000000-0000000000-af_heart.wav" },
  { name: "transcribe-ogg", method: "POST", path: "/api/media/transcribe", body: ogg },
  {
    name: "transcribe-ogg-audio",
    method: "GET",
    path: (reply) => (reply as { media: { audio_url: string } }).media.audio_url,
    after: "transcribe-ogg",
  },
  {
    name: "transcribe-mp3",
    method: "POST",
    path: "/api/media/transcribe",
    body: { file: "input-voice.mp3", type: "audio/mpeg" },
  },
  {
    name: "transcribe-oga",
    method: "POST",
    path: "/api/media/transcribe",
    body: { ...ogg, filename: "file_7.oga" },
  },
  {
    name: "transcribe-wav",
    method: "POST",
    path: "/api/media/transcribe",
    body: { file: "input-voice.wav", type: "audio/wav" },
  },
  {
    name: "transcribe-blob-name",
    method: "POST",
    path: "/api/media/transcribe",
    body: { file: "input-voice.ogg", filename: "blob", type: "application/octet-stream" },
  },
  {
    name: "transcribe-silence",
    method: "POST",
    path: "/api/media/transcribe",
    body: { file: "input-silence.ogg", type: "audio/ogg" },
  },
  {
    name: "transcribe-no-file",
    method: "POST",
    path: "/api/media/transcribe",
    body: { ...ogg, field: "audio" },
  },
  {
    name: "transcribe-not-audio",
    method: "POST",
    path: "/api/media/transcribe",
    body: { file: "input-notes.txt", type: "text/plain" },
  },
  {
    name: "transcribe-json-body",
    method: "POST",
    path: "/api/media/transcribe",
    body: { json: { url: "https://example.com/voice.ogg" } },
  },
  { name: "transcribe-no-body", method: "POST", path: "/api/media/transcribe" },
  {
    name: "transcribe-no-body-json",
    method: "POST",
    path: "/api/media/transcribe",
    headers: { "Content-Type": "application/json" },
  },
  {
    name: "transcribe-youtube",
    method: "POST",
    path: "/api/media/transcribe",
    body: { json: { source: "youtube", url: "https://youtu.be/dQw4w9WgXcQ" } },
  },
  { name: "transcribe-no-prefix", method: "POST", path: "/media/transcribe", body: ogg },
  {
    name: "voices-preview",
    method: "POST",
    path: "/api/voices/preview",
    body: { json: { voiceId: "af_heart" } },
  },
  { name: "api-health", method: "GET", path: "/api/health" },
  { name: "nomodel-meta", method: "GET", path: "/api/meta", setup: "nomodel" },
  { name: "nomodel-voices", method: "GET", path: "/api/voices", setup: "nomodel" },
  { name: "nomodel-voices-catalog", method: "GET", path: "/api/voices_catalog", setup: "nomodel" },
  { name: "nomodel-synth", method: "POST", path: "/api/synthesise", body: synthOk, setup: "nomodel" },
  { name: "nostt-transcribe", method: "POST", path: "/api/media/transcribe", body: ogg, setup: "nomodel" },
  { name: "novoices-meta", method: "GET", path: "/api/meta", setup: "novoices" },
  { name: "novoices-voices", method: "GET", path: "/api/voices", setup: "novoices" },
  { name: "novoices-voices-catalog", method: "GET", path: "/api/voices_catalog", setup: "novoices" },
  { name: "novoices-synth", method: "POST", path: "/api/synthesise", body: synthOk, setup: "novoices" },
  {
    name: "nostt-strict-transcribe",
    method: "POST",
    path: "/api/media/transcribe",
    body: ogg,
    setup: "novoices",
  },
  { name: "stt-engine-error", method: "POST", path: "/api/media/transcribe", body: ogg, setup: "stterror" },
  {
    name: "noffmpeg-transcribe",
    method: "POST",
    path: "/api/media/transcribe",
    body: ogg,
    setup: "noffmpeg",
  },
];

/** curl's `-F 'file=@FILE;type=TYPE'`: one part, named `file` unless said otherwise. */
function multipart(b: Extract<Body, { file: string }>): { bytes: Buffer; contentType: string } {
  const boundary = "------------------------d74496d66958873e";
  const head =
    `--${boundary}\r\nContent-Disposition: form-data; name="${b.field ?? "file"}"; filename="${b.filename ?? b.file}"\r\n` +
    `Content-Type: ${b.type}\r\n\r\n`;
  return {
    bytes: Buffer.concat([Buffer.from(head), input(b.file), Buffer.from(`\r\n--${boundary}--\r\n`)]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

/** One exchange over a bare socket with a binary body (rawRequest sends text). */
async function rawSend(
  origin: string,
  method: string,
  path: string,
  body: Buffer | undefined,
  headers: Record<string, string>,
): Promise<RawResponse> {
  const url = new URL(origin);
  const all: Record<string, string> = { Host: url.host, Connection: "close", ...headers };
  if (body) all["Content-Length"] = String(body.length);
  const socket = connect(Number(url.port), url.hostname);
  socket.write(
    `${method} ${path} HTTP/1.1\r\n${Object.entries(all)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join("")}\r\n`,
  );
  if (body) socket.write(body);
  const chunks: Buffer[] = [];
  socket.on("data", (chunk: Buffer) => chunks.push(chunk));
  await new Promise<void>((resolve, reject) => {
    socket.on("close", () => resolve());
    socket.on("error", reject);
  });
  return parseResponse(Buffer.concat(chunks));
}

function sendCase(hub: FakeHub, c: MediaCase, path: string): Promise<RawResponse> {
  const headers = { ...c.headers };
  let body: Buffer | undefined;
  const b = c.body;
  if (b && "json" in b) {
    body = Buffer.from(JSON.stringify(b.json));
    headers["Content-Type"] = "application/json";
  } else if (b && "text" in b) {
    body = Buffer.from(b.text);
    if (b.contentType) headers["Content-Type"] = b.contentType;
  } else if (b) {
    const m = multipart(b);
    body = m.bytes;
    headers["Content-Type"] = m.contentType;
  }
  return rawSend(hub.origin, c.method, path, body, headers);
}

function mediaFixture(name: string) {
  const head = readFileSync(new URL(`${name}.headers`, MEDIA), "latin1");
  const body = readFileSync(new URL(`${name}.body`, MEDIA));
  const date = new Date(/^Date: (.+)\r$/m.exec(head)![1]!);
  const modified = /^Last-Modified: (.+)\r$/m.exec(head)?.[1];
  return { head, body, date, modified: modified === undefined ? undefined : new Date(modified) };
}

/**
 * What differs on every run of the real hub and is not injected into the fake: the timings of a transcription
 * (`stats.elapsed`, `stats.rtf`), the fractional mtime in the ETag, and the port in meta. Both sides get the same
 * placeholders; Content-Length is checked against the real body first, then follows the normalised one.
 */
function normalise(head: string, body: string) {
  const text = body
    .replace(/"elapsed":\d+\.\d+(?:e-\d+)?,"rtf":\d+\.\d+(?:e[+-]\d+)?/g, '"elapsed":<s>,"rtf":<x>')
    .replace(/"port":\d+/g, '"port":<port>')
    .replace(/127\.0\.0\.1:\d+\/api/g, "127.0.0.1:<port>/api");
  const lines = head
    .replace(/^ETag: "\d+\.\d+-/m, 'ETag: "<mtime>-')
    .replace(/^Content-Length: \d+\r$/m, `Content-Length: ${Buffer.byteLength(text, "latin1")}\r`)
    .split("\r\n");
  return { lines, text };
}

/** The random hex the real hub drew, in the order the fake draws it: clip names (10 digits), job ids (12). */
function drawnHex(body: string): string[] {
  return [...body.matchAll(/\d{10}-([0-9a-f]{10})-|media_edits\/([0-9a-f]{12})\//g)]
    .map((m) => m[1] ?? m[2]!)
    .filter((x, i, all) => all.indexOf(x) === i);
}

describe("fake hub against the real hub's speech fixtures", () => {
  it.each(MEDIA_CASES)("$name: same status, headers and body bytes", async (c) => {
    const fx = mediaFixture(c.name);
    const before = c.after ? MEDIA_CASES.find((x) => x.name === c.after)! : undefined;
    const beforeFx = before ? mediaFixture(before.name) : undefined;
    const hex = drawnHex(`${beforeFx?.body.toString("latin1") ?? ""}${fx.body.toString("latin1")}`);
    let clock = fx.date;
    const opts: Partial<FakeHubOptions> = {
      now: () => clock,
      speech: SETUPS[c.setup ?? "full"],
      // A job whose id the answer does not show (it failed) draws one too.
      randomHex: (n) => {
        const next = hex.shift() ?? "f".repeat(n);
        expect(next.length).toBe(n);
        return next;
      },
    };
    // The capture's engines were stand-ins too: their samples (not the hub's WAV framing) are fed back.
    if (c.name.startsWith("audio-")) {
      const samples = input("audio-wav.body").subarray(44);
      opts.render = () =>
        new Int16Array(samples.buffer.slice(samples.byteOffset, samples.byteOffset + samples.length));
    }
    if (c.name === "transcribe-ogg-audio") {
      const samples = fx.body.subarray(78);
      opts.decode = () =>
        new Int16Array(samples.buffer.slice(samples.byteOffset, samples.byteOffset + samples.length));
    }
    const { hub } = await start({}, opts);

    let path = typeof c.path === "string" ? c.path : "";
    if (before && typeof c.path === "function") {
      // The file was written when the fixture says it was last modified, and fetched at its Date.
      clock = new Date((fx.modified ?? fx.date).getTime() + 500);
      const made = await sendCase(hub, before, before.path as string);
      path = c.path(JSON.parse(made.body.toString("utf8")));
      clock = fx.date;
    }
    const res = await sendCase(hub, c, path);

    const sentLength = /^Content-Length: (\d+)\r$/m.exec(res.head)?.[1];
    expect(Number(sentLength)).toBe(res.body.length);
    const ours = normalise(res.head, res.body.toString("latin1"));
    const real = normalise(fx.head, fx.body.toString("latin1"));
    if (/^Content-Type: audio\//m.test(fx.head)) expect(res.body.equals(fx.body)).toBe(true);
    else expect(ours.text).toBe(real.text);
    expect(ours.lines).toEqual(real.lines);
    expect(hex).toEqual([]);
  });

  it("has a case for every captured fixture", () => {
    const captured = readdirSync(MEDIA)
      .filter((f) => f.endsWith(".headers"))
      .map((f) => f.slice(0, -".headers".length));
    expect(MEDIA_CASES.map((c) => c.name).sort()).toEqual(captured.sort());
  });

  it("draws the per-run parts in the real hub's shape", async () => {
    const { hub } = await start();
    const synth = JSON.parse((await sendCase(hub, MEDIA_CASES[7]!, "/api/synthesise")).body.toString());
    expect(synth.filename).toMatch(/^\d{10}-[0-9a-f]{10}-af_heart\.wav$/);
    const heard = await sendCase(
      hub,
      MEDIA_CASES.find((c) => c.name === "transcribe-ogg")!,
      "/api/media/transcribe",
    );
    const text = heard.body.toString();
    expect(text).toMatch(/^\{"jobId":"[0-9a-f]{12}",/);
    expect(text).toMatch(/"stats":\{"elapsed":0\.2\d+,"rtf":9\.\d+,"segments":1,"words":5\}/);
    const audio = await rawRequest(hub.origin, "GET", JSON.parse(text).media.audio_url);
    expect(audio.head).toMatch(/^ETag: "\d+\.\d+-96078-\d+"\r$/m);
  });
});
