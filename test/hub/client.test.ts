import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  type ClientMode,
  type ClientOptions,
  HubAbortedError,
  HubError,
  HubHttpError,
  HubTimeoutError,
  HubUnreachableError,
  InvalidArgumentError,
  ModelNotFoundError,
  OllamaClient,
  OllamaUnavailableError,
  PayloadDecodeError,
  type PullEvent,
  type StreamEvent,
  StreamIncompleteError,
  UpstreamError,
} from "../../src/hub/index.js";
import { type FakeHub, startFakeHub } from "../fakes/hub.js";
import { type FakeOllama, startFakeOllama } from "../fakes/ollama.js";
import { ManualScheduler } from "../support/manual-scheduler.js";

let ollama: FakeOllama;
let hub: FakeHub;
const clients: OllamaClient[] = [];

beforeAll(async () => {
  ollama = await startFakeOllama({ longTokens: 400 });
  hub = await startFakeHub({ ollamaUrl: ollama.url });
});
afterAll(async () => {
  await hub.close();
  await ollama.close();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  ollama.settings.tokenDelayMs = 0;
  await hub.setFault(null);
});

function client(mode: ClientMode, extra: Partial<ClientOptions> = {}): OllamaClient {
  const c = new OllamaClient({
    mode,
    baseUrl: mode === "hub" ? hub.apiBase : ollama.url,
    retryBaseDelayMs: 1,
    ...extra,
  });
  clients.push(c);
  return c;
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const e of it) out.push(e);
  return out;
}

async function failure(p: Promise<unknown> | AsyncIterable<unknown>): Promise<HubError> {
  try {
    if (Symbol.asyncIterator in p) await collect(p as AsyncIterable<unknown>);
    else await p;
  } catch (err) {
    expect(err).toBeInstanceOf(HubError);
    return err as HubError;
  }
  throw new Error("expected the call to fail");
}

const text = (events: StreamEvent[], type: "content" | "thinking") =>
  events
    .filter((e) => e.type === type)
    .map((e) => (e as { text: string }).text)
    .join("");
const user = (content: string) => [{ role: "user" as const, content }];

describe.each<ClientMode>(["hub", "direct"])("%s mode", (mode) => {
  it("lists the installed models with their details", async () => {
    const models = await client(mode).listModels();
    expect(models.map((m) => m.name)).toEqual(expect.arrayContaining(["tiny:latest", "unicode:latest"]));
    const tiny = models.find((m) => m.name === "tiny:latest")!;
    expect(tiny.details.parameter_size).toBe("1.1B");
    expect(tiny.size).toBe(637700138);
  });

  it("lists the running models", async () => {
    const running = await client(mode).runningModels();
    // Models other tests used are loaded too (the fake loads on use, as Ollama does).
    const tiny = running.find((m) => m.name === "tiny:latest");
    expect(tiny?.size_vram).toBe(637700138);
  });

  it("shows a model, and says clearly when it is not installed", async () => {
    const info = await client(mode).showModel("tiny:latest");
    expect(info.capabilities).toEqual(["completion"]);
    const err = await failure(client(mode).showModel("missing:latest"));
    expect(err).toBeInstanceOf(ModelNotFoundError);
    expect(err.message).toContain('"missing:latest" is not installed');
  });

  it("streams a chat answer as deltas and ends with done, metrics and tokens/s", async () => {
    const events = await collect(
      client(mode).chatStream({ model: "tiny:latest", messages: user("Stream one line") }),
    );
    expect(text(events, "content")).toBe("You said: Stream one line");
    const done = events.at(-1)!;
    expect(done.type).toBe("done");
    if (done.type !== "done") return;
    expect(done.content).toBe("You said: Stream one line");
    expect(done.doneReason).toBe("stop");
    expect(done.stats.evalTokens).toBe(9);
    expect(done.stats.tokensPerSecond).toBeCloseTo(9 / 0.115959084, 3);
    expect(done.stats.totalMs).toBeCloseTo(182.242375, 6);
    expect(done.timings.firstTokenMs).toBeGreaterThanOrEqual(0);
    if (mode === "hub") expect(done.timings.firstEventMs).toBeLessThanOrEqual(done.timings.firstTokenMs!);
  });

  it("sends stream:true and stream:false explicitly (the hub and Ollama disagree on the default)", async () => {
    const before = ollama.requests.length;
    await collect(client(mode).chatStream({ model: "tiny:latest", messages: user("a") }));
    await client(mode).chat({ model: "tiny:latest", messages: user("b") });
    const sent = ollama.requests.slice(before).filter((r) => r.path === "/api/chat");
    expect(sent.map((r) => (r.body as { stream: boolean }).stream)).toEqual([true, false]);
  });

  it("decodes non-ASCII, quotes, backslashes, newline and tab exactly", async () => {
    const events = await collect(
      client(mode).chatStream({ model: "unicode:latest", messages: user("hello") }),
    );
    expect(text(events, "content")).toBe(
      'Grüße aus Zürich — 日本語 😀 «ok» it\'s "quoted" back\\slash\ntab\there',
    );
  });

  it("yields thinking apart from content for thinking models", async () => {
    const events = await collect(client(mode).chatStream({ model: "think:latest", messages: user("why?") }));
    expect(text(events, "thinking")).toBe("Let me think.");
    expect(text(events, "content")).toBe("You said: why?");
    expect(events.findIndex((e) => e.type === "content")).toBeGreaterThan(
      events.findIndex((e) => e.type === "thinking"),
    );
    const done = events.at(-1);
    expect(done?.type === "done" && done.thinking).toBe("Let me think.");
  });

  it("turns an error event mid-stream into UpstreamError carrying the text so far", async () => {
    const err = await failure(client(mode).chatStream({ model: "crash:latest", messages: user("hello") }));
    expect(err).toBeInstanceOf(UpstreamError);
    expect((err as UpstreamError).upstreamError).toBe("an error was encountered while running the model");
    expect(err.partial).toEqual({ content: "You said:", thinking: "" });
  });

  it("reports a connection cut mid-stream as STREAM_INCOMPLETE with the text so far, and does not re-send", async () => {
    const before = ollama.requests.filter((r) => r.path === "/api/chat").length;
    const err = await failure(client(mode).chatStream({ model: "cut:latest", messages: user("hello") }));
    expect(err).toBeInstanceOf(StreamIncompleteError);
    expect((err as StreamIncompleteError).how).toBe("cut");
    expect(err.partial?.content).toBe("You said:");
    expect(ollama.requests.filter((r) => r.path === "/api/chat").length - before).toBe(1);
  });

  it("recognises a missing model on a streamed chat", async () => {
    const err = await failure(client(mode).chatStream({ model: "missing:latest", messages: user("hello") }));
    expect(err).toBeInstanceOf(ModelNotFoundError);
    expect((err as ModelNotFoundError).model).toBe("missing:latest");
    expect((err as ModelNotFoundError).where).toBe("local");
  });

  it("answers a one-shot chat and generate, and recognises a missing model there too", async () => {
    const c = client(mode);
    const reply = await c.chat({ model: "tiny:latest", messages: user("hello") });
    expect(reply.content).toBe("You said: hello");
    expect(reply.stats.evalTokens).toBe(5);
    const gen = await c.generate({ model: "tiny:latest", prompt: "hello" });
    expect(gen.content).toBe("You said: hello");
    expect(await failure(c.chat({ model: "missing:latest", messages: user("x") }))).toBeInstanceOf(
      ModelNotFoundError,
    );
  });

  it("streams generate", async () => {
    const events = await collect(
      client(mode).generateStream({ model: "tiny:latest", prompt: "Stream one line" }),
    );
    expect(text(events, "content")).toBe("You said: Stream one line");
    expect(events.at(-1)?.type).toBe("done");
  });

  it("pulls with progress (bytes, total, percent) until success, and the model is then installed", async () => {
    const c = client(mode);
    const name = `new:1b`;
    if (await c.hasModel(name)) await c.deleteModel(name);
    const events = await collect(c.pull(name));
    const progress = events.filter(
      (e): e is Extract<PullEvent, { type: "progress" }> => e.type === "progress",
    );
    expect(progress[0]!.status).toBe("pulling manifest");
    expect(progress.filter((e) => e.percent !== undefined).map((e) => e.percent)).toEqual([25, 50, 75, 100]);
    expect(progress.find((e) => e.total !== undefined)?.total).toBe(1_000_000);
    expect(events.at(-1)).toEqual({ type: "success" });
    expect(await c.hasModel(name)).toBe(true);
  });

  it("says a model to pull does not exist in the registry", async () => {
    const err = await failure(client(mode).pull("nope:1b"));
    expect(err).toBeInstanceOf(ModelNotFoundError);
    expect((err as ModelNotFoundError).where).toBe("registry");
    await expect(client(mode).pullOnce("nope:1b")).rejects.toBeInstanceOf(ModelNotFoundError);
  });

  it("refuses an empty model name before sending anything", async () => {
    expect(await failure(client(mode).pull(" "))).toBeInstanceOf(InvalidArgumentError);
  });

  it("deletes truthfully: success is confirmed against the model list, a missing model is reported", async () => {
    const c = client(mode);
    if (!(await c.hasModel("new:1b"))) await c.pullOnce("new:1b");
    // The real hub answers 503 after a successful delete; the client must still report success.
    await expect(c.deleteModel("new:1b")).resolves.toEqual({ model: "new:1b", deleted: true });
    expect(await c.hasModel("new:1b")).toBe(false);
    const err = await failure(c.deleteModel("new:1b"));
    expect(err).toBeInstanceOf(ModelNotFoundError);
  });

  it("checks health", async () => {
    const h = await client(mode).health();
    expect(h.ok).toBe(true);
    expect(h.mode).toBe(mode);
    if (mode === "direct") expect(h.version).toMatch(/\d+\.\d+/);
  });

  it("aborts a stream mid-answer: HubAbortedError keeps the partial text, and the connection is closed", async () => {
    ollama.settings.tokenDelayMs = 2;
    const controller = new AbortController();
    const events: StreamEvent[] = [];
    const err = await failure(
      (async () => {
        for await (const e of client(mode).chatStream(
          { model: "long:latest", messages: user("go") },
          controller.signal,
        )) {
          events.push(e);
          if (events.length === 3) controller.abort();
        }
      })(),
    );
    expect(err).toBeInstanceOf(HubAbortedError);
    expect(err.partial?.content).toBe(text(events, "content"));
    expect(err.partial?.content.length).toBeGreaterThan(0);
  });

  it("times out a silent stream with the phase named, without waiting for real time", async () => {
    const scheduler = new ManualScheduler();
    const c = client(mode, { scheduler, idleTimeoutMs: 5_000, firstEventTimeoutMs: 7_000 });
    const pending = failure(c.chatStream({ model: "slow:latest", messages: user("hello") }));
    // The hub sends `starting` at once, then nothing while "loading": idle. Ollama sends nothing: first event.
    const phase = mode === "hub" ? "idle" : "first-event";
    await vi.waitFor(() => expect(scheduler.armed(phase)).toBeDefined());
    scheduler.fire(phase);
    const err = await pending;
    expect(err).toBeInstanceOf(HubTimeoutError);
    expect((err as HubTimeoutError).phase).toBe(phase);
    expect(err.message).toContain(mode === "hub" ? "5 s" : "7 s");
  });
});

describe("transport failures and retries", () => {
  let server: Server;
  let base: string;
  let handler: (req: IncomingMessage, res: ServerResponse) => void;
  let closedSockets = 0;

  beforeAll(async () => {
    server = createServer((req, res) => handler(req, res));
    server.on("connection", (s) => s.on("close", () => closedSockets++));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const sse = (res: ServerResponse, events: string[]) => {
    res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8" });
    for (const e of events) res.write(`data: ${e}\n\n`);
  };

  it("retries a read that failed before any byte came, then succeeds", async () => {
    let calls = 0;
    handler = (req, res) => {
      calls++;
      if (calls <= 2) req.socket.destroy();
      else res.end('{"models":[]}');
    };
    await expect(client("hub", { baseUrl: base }).listModels()).resolves.toEqual([]);
    expect(calls).toBe(3);
  });

  it("gives up after the configured retries with HUB_UNREACHABLE naming the hub and the setting to check", async () => {
    let calls = 0;
    handler = (req) => {
      calls++;
      req.socket.destroy();
    };
    const err = await failure(client("hub", { baseUrl: base, retries: 1 }).listModels());
    expect(err).toBeInstanceOf(HubUnreachableError);
    expect(err.message).toContain(base);
    expect(err.message).toContain("TTSHUB_API_BASE");
    expect(calls).toBe(2);
  });

  it("reports a closed port as unreachable", async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const err = await failure(
      client("direct", { baseUrl: `http://127.0.0.1:${port}`, retries: 0 }).chatStream({
        model: "m",
        messages: user("x"),
      }),
    );
    expect(err).toBeInstanceOf(HubUnreachableError);
    expect(err.message).toContain("OLLAMA_URL");
  });

  it("retries a stream refused with 503 before it started, but never after output began", async () => {
    let calls = 0;
    handler = (_req, res) => {
      calls++;
      if (calls === 1) {
        res.writeHead(503, { "content-type": "application/json" });
        res.end('{"error":"Ollama /chat failed: server busy","status":503}');
        return;
      }
      sse(res, ['{"status":"starting"}']);
      // Cut only once the content event has really left, as the hub does when Ollama drops mid-answer.
      res.write(`data: ${`b'{"message":{"content":"Hi"},"done":false}'`}\n\n`, () => res.socket?.destroy());
    };
    const err = await failure(
      client("hub", { baseUrl: base }).chatStream({ model: "m", messages: user("x") }),
    );
    expect(err).toBeInstanceOf(StreamIncompleteError);
    expect(err.partial?.content).toBe("Hi");
    expect(calls).toBe(2);
  });

  it("reports an HTTP error with the status and the hub's error text", async () => {
    handler = (_req, res) => {
      res.writeHead(500, { "content-type": "application/json" });
      res.end('{"error":"400 Bad Request: The browser (or proxy) sent a request","status":500}');
    };
    const err = await failure(client("hub", { baseUrl: base }).listModels());
    expect(err).toBeInstanceOf(HubHttpError);
    expect((err as HubHttpError).status).toBe(500);
    expect((err as HubHttpError).serverError).toContain("400 Bad Request");
  });

  it("says the hub is up but Ollama behind it is down", async () => {
    handler = (_req, res) => {
      res.writeHead(503, { "content-type": "application/json" });
      res.end(
        '{"error":"Ollama /tags failed: HTTPConnectionPool(host=\'127.0.0.1\', port=11434): Max retries exceeded (Caused by NewConnectionError(\'[Errno 111] Connection refused\'))","status":503}',
      );
    };
    const err = await failure(client("hub", { baseUrl: base, retries: 0 }).listModels());
    expect(err).toBeInstanceOf(OllamaUnavailableError);
    expect(err.code).toBe("OLLAMA_UNAVAILABLE");
    expect((err as OllamaUnavailableError).status).toBe(503);
    expect(err.message).toContain("cannot reach Ollama behind it");
  });

  it("says a wrong path on the hub's server is not the hub's API, never \"no models installed\"", async () => {
    handler = (_req, res) => {
      // The real hub answers any unknown GET path like this.
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"status":"ok"}');
    };
    const err = await failure(client("hub", { baseUrl: `${base}/API`, retries: 0 }).listModels());
    expect(err.code).toBe("BAD_PAYLOAD");
    expect(err.message).toContain("this is not the hub's API");
    expect(err.message).toContain("/api");
  });

  it("rejects an undecodable payload with BAD_PAYLOAD and the text so far", async () => {
    handler = (_req, res) => {
      sse(res, [`b'{"message":{"content":"ok"},"done":false}'`, String.raw`b'{"message":\x4'`]);
      res.end();
    };
    const err = await failure(
      client("hub", { baseUrl: base }).chatStream({ model: "m", messages: user("x") }),
    );
    expect(err).toBeInstanceOf(PayloadDecodeError);
    expect(err.partial?.content).toBe("ok");
  });

  it("accepts plain JSON payloads from a hub that does not wrap them", async () => {
    handler = (_req, res) => {
      sse(res, [
        '{"status":"starting"}',
        '{"message":{"content":"Grüße"},"done":false}',
        '{"message":{"content":""},"done":true,"done_reason":"stop"}',
      ]);
      res.end();
    };
    const events = await collect(
      client("hub", { baseUrl: base }).chatStream({ model: "m", messages: user("x") }),
    );
    expect(text(events, "content")).toBe("Grüße");
  });

  it("yields deltas that arrive together as one delta per kind, in order", async () => {
    handler = (_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8" });
      // One write: the whole burst reaches the client in one chunk.
      res.end(
        [
          '{"status":"starting"}',
          `b'{"message":{"content":"","thinking":"Let"},"done":false}'`,
          `b'{"message":{"content":"","thinking":" me"},"done":false}'`,
          `b'{"message":{"content":"Hi"},"done":false}'`,
          String.raw`b'{"message":{"content":" th\xc3\xa9re"},"done":false}'`,
          `b'{"message":{"content":""},"done":true}'`,
        ]
          .map((e) => `data: ${e}\n\n`)
          .join(""),
      );
    };
    const events = await collect(
      client("hub", { baseUrl: base }).chatStream({ model: "m", messages: user("x") }),
    );
    expect(events.map((e) => (e.type === "done" ? "done" : `${e.type}:${e.text}`))).toEqual([
      "thinking:Let me",
      "content:Hi thére",
      "done",
    ]);
  });

  it("treats a stream that ends cleanly without done as incomplete", async () => {
    handler = (_req, res) => {
      sse(res, ['{"status":"starting"}', `b'{"message":{"content":"half"},"done":false}'`]);
      res.end();
    };
    const err = await failure(
      client("hub", { baseUrl: base }).chatStream({ model: "m", messages: user("x") }),
    );
    expect(err).toBeInstanceOf(StreamIncompleteError);
    expect((err as StreamIncompleteError).how).toBe("ended");
    expect(err.partial?.content).toBe("half");
  });

  it("closes the connection when the consumer stops reading early", async () => {
    let reqClosed: Promise<void> = Promise.resolve();
    handler = (req, res) => {
      reqClosed = new Promise((r) => res.on("close", () => r()));
      sse(res, ['{"status":"starting"}', `b'{"message":{"content":"a"},"done":false}'`]);
      // never ends: only the client can close it
      void req;
    };
    for await (const e of client("hub", { baseUrl: base }).chatStream({ model: "m", messages: user("x") })) {
      if (e.type === "content") break;
    }
    await reqClosed;
    expect(closedSockets).toBeGreaterThan(0);
  });

  it("refuses a base URL that is not http(s)", () => {
    expect(() => new OllamaClient({ mode: "hub", baseUrl: "10.0.0.2:7860/api" })).toThrow(
      InvalidArgumentError,
    );
    expect(() => new OllamaClient({ mode: "hub", baseUrl: "not a url" })).toThrow(/not a URL/);
  });
});
