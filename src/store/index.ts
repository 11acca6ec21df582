export * from "./errors.js";
export { encodeKey, FileStorage, type FileStorageOptions } from "./file.js";
export { MemoryStorage } from "./memory.js";
export { type OpenStorageOptions, openSessionStorage, storageEventLogger, type WarnLogger } from "./open.js";
export {
  createRedisStorage,
  DEFAULT_REDIS_PREFIX,
  type RedisStorage,
  type RedisStorageOptions,
} from "./redis.js";
export { type Migration, SessionStore, type SessionStoreOptions, type StoredRecord } from "./session.js";
export type { StorageAdapter, StorageEvent, StorageEventListener } from "./types.js";
