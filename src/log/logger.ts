import { type DestinationStream, type Logger, pino } from "pino";
import type { LogLevel } from "../config/index.js";

export type { Logger };

export interface LoggerOptions {
  level?: LogLevel;
  /** Strings never to be written (the bot token): replaced by `[redacted]` wherever they appear in a message. */
  secrets?: ReadonlyArray<string | undefined>;
  /** Pretty, human output instead of JSON lines. Default: when stderr is a terminal. */
  pretty?: boolean;
  /** Where lines go (tests). Default stderr, so stdout stays the program's output. */
  destination?: DestinationStream;
}

/** Field paths whose values are always redacted, whatever their content. */
const REDACT = [
  "token",
  "*.token",
  "botToken",
  "*.botToken",
  "telegramBotToken",
  "*.telegramBotToken",
  "headers.authorization",
  "*.headers.authorization",
];

/**
 * pino, JSON by default and pretty when a person is watching. Secrets are removed twice over: known fields by
 * path, and the secret strings themselves from messages and error texts (a token can hide inside a URL).
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const secrets = (options.secrets ?? []).filter((s): s is string => typeof s === "string" && s.length >= 8);
  const scrub = (s: string) => secrets.reduce((acc, secret) => acc.split(secret).join("[redacted]"), s);
  const pretty = options.pretty ?? (process.stderr.isTTY === true && options.destination === undefined);
  const base = {
    level: options.level ?? "info",
    redact: { paths: REDACT, censor: "[redacted]" },
    serializers: {
      err: (err: unknown) => {
        const out = pino.stdSerializers.err(err as Error);
        if (secrets.length > 0) {
          out.message = scrub(out.message);
          if (out.stack) out.stack = scrub(out.stack);
        }
        return out;
      },
    },
    hooks: {
      logMethod(this: Logger, args: unknown[], method: (...a: unknown[]) => void) {
        if (secrets.length > 0) {
          for (let i = 0; i < args.length; i++) {
            const a = args[i];
            if (typeof a === "string") args[i] = scrub(a);
          }
        }
        method.apply(this, args);
      },
    },
  };
  if (options.destination) return pino(base, options.destination);
  if (pretty) {
    return pino({
      ...base,
      transport: { target: "pino-pretty", options: { destination: 2, translateTime: "SYS:HH:MM:ss" } },
    });
  }
  return pino(base, pino.destination(2));
}
