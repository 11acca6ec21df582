/**
 * Configuration from the environment (and `.env`, loaded by the entry points), validated once at start-up.
 * A bad or missing value becomes one `ConfigError` whose message names the variable and says what to put there.
 */
import { z } from "zod";
import type { ClientOptions } from "../hub/index.js";

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

function ms(defaultMs: number) {
  return z.coerce
    .number({ message: "must be a number of milliseconds" })
    .int("must be a whole number of milliseconds")
    .min(0, "must be 0 (off) or more")
    .default(defaultMs);
}

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

/** Every variable, its default and meaning. `.env.example` and the README's table mirror this list. */
const schema = z.object({
  TTSHUB_API_BASE: z.preprocess(blankToUndefined, httpUrl("http://10.0.0.2:7860/api").optional()),
  OLLAMA_URL: z.preprocess(blankToUndefined, httpUrl("http://127.0.0.1:11434").optional()),
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
  HUB_RETRIES: z.coerce.number().int().min(0, "must be 0 or more").max(10, "must be 10 or less").default(2),
  LOG_LEVEL: z.preprocess(
    (v) => (typeof v === "string" ? v.trim().toLowerCase() || undefined : v),
    z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(", ")}` }).default("info"),
  ),
});

export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  /** Where models are reached: the hub when `TTSHUB_API_BASE` is set, else Ollama itself at `OLLAMA_URL`. */
  client: ClientOptions;
  telegramBotToken: string | undefined;
  logLevel: LogLevel;
}

/**
 * Validates `env` into a {@link Config}. Throws `ConfigError` with one line per problem, each naming the variable.
 * `requireBackend: false` lets commands that do not talk to a model (help) run without one.
 */
export function loadConfig(env: NodeJS.ProcessEnv, { requireBackend = true } = {}): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? "configuration");
      const value = env[name];
      const shown = name === "TELEGRAM_BOT_TOKEN" || value === undefined ? "" : ` (got "${value}")`;
      return `${name} ${issue.message}${shown}. Fix it in .env or the environment.`;
    });
    throw new ConfigError(lines.join("\n"));
  }
  const e = parsed.data;
  const base = e.TTSHUB_API_BASE ?? e.OLLAMA_URL;
  if (base === undefined && requireBackend) {
    throw new ConfigError(
      "Set TTSHUB_API_BASE to your hub (e.g. http://10.0.0.2:7860/api) or OLLAMA_URL to Ollama itself " +
        "(e.g. http://127.0.0.1:11434) in .env.",
    );
  }
  return {
    client: {
      mode: e.TTSHUB_API_BASE !== undefined ? "hub" : "direct",
      baseUrl: base ?? "",
      connectTimeoutMs: e.HUB_CONNECT_TIMEOUT_MS,
      requestTimeoutMs: e.HUB_REQUEST_TIMEOUT_MS,
      firstEventTimeoutMs: e.HUB_FIRST_EVENT_TIMEOUT_MS,
      idleTimeoutMs: e.HUB_IDLE_TIMEOUT_MS,
      totalTimeoutMs: e.HUB_TOTAL_TIMEOUT_MS,
      retries: e.HUB_RETRIES,
    },
    telegramBotToken: e.TELEGRAM_BOT_TOKEN,
    logLevel: e.LOG_LEVEL,
  };
}
