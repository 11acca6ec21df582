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

/** How answers stream: drafts in private chats where Telegram takes them (auto), always tried (draft), or edits. */
const LIVE_MODES = ["auto", "draft", "edit"] as const;
export type LiveMode = (typeof LIVE_MODES)[number];
const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** An http(s) URL with a host (what the clients accept). */
const isHttpUrl = (v: string) => /^https?:\/\/[^/\s]+/i.test(v) && URL.canParse(v);

function httpUrl(example: string) {
  return z
    .string()
    .trim()
    .refine(isHttpUrl, {
      message: `must be an http(s) URL, e.g. ${example}`,
    })
    .transform((v) => v.replace(/\/+$/, ""));
}

/** One entry of MODEL_HOSTS, parsed. */
export interface HostConfig {
  name: string;
  client: ClientOptions;
  concurrency: number;
}

const HOST_NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/i;
const HOSTS_EXAMPLE = "mac hub http://10.0.0.2:7860/api 1, gpu ollama http://10.0.0.3:11434 2";

/**
 * MODEL_HOSTS: entries separated by commas, each `name kind url [concurrency]` (kind `hub` or `ollama`;
 * concurrency default 1), e.g. `mac hub http://10.0.0.2:7860/api 1, gpu ollama http://10.0.0.3:11434 2`.
 */
function modelHosts() {
  return z.preprocess(
    blankToUndefined,
    z
      .string()
      .transform((v, ctx) => {
        const hosts: Array<{ name: string; mode: "hub" | "direct"; url: string; concurrency: number }> = [];
        for (const [i, raw] of v.split(",").entries()) {
          const fields = raw.trim().split(/\s+/);
          const [name = "", kind = "", url = "", slots = "1", ...rest] = fields;
          const n = Number(slots);
          const problem = !HOST_NAME.test(name)
            ? "needs a name of letters, digits, - or _ first"
            : kind !== "hub" && kind !== "ollama"
              ? "needs hub or ollama after the name"
              : !isHttpUrl(url)
                ? "needs an http(s) URL after the kind"
                : !Number.isInteger(n) || n < 1 || n > 64
                  ? "needs a concurrency from 1 to 64 (or none, for 1) after the URL"
                  : rest.length > 0
                    ? "has more than name, kind, URL and concurrency (entries are separated by commas)"
                    : hosts.some((h) => h.name === name)
                      ? "repeats a name used before"
                      : undefined;
          if (problem) {
            ctx.addIssue({ code: "custom", message: `entry ${i + 1} ${problem}; e.g. ${HOSTS_EXAMPLE}` });
            return z.NEVER;
          }
          hosts.push({
            name,
            mode: kind === "hub" ? "hub" : "direct",
            url: url.replace(/\/+$/, ""),
            concurrency: n,
          });
        }
        return hosts;
      })
      .optional(),
  );
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

/** An optional decimal in [min, max]; unset means the model's own value (nothing is sent). */
function decimal(min: number, max: number) {
  return z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ message: "must be a number" })
      .min(min, `must be at least ${min}`)
      .max(max, `must be at most ${max}`)
      .optional(),
  );
}

const THINK_CHOICES = ["on", "off", "low", "medium", "high"] as const;

/** Photos, voice notes and documents users send. */
export interface MediaConfig {
  /** The largest file taken (Telegram's cloud serves at most 20 MB; a local Bot API server up to 2000 MB). */
  maxFileBytes: number;
  downloadTimeoutMs: number;
  /** The photo size taken: the largest Telegram offers whose longer edge fits this. */
  imageMaxEdge: number;
  /** The disk the image cache (DATA_DIR/images) may use. */
  imageCacheBytes: number;
  /** Past images sent again with a turn (newest first), so follow-up questions about a photo work. */
  historyImages: number;
  /** Offered to admins when a photo comes and no installed model can see. */
  visionPullModel: string;
  /** The longest voice message an answer read aloud becomes; the rest is said to be left out. */
  voiceMaxSeconds: number;
}

/** The model settings a chat starts with (each chat may change them with /settings). */
export interface SettingDefaults {
  /** Undefined: the model's own (nothing sent). */
  temperature: number | undefined;
  topP: number | undefined;
  /** `num_ctx` sent with every request, bounded by the model's own context length. */
  numCtx: number;
  /** The largest context a chat may ask for (memory on the model server is shared by every chat). */
  maxNumCtx: number;
  think: (typeof THINK_CHOICES)[number];
  showThinking: boolean;
  keepAlive: string;
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

/**
 * `*` (everyone), or Telegram user ids separated by commas or spaces. Blank (set but empty) is no one: the
 * variable is there, the list is not yet (`undefined` is kept for a variable that is absent).
 */
function userIds(allowStar: boolean) {
  return z
    .string()
    .trim()
    .refine((v) => v === "" || (allowStar && v === "*") || /^-?\d+([\s,]+-?\d+)*$/.test(v), {
      message: allowStar
        ? "must be * (everyone) or Telegram user ids separated by commas, e.g. 12345678,87654321"
        : "must be Telegram user ids separated by commas, e.g. 12345678",
    })
    .transform((v): "*" | number[] => (v === "*" ? "*" : v === "" ? [] : v.split(/[\s,]+/).map(Number)))
    .optional();
}

/** A token as @BotFather gives it. Checked only where the bot is to run: a CLI command has no use for it. */
const BOT_TOKEN = /^\d+:[\w-]{30,}$/;

/**
 * Set but empty: the bot runs and answers nobody yet. Said at start-up (the bot logs `BotConfig.warnings`) and by
 * `doctor`, since a bot that answers no one looks broken to whoever set it up.
 */
export const NOBODY_ALLOWED =
  "ALLOWED_USER_IDS is empty: nobody can use the bot yet; each person who writes to it privately is told " +
  "their user id, to add to ALLOWED_USER_IDS (then restart the bot)";

/** Every variable, its default and meaning. `.env.example` and the README's table mirror this list. */
const schema = z.object({
  TTSHUB_API_BASE: z.preprocess(blankToUndefined, httpUrl("http://10.0.0.2:7860/api").optional()),
  OLLAMA_URL: z.preprocess(blankToUndefined, httpUrl("http://127.0.0.1:11434").optional()),
  MODEL_HOSTS: modelHosts(),
  HOST_CHECK_INTERVAL_MS: int(15_000, 1_000, 3_600_000),
  OLLAMA_API_KEY: z.preprocess(blankToUndefined, z.string().trim().optional()),
  // Its form is checked in loadConfig, and only when the bot is to run (see BOT_TOKEN).
  TELEGRAM_BOT_TOKEN: z.preprocess(blankToUndefined, z.string().trim().optional()),
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
  TELEGRAM_API_LOCAL: bool(false),
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
  WEBHOOK_URL: z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .refine((v) => /^https?:\/\//.test(v) && URL.canParse(v), {
        message:
          "must be the public https:// URL Telegram posts updates to, e.g. https://bot.example.com/telegram",
      })
      .optional(),
  ),
  WEBHOOK_SECRET: z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_-]{16,256}$/, {
        message:
          "must be 16 to 256 letters, digits, _ or - (Telegram's rule, with a floor against guessing); make one with: openssl rand -hex 32",
      })
      .optional(),
  ),
  WEBHOOK_PORT: int(8080, 0, 65_535),
  WEBHOOK_HOST: z.preprocess(blankToUndefined, z.string().trim().default("0.0.0.0")),
  WEBHOOK_PATH: z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .regex(/^\/[\w\-./~%]*$/, { message: "must be a path starting with /, e.g. /telegram" })
      .optional(),
  ),
  WEBHOOK_MAX_CONNECTIONS: int(40, 1, 100),
  CLUSTER_LEASE_MS: int(15_000, 1_000, 600_000),
  MAX_CONCURRENT_GENERATIONS: int(1, 1, 64),
  MAX_PROMPT_CHARS: int(8000, 1, 100_000),
  MAX_ANSWER_CHARS: int(32_000, 500, 1_000_000),
  HISTORY_MAX_MESSAGES: int(40, 2, 1000),
  HISTORY_MAX_CHARS: int(24_000, 500, 1_000_000),
  RATE_LIMIT_PER_MINUTE: int(20, 1, 1000),
  LIVE_PRIVATE_INTERVAL_MS: int(400, 50, 60_000),
  LIVE_GROUP_INTERVAL_MS: int(3000, 50, 60_000),
  TELEGRAM_MAX_CALLS_PER_SECOND: int(1000, 1, 100_000),
  LIVE_MODE: z.preprocess(
    (v) => (typeof v === "string" ? blankToUndefined(v.trim().toLowerCase()) : v),
    z.enum(LIVE_MODES, { message: `must be one of ${LIVE_MODES.join(", ")}` }).default("auto"),
  ),
  SHOW_THINKING: bool(true),
  PRELOAD_ON_PICK: bool(true),
  MEDIA_MAX_MB: int(20, 1, 2000),
  VOICE_MAX_SECONDS: int(300, 10, 3600),
  MEDIA_DOWNLOAD_TIMEOUT_MS: int(60_000, 1_000, 600_000),
  IMAGE_MAX_EDGE: int(1280, 160, 4096),
  IMAGE_CACHE_MB: int(200, 1, 100_000),
  HISTORY_MAX_IMAGES: int(4, 0, 20),
  VISION_PULL_MODEL: z.preprocess(blankToUndefined, z.string().trim().default("gemma3:4b")),
  DEFAULT_TEMPERATURE: decimal(0, 2),
  DEFAULT_TOP_P: decimal(0.01, 1),
  DEFAULT_NUM_CTX: int(8192, 512, 1_048_576),
  MAX_NUM_CTX: int(32_768, 512, 1_048_576),
  DEFAULT_THINK: z.preprocess(
    (v) => (typeof v === "string" ? v.trim().toLowerCase() || undefined : v),
    z.enum(THINK_CHOICES, { message: `must be one of ${THINK_CHOICES.join(", ")}` }).default("on"),
  ),
  DEFAULT_KEEP_ALIVE: z.preprocess(
    (v) => (typeof v === "string" ? v.trim().toLowerCase() || undefined : v),
    z
      .string()
      .regex(/^(-1|0|\d{1,6}[smh])$/, {
        message: "must be a duration like 30m or 2h, 0 (unload) or -1 (forever)",
      })
      .default("30m"),
  ),
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
  /**
   * The Bot API server at `apiRoot` runs with `--local`: it gives bots files up to 2000 MB, as paths on its disk
   * (which this process must be able to read), instead of the cloud's 20 MB.
   */
  apiLocal: boolean;
  /** Deadline of one Bot API call; the long poll waits at most 5 s less (and 30 s at most). */
  telegramTimeoutMs: number;
  /** How long start-up keeps trying to reach Telegram before it gives up with the reason. */
  startupTimeoutMs: number;
  /**
   * Who may use the bot: everyone (`*`) or these user ids (admins always may). Empty when `ALLOWED_USER_IDS` is
   * set but blank and there are no admins: nobody yet (see `warnings`).
   */
  allowedUserIds: "*" | ReadonlySet<number>;
  adminUserIds: ReadonlySet<number>;
  defaultModel: string | undefined;
  streamDefault: boolean;
  ai2aiTurns: number;
  dataDir: string;
  redisUrl: string | undefined;
  /** Updates come by webhook instead of long polling (WEBHOOK_URL set). */
  webhook: WebhookConfig | undefined;
  /**
   * Several processes (WEBHOOK_URL and REDIS_URL): how long one that stops renewing keeps its chats before another
   * takes them over (and recovers what it cut).
   */
  clusterLeaseMs: number;
  maxConcurrentGenerations: number;
  maxPromptChars: number;
  /** An answer (or AI↔AI line) is stopped here, with a note. */
  maxAnswerChars: number;
  historyMaxMessages: number;
  historyMaxChars: number;
  rateLimitPerMinute: number;
  privateEditIntervalMs: number;
  groupEditIntervalMs: number;
  /** The bot-wide ceiling of Telegram calls a second (lowered for a while after any 429). */
  telegramCallsPerSecond: number;
  /** `auto`: drafts in private chats, edits where a draft is refused (remembered); `draft`: drafts tried every time; `edit`: never. */
  liveMode: LiveMode;
  showThinking: boolean;
  /** What each chat's model settings are until it changes them. */
  settings: SettingDefaults;
  media: MediaConfig;
  /** Picking a model loads it in the background, so the first answer does not wait for the load. */
  preloadOnPick: boolean;
  /** Telegram previews links in the model's answers (off: a preview fetches the URL with no click). */
  linkPreviews: boolean;
  shutdownGraceMs: number;
  /** How long a turn waits for a model server that is briefly away before it fails with Retry. */
  outageWindowMs: number;
  /**
   * Settings the bot runs with but that are probably not meant (an allow-list with nobody on it): one sentence
   * each, for the bot to log at start-up and `doctor` to show.
   */
  warnings: readonly string[];
}

/** Where Telegram posts updates, and where this process listens for them (behind a TLS proxy, usually). */
export interface WebhookConfig {
  /** The public URL given to setWebhook. */
  url: string;
  /** Sent by Telegram in `X-Telegram-Bot-Api-Secret-Token`; a request without it is refused. */
  secret: string;
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** The path this process serves: WEBHOOK_PATH, or the URL's own path. */
  path: string;
  /** How many connections Telegram may open at once (setWebhook's max_connections). */
  maxConnections: number;
}

export interface Config {
  /** Where models are reached: the hub when `TTSHUB_API_BASE` is set, else Ollama itself at `OLLAMA_URL`. */
  client: ClientOptions;
  /** The bot's token when it is well-formed. */
  telegramBotToken: string | undefined;
  logLevel: LogLevel;
  /**
   * Set when there is a well-formed token; with `loadConfig`'s `requireBot`, always (or it throws).
   */
  bot: BotConfig | undefined;
  /**
   * MODEL_HOSTS: several hubs and/or Ollama servers, each with its own concurrency (then `client` is the first
   * one's, for the CLI). Undefined: one host, `client`.
   */
  hosts: HostConfig[] | undefined;
  /** Between two background checks of every host (HOST_CHECK_INTERVAL_MS). */
  hostCheckIntervalMs: number;
  /** `DATA_DIR`: where the bot keeps sessions and its heartbeat (read by `health --bot`). */
  dataDir: string;
  /** Every secret the configuration holds (token, passwords in URLs, API key), for the logger to scrub. */
  secrets: string[];
}

/**
 * Validates `env` into a {@link Config}. Throws `ConfigError` with one line per problem, each naming the variable.
 * `requireBackend: false` lets commands that do not talk to a model (help) run without one. `requireBot: true`
 * (the bot, `doctor`) also requires a well-formed token and `ALLOWED_USER_IDS`; without it a malformed token is
 * no error (a CLI command has no use for it) and `bot` is left undefined.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv,
  { requireBackend = true, requireBot = false } = {},
): Config {
  const parsed = schema.safeParse(env);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? "configuration");
        const value = env[name];
        // A value is echoed to help, but never a secret: no token or key, and URLs with their password masked.
        const secret =
          name === "TELEGRAM_BOT_TOKEN" || name === "OLLAMA_API_KEY" || name === "WEBHOOK_SECRET";
        const shown = secret || value === undefined ? "" : ` (got "${maskSettingValue(value)}")`;
        return `${name} ${issue.message}${shown}. Fix it in .env or the environment.`;
      });
  const rawToken = env.TELEGRAM_BOT_TOKEN?.trim() || undefined;
  const token = rawToken !== undefined && BOT_TOKEN.test(rawToken) ? rawToken : undefined;
  if (requireBot && rawToken !== undefined && token === undefined) {
    problems.push(
      "TELEGRAM_BOT_TOKEN does not look like a bot token (digits:letters, e.g. 123456789:AAH…): copy it again " +
        "from @BotFather (/mybots → your bot → API Token). Fix it in .env or the environment.",
    );
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems.join("\n"));
  const e = parsed.data;
  const firstHost = e.MODEL_HOSTS?.[0];
  const base = e.TTSHUB_API_BASE ?? e.OLLAMA_URL ?? firstHost?.url;
  const missing: string[] = [];
  if (e.MODEL_HOSTS !== undefined && (e.TTSHUB_API_BASE !== undefined || e.OLLAMA_URL !== undefined)) {
    missing.push(
      "Set either MODEL_HOSTS (several hosts) or TTSHUB_API_BASE/OLLAMA_URL (one), not both: put the one host " +
        "into MODEL_HOSTS as well, or remove MODEL_HOSTS.",
    );
  }
  if (base === undefined && requireBackend) {
    missing.push(
      "Set TTSHUB_API_BASE to your hub (e.g. http://10.0.0.2:7860/api) or OLLAMA_URL to Ollama itself " +
        "(e.g. http://127.0.0.1:11434) in .env.",
    );
  }
  if (requireBot && rawToken === undefined) {
    missing.push("Set TELEGRAM_BOT_TOKEN to the token @BotFather gave you, in .env.");
  }
  if (requireBot && e.ALLOWED_USER_IDS === undefined) {
    // Absent is an error (a forgotten line), blank is not (nobody yet): the bot then tells each person their id.
    missing.push(
      "Set ALLOWED_USER_IDS to your Telegram user id, or to * to let everyone use it, in .env. Do not know your " +
        "id? Leave it empty (ALLOWED_USER_IDS=), start the bot and write to it: it answers with your id.",
    );
  }
  if (e.WEBHOOK_URL !== undefined && e.WEBHOOK_SECRET === undefined) {
    missing.push(
      "Set WEBHOOK_SECRET with WEBHOOK_URL: without it anybody who finds the URL could post updates as Telegram " +
        "(make one with: openssl rand -hex 32).",
    );
  }
  if (e.WEBHOOK_URL?.startsWith("http://") && e.TELEGRAM_API_ROOT === undefined) {
    missing.push(
      "WEBHOOK_URL must be https:// (Telegram posts to https only); put a TLS reverse proxy in front of the bot. " +
        "Plain http works with a local Bot API server (TELEGRAM_API_ROOT) only.",
    );
  }
  if (missing.length > 0) throw new ConfigError(missing.join("\n"));
  const admins = new Set(e.ADMIN_USER_IDS === "*" ? [] : (e.ADMIN_USER_IDS ?? []));
  const allowed: "*" | ReadonlySet<number> =
    e.ALLOWED_USER_IDS === "*" ? "*" : new Set([...(e.ALLOWED_USER_IDS ?? []), ...admins]);
  const bot: BotConfig | undefined =
    token === undefined
      ? undefined
      : {
          token,
          apiRoot: e.TELEGRAM_API_ROOT,
          apiLocal: e.TELEGRAM_API_LOCAL && e.TELEGRAM_API_ROOT !== undefined,
          telegramTimeoutMs: e.TELEGRAM_TIMEOUT_MS,
          startupTimeoutMs: e.STARTUP_TIMEOUT_MS,
          allowedUserIds: allowed,
          adminUserIds: admins,
          defaultModel: e.DEFAULT_MODEL,
          streamDefault: e.OLLAMA_STREAM_DEFAULT,
          ai2aiTurns: e.OLLAMA_AI2AI_TURNS,
          dataDir: e.DATA_DIR,
          redisUrl: e.REDIS_URL,
          webhook:
            e.WEBHOOK_URL === undefined || e.WEBHOOK_SECRET === undefined
              ? undefined
              : {
                  url: e.WEBHOOK_URL,
                  secret: e.WEBHOOK_SECRET,
                  host: e.WEBHOOK_HOST,
                  port: e.WEBHOOK_PORT,
                  path: e.WEBHOOK_PATH ?? (new URL(e.WEBHOOK_URL).pathname || "/"),
                  maxConnections: e.WEBHOOK_MAX_CONNECTIONS,
                },
          clusterLeaseMs: e.CLUSTER_LEASE_MS,
          maxConcurrentGenerations: e.MAX_CONCURRENT_GENERATIONS,
          maxPromptChars: e.MAX_PROMPT_CHARS,
          maxAnswerChars: e.MAX_ANSWER_CHARS,
          historyMaxMessages: e.HISTORY_MAX_MESSAGES,
          historyMaxChars: e.HISTORY_MAX_CHARS,
          rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
          privateEditIntervalMs: e.LIVE_PRIVATE_INTERVAL_MS,
          groupEditIntervalMs: e.LIVE_GROUP_INTERVAL_MS,
          liveMode: e.LIVE_MODE,
          telegramCallsPerSecond: e.TELEGRAM_MAX_CALLS_PER_SECOND,
          showThinking: e.SHOW_THINKING,
          preloadOnPick: e.PRELOAD_ON_PICK,
          media: {
            maxFileBytes: e.MEDIA_MAX_MB * 1024 * 1024,
            downloadTimeoutMs: e.MEDIA_DOWNLOAD_TIMEOUT_MS,
            imageMaxEdge: e.IMAGE_MAX_EDGE,
            imageCacheBytes: e.IMAGE_CACHE_MB * 1024 * 1024,
            historyImages: e.HISTORY_MAX_IMAGES,
            visionPullModel: e.VISION_PULL_MODEL,
            voiceMaxSeconds: e.VOICE_MAX_SECONDS,
          },
          settings: {
            temperature: e.DEFAULT_TEMPERATURE,
            topP: e.DEFAULT_TOP_P,
            numCtx: e.DEFAULT_NUM_CTX,
            maxNumCtx: e.MAX_NUM_CTX,
            think: e.DEFAULT_THINK,
            showThinking: e.SHOW_THINKING,
            keepAlive: e.DEFAULT_KEEP_ALIVE,
          },
          linkPreviews: e.LINK_PREVIEWS,
          shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
          outageWindowMs: e.HUB_OUTAGE_WINDOW_MS,
          warnings: allowed !== "*" && allowed.size === 0 ? [NOBODY_ALLOWED] : [],
        };
  const clientOf = (mode: "hub" | "direct", baseUrl: string): ClientOptions => ({
    mode,
    baseUrl,
    connectTimeoutMs: e.HUB_CONNECT_TIMEOUT_MS,
    requestTimeoutMs: e.HUB_REQUEST_TIMEOUT_MS,
    firstEventTimeoutMs: e.HUB_FIRST_EVENT_TIMEOUT_MS,
    idleTimeoutMs: e.HUB_IDLE_TIMEOUT_MS,
    totalTimeoutMs: e.HUB_TOTAL_TIMEOUT_MS,
    retries: e.HUB_RETRIES,
    apiKey: e.OLLAMA_API_KEY,
    maxEventBytes: e.HUB_MAX_EVENT_BYTES,
    maxBodyBytes: e.HUB_MAX_BODY_BYTES,
  });
  const hostUrls = e.MODEL_HOSTS?.map((h) => h.url) ?? [];
  return {
    bot,
    dataDir: e.DATA_DIR,
    hosts: e.MODEL_HOSTS?.map((h) => ({
      name: h.name,
      client: clientOf(h.mode, h.url),
      concurrency: h.concurrency,
    })),
    hostCheckIntervalMs: e.HOST_CHECK_INTERVAL_MS,
    client: clientOf(
      e.TTSHUB_API_BASE !== undefined
        ? "hub"
        : e.OLLAMA_URL !== undefined
          ? "direct"
          : (firstHost?.mode ?? "direct"),
      base ?? "",
    ),
    secrets: [
      // As written, well-formed or not: a malformed token may still be most of the real one.
      rawToken,
      e.OLLAMA_API_KEY,
      urlPassword(e.TTSHUB_API_BASE),
      urlPassword(e.OLLAMA_URL),
      urlPassword(e.REDIS_URL),
      e.WEBHOOK_SECRET,
      // As sent: the Basic authorization header's value.
      urlUserinfoBase64(e.TTSHUB_API_BASE),
      urlUserinfoBase64(e.OLLAMA_URL),
      ...hostUrls.flatMap((u) => [urlPassword(u), urlUserinfoBase64(u)]),
    ].filter((x): x is string => x !== undefined && x !== ""),
    telegramBotToken: token,
    logLevel: e.LOG_LEVEL,
  };
}
