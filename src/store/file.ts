import { randomBytes } from "node:crypto";
import { mkdir, open, readdir, readFile, rename, unlink } from "node:fs/promises";
import { join } from "node:path";
import { StorageInvalidArgumentError, StorageUnavailableError } from "./errors.js";
import { KeyedMutex } from "./mutex.js";
import type { StorageAdapter, StorageEventListener } from "./types.js";

export interface FileStorageOptions {
  /** Told about corrupt files moved aside and crash leftovers removed. Default: nothing is reported. */
  log?: StorageEventListener;
}

/**
 * Longest encoded key. With `.json` and the longest suffix we add (`.corrupt-<ISO time>`) a name stays under the
 * 255-byte limit of common file systems.
 */
const MAX_ENCODED_KEY = 200;
const SUFFIX = ".json";
const TEMP_MARK = `${SUFFIX}.tmp-`;
const SESSION_FILE = /^(?:[a-z0-9_-]|%[0-9A-F]{2})+\.json$/;

const KEEP: ReadonlyArray<string | undefined> = Array.from({ length: 256 }, (_, byte) => {
  const c = String.fromCharCode(byte);
  return /^[a-z0-9_-]$/.test(c) ? c : undefined;
});

// Shared by every instance in the process, so two instances on one directory (tests) never pick the same name.
let tempCounter = 0;

/**
 * One JSON file per key under a directory: `<encoded key>.json`. A write goes to a fresh temp file in the same
 * directory, is fsynced, renamed over the target and the directory fsynced, so a kill (or a power cut) at any
 * moment leaves either the old file or the new one, never a mix. Writes to one key are applied in call order.
 *
 * One process per directory: start-up removes every temp file it finds, including another live process's.
 */
export class FileStorage<T = unknown> implements StorageAdapter<T> {
  readonly dir: string;
  readonly #log: StorageEventListener | undefined;
  readonly #queue = new KeyedMutex();

  private constructor(dir: string, options: FileStorageOptions) {
    this.dir = dir;
    this.#log = options.log;
  }

  /**
   * Creates `dir` if missing (mode 0o700: sessions hold users' conversations) and removes the temp files of
   * writes a crash interrupted. Fails at once when the directory cannot be created or read, so a wrong DATA_DIR
   * shows at start-up rather than on the first message.
   */
  static async open<T = unknown>(dir: string, options: FileStorageOptions = {}): Promise<FileStorage<T>> {
    let names: string[];
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      names = await readdir(dir);
    } catch (error) {
      throw new StorageUnavailableError(
        `Could not open the session directory ${dir}: ${describe(error)}. Check DATA_DIR and its permissions.`,
        { cause: error },
      );
    }
    let removed = 0;
    for (const name of names) {
      if (!name.includes(TEMP_MARK)) continue;
      try {
        await unlink(join(dir, name));
        removed++;
      } catch (error) {
        if (code(error) !== "ENOENT") {
          throw new StorageUnavailableError(
            `Could not remove the leftover temp file ${join(dir, name)}: ${describe(error)}.`,
            { cause: error },
          );
        }
      }
    }
    if (removed > 0) options.log?.({ kind: "temp-files-removed", dir, count: removed });
    return new FileStorage<T>(dir, options);
  }

  /** The file that holds `key`; always directly inside `dir`, whatever the key contains. */
  fileFor(key: string): string {
    return join(this.dir, encodeKey(key) + SUFFIX);
  }

  async read(key: string): Promise<T | undefined> {
    const file = this.fileFor(key);
    return this.#queue.run(key, async () => {
      let text: string;
      try {
        text = await readFile(file, "utf8");
      } catch (error) {
        if (code(error) === "ENOENT") return undefined;
        throw new StorageUnavailableError(`Could not read ${file}: ${describe(error)}.`, { cause: error });
      }
      try {
        return JSON.parse(text) as T;
      } catch (error) {
        // Atomic writes make this a disk fault or a hand edit. Keep the bytes for a person, carry on without them.
        const movedTo = `${file}.corrupt-${new Date().toISOString().replaceAll(":", "-")}`;
        try {
          await rename(file, movedTo);
        } catch (renameError) {
          throw new StorageUnavailableError(
            `${file} does not parse and could not be moved aside: ${describe(renameError)}.`,
            { cause: renameError },
          );
        }
        this.#log?.({ kind: "corrupt-file", key, file, movedTo, error });
        return undefined;
      }
    });
  }

  async write(key: string, value: T): Promise<void> {
    const file = this.fileFor(key);
    // Serialized now, not when the queue reaches it: the caller may change `value` after this call returns.
    const text = serialize(key, value);
    await this.#queue.run(key, () => this.#replace(file, text));
  }

  async delete(key: string): Promise<void> {
    const file = this.fileFor(key);
    await this.#queue.run(key, async () => {
      try {
        await unlink(file);
      } catch (error) {
        if (code(error) === "ENOENT") return;
        throw new StorageUnavailableError(`Could not delete ${file}: ${describe(error)}.`, { cause: error });
      }
      await this.#syncDir();
    });
  }

  async *readAllKeys(): AsyncIterable<string> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      throw new StorageUnavailableError(`Could not list ${this.dir}: ${describe(error)}.`, { cause: error });
    }
    for (const name of names) {
      if (!SESSION_FILE.test(name)) continue;
      const encoded = name.slice(0, -SUFFIX.length);
      const key = decodeKey(encoded);
      // A hand-made file whose name we would not produce is not reachable by `read`; listing it would lie.
      if (key !== undefined && encodeKey(key) === encoded) yield key;
    }
  }

  /** Waits for every write and delete under way. */
  async close(): Promise<void> {
    await this.#queue.idle();
  }

  async #replace(file: string, text: string): Promise<void> {
    const temp = `${file}.tmp-${process.pid}-${++tempCounter}-${randomBytes(4).toString("hex")}`;
    try {
      const handle = await open(temp, "wx", 0o600);
      try {
        await handle.writeFile(text, "utf8");
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, file);
    } catch (error) {
      await unlink(temp).catch(() => {});
      throw new StorageUnavailableError(`Could not write ${file}: ${describe(error)}.`, { cause: error });
    }
    await this.#syncDir();
  }

  /** Makes the rename itself durable: without it a power cut can bring back the old file, or none. */
  async #syncDir(): Promise<void> {
    let handle: Awaited<ReturnType<typeof open>> | undefined;
    try {
      handle = await open(this.dir, "r");
      await handle.sync();
    } catch (error) {
      // Some file systems cannot fsync a directory; the rename has happened, so the write is not failed for it.
      if (!["EINVAL", "ENOTSUP", "EISDIR", "EPERM", "EBADF"].includes(code(error) ?? "")) {
        throw new StorageUnavailableError(`Could not sync ${this.dir}: ${describe(error)}.`, {
          cause: error,
        });
      }
    } finally {
      await handle?.close();
    }
  }
}

/**
 * Keeps `[a-z0-9_-]` and writes every other UTF-8 byte as `%XX`: no `/`, no `.`, so no traversal and no name that
 * collides with our `.json`/temp/corrupt suffixes; upper-case letters are escaped too, so two keys never share a
 * file on a case-insensitive file system.
 */
export function encodeKey(key: string): string {
  if (key.length === 0) throw new StorageInvalidArgumentError("A session key must not be empty.");
  const bytes = Buffer.from(key, "utf8");
  // UTF-8 encoding replaces a lone surrogate, so two different keys would share one file.
  if (bytes.toString("utf8") !== key) {
    throw new StorageInvalidArgumentError("A session key must be valid Unicode (it has a lone surrogate).");
  }
  let encoded = "";
  for (const byte of bytes) {
    encoded += KEEP[byte] ?? `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  if (encoded.length > MAX_ENCODED_KEY) {
    throw new StorageInvalidArgumentError(
      `A session key is too long for a file name (${encoded.length} bytes encoded, at most ${MAX_ENCODED_KEY}).`,
    );
  }
  return encoded;
}

function decodeKey(encoded: string): string | undefined {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
}

function serialize(key: string, value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new StorageInvalidArgumentError(
      `The value for ${JSON.stringify(key)} cannot be stored as JSON: ${describe(error)}.`,
      { cause: error },
    );
  }
  if (text === undefined) {
    throw new StorageInvalidArgumentError(`The value for ${JSON.stringify(key)} cannot be stored as JSON.`);
  }
  return text;
}

function code(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && "code" in error && typeof error.code === "string"
    ? error.code
    : undefined;
}

function describe(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\.$/, "");
}
