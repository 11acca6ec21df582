import { join } from "node:path";
import { FileStorage } from "./file.js";
import { createRedisStorage, type RedisStorageOptions } from "./redis.js";
import type { StorageAdapter, StorageEvent, StorageEventListener } from "./types.js";

export interface OpenStorageOptions {
  /** The data directory (DATA_DIR); sessions go to `<dataDir>/sessions/`. Ignored when `redisUrl` is set. */
  dataDir: string;
  /** When set, sessions go to this Redis instead of files. Default: files. */
  redisUrl?: string | undefined;
  /** Told about what the store handled itself (see `StorageEvent`). Default: nothing is reported. */
  log?: StorageEventListener;
  /** Redis only: the fence of every write (see `RedisStorageOptions.fence`). */
  fence?: RedisStorageOptions["fence"];
}

/**
 * The storage the configuration asks for: Redis when `redisUrl` is set, otherwise files under DATA_DIR. Resolves
 * once the storage is usable (directory created, Redis connected), so a bad setting stops the bot at start-up.
 * Call `close()` on shutdown: it waits for writes under way.
 */
export async function openSessionStorage(
  options: OpenStorageOptions,
): Promise<StorageAdapter<unknown> & { close(): Promise<void>; readonly commandsSent?: number }> {
  const log = options.log === undefined ? {} : { log: options.log };
  if (options.redisUrl !== undefined && options.redisUrl !== "") {
    return createRedisStorage<unknown>(options.redisUrl, {
      ...log,
      ...(options.fence ? { fence: options.fence } : {}),
    });
  }
  return FileStorage.open<unknown>(join(options.dataDir, "sessions"), log);
}

/** The part of a pino logger that `storageEventLogger` uses. */
export interface WarnLogger {
  warn(obj: object, msg: string): void;
}

/** Turns storage events into log lines, with the event kind as `event` for searching. */
export function storageEventLogger(log: WarnLogger): StorageEventListener {
  return (event: StorageEvent) => {
    switch (event.kind) {
      case "corrupt-file":
        log.warn(
          { event: event.kind, key: event.key, movedTo: event.movedTo, err: event.error },
          "A stored session did not parse; it was moved aside and the chat starts afresh",
        );
        return;
      case "temp-files-removed":
        log.warn(
          { event: event.kind, dir: event.dir, count: event.count },
          "Removed temp files of session writes that a crash interrupted (the sessions themselves are intact)",
        );
        return;
      case "redis-error":
        log.warn({ event: event.kind, err: event.error }, "Redis connection failed; retrying");
        return;
    }
  };
}
