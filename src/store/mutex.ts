/**
 * Runs tasks one at a time per key, in call order, with no lock held across keys. Map entries are dropped when a
 * key goes idle, so a bot that has seen a million chats does not keep a million settled promises.
 */
export class KeyedMutex {
  readonly #tails = new Map<string, Promise<void>>();

  async run<R>(key: string, task: () => Promise<R>): Promise<R> {
    const previous = this.#tails.get(key);
    let release!: () => void;
    const done = new Promise<void>((resolve) => {
      release = resolve;
    });
    // `done` never rejects, so neither does a tail: one failed task never blocks the next.
    const tail = previous === undefined ? done : previous.then(() => done);
    this.#tails.set(key, tail);
    try {
      if (previous !== undefined) await previous;
      return await task();
    } finally {
      release();
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }

  /** Resolves once every task queued so far has finished. */
  async idle(): Promise<void> {
    while (this.#tails.size > 0) await Promise.all(this.#tails.values());
  }
}
