/**
 * Several model hosts (MODEL_HOSTS, issue 14): the pool over real clients and two fake Ollama servers on
 * loopback. A turn is placed on a host that has its model and a free slot; a host that refuses connections
 * before a stream starts is skipped (the stream goes to the other) and is back after its next check; pulls and
 * deletes name their host; the fair queue does not let a turn waiting for a busy host hold back one for a free
 * host.
 */
import { type AddressInfo, createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { FairQueue } from "../../src/bot/queue.js";
import { loadConfig } from "../../src/config/index.js";
import { type HostPlace, HostPool, HostUnknownError, modelClientsFrom } from "../../src/hosts/index.js";
import {
  HubTimeoutError,
  HubUnreachableError,
  isServerAway,
  ModelNotFoundError,
  OllamaClient,
  OllamaUnavailableError,
  type StreamEvent,
} from "../../src/hub/index.js";
import { type FakeOllama, startFakeOllama } from "../fakes/ollama.js";

const fakes: FakeOllama[] = [];
const pools: HostPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

const quiet = { warn: () => {}, info: () => {} };

async function twoHosts(
  a: { models: string[]; concurrency?: number },
  b: { models: string[]; concurrency?: number },
  log: { warn(o: object, m: string): void; info(o: object, m: string): void } = quiet,
) {
  const fa = await startFakeOllama({ models: a.models, tokenDelayMs: 1 });
  const fb = await startFakeOllama({ models: b.models, tokenDelayMs: 1 });
  fakes.push(fa, fb);
  const config = loadConfig({
    MODEL_HOSTS: `a ollama ${fa.url} ${a.concurrency ?? 1}, b ollama ${fb.url} ${b.concurrency ?? 1}`,
    HUB_RETRIES: "0",
  });
  const { hosts } = modelClientsFrom(config, { log, clientOptions: { retryBaseDelayMs: 1 } });
  pools.push(hosts!);
  await hosts!.start();
  return { fa, fb, pool: hosts! };
}

const chats = (f: FakeOllama) => f.requests.filter((r) => r.path === "/api/chat").length;

async function text(stream: AsyncIterable<StreamEvent>): Promise<string> {
  let out = "";
  for await (const ev of stream) if (ev.type === "content") out += ev.text;
  return out;
}

describe("host pool", () => {
  it("places a turn on the host that has its model, the least busy first, and none when all are busy", async () => {
    const { fa, fb, pool } = await twoHosts(
      { models: ["tiny:latest"] },
      { models: ["tiny:latest", "long:latest"] },
    );
    // Only b has long: it goes there even though a is idle.
    const long = pool.place("long:latest")!;
    expect(long.host).toBe("b");
    // b is busy now: tiny goes to a; a second tiny finds no free slot on either host.
    const tiny = pool.place("tiny:latest")!;
    expect(tiny.host).toBe("a");
    expect(pool.place("tiny:latest")).toBeUndefined();
    expect(pool.snapshot().map((h) => [h.name, h.busy, h.concurrency])).toEqual([
      ["a", 1, 1],
      ["b", 1, 1],
    ]);
    await text(tiny.client.chatStream({ model: "tiny:latest", messages: [{ role: "user", content: "hi" }] }));
    expect([chats(fa), chats(fb)]).toEqual([1, 0]);
    await tiny.release();
    await tiny.release(); // twice is once: a has one slot, taken again below, and none is left after it
    expect(pool.place("tiny:latest")?.host).toBe("a");
    expect(pool.place("tiny:latest")).toBeUndefined();
    await long.release();
  });

  it("a slot taken for any host moves to the host that has the request's model (an AI↔AI side)", async () => {
    const { fb, pool } = await twoHosts({ models: ["tiny:latest"] }, { models: ["long:latest"] });
    const place = pool.place(undefined)!;
    expect(place.host).toBe("a");
    const answer = await text(
      place.client.chatStream({ model: "long:latest", messages: [{ role: "user", content: "x" }] }),
    );
    expect(answer).not.toBe("");
    expect(chats(fb)).toBe(1);
    expect(place.host).toBe("b");
    expect(pool.snapshot().map((h) => h.busy)).toEqual([0, 1]);
    await place.release();
    expect(pool.snapshot().map((h) => h.busy)).toEqual([0, 0]);
  });

  it("a model no host has goes to any free host, so the turn can say it is missing instead of waiting", async () => {
    const { pool } = await twoHosts({ models: ["tiny:latest"] }, { models: ["tiny:latest"] });
    const place = pool.place("nothere:latest");
    expect(place).toBeDefined();
    await expect(
      text(place!.client.chatStream({ model: "nothere:latest", messages: [{ role: "user", content: "x" }] })),
    ).rejects.toMatchObject({ code: "MODEL_NOT_FOUND" });
  });

  it("skips a host that is down before the stream starts, and takes it back when its check answers", async () => {
    const warnings: string[] = [];
    const log = { warn: (_o: object, m: string) => warnings.push(m), info: () => {} };
    const { fa, fb, pool } = await twoHosts({ models: ["tiny:latest"] }, { models: ["tiny:latest"] }, log);
    const place = pool.place("tiny:latest")!;
    expect(place.host).toBe("a");
    await fa.setDown(true);
    const answer = await text(
      place.client.chatStream({ model: "tiny:latest", messages: [{ role: "user", content: "hi" }] }),
    );
    expect(answer.length).toBeGreaterThan(0);
    expect(chats(fb)).toBe(1);
    // The slot moved with the stream; a is down until a check answers.
    expect(place.host).toBe("b");
    expect(pool.snapshot().map((h) => [h.name, h.up, h.busy])).toEqual([
      ["a", false, 0],
      ["b", true, 1],
    ]);
    expect(pool.snapshot().find((h) => h.name === "a")?.error).toMatch(
      /^OLLAMA_UNAVAILABLE|^HUB_UNREACHABLE/,
    );
    expect(warnings).toEqual(["a model host is not answering; turns go to the others until it does"]);
    // While a is down, new turns go to b first (a has the model but does not answer).
    await place.release();
    const next = pool.place("tiny:latest")!;
    expect(next.host).toBe("b");
    await next.release();
    await fa.setDown(false);
    await pool.check();
    expect(pool.snapshot().find((h) => h.name === "a")).toMatchObject({ up: true });
  });

  it("a turn whose model is on a host away since the start waits for that host, not sent where the model is not", async () => {
    const fa = await startFakeOllama({ models: ["long:latest"] });
    const fb = await startFakeOllama({ models: ["tiny:latest"] });
    fakes.push(fa, fb);
    await fa.setDown(true);
    const config = loadConfig({
      MODEL_HOSTS: `gpu ollama ${fa.url}, mac ollama ${fb.url}`,
      HUB_RETRIES: "0",
    });
    const pool = modelClientsFrom(config, { log: quiet }).hosts!;
    pools.push(pool);
    await pool.start();
    // gpu never answered: its models are unknown, so it may have long; mac is up but does not have it.
    const place = pool.place("long:latest")!;
    expect(place.host).toBe("gpu");
    await expect(
      text(place.client.chatStream({ model: "long:latest", messages: [{ role: "user", content: "x" }] })),
    ).rejects.toMatchObject({ code: expect.stringMatching(/OLLAMA_UNAVAILABLE|HUB_UNREACHABLE/) });
    expect(chats(fb)).toBe(0);
    await place.release();
    // Once it answers, the turn goes there.
    await fa.setDown(false);
    await pool.check();
    const again = pool.place("long:latest")!;
    expect(again.host).toBe("gpu");
    expect(
      await text(
        again.client.chatStream({ model: "long:latest", messages: [{ role: "user", content: "x" }] }),
      ),
    ).not.toBe("");
    await again.release();
  });

  it("a host that accepts and never answers is down after the check's deadline, and turns go to the other", async () => {
    const fa = await startFakeOllama({ models: ["tiny:latest"] });
    fakes.push(fa);
    // Accepts connections, reads, never answers.
    const silent = createServer((socket) => socket.on("data", () => {}));
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const port = (silent.address() as AddressInfo).port;
    try {
      const client = (url: string) => new OllamaClient({ mode: "direct", baseUrl: url, retries: 0 });
      const pool = new HostPool(
        [
          { name: "hung", client: client(`http://127.0.0.1:${port}`), concurrency: 1 },
          { name: "ok", client: client(fa.url), concurrency: 1 },
        ],
        { log: quiet, checkTimeoutMs: 300 },
      );
      pools.push(pool);
      const t0 = Date.now();
      await pool.start();
      expect(Date.now() - t0).toBeLessThan(3_000);
      expect(pool.snapshot().map((h) => [h.name, h.up])).toEqual([
        ["hung", false],
        ["ok", true],
      ]);
      expect(pool.place("tiny:latest")?.host).toBe("ok");
    } finally {
      silent.close();
    }
  });

  it("fails with the host's own error when every host with the model is down", async () => {
    const { fa, fb, pool } = await twoHosts({ models: ["tiny:latest"] }, { models: ["tiny:latest"] });
    await fa.setDown(true);
    await fb.setDown(true);
    const place = pool.place("tiny:latest")!;
    await expect(
      text(place.client.chatStream({ model: "tiny:latest", messages: [{ role: "user", content: "hi" }] })),
    ).rejects.toMatchObject({ code: expect.stringMatching(/OLLAMA_UNAVAILABLE|HUB_UNREACHABLE/) });
    await place.release();
    expect(pool.snapshot().every((h) => !h.up)).toBe(true);
    await expect(pool.listModels()).rejects.toMatchObject({ code: expect.any(String) });
  });

  it("lists every host's models once, pulls on a named host and deletes from every host that has it", async () => {
    const { fa, fb, pool } = await twoHosts(
      { models: ["tiny:latest"] },
      { models: ["tiny:latest", "long:latest"] },
    );
    expect((await pool.listModels()).map((m) => m.name).sort()).toEqual(["long:latest", "tiny:latest"]);
    // Loaded on both hosts (the fakes' default), listed once.
    expect((await pool.runningModels()).map((m) => m.name)).toEqual(["tiny:latest"]);
    // A pull goes to the first host that lacks the model, unless one is named.
    expect(pool.pullTarget("long:latest")).toBe("a");
    // Read up to "success" only, as the bot does: the pool knows at once that b has it.
    for await (const ev of pool.pullOn("b", "new:1b")) if (ev.type === "success") break;
    expect(pool.holders("new:1b")).toEqual(["b"]);
    expect(fb.models.map((m) => m.name)).toContain("new:1b");
    expect(fa.models.map((m) => m.name)).not.toContain("new:1b");
    expect(pool.holders("new:1b")).toEqual(["b"]);
    await expect(async () => {
      for await (const _ of pool.pullOn("c", "new:1b")) {
        // nothing
      }
    }).rejects.toBeInstanceOf(HostUnknownError);
    const gone = await pool.deleteEverywhere("tiny:latest");
    expect(gone.hosts).toEqual(["a", "b"]);
    expect(fa.models).toHaveLength(0);
    expect(fb.models.map((m) => m.name)).not.toContain("tiny:latest");
    await expect(pool.deleteEverywhere("tiny:latest")).rejects.toMatchObject({ code: "MODEL_NOT_FOUND" });
  });

  it("in the fair queue, a turn waiting for its busy host does not hold back a turn whose host is free", async () => {
    const { pool } = await twoHosts({ models: ["tiny:latest"] }, { models: ["long:latest"] });
    const queue = new FairQueue<HostPlace>(pool.concurrency, Date.now, () => {}, undefined, pool);
    const started: string[] = [];
    let finishFirst!: () => void;
    const first = queue.enqueue(
      1,
      (place) => {
        started.push(`1@${place?.host}`);
        return new Promise<void>((r) => {
          finishFirst = r;
        });
      },
      { model: "tiny:latest" },
    );
    // Chat 2 also wants tiny (only on a, busy); chat 3 wants long (on b, free): 3 starts at once, 2 waits.
    const second = queue.enqueue(
      2,
      async (place) => {
        started.push(`2@${place?.host}`);
      },
      { model: "tiny:latest" },
    );
    const third = queue.enqueue(
      3,
      async (place) => {
        started.push(`3@${place?.host}`);
      },
      { model: "long:latest" },
    );
    await third.done;
    expect(started).toEqual(["1@a", "3@b"]);
    finishFirst();
    await first.done;
    await second.done;
    expect(started).toEqual(["1@a", "3@b", "2@a"]);
    expect(pool.snapshot().map((h) => h.busy)).toEqual([0, 0]);
  });
});

describe("MODEL_HOSTS", () => {
  it("parses name, kind, URL and concurrency, and says what is wrong with an entry", () => {
    const c = loadConfig({
      MODEL_HOSTS: "mac hub http://10.0.0.2:7860/api/ 2, gpu ollama http://u:pw@10.0.0.3:11434",
    });
    expect(c.hosts?.map((h) => [h.name, h.client.mode, h.client.baseUrl, h.concurrency])).toEqual([
      ["mac", "hub", "http://10.0.0.2:7860/api", 2],
      ["gpu", "direct", "http://u:pw@10.0.0.3:11434", 1],
    ]);
    // The first host is what the CLI talks to; the password is a secret to scrub from logs.
    expect(c.client.baseUrl).toBe("http://10.0.0.2:7860/api");
    expect(c.secrets).toContain("pw");
    const bad = (value: string) => {
      try {
        loadConfig({ MODEL_HOSTS: value });
      } catch (err) {
        return (err as Error).message;
      }
      return "accepted";
    };
    expect(bad("mac cloud http://x:1")).toMatch(/^MODEL_HOSTS entry 1 needs hub or ollama after the name/);
    expect(bad("mac hub http://x:1, mac ollama http://y:2")).toMatch(/entry 2 repeats a name/);
    expect(bad("mac hub http://x:1 0")).toMatch(/entry 1 needs a concurrency from 1 to 64/);
    expect(bad("mac hub nope")).toMatch(/entry 1 needs an http\(s\) URL/);
    expect(bad("mac hub http://x:1 2 extra")).toMatch(/more than name, kind, URL and concurrency/);
    // A password in a bad entry is not echoed back.
    expect(bad("mac hub http://user:hunter2@x:1 nine")).not.toContain("hunter2");
    expect(bad(`mac hub http://x:1`)).toBe("accepted");
    const both = (() => {
      try {
        loadConfig({ MODEL_HOSTS: "mac hub http://x:1", OLLAMA_URL: "http://y:2" });
      } catch (err) {
        return (err as Error).message;
      }
      return "accepted";
    })();
    expect(both).toMatch(/either MODEL_HOSTS .* or TTSHUB_API_BASE\/OLLAMA_URL/);
  });
});

describe("a server away", () => {
  it("is one that refuses, or cannot be connected to in time; not one slow to answer, nor a refusal", () => {
    expect(isServerAway(new HubUnreachableError("refused", "http://x"))).toBe(true);
    expect(isServerAway(new OllamaUnavailableError("ollama down", 503))).toBe(true);
    // A machine asleep drops the packets: the connection times out, and the host is as away as a refused one.
    expect(isServerAway(new HubTimeoutError("connect", "connect", 10_000))).toBe(true);
    // A model loading is a slow first event, not an absence; a missing model is an answer.
    expect(isServerAway(new HubTimeoutError("slow", "first-event", 120_000))).toBe(false);
    expect(isServerAway(new ModelNotFoundError("nope", "x", "local"))).toBe(false);
    expect(isServerAway(new Error("other"))).toBe(false);
  });
});
