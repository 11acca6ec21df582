import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { encodeKey, FileStorage, type StorageEvent } from "../../src/store/index.js";
import { CRASH_KEYS, type CrashPayload, payloadProblem } from "./crash-payload.js";

const WRITER = fileURLToPath(new URL("./crash-writer.ts", import.meta.url));
const KILLS = 20;

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function startWriter(dir: string, run: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", WRITER, dir, String(run)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("ready")) resolve();
    });
    child.on("exit", (code) => reject(new Error(`writer exited early (${code}): ${stderr}`)));
  });
  await ready;
  return child;
}

describe("FileStorage crash safety", () => {
  it(`leaves only whole, parseable values when the writer is SIGKILLed at random moments (${KILLS} kills)`, async () => {
    const dir = await mkdtemp(join(tmpdir(), "store-crash-"));
    dirs.push(dir);
    let killsWithTempFiles = 0;

    for (let run = 1; run <= KILLS; run++) {
      const child = await startWriter(dir, run);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 150));
      const exited = once(child, "exit");
      child.kill("SIGKILL");
      const [, signal] = await exited;
      expect(signal).toBe("SIGKILL");

      const names = await readdir(dir);
      if (names.some((n) => n.includes(".tmp-"))) killsWithTempFiles++;
      // Every session file on disk, read raw (not through FileStorage, which would hide a corrupt one).
      for (const key of CRASH_KEYS) {
        const text = await readFile(join(dir, `${encodeKey(key)}.json`), "utf8");
        const value = JSON.parse(text) as CrashPayload;
        expect(payloadProblem(key, value), `${key} after kill ${run}`).toBeUndefined();
        // The writer said `ready` only after writing every key once in this run: those writes must have stayed.
        expect(value.run).toBe(run);
      }
      for (const name of names) expect(name).toMatch(/\.json(\.tmp-.*)?$/);
    }

    // Start-up after the last kill: temp files cleaned, every key readable, nothing reported corrupt.
    const events: StorageEvent[] = [];
    const storage = await FileStorage.open(dir, { log: (e) => events.push(e) });
    expect(events.every((e) => e.kind === "temp-files-removed")).toBe(true);
    const keys: string[] = [];
    for await (const key of storage.readAllKeys()) keys.push(key);
    expect(keys.sort()).toEqual([...CRASH_KEYS].sort());
    for (const key of keys) expect(payloadProblem(key, await storage.read(key))).toBeUndefined();
    expect((await readdir(dir)).filter((n) => !n.endsWith(".json"))).toEqual([]);
    // The test means something only if some kills landed in the middle of a write.
    expect(killsWithTempFiles).toBeGreaterThan(0);
  }, 180_000);
});
