import type { StreamEvent } from "../../src/hub/index.js";

/** A hand-fed answer stream: the test pushes deltas and decides when (and how) it ends. */
export class Feed implements AsyncIterable<StreamEvent> {
  private queue: StreamEvent[] = [];
  private ended: { error?: unknown } | undefined;
  private wake: (() => void) | undefined;
  returned = false;

  content(text: string): this {
    return this.push({ type: "content", text });
  }

  thinking(text: string): this {
    return this.push({ type: "thinking", text });
  }

  done(): this {
    return this.push({
      type: "done",
      model: "test",
      content: "",
      thinking: "",
      doneReason: "stop",
      stats: { evalTokens: 1 },
      timings: { totalMs: 1 },
    });
  }

  fail(error: unknown): this {
    this.ended = { error };
    this.wake?.();
    return this;
  }

  private push(e: StreamEvent): this {
    this.queue.push(e);
    this.wake?.();
    return this;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<StreamEvent> {
    try {
      for (;;) {
        const next = this.queue.shift();
        if (next) {
          yield next;
          if (next.type === "done") return;
          continue;
        }
        if (this.ended) throw this.ended.error;
        await new Promise<void>((r) => {
          this.wake = r;
        });
      }
    } finally {
      this.returned = true;
    }
  }
}
