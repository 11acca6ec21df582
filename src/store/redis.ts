import { RedisAdapter } from "@grammyjs/storage-redis";
import { Redis, type RedisOptions } from "ioredis";
import { countCommands } from "../util/redis.js";
import { StorageFencedError, StorageInvalidArgumentError, StorageUnavailableError } from "./errors.js";
import type { StorageAdapter, StorageEventListener } from "./types.js";

export interface RedisStorageOptions {
  /** Put before every key, so the bot can share a database with other programs. Default `"ollama-tg:session:"`. */
  prefix?: string;
  /** Seconds a value lives after its last write. Default: no expiry (a restart keeps every chat). */
  ttlSeconds?: number;
  /** How long `createRedisStorage` waits for the first connection. Default 10 000 ms. */
  connectTimeoutMs?: number;
  /** Told about connection failures (once per outage: ioredis retries on its own) and values moved aside. */
  log?: StorageEventListener;
  /** More ioredis options (TLS, retry strategy); they win over ours. Default: none. */
  redisOptions?: RedisOptions;
  /**
   * Writes through a fence (several bot processes): called with the full key and the value's JSON; true when it
   * wrote, false when the fence refused (the write then throws StorageFencedError), undefined when the key is not
   * fenced (written as usual). Ignores `ttlSeconds`. Default: no fence.
   */
  fence?: (fullKey: string, json: string) => Promise<boolean | undefined>;
}

export interface RedisStorage<T> extends StorageAdapter<T> {
  /** Sends QUIT after the commands under way; the client does not reconnect after it. */
  close(): Promise<void>;
  /** Commands sent to Redis so far (round trips: a script counts once), for the benchmark and the stop's log. */
  readonly commandsSent: number;
}

export const DEFAULT_REDIS_PREFIX = "ollama-tg:session:";
const CORRUPT_PREFIX = "ollama-tg:corrupt:";
const SCAN_COUNT = 200;
/** A command Redis has not answered after this fails (ioredis's `commandTimeout`). */
const COMMAND_TIMEOUT_MS = 5_000;

/**
 * Storage in Redis through grammY's `@grammyjs/storage-redis` adapter (a JSON string per key, written with one
 * atomic SET), with a key prefix and key listing (SCAN) added. Connects before resolving, so a wrong REDIS_URL
 * fails at start-up. A value that does not parse is renamed to `ollama-tg:corrupt:<full key>:<time>` and the key
 * treated as empty.
 */
export async function createRedisStorage<T = unknown>(
  url: string,
  options: RedisStorageOptions = {},
): Promise<RedisStorage<T>> {
  const prefix = options.prefix ?? DEFAULT_REDIS_PREFIX;
  if (prefix === "") {
    // Listing would then return every key in the database, other programs' included.
    throw new StorageInvalidArgumentError("The Redis key prefix must not be empty.");
  }
  const where = describeUrl(url);
  const log = options.log;
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: connectTimeoutMs,
    // During an outage a command waits for a few reconnects (about 2 s, ioredis's backoff being 50 ms more per
    // attempt) and then fails, instead of ioredis's default 20 (about 10 s of silence for the user); the bot
    // answers a message it could not store with a note and keeps it until Redis is back.
    maxRetriesPerRequest: 8,
    // A Redis that accepts and never answers must not hold a chat: every command has a deadline.
    commandTimeout: COMMAND_TIMEOUT_MS,
    ...options.redisOptions,
  });
  const counted = countCommands(redis);
  // While connecting, errors are kept for the message `connect()` rejects with (which only says "Connection is
  // closed"). Afterwards they are reported once per outage: ioredis emits one per reconnect attempt.
  let connecting = true;
  let connectError: unknown;
  let reported = false;
  redis.on("error", (error: unknown) => {
    if (connecting) connectError = error;
    else if (!reported) {
      reported = true;
      log?.({ kind: "redis-error", error });
    }
  });
  redis.on("ready", () => {
    reported = false;
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    // ioredis's own timeout covers the TCP connect only; a server that accepts and never answers would hang here.
    await Promise.race([
      redis.connect(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${connectTimeoutMs} ms`)),
          connectTimeoutMs,
        );
      }),
    ]);
  } catch (error) {
    redis.disconnect();
    const reason = connectError ?? error;
    throw new StorageUnavailableError(
      `Could not connect to Redis at ${where}: ${describe(reason)}. Check REDIS_URL and that Redis is running.`,
      { cause: reason },
    );
  } finally {
    clearTimeout(timer);
    connecting = false;
  }

  const inner = new RedisAdapter<T>({
    instance: redis,
    ...(options.ttlSeconds === undefined ? {} : { ttl: options.ttlSeconds }),
  });
  const failed = (what: string, error: unknown) =>
    new StorageUnavailableError(`Redis at ${where}: ${what} failed: ${describe(error)}.`, { cause: error });

  return {
    async read(key) {
      const full = prefix + key;
      try {
        return await inner.read(full);
      } catch (error) {
        if (!(error instanceof SyntaxError)) throw failed(`reading ${JSON.stringify(full)}`, error);
        // Only a hand-made value can fail to parse; keep it for a person, under a name listing does not return.
        const movedTo = `${CORRUPT_PREFIX}${full}:${new Date().toISOString()}`;
        try {
          await redis.rename(full, movedTo);
        } catch (renameError) {
          throw failed(`moving the unparsable ${JSON.stringify(full)} aside`, renameError);
        }
        log?.({ kind: "corrupt-file", key, file: full, movedTo, error });
        return undefined;
      }
    },
    async write(key, value) {
      const full = prefix + key;
      // JSON.stringify gives undefined for these, which would reach Redis as an empty string.
      if (value === undefined || typeof value === "function" || typeof value === "symbol") {
        throw new StorageInvalidArgumentError(
          `The value for ${JSON.stringify(key)} cannot be stored as JSON.`,
        );
      }
      try {
        if (options.fence) {
          // Serialized here, before the first await, so writes to a key still go out in call order.
          const fenced = await options.fence(full, JSON.stringify(value));
          if (fenced === false) {
            throw new StorageFencedError(
              `Redis at ${where}: the write of ${JSON.stringify(full)} was refused: another bot process owns this chat now.`,
            );
          }
          if (fenced === true) return;
        }
        // The adapter serializes and sends SET before its first await, and one connection keeps command order:
        // writes to a key land in call order without a lock of ours.
        await inner.write(full, value);
      } catch (error) {
        if (error instanceof StorageFencedError) throw error;
        // The adapter's JSON.stringify throws TypeError (BigInt, cycles); ioredis never does.
        if (error instanceof TypeError) {
          throw new StorageInvalidArgumentError(
            `The value for ${JSON.stringify(key)} cannot be stored as JSON: ${error.message}.`,
            { cause: error },
          );
        }
        throw failed(`writing ${JSON.stringify(full)}`, error);
      }
    },
    async delete(key) {
      const full = prefix + key;
      try {
        await inner.delete(full);
      } catch (error) {
        throw failed(`deleting ${JSON.stringify(full)}`, error);
      }
    },
    async *readAllKeys() {
      const match = `${escapeGlob(prefix)}*`;
      // SCAN may return a key twice (when the table is resized mid-scan); callers are promised each key once.
      const seen = new Set<string>();
      let cursor = "0";
      do {
        let batch: string[];
        try {
          [cursor, batch] = await redis.scan(cursor, "MATCH", match, "COUNT", SCAN_COUNT);
        } catch (error) {
          throw failed("listing keys (SCAN)", error);
        }
        for (const full of batch) {
          if (seen.has(full)) continue;
          seen.add(full);
          yield full.slice(prefix.length);
        }
      } while (cursor !== "0");
    },
    get commandsSent() {
      return counted.n;
    },
    async close() {
      try {
        await redis.quit();
      } catch {
        // Already closed, or the server went away: either way nothing is left to close.
        redis.disconnect();
      }
    },
  };
}

/** The URL without credentials, for messages and logs. */
function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname === "/" ? "" : parsed.pathname}`;
  } catch {
    return "the configured URL";
  }
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, "\\$&");
}

function describe(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\.$/, "");
}
