import { StorageInvalidArgumentError } from "./errors.js";
import type { StorageAdapter } from "./types.js";

/**
 * In-process storage for tests and throw-away runs. Holds JSON text, not objects, so a value comes back exactly
 * as it would from a file or Redis (a `Date` turns into a string, `undefined` fields vanish) and a test cannot
 * pass on something the real stores would change.
 */
export class MemoryStorage<T = unknown> implements StorageAdapter<T> {
  readonly #entries = new Map<string, string>();

  async read(key: string): Promise<T | undefined> {
    const text = this.#entries.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }

  async write(key: string, value: T): Promise<void> {
    let text: string | undefined;
    try {
      text = JSON.stringify(value);
    } catch (error) {
      throw new StorageInvalidArgumentError(
        `The value for ${JSON.stringify(key)} cannot be stored as JSON.`,
        {
          cause: error,
        },
      );
    }
    if (text === undefined) {
      throw new StorageInvalidArgumentError(`The value for ${JSON.stringify(key)} cannot be stored as JSON.`);
    }
    this.#entries.set(key, text);
  }

  async delete(key: string): Promise<void> {
    this.#entries.delete(key);
  }

  async *readAllKeys(): AsyncIterable<string> {
    yield* [...this.#entries.keys()];
  }
}
