/**
 * `deadline(ms, signal)`: fires after `ms` even while the garbage collector runs (Node 20's
 * `AbortSignal.any([…, AbortSignal.timeout(ms)])` loses its timer to a collection), and with its parent.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { deadline } from "../../src/util/deadline.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const whenAborted = (signal: AbortSignal, withinMs: number) =>
  new Promise<string>((resolve) => {
    signal.addEventListener("abort", () => resolve((signal.reason as Error).name), { once: true });
    setTimeout(() => resolve("not aborted"), withinMs);
  });

describe("deadline", () => {
  it("fires after its time though nothing else holds it and collections run meanwhile", async () => {
    const fired = whenAborted(deadline(100), 1_500);
    const collecting = setInterval(gc, 10);
    try {
      expect(await fired).toBe("TimeoutError");
    } finally {
      clearInterval(collecting);
    }
  });

  it("aborts with its parent, with the parent's reason, at once or later", async () => {
    const parent = new AbortController();
    const child = deadline(60_000, parent.signal);
    parent.abort(new Error("stopped"));
    expect(child.aborted).toBe(true);
    expect((child.reason as Error).message).toBe("stopped");
    expect(deadline(60_000, parent.signal).aborted).toBe(true);
  });
});
