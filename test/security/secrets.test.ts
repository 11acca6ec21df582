/** No secret leaves the process: not in a log line at any level, not in a chat, not in a configuration error. */
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { GrammyError, HttpError } from "grammy";
import { afterEach, describe, expect, it } from "vitest";
import { serializeTelegramError } from "../../src/bot/index.js";
import { ConfigError, loadConfig } from "../../src/config/index.js";
import { OllamaClient } from "../../src/hub/index.js";
import { createLogger } from "../../src/log/index.js";
import { type Harness, startHarness, USER } from "../support/bot-harness.js";

const TOKEN = "123456789:AAFakeTokenFakeTokenFakeTokenFake_xy";
const PASSWORD = "S3cr3t/p@ss word";
const KEY = "sk-live-0123456789abcdef";

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { lines, destination };
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe("secrets in the log", () => {
  it("scrubs a token buried in an error's cause chain, at every level from trace to fatal", () => {
    const { lines, destination } = capture();
    const log = createLogger({ level: "trace", secrets: [TOKEN, PASSWORD, KEY], destination });
    const url = `https://api.telegram.org/bot${TOKEN}/editMessageText`;
    const inner = new TypeError(`fetch failed: ${url}`);
    const middle = new Error(`request to ${encodeURIComponent(url)} failed`, { cause: inner });
    const outer = new Error("the call failed", { cause: middle });
    const levels = ["trace", "debug", "info", "warn", "error", "fatal"] as const;
    for (const level of levels) {
      log[level](
        { err: outer, nested: { deep: { url, quoted: `say "${PASSWORD}"` } }, key: KEY },
        `at ${url}`,
      );
    }
    expect(lines).toHaveLength(levels.length);
    for (const line of lines) {
      expect(line).not.toContain(TOKEN);
      expect(line).not.toContain(encodeURIComponent(TOKEN));
      expect(line).not.toContain(PASSWORD);
      expect(line).not.toContain(JSON.stringify(PASSWORD).slice(1, -1));
      expect(line).not.toContain(KEY);
      expect(line).toContain("[redacted]");
    }
  });

  it("masks URL passwords in linear time, even in text crafted against the pattern", () => {
    const { lines, destination } = capture();
    const log = createLogger({ destination });
    // "a.a.a.…" made the old pattern quadratic (seconds of a blocked event loop for 80 KB).
    log.warn({ err: new Error(`bad: ${"a.".repeat(400_000)}`) }, "hostile");
    expect(lines).toHaveLength(1);
  });

  it("masks the password of any URL it logs, known secret or not", () => {
    const { lines, destination } = capture();
    const log = createLogger({ destination });
    log.warn({ redis: "redis://:hunter22@10.0.0.5:6379/0" }, "see http://user:pw123456@hub.lan/api");
    expect(lines[0]).not.toContain("hunter22");
    expect(lines[0]).not.toContain("pw123456");
    expect(lines[0]).toContain("redis://:***@10.0.0.5");
  });

  it("logs a grammY error as method, code and description, never its payload (the user's text)", () => {
    const { lines, destination } = capture();
    const log = createLogger({ destination, serializeError: serializeTelegramError });
    const refused = new GrammyError(
      "Call to 'sendMessage' failed!",
      { ok: false, error_code: 400, description: "Bad Request: message is too long" },
      "sendMessage",
      { chat_id: 1, text: "my very private question" },
    );
    log.warn({ err: refused }, "final answer refused by Telegram");
    const net = new HttpError("Network request for 'editMessageText' failed!", new Error("ECONNRESET"));
    log.warn({ err: net }, "live message update failed");
    const [first, second] = lines.map((l) => JSON.parse(l) as { err: Record<string, unknown> });
    expect(first!.err).toEqual({
      type: "GrammyError",
      method: "sendMessage",
      error_code: 400,
      description: "Bad Request: message is too long",
    });
    expect(lines[0]).not.toContain("very private");
    expect(second!.err).toMatchObject({ type: "HttpError", cause: { message: "ECONNRESET" } });
  });
});

describe("secrets in the configuration", () => {
  it("masks a password in a bad value it echoes, and never echoes the API key", () => {
    let err: unknown;
    try {
      loadConfig({
        TTSHUB_API_BASE: "http://h/api",
        REDIS_URL: "redis://:pw-in-url@ bad host",
        OLLAMA_API_KEY: "",
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain("REDIS_URL");
    expect((err as Error).message).not.toContain("pw-in-url");
  });

  it("masks everything before the last @ of a malformed URL it echoes", () => {
    for (const value of [
      "admin:Sup3rSecret@10.0.0.2:7860/api",
      "http:/admin:Sup3rSecret@host",
      "htp://admin:Sup3r@Secret@h",
    ]) {
      let message = "";
      try {
        loadConfig({ TTSHUB_API_BASE: value });
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toContain("TTSHUB_API_BASE");
      expect(message).not.toContain("Sup3r");
      expect(message).not.toContain("Secret");
    }
  });

  it("lists every secret it holds for the logger: token, key, and the passwords in URLs", () => {
    const config = loadConfig({
      TTSHUB_API_BASE: `http://hubuser:${encodeURIComponent(PASSWORD)}@10.0.0.2:7860/api`,
      REDIS_URL: "redis://:redispass1@127.0.0.1:6379",
      TELEGRAM_BOT_TOKEN: TOKEN,
      OLLAMA_API_KEY: KEY,
    });
    expect(config.secrets).toEqual(
      expect.arrayContaining([
        TOKEN,
        KEY,
        PASSWORD,
        "redispass1",
        Buffer.from(`hubuser:${PASSWORD}`).toString("base64"), // as the Authorization header carries it
      ]),
    );
  });
});

describe("credentials toward the hub", () => {
  it("sends credentials in the URL as Basic authorization, a key as Bearer, and never shows them", async () => {
    const seen: IncomingHttpHeaders[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"models":[]}');
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    try {
      const basic = new OllamaClient({
        mode: "direct",
        baseUrl: `http://hubuser:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}`,
      });
      await basic.listModels();
      expect(seen[0]?.authorization).toBe(`Basic ${Buffer.from(`hubuser:${PASSWORD}`).toString("base64")}`);
      expect(basic.label).toBe(`Ollama at http://127.0.0.1:${port}`);
      expect(basic.baseUrl).not.toContain("hubuser");
      await basic.close();
      const bearer = new OllamaClient({ mode: "direct", baseUrl: `http://127.0.0.1:${port}`, apiKey: KEY });
      await bearer.listModels();
      expect(seen[1]?.authorization).toBe(`Bearer ${KEY}`);
      await bearer.close();
    } finally {
      server.close();
    }
  });

  it("never shows a chat, nor logs, the hub's password, and reaches an auth-protected hub with it", async () => {
    h = await startHarness({ hubCredentials: `hubuser:${encodeURIComponent(PASSWORD)}` });
    await h.pick(USER, "tiny:latest");
    await h.hub.setFault("refuse");
    h.tg.sendText(USER, "are you there?");
    const note = await h.waitForBot(USER, (m) => m.text.includes("Your message is saved"));
    expect(note.text).toContain("I can't reach the hub at http://127.0.0.1:");
    await h.hub.setFault(null);
    const everything = [
      ...h.botMessages(USER).map((m) => m.text),
      ...h.tg.callbackAnswers.map((a) => a.text ?? ""),
      h.logs.join(""),
    ].join("\n");
    expect(everything).not.toContain(PASSWORD);
    expect(everything).not.toContain(encodeURIComponent(PASSWORD));
    expect(everything).not.toContain("hubuser");
    const auth = h.hub.requests.map((r) => r.headers.authorization);
    expect(auth.length).toBeGreaterThan(0);
    expect(new Set(auth)).toEqual(
      new Set([`Basic ${Buffer.from(`hubuser:${PASSWORD}`).toString("base64")}`]),
    );
  });
});
