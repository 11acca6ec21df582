/**
 * grammY's storage-adapter shape, with `readAllKeys` required: the bot lists every chat at start-up (to mark
 * turns a restart cut short), so an adapter that cannot list is of no use here. Any value of this type also fits
 * grammY's own `StorageAdapter<T>` (e.g. for `session({ storage })`).
 */
export interface StorageAdapter<T> {
  /** The value under `key`, or undefined when there is none. */
  read(key: string): Promise<T | undefined>;
  /** Stores `value` under `key`; resolves once it is durable. */
  write(key: string, value: T): Promise<void>;
  /** Removes `key`; deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** Every key that holds a value, each once, in no particular order. */
  readAllKeys(): AsyncIterable<string>;
  /** Waits for writes under way and releases connections. Optional: not every adapter holds any. */
  close?(): Promise<void>;
}

/** Things the store noticed and handled itself, for the log; none of them is an error the caller must handle. */
export type StorageEvent =
  | {
      /** A file that did not parse was moved aside and the key treated as empty. */
      kind: "corrupt-file";
      key: string;
      file: string;
      movedTo: string;
      error: unknown;
    }
  | {
      /** Temp files left by a write that a crash interrupted were removed at start-up. */
      kind: "temp-files-removed";
      dir: string;
      count: number;
    }
  | {
      /** The Redis connection failed or dropped; the client reconnects by itself. */
      kind: "redis-error";
      error: unknown;
    };

export type StorageEventListener = (event: StorageEvent) => void;
