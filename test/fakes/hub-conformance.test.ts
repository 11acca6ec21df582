/**
 * The fake hub, in front of the fake Ollama, must send the bytes the real hub sent (test/fixtures/hub): same
 * status line, same header block in the same order, same body, and the same missing chunked terminator where the
 * real hub cut the connection. Both clocks are injected from the fixture, so nothing but the Ollama port (inside
 * error texts) needs normalising.
 */
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeHub, type FakeHubOptions, startFakeHub } from "./hub.js";
import { type FakeOllama, type FakeOllamaOptions, startFakeOllama } from "./ollama.js";
import { rawRequest } from "./raw-http.js";

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
    const health = await send(hub, "GET", "/api/health");
    expect(health.head).toMatch(/^HTTP\/1\.1 404 NOT FOUND\r\n/);
    expect(health.head).toContain("Content-Type: text/html; charset=utf-8\r\n");
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
