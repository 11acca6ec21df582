/**
 * The fake Ollama as a client talking to Ollama directly (no hub) sees it. Its bytes behind the hub are pinned by
 * hub-conformance.test.ts; these tests pin the rules of shared/ollama-api.md that the fixtures do not show.
 */

import { createHash } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeOllama, type FakeOllamaOptions, goBase64Decode, startFakeOllama } from "./ollama.js";
import { rawRequest } from "./raw-http.js";

const running: FakeOllama[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((o) => o.close()));
});

async function start(opts: FakeOllamaOptions = {}): Promise<FakeOllama> {
  const ollama = await startFakeOllama(opts);
  running.push(ollama);
  return ollama;
}

function post(ollama: FakeOllama, path: string, body: unknown, method = "POST") {
  return fetch(`${ollama.url}${path}`, { method, body: JSON.stringify(body) });
}

async function lines(res: Response): Promise<Array<Record<string, unknown>>> {
  const text = await res.text();
  expect(text.endsWith("\n")).toBe(true);
  return text
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const user = (content: string) => [{ role: "user", content }];

describe("fake Ollama", () => {
  it("streams NDJSON by default and answers one object with stream:false", async () => {
    const ollama = await start();
    const streamed = await post(ollama, "/api/generate", { model: "tiny", prompt: "a b" });
    expect(streamed.headers.get("content-type")).toBe("application/x-ndjson");
    const events = await lines(streamed);
    expect(events.map((e) => e.response)).toEqual(["You", " ", "said:", " ", "a", " ", "b", ""]);
    expect(events.at(-1)).toMatchObject({ done: true, done_reason: "stop", eval_count: 7 });

    const single = await post(ollama, "/api/chat", {
      model: "tiny:latest",
      messages: user("a b"),
      stream: false,
    });
    expect(single.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(await single.json()).toMatchObject({
      message: { role: "assistant", content: "You said: a b" },
      done: true,
      eval_count: 7,
    });
  });

  it("echoes the last user message of a chat", async () => {
    const ollama = await start();
    const messages = [
      ...user("first"),
      { role: "assistant", content: "x" },
      ...user("second"),
      { role: "system", content: "s" },
    ];
    const res = await post(ollama, "/api/chat", { model: "tiny:latest", messages, stream: false });
    expect(((await res.json()) as { message: { content: string } }).message.content).toBe("You said: second");
  });

  it("uses Ollama's error texts for missing models", async () => {
    const ollama = await start();
    const chat = await post(ollama, "/api/chat", { model: "nope:1b", messages: user("x") });
    expect(chat.status).toBe(404);
    expect(await chat.text()).toBe('{"error":"model \\"nope:1b\\" not found, try pulling it first"}');
    const show = await post(ollama, "/api/show", { model: "nope:1b" });
    expect([show.status, await show.text()]).toEqual([404, `{"error":"model 'nope:1b' not found"}`]);
    const del = await post(ollama, "/api/delete", { model: "nope:1b" }, "DELETE");
    expect([del.status, await del.text()]).toEqual([404, `{"error":"model 'nope:1b' not found"}`]);
  });

  it("deletes with 200 and an empty body, and the model leaves tags and ps", async () => {
    const ollama = await start();
    const res = await post(ollama, "/api/delete", { name: "tiny:latest" }, "DELETE");
    expect([res.status, await res.text()]).toEqual([200, ""]);
    const tags = (await (await fetch(`${ollama.url}/api/tags`)).json()) as {
      models: Array<{ name: string }>;
    };
    expect(tags.models.map((m) => m.name)).not.toContain("tiny:latest");
    expect(await (await fetch(`${ollama.url}/api/ps`)).json()).toEqual({ models: [] });
  });

  it("pulls new:1b into tags and fails other pulls after 'pulling manifest'", async () => {
    const ollama = await start();
    const ok = await post(ollama, "/api/pull", { model: "new:1b", stream: false });
    expect(await ok.json()).toEqual({ status: "success" });
    expect(ollama.models.at(-1)?.name).toBe("new:1b");

    const bad = await lines(await post(ollama, "/api/pull", { name: "nope:1b" }));
    expect(bad).toEqual([
      { status: "pulling manifest" },
      { error: "pull model manifest: file does not exist" },
    ]);
    const badSingle = await post(ollama, "/api/pull", { name: "nope:1b", stream: false });
    expect(badSingle.status).toBe(500);
  });

  it("thinks unless think:false, and refuses think:true on a model that cannot think", async () => {
    const ollama = await start();
    const thinking = await lines(
      await post(ollama, "/api/chat", { model: "think:latest", messages: user("q") }),
    );
    expect(thinking.slice(0, 4).map((e) => e.message)).toEqual(
      ["Let", " me", " think", "."].map((thinking) => ({ role: "assistant", content: "", thinking })),
    );
    const plain = await lines(
      await post(ollama, "/api/chat", { model: "think:latest", messages: user("q"), think: false }),
    );
    expect(plain.some((e) => "thinking" in (e.message as object))).toBe(false);
    const refused = await post(ollama, "/api/chat", {
      model: "tiny:latest",
      messages: user("q"),
      think: true,
    });
    expect([refused.status, await refused.text()]).toEqual([
      400,
      '{"error":"\\"tiny:latest\\" does not support thinking"}',
    ]);
  });

  it("stops at options.num_predict with done_reason length", async () => {
    const ollama = await start();
    const events = await lines(
      await post(ollama, "/api/generate", { model: "tiny", prompt: "a b c", options: { num_predict: 2 } }),
    );
    expect(events.map((e) => e.response)).toEqual(["You", " ", ""]);
    expect(events.at(-1)).toMatchObject({ done_reason: "length", eval_count: 2 });
  });

  it("ends crash:latest with an error line and cuts cut:latest mid-body", async () => {
    const ollama = await start();
    const crashed = await lines(
      await post(ollama, "/api/chat", { model: "crash:latest", messages: user("x") }),
    );
    expect(crashed.at(-1)).toEqual({ error: "an error was encountered while running the model" });
    expect(crashed.some((e) => e.done === true)).toBe(false);

    const cut = await rawRequest(ollama.url, "POST", "/api/chat", {
      body: JSON.stringify({ model: "cut:latest", messages: user("x") }),
    });
    expect(cut.terminated).toBe(false);
    expect(cut.body.toString().trimEnd().split("\n")).toHaveLength(3);
  });

  it("escapes <, > and & as Go's encoder does", async () => {
    const ollama = await start();
    const res = await post(ollama, "/api/generate", { model: "tiny", prompt: "<b>&", stream: false });
    expect(await res.text()).toContain('"response":"You said: \\u003cb\\u003e\\u0026"');
  });

  it("keeps slow:latest silent, without even headers, before its first line", async () => {
    const ollama = await start({ slowFirstChunkMs: 300 });
    const started = performance.now();
    const res = await post(ollama, "/api/chat", { model: "slow:latest", messages: user("x") });
    expect(performance.now() - started).toBeGreaterThanOrEqual(250);
    expect((await lines(res)).at(-1)).toMatchObject({ done: true });
  });

  it("paces lines by settings.tokenDelayMs and lets long:latest run to longTokens", async () => {
    const ollama = await start({ longTokens: 6 });
    ollama.settings.tokenDelayMs = 40;
    const started = performance.now();
    const events = await lines(await post(ollama, "/api/generate", { model: "long:latest", prompt: "x" }));
    expect(performance.now() - started).toBeGreaterThanOrEqual(6 * 40 - 10);
    expect(events.map((e) => e.response).join("")).toBe("word0 word1 word2 ");
  });

  it("drops a stalled reply promptly on close()", async () => {
    const ollama = await start({ slowFirstChunkMs: 60_000 });
    const pending = post(ollama, "/api/chat", { model: "slow:latest", messages: user("x") });
    await expect.poll(() => ollama.requests.length).toBe(1);
    await ollama.close();
    await expect(pending).rejects.toThrow();
  });

  it("refuses connections while down and comes back on the same port", async () => {
    const ollama = await start();
    await ollama.setDown(true);
    await expect(fetch(`${ollama.url}/api/version`)).rejects.toMatchObject({
      cause: { code: "ECONNREFUSED" },
    });
    await ollama.setDown(false);
    expect(await (await fetch(`${ollama.url}/api/version`)).json()).toEqual({ version: "0.12.0" });
    expect(await (await fetch(`${ollama.url}/`)).text()).toBe("Ollama is running");
  });

  it("records what clients sent", async () => {
    const ollama = await start();
    await post(ollama, "/api/show", { model: "tiny:latest" });
    expect(ollama.requests).toMatchObject([
      { method: "POST", path: "/api/show", body: { model: "tiny:latest" } },
    ]);
  });

  describe("images", () => {
    const VISION = {
      models: ["tiny:latest", "llava:7b"],
      modelInfo: { "llava:7b": { capabilities: ["completion", "vision"] } },
    };
    const png = Buffer.concat([Buffer.from("89504e470d0a1a0a", "hex"), Buffer.alloc(1000, 7)]);
    const withImages = (images: unknown) => [{ role: "user", content: "what is it?", images }];

    it("answers a vision model, and logs each image's decoded size and hash", async () => {
      const ollama = await start(VISION);
      const small = Buffer.from([1, 2, 3, 4, 5]);
      const res = await post(ollama, "/api/chat", {
        model: "llava:7b",
        messages: [...user("earlier"), ...withImages([png.toString("base64"), small.toString("base64")])],
        stream: false,
      });
      expect(res.status).toBe(200);
      expect(ollama.images).toEqual([
        { request: 0, route: "chat", model: "llava:7b", message: 1, bytes: 1008, sha256: sha256(png) },
        { request: 0, route: "chat", model: "llava:7b", message: 1, bytes: 5, sha256: sha256(small) },
      ]);
      const gen = await post(ollama, "/api/generate", {
        model: "llava:7b",
        prompt: "x",
        images: [png.toString("base64")],
        stream: false,
      });
      expect(gen.status).toBe(200);
      expect(ollama.images.at(-1)).toMatchObject({
        request: 1,
        route: "generate",
        message: undefined,
        bytes: 1008,
      });
    });

    it.each([
      ["a character outside the alphabet", "AAAA!AAA", 4],
      ["URL-safe base64", "ab-_", 2],
      ["missing padding", "QUJD" + "QQ", 4],
      ["a lone padding character", "QQ=", 3],
      ["data after the padding", "QQ==QUJD", 4],
      ["padding too early", "Q===", 1],
      ["a data URL", "data:image/png;base64,iVBORw0KGgo=", 4],
    ])("refuses %s with 400 and Go's offset", async (_what, image, at) => {
      const ollama = await start(VISION);
      const res = await post(ollama, "/api/chat", { model: "llava:7b", messages: withImages([image]) });
      expect([res.status, await res.text()]).toEqual([
        400,
        `{"error":"illegal base64 data at input byte ${at}"}`,
      ]);
      expect(ollama.images).toEqual([]);
    });

    it("refuses bad base64 before it looks at the model, and in a generate's images too", async () => {
      const ollama = await start(VISION);
      const missing = await post(ollama, "/api/chat", { model: "nope:1b", messages: withImages(["%%%%"]) });
      expect([missing.status, await missing.text()]).toEqual([
        400,
        '{"error":"illegal base64 data at input byte 0"}',
      ]);
      const gen = await post(ollama, "/api/generate", { model: "llava:7b", prompt: "x", images: ["AB"] });
      expect([gen.status, await gen.text()]).toEqual([
        400,
        '{"error":"illegal base64 data at input byte 0"}',
      ]);
      const number = await post(ollama, "/api/chat", { model: "llava:7b", messages: withImages([42]) });
      expect(number.status).toBe(400);
      expect(await number.text()).toContain(
        "cannot unmarshal number into Go struct field Message.messages.images",
      );
    });

    it("decodes as Go does: newlines skipped, trailing bits tolerated, offsets in UTF-8 bytes", () => {
      expect(goBase64Decode("QUJD\r\nRA==")).toEqual({ ok: true, bytes: Buffer.from("ABCD") });
      expect(goBase64Decode("QR==")).toEqual({ ok: true, bytes: Buffer.from("A") });
      expect(goBase64Decode("")).toEqual({ ok: true, bytes: Buffer.alloc(0) });
      expect(goBase64Decode("QUJDé")).toEqual({ ok: false, at: 4 });
      expect(goBase64Decode("éQUJD")).toEqual({ ok: false, at: 0 });
      expect(goBase64Decode("QUJD\nQQ=")).toEqual({ ok: false, at: 8 });
    });

    it("refuses images for a model that cannot see, with Ollama's text, streamed or not", async () => {
      const ollama = await start(VISION);
      const image = png.toString("base64");
      for (const stream of [true, false]) {
        const res = await post(ollama, "/api/chat", {
          model: "tiny:latest",
          messages: withImages([image]),
          stream,
        });
        expect([res.status, await res.text()]).toEqual([
          400,
          '{"error":"this model is missing data required for image input"}',
        ]);
      }
      const gen = await post(ollama, "/api/generate", { model: "tiny", prompt: "x", images: [image] });
      expect(gen.status).toBe(400);
      // Without images the same model answers, and an empty list is no image.
      const plain = await post(ollama, "/api/chat", {
        model: "tiny:latest",
        messages: withImages([]),
        stream: false,
      });
      expect(plain.status).toBe(200);
    });

    it("lets a model with audio take WAV bytes in images, but no picture", async () => {
      const ollama = await start({
        models: ["hear:latest"],
        modelInfo: { "hear:latest": { capabilities: ["completion", "audio"] } },
      });
      const wav = Buffer.concat([Buffer.from("RIFF\x24\x00\x00\x00WAVEfmt ", "latin1"), Buffer.alloc(32)]);
      const heard = await post(ollama, "/api/chat", {
        model: "hear:latest",
        messages: withImages([wav.toString("base64")]),
        stream: false,
      });
      expect(heard.status).toBe(200);
      const seen = await post(ollama, "/api/chat", {
        model: "hear:latest",
        messages: withImages([png.toString("base64")]),
        stream: false,
      });
      expect([seen.status, await seen.text()]).toEqual([
        400,
        '{"error":"this model is missing data required for image input"}',
      ]);
    });
  });
});

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
