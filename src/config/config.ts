/**
 * Configuration from the environment (and `.env`, loaded by the entry points), validated once at start-up.
 * A bad or missing value becomes one `ConfigError` whose message names the variable and says what to put there.
 */
import { z } from "zod";
import type { ClientOptions } from "../hub/index.js";
import { maskSettingValue, urlPassword, urlUserinfoBase64 } from "../util/secrets.js";

export class ConfigError extends Error {
  readonly code = "CONFIG_INVALID";
  override readonly name = "ConfigError";
}

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

function httpUrl(example: string) {
  return z
    .string()
    .trim()
    .refine((v) => /^https?:\/\/[^/\s]+/i.test(v) && URL.canParse(v), {
      message: `must be an http(s) URL, e.g. ${example}`,
    })
    .transform((v) => v.replace(/\/+$/, ""));
}

/** Node's timers take at most 2^31-1 ms (about 24.8 days); a longer value would fire at once. */
const MAX_TIMER_MS = 2_147_483_647;

function ms(defaultMs: number) {
  // A blank value means the default (not 0, which turns the timeout off).
  return z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ message: "must be a number of milliseconds" })
      .int("must be a whole number of milliseconds")
      .min(0, "must be 0 (off) or more")
      .max(MAX_TIMER_MS, `must be at most ${MAX_TIMER_MS} (about 24 days)`)
      .default(defaultMs),
  );
}

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

function int(defaultValue: number, min: number, max: number) {
  return z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ message: "must be a whole number" })
      .int("must be a whole number")
      .min(min, `must be at least ${min}`)
      .max(max, `must be at most ${max}`)
      .default(defaultValue),
  );
}

function bool(defaultValue: boolean) {
  return z.preprocess(
    (v) => (typeof v === "string" ? v.trim().toLowerCase() || undefined : v),
    z
      .enum(["true", "false", "1", "0", "yes", "no", "on", "off"], { message: "must be true or false" })
      .default(defaultValue ? "true" : "false")
      .transform((v) => ["true", "1", "yes", "on"].includes(v)),
  );
}

/** `*` (everyone), or Telegram user ids separated by commas or spaces. */
function userIds(allowStar: boolean) {
  return z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .refine((v) => (allowStar && v === "*") || /^-?\d+([\s,]+-?\d+)*$/.test(v), {
        message: allowStar
          ? "must be * (everyone) or Telegram user ids separated by commas, e.g. 12345678,87654321"
          : "must be Telegram user ids separated by commas, e.g. 12345678",
      })
      .transform((v): "*" | number[] => (v === "*" ? "*" : v.split(/[\s,]+/).map(Number)))
      .optional(),
  );
}

/** Every variable, its default and meaning. `.env.example` and the README's table mirror this list. */
const schema = z.object({
  TTSHUB_API_BASE: z.preprocess(blankToUndefined, httpUrl("http://10.0.0.2:7860/api").optional()),
  OLLAMA_URL: z.preprocess(blankToUndefined, httpUrl("http://127.0.0.1:11434").optional()),
  OLLAMA_API_KEY: z.preprocess(blankToUndefined, z.string().trim().optional()),
  TELEGRAM_BOT_TOKEN: z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .regex(/^\d+:[\w-]{30,}$/, "does not look like a bot token from @BotFather (digits:letters)")
      .optional(),
  ),
  HUB_CONNECT_TIMEOUT_MS: ms(10_000),
  HUB_REQUEST_TIMEOUT_MS: ms(30_000),
  HUB_FIRST_EVENT_TIMEOUT_MS: ms(120_000),
  HUB_IDLE_TIMEOUT_MS: ms(300_000),
  HUB_TOTAL_TIMEOUT_MS: ms(1_800_000),
  HUB_RETRIES: int(2, 0, 10),
  HUB_MAX_EVENT_BYTES: int(8 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
  HUB_MAX_BODY_BYTES: int(32 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
  TELEGRAM_API_ROOT: z.preprocess(blankToUndefined, httpUrl("http://127.0.0.1:8081").optional()),
  TELEGRAM_TIMEOUT_MS: int(45_000, 6_000, 600_000),
  STARTUP_TIMEOUT_MS: int(60_000, 1_000, 3_600_000),
  ALLOWED_USER_IDS: userIds(true),
  ADMIN_USER_IDS: userIds(false),
  DEFAULT_MODEL: z.preprocess(blankToUndefined, z.string().trim().optional()),
  OLLAMA_STREAM_DEFAULT: bool(true),
  OLLAMA_AI2AI_TURNS: int(10, 1, 1000),
  DATA_DIR: z.preprocess(blankToUndefined, z.string().trim().default("./data")),
  REDIS_URL: z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .refine((v) => /^rediss?:\/\//.test(v) && URL.canParse(v), {
        message: "must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379",
      })
      .optional(),
  ),
  MAX_CONCURRENT_GENERATIONS: int(1, 1, 64),
  MAX_PROMPT_CHARS: int(8000, 1, 100_000),
  MAX_ANSWER_CHARS: int(32_000, 500, 1_000_000),
  HISTORY_MAX_MESSAGES: int(40, 2, 1000),
  HISTORY_MAX_CHARS: int(24_000, 500, 1_000_000),
  RATE_LIMIT_PER_MINUTE: int(20, 1, 1000),
  LIVE_PRIVATE_INTERVAL_MS: int(400, 50, 60_000),
  LIVE_GROUP_INTERVAL_MS: int(3000, 50, 60_000),
  SHOW_THINKING: bool(true),
  LINK_PREVIEWS: bool(false),
  SHUTDOWN_GRACE_MS: int(15_000, 0, 600_000),
  HUB_OUTAGE_WINDOW_MS: int(30_000, 0, 600_000),
  LOG_LEVEL: z.preprocess(
    (v) => (typeof v === "string" ? v.trim().toLowerCase() || undefined : v),
    z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(", ")}` }).default("info"),
  ),
});

export type LogLevel = (typeof LOG_LEVELS)[number];

/** Everything the Telegram bot needs beyond the client. */
export interface BotConfig {
  token: string;
  apiRoot: string | undefined;
  /** Deadline of one Bot API call; the long poll waits at most 5 s less (and 30 s at most). */
  telegramTimeoutMs: number;
  /** How long start-up keeps trying to reach Telegram before it gives up with the reason. */
  startupTimeoutMs: number;
  /** Who may use the bot: everyone (`*`) or these user ids (admins always may). */
  allowedUserIds: "*" | ReadonlySet<number>;
  adminUserIds: ReadonlySet<number>;
  defaultModel: string | undefined;
  streamDefault: boolean;
  ai2aiTurns: number;
  dataDir: string;
  redisUrl: string | undefined;
  maxConcurrentGenerations: number;
  maxPromptChars: number;
  /** An answer (or AI↔AI line) is stopped here, with a note. */
  maxAnswerChars: number;
  historyMaxMessages: number;
  historyMaxChars: number;
  rateLimitPerMinute: number;
  privateEditIntervalMs: number;
  groupEditIntervalMs: number;
  showThinking: boolean;
  /** Telegram previews links in the model's answers (off: a preview fetches the URL with no click). */
  linkPreviews: boolean;
  shutdownGraceMs: number;
  /** How long a turn waits for a model server that is briefly away before it fails with Retry. */
  outageWindowMs: number;
}

export interface Config {
  /** Where models are reached: the hub when `TTSHUB_API_BASE` is set, else Ollama itself at `OLLAMA_URL`. */
  client: ClientOptions;
  telegramBotToken: string | undefined;
  logLevel: LogLevel;
  /** Set when the bot's own requirements (token, allowed users) are met; see `loadConfig`'s `requireBot`. */
  bot: BotConfig | undefined;
  /** Every secret the configuration holds (token, passwords in URLs, API key), for the logger to scrub. */
  secrets: string[];
}

/**
 * Validates `env` into a {@link Config}. Throws `ConfigError` with one line per problem, each naming the variable.
 * `requireBackend: false` lets commands that do not talk to a model (help) run without one.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv,
  { requireBackend = true, requireBot = false } = {},
): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? "configuration");
      const value = env[name];
      // A value is echoed to help, but never a secret: no token or key, and URLs with their password masked.
      const secret = name === "TELEGRAM_BOT_TOKEN" || name === "OLLAMA_API_KEY";
      const shown = secret || value === undefined ? "" : ` (got "${maskSettingValue(value)}")`;
      return `${name} ${issue.message}${shown}. Fix it in .env or the environment.`;
    });
    throw new ConfigError(lines.join("\n"));
  }
  const e = parsed.data;
  const base = e.TTSHUB_API_BASE ?? e.OLLAMA_URL;
  const missing: string[] = [];
  if (base === undefined && requireBackend) {
    missing.push(
      "Set TTSHUB_API_BASE to your hub (e.g. http://10.0.0.2:7860/api) or OLLAMA_URL to Ollama itself " +
        "(e.g. http://127.0.0.1:11434) in .env.",
    );
  }
  if (requireBot && e.TELEGRAM_BOT_TOKEN === undefined) {
    missing.push("Set TELEGRAM_BOT_TOKEN to the token @BotFather gave you, in .env.");
  }
  if (requireBot && e.ALLOWED_USER_IDS === undefined) {
    missing.push(
      "Set ALLOWED_USER_IDS to your Telegram user id (the bot tells you yours when you write to it), " +
        "or to * to let everyone use it, in .env.",
    );
  }
  if (missing.length > 0) throw new ConfigError(missing.join("\n"));
  const admins = new Set(e.ADMIN_USER_IDS === "*" ? [] : (e.ADMIN_USER_IDS ?? []));
  const bot: BotConfig | undefined =
    e.TELEGRAM_BOT_TOKEN === undefined
      ? undefined
      : {
          token: e.TELEGRAM_BOT_TOKEN,
          apiRoot: e.TELEGRAM_API_ROOT,
          telegramTimeoutMs: e.TELEGRAM_TIMEOUT_MS,
          startupTimeoutMs: e.STARTUP_TIMEOUT_MS,
          allowedUserIds:
            e.ALLOWED_USER_IDS === "*" ? "*" : new Set([...(e.ALLOWED_USER_IDS ?? []), ...admins]),
          adminUserIds: admins,
          defaultModel: e.DEFAULT_MODEL,
          streamDefault: e.OLLAMA_STREAM_DEFAULT,
          ai2aiTurns: e.OLLAMA_AI2AI_TURNS,
          dataDir: e.DATA_DIR,
          redisUrl: e.REDIS_URL,
          maxConcurrentGenerations: e.MAX_CONCURRENT_GENERATIONS,
          maxPromptChars: e.MAX_PROMPT_CHARS,
          maxAnswerChars: e.MAX_ANSWER_CHARS,
          historyMaxMessages: e.HISTORY_MAX_MESSAGES,
          historyMaxChars: e.HISTORY_MAX_CHARS,
          rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
          privateEditIntervalMs: e.LIVE_PRIVATE_INTERVAL_MS,
          groupEditIntervalMs: e.LIVE_GROUP_INTERVAL_MS,
          showThinking: e.SHOW_THINKING,
          linkPreviews: e.LINK_PREVIEWS,
          shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
          outageWindowMs: e.HUB_OUTAGE_WINDOW_MS,
        };
  return {
    bot,
    client: {
      mode: e.TTSHUB_API_BASE !== undefined ? "hub" : "direct",
      baseUrl: base ?? "",
      connectTimeoutMs: e.HUB_CONNECT_TIMEOUT_MS,
      requestTimeoutMs: e.HUB_REQUEST_TIMEOUT_MS,
      firstEventTimeoutMs: e.HUB_FIRST_EVENT_TIMEOUT_MS,
      idleTimeoutMs: e.HUB_IDLE_TIMEOUT_MS,
      totalTimeoutMs: e.HUB_TOTAL_TIMEOUT_MS,
      retries: e.HUB_RETRIES,
      apiKey: e.OLLAMA_API_KEY,
      maxEventBytes: e.HUB_MAX_EVENT_BYTES,
      maxBodyBytes: e.HUB_MAX_BODY_BYTES,
    },
    secrets: [
      e.TELEGRAM_BOT_TOKEN,
      e.OLLAMA_API_KEY,
      urlPassword(e.TTSHUB_API_BASE),
      urlPassword(e.OLLAMA_URL),
      urlPassword(e.REDIS_URL),
      // As sent: the Basic authorization header's value.
      urlUserinfoBase64(e.TTSHUB_API_BASE),
      urlUserinfoBase64(e.OLLAMA_URL),
    ].filter((x): x is string => x !== undefined && x !== ""),
    telegramBotToken: e.TELEGRAM_BOT_TOKEN,
    logLevel: e.LOG_LEVEL,
  };
}
