import {
  StorageInvalidArgumentError,
  StorageMigrationError,
  StorageRecordInvalidError,
  StorageVersionTooNewError,
} from "./errors.js";
import { KeyedMutex } from "./mutex.js";
import type { StorageAdapter } from "./types.js";

/**
 * What the store keeps under each key: the value and the version of its shape. A record is never stored without
 * its version, so a later build always knows which migrations a value still needs.
 */
export interface StoredRecord<T = unknown> {
  v: number;
  data: T;
}

/**
 * Returns the version n value for a version n-1 value (its argument is a private copy, free to reuse). Typed with a
 * `never` parameter so that a migration may declare the exact old shape it expects.
 */
export type Migration = (old: never) => unknown;

export interface SessionStoreOptions<T> {
  /** A fresh value, for a key that holds nothing. Called on every miss, so it must return a new object. */
  initial(): T;
  /** The version of the shape this build writes, a positive integer. Default 1. */
  version?: number;
  /**
   * `migrations[n]` turns a version n-1 value into version n; one is required for every n in 2..version, checked
   * when the store is built. Default: none.
   */
  migrations?: Record<number, Migration>;
}

/**
 * Per-key state over any storage adapter. `update` is serialized per key (concurrent updates of one chat never
 * lose each other's changes) and has written the result through before it resolves, so whoever calls it, a
 * handler or a background job, knows the change survives a crash. Values go in and come out as deep copies.
 *
 * Stored values are `StoredRecord`s (`{ v, data }`) and must be JSON data: a `Date` would come back a string.
 * The lock is per instance: build one store per adapter, and let one process at a time use the storage.
 */
export class SessionStore<T> {
  readonly #adapter: StorageAdapter<unknown>;
  readonly #initial: () => T;
  readonly #version: number;
  readonly #migrations: Record<number, Migration>;
  readonly #locks = new KeyedMutex();

  constructor(adapter: StorageAdapter<unknown>, options: SessionStoreOptions<T>) {
    const version = options.version ?? 1;
    const migrations = options.migrations ?? {};
    if (!Number.isSafeInteger(version) || version < 1) {
      throw new StorageInvalidArgumentError(
        `The session version must be a positive integer, not ${version}.`,
      );
    }
    for (let n = 2; n <= version; n++) {
      if (typeof migrations[n] !== "function") {
        throw new StorageInvalidArgumentError(
          `The session version is ${version}, but migrations[${n}] (version ${n - 1} to ${n}) is missing. ` +
            "Add it, so sessions saved by older builds can still be read.",
        );
      }
    }
    this.#adapter = adapter;
    this.#initial = options.initial;
    this.#version = version;
    this.#migrations = migrations;
  }

  /** The version this store writes. */
  get version(): number {
    return this.#version;
  }

  /**
   * The value under `key`, migrated to the current version (and written back when it was migrated), or a fresh
   * `initial()` when there is none; a miss is not written. Throws `StorageVersionTooNewError` for a value from a
   * newer build, leaving it stored as it was.
   */
  async get(key: string): Promise<T> {
    const record = this.#check(key, await this.#adapter.read(key));
    if (record === undefined) return this.#initial();
    // A copy: an adapter may hand out the object it keeps.
    if (record.v === this.#version) return structuredClone(record.data as T);
    // Migrated under the key's lock, after re-reading, so a concurrent update is neither lost nor migrated twice.
    return this.#locks.run(key, async () => this.#save(key, this.#load(key, await this.#adapter.read(key))));
  }

  /**
   * Applies `fn` to a private copy of the current value (as `get` sees it) and writes the result: the value `fn`
   * returns, or the draft it mutated when it returns nothing. Runs after every earlier `update`/`delete` of the
   * same key has finished. When `fn` throws, nothing is written and the error is passed on.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: an async draft-mutating callback returns Promise<void>.
  async update(key: string, fn: (draft: T) => T | void | Promise<T | void>): Promise<T> {
    return this.#locks.run(key, async () => {
      const value = this.#load(key, await this.#adapter.read(key));
      const result = await fn(value);
      return this.#save(key, result === undefined ? value : result);
    });
  }

  /** Removes the value under `key`, after every earlier `update` of that key has finished. */
  async delete(key: string): Promise<void> {
    await this.#locks.run(key, () => this.#adapter.delete(key));
  }

  /** Every key that holds a value. */
  keys(): AsyncIterable<string> {
    return this.#adapter.readAllKeys();
  }

  /** Writes `value` at the current version; returns a copy, so neither side can reach into the other's. */
  async #save(key: string, value: T): Promise<T> {
    // Copied before the write: the caller still holds `value` and may change it while the write is under way.
    const data = structuredClone(value);
    const record: StoredRecord<T> = { v: this.#version, data };
    await this.#adapter.write(key, record);
    return structuredClone(data);
  }

  /** The current-version value for what `read` returned: a private copy, migrated, or a fresh `initial()`. */
  #load(key: string, stored: unknown): T {
    const record = this.#check(key, stored);
    if (record === undefined) return this.#initial();
    let data: unknown = structuredClone(record.data);
    for (let n = record.v + 1; n <= this.#version; n++) {
      const migrate = this.#migrations[n] as (old: unknown) => unknown;
      try {
        data = migrate(data);
      } catch (error) {
        throw new StorageMigrationError(key, n, { cause: error });
      }
      if (data === undefined) {
        throw new StorageMigrationError(key, n, {
          cause: new TypeError(`migrations[${n}] returned undefined`),
        });
      }
    }
    return data as T;
  }

  /** Whether `stored` is a record this build can read; undefined for nothing stored. */
  #check(key: string, stored: unknown): StoredRecord | undefined {
    if (stored === undefined) return undefined;
    if (typeof stored !== "object" || stored === null || Array.isArray(stored)) {
      throw new StorageRecordInvalidError(key, `found ${Array.isArray(stored) ? "an array" : typeof stored}`);
    }
    const { v } = stored as { v?: unknown };
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 1) {
      throw new StorageRecordInvalidError(key, `its "v" is ${JSON.stringify(v) ?? "missing"}`);
    }
    if (!("data" in stored)) throw new StorageRecordInvalidError(key, `it has no "data"`);
    if (v > this.#version) throw new StorageVersionTooNewError(key, v, this.#version);
    return { v, data: (stored as { data: unknown }).data };
  }
}
