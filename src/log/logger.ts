import { type DestinationStream, type Logger, pino } from "pino";
import pretty from "pino-pretty";
import type { LogLevel } from "../config/index.js";
import { maskUrl } from "../util/secrets.js";

export type { Logger };

export interface LoggerOptions {
  level?: LogLevel;
  /**
   * Strings never to be written (the bot token, passwords, API keys): replaced by `[redacted]` wherever they
   * appear in the serialized line, however deep an error nests them.
   */
  secrets?: ReadonlyArray<string | undefined>;
  /** Pretty, human output instead of JSON lines. Default: when stderr is a terminal. */
  pretty?: boolean;
  /** Where lines go (tests). Default stderr, so stdout stays the program's output. */
  destination?: DestinationStream;
  /**
   * Serializes errors a layer knows better than pino does (grammY's: method, code and description, never the
   * payload, which holds the user's text). Returns undefined for errors it does not know.
   */
  serializeError?: (err: unknown) => Record<string, unknown> | undefined;
}

/** Field paths whose values are always redacted, whatever their content. */
const REDACT = [
  "token",
  "*.token",
  "botToken",
  "*.botToken",
  "telegramBotToken",
  "*.telegramBotToken",
  "apiKey",
  "*.apiKey",
  "headers.authorization",
  "*.headers.authorization",
  "payload",
  "*.payload",
  "err.payload",
];

/** Every form a secret can take in a JSON line: as is, JSON-escaped, and percent-encoded (inside a URL). */
function forms(secret: string): string[] {
  return [...new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)])];
}

/**
 * The serialized line, scrubbed: each secret in every form, and any URL's password. Applied to the whole line,
 * because errors nest (grammY's HttpError carries the fetch error, whose message holds the URL with the token).
 */
export function scrubber(secrets: ReadonlyArray<string | undefined>): (line: string) => string {
  const all = secrets
    .filter((s): s is string => typeof s === "string" && s.length >= 6)
    .flatMap(forms)
    .sort((a, b) => b.length - a.length);
  return (line) => maskUrl(all.reduce((acc, secret) => acc.split(secret).join("[redacted]"), line));
}

/**
 * pino, JSON by default and pretty when a person is watching. Known secret fields are redacted by path, and
 * every line is scrubbed of the secret strings on its way to the stream.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const scrub = scrubber(options.secrets ?? []);
  const usePretty = options.pretty ?? (process.stderr.isTTY === true && options.destination === undefined);
  const target: DestinationStream =
    options.destination ??
    (usePretty
      ? pretty({ destination: 2, translateTime: "SYS:HH:MM:ss", sync: true })
      : pino.destination({ dest: 2, sync: false }));
  const stream: DestinationStream = { write: (line: string) => target.write(scrub(line)) };
  const serializeError = options.serializeError;
  return pino(
    {
      level: options.level ?? "info",
      redact: { paths: REDACT, censor: "[redacted]" },
      serializers: {
        err: (err: unknown) => serializeError?.(err) ?? pino.stdSerializers.err(err as Error),
      },
    },
    stream,
  );
}
