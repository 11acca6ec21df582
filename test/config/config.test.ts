import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, NOBODY_ALLOWED } from "../../src/config/index.js";
import { createLogger } from "../../src/log/index.js";

const TOKEN = "123456789:AAHfakeTokenForTestsOnly_abcdefghijklmnop";

describe("configuration", () => {
  it("fills every default and prefers the hub when both backends are set", () => {
    const c = loadConfig({
      TTSHUB_API_BASE: "http://10.0.0.2:7860/api/",
      OLLAMA_URL: "http://127.0.0.1:11434",
    });
    expect(c.client).toEqual({
      mode: "hub",
      baseUrl: "http://10.0.0.2:7860/api",
      connectTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      firstEventTimeoutMs: 120_000,
      idleTimeoutMs: 300_000,
      totalTimeoutMs: 1_800_000,
      retries: 2,
      apiKey: undefined,
      maxEventBytes: 8 * 1024 * 1024,
      maxBodyBytes: 32 * 1024 * 1024,
    });
    expect(c.logLevel).toBe("info");
  });

  it("takes the chats' model settings, refusing each bad one with its range, and every .env.example line parses", () => {
    const bot = (env: Record<string, string>) =>
      loadConfig(
        { OLLAMA_URL: "http://127.0.0.1:11434", TELEGRAM_BOT_TOKEN: TOKEN, ALLOWED_USER_IDS: "*", ...env },
        { requireBot: true },
      ).bot!;
    expect(bot({}).settings).toEqual({
      temperature: undefined,
      topP: undefined,
      numCtx: 8192,
      maxNumCtx: 32768,
      think: "on",
      showThinking: true,
      keepAlive: "30m",
    });
    expect(bot({}).preloadOnPick).toBe(true);
    const set = bot({
      DEFAULT_TEMPERATURE: "0.4",
      DEFAULT_TOP_P: "0.9",
      DEFAULT_NUM_CTX: "32768",
      DEFAULT_THINK: "High",
      DEFAULT_KEEP_ALIVE: "-1",
      PRELOAD_ON_PICK: "false",
    });
    expect(set.settings).toMatchObject({
      temperature: 0.4,
      topP: 0.9,
      numCtx: 32768,
      think: "high",
      keepAlive: "-1",
    });
    expect(set.preloadOnPick).toBe(false);
    let err: unknown;
    try {
      bot({
        DEFAULT_TEMPERATURE: "3",
        DEFAULT_TOP_P: "0",
        DEFAULT_NUM_CTX: "100",
        DEFAULT_THINK: "maybe",
        DEFAULT_KEEP_ALIVE: "soon",
      });
    } catch (e) {
      err = e;
    }
    const text = (err as ConfigError).message;
    expect(text).toMatch(/^DEFAULT_TEMPERATURE must be at most 2 \(got "3"\)/m);
    expect(text).toMatch(/^DEFAULT_TOP_P must be at least 0.01/m);
    expect(text).toMatch(/^DEFAULT_NUM_CTX must be at least 512/m);
    expect(text).toMatch(/^DEFAULT_THINK must be one of on, off, low, medium, high/m);
    expect(text).toMatch(/^DEFAULT_KEEP_ALIVE must be a duration like 30m or 2h/m);
  });

  it("uses Ollama directly when only OLLAMA_URL is set, and treats blank values as unset", () => {
    const c = loadConfig({ TTSHUB_API_BASE: "  ", OLLAMA_URL: "http://127.0.0.1:11434", LOG_LEVEL: "DEBUG" });
    expect(c.client.mode).toBe("direct");
    expect(c.logLevel).toBe("debug");
  });

  it("reports every bad value in one error, one line each, naming the variable", () => {
    let err: unknown;
    try {
      loadConfig(
        {
          OLLAMA_URL: "ftp://x",
          HUB_RETRIES: "-1",
          LOG_LEVEL: "loud",
          TELEGRAM_BOT_TOKEN: "secret-ish",
        },
        { requireBot: true },
      );
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const lines = (err as ConfigError).message.split("\n");
    expect(lines).toHaveLength(4);
    expect(lines.join("\n")).toMatch(/^OLLAMA_URL must be an http\(s\) URL/m);
    expect(lines.join("\n")).toMatch(/^HUB_RETRIES must be at least 0/m);
    expect(lines.join("\n")).toMatch(/^LOG_LEVEL must be one of fatal, error/m);
    expect(lines.join("\n")).toMatch(/^TELEGRAM_BOT_TOKEN does not look like a bot token/m);
    // The token's value is never echoed back, even when it is wrong.
    expect((err as ConfigError).message).not.toContain("secret-ish");
  });

  it("lists everything the bot still needs at once", () => {
    expect(() => loadConfig({}, { requireBot: true })).toThrow(
      new ConfigError(
        [
          "Set TTSHUB_API_BASE to your hub (e.g. http://10.0.0.2:7860/api) or OLLAMA_URL to Ollama itself (e.g. http://127.0.0.1:11434) in .env.",
          "Set TELEGRAM_BOT_TOKEN to the token @BotFather gave you, in .env.",
          "Set ALLOWED_USER_IDS to your Telegram user id, or to * to let everyone use it, in .env. Do not know your id? Leave it empty (ALLOWED_USER_IDS=), start the bot and write to it: it answers with your id.",
        ].join("\n"),
      ),
    );
    const c = loadConfig(
      {
        OLLAMA_URL: "http://127.0.0.1:11434",
        TELEGRAM_BOT_TOKEN: TOKEN,
        ALLOWED_USER_IDS: "1, 2",
        ADMIN_USER_IDS: "3",
      },
      { requireBot: true },
    );
    expect(c.bot?.allowedUserIds).toEqual(new Set([1, 2, 3])); // admins are always allowed
    expect(c.bot?.maxConcurrentGenerations).toBe(1);
  });

  it("takes a malformed token as no error where the bot does not run, and as one line (with the fix) where it does", () => {
    const env = {
      OLLAMA_URL: "http://127.0.0.1:11434",
      TELEGRAM_BOT_TOKEN: " not-a-token ",
      ALLOWED_USER_IDS: "1",
    };
    const cli = loadConfig(env);
    expect(cli.bot).toBeUndefined();
    expect(cli.telegramBotToken).toBeUndefined();
    // Still scrubbed from logs: a malformed token may be most of the real one.
    expect(cli.secrets).toContain("not-a-token");
    expect(() => loadConfig(env, { requireBot: true })).toThrow(
      new ConfigError(
        "TELEGRAM_BOT_TOKEN does not look like a bot token (digits:letters, e.g. 123456789:AAH…): copy it again from @BotFather (/mybots → your bot → API Token). Fix it in .env or the environment.",
      ),
    );
  });

  it("takes a blank ALLOWED_USER_IDS as nobody yet, with a warning for the bot to log, and an absent one as an error", () => {
    const env = { OLLAMA_URL: "http://127.0.0.1:11434", TELEGRAM_BOT_TOKEN: TOKEN };
    const nobody = loadConfig({ ...env, ALLOWED_USER_IDS: " " }, { requireBot: true }).bot!;
    expect(nobody.allowedUserIds).toEqual(new Set());
    expect(nobody.warnings).toEqual([NOBODY_ALLOWED]);
    expect(NOBODY_ALLOWED).toContain("ALLOWED_USER_IDS is empty: nobody can use the bot yet");
    // Admins are always allowed: the list is not empty then, and there is nothing to warn about.
    const admins = loadConfig({ ...env, ALLOWED_USER_IDS: "", ADMIN_USER_IDS: "3" }, { requireBot: true })
      .bot!;
    expect(admins.allowedUserIds).toEqual(new Set([3]));
    expect(admins.warnings).toEqual([]);
    expect(loadConfig({ ...env, ALLOWED_USER_IDS: "*" }, { requireBot: true }).bot!.warnings).toEqual([]);
    expect(() => loadConfig(env, { requireBot: true })).toThrow(
      /^Set ALLOWED_USER_IDS to your Telegram user id/,
    );
  });

  it("takes a webhook only with its secret, over https (or http to a local Bot API server), and never echoes the secret", () => {
    const base = { OLLAMA_URL: "http://127.0.0.1:11434", TELEGRAM_BOT_TOKEN: TOKEN, ALLOWED_USER_IDS: "1" };
    const hook = loadConfig(
      { ...base, WEBHOOK_URL: "https://bot.example.com/tg/hook", WEBHOOK_SECRET: "s".repeat(32) },
      { requireBot: true },
    );
    expect(hook.bot?.webhook).toEqual({
      url: "https://bot.example.com/tg/hook",
      secret: "s".repeat(32),
      host: "0.0.0.0",
      port: 8080,
      path: "/tg/hook",
      maxConnections: 40,
    });
    expect(hook.secrets).toContain("s".repeat(32));
    expect(loadConfig(base, { requireBot: true }).bot?.webhook).toBeUndefined();
    expect(() =>
      loadConfig({ ...base, WEBHOOK_URL: "https://bot.example.com/tg" }, { requireBot: true }),
    ).toThrow(/Set WEBHOOK_SECRET with WEBHOOK_URL/);
    expect(() =>
      loadConfig(
        { ...base, WEBHOOK_URL: "http://bot.example.com/tg", WEBHOOK_SECRET: "s".repeat(32) },
        { requireBot: true },
      ),
    ).toThrow(/must be https:\/\//);
    const local = loadConfig(
      {
        ...base,
        TELEGRAM_API_ROOT: "http://127.0.0.1:8081",
        WEBHOOK_URL: "http://bot:8080/tg",
        WEBHOOK_SECRET: "s".repeat(32),
        WEBHOOK_PATH: "/in",
      },
      { requireBot: true },
    );
    expect(local.bot?.webhook?.path).toBe("/in");
    try {
      loadConfig(
        { ...base, WEBHOOK_URL: "https://bot.example.com/tg", WEBHOOK_SECRET: "short secret!" },
        { requireBot: true },
      );
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).toContain("WEBHOOK_SECRET must be 16 to 256 letters");
      expect((err as Error).message).not.toContain("short secret");
    }
  });

  it("gives DATA_DIR to every command, not only the bot (health --bot reads the heartbeat there)", () => {
    expect(loadConfig({ OLLAMA_URL: "http://127.0.0.1:11434" }).dataDir).toBe("./data");
    expect(loadConfig({ OLLAMA_URL: "http://127.0.0.1:11434", DATA_DIR: " /data " }).dataDir).toBe("/data");
  });

  it("lets a command that needs no backend run without one", () => {
    expect(loadConfig({}, { requireBackend: false }).client.baseUrl).toBe("");
    expect(() => loadConfig({})).toThrow(/Set TTSHUB_API_BASE/);
  });
});

describe("logger", () => {
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

  it("writes JSON lines and never the bot token, in fields, messages or errors", () => {
    const { lines, destination } = capture();
    const log = createLogger({ level: "info", secrets: [TOKEN], destination });
    log.info({ token: TOKEN, chatId: 42 }, "starting");
    log.info(`calling https://api.telegram.org/bot${TOKEN}/getMe`);
    log.error({ err: new Error(`request to /bot${TOKEN}/sendMessage failed`) }, "send failed");
    const out = lines.join("");
    expect(out).not.toContain(TOKEN);
    // the field, the message, and the error (its message and its stack)
    expect(out.match(/\[redacted\]/g)).toHaveLength(4);
    const first = JSON.parse(lines[0]!);
    expect(first).toMatchObject({ level: 30, chatId: 42, msg: "starting", token: "[redacted]" });
  });

  it("respects the level", () => {
    const { lines, destination } = capture();
    const log = createLogger({ level: "warn", destination });
    log.info("hidden");
    log.warn("shown");
    expect(lines).toHaveLength(1);
  });

  it("takes a blank value as the default (never as 0, which would turn a timeout off), and refuses timers Node cannot hold", () => {
    const c = loadConfig({ OLLAMA_URL: "http://127.0.0.1:11434", HUB_IDLE_TIMEOUT_MS: " ", HUB_RETRIES: "" });
    expect(c.client.idleTimeoutMs).toBe(300_000);
    expect(c.client.retries).toBe(2);
    expect(() =>
      loadConfig({ OLLAMA_URL: "http://127.0.0.1:11434", HUB_TOTAL_TIMEOUT_MS: "3000000000" }),
    ).toThrow(/HUB_TOTAL_TIMEOUT_MS must be at most 2147483647/);
  });
});
