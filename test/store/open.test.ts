import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/log/index.js";
import { FileStorage, openSessionStorage, storageEventLogger } from "../../src/store/index.js";
import { type FakeRedis, startFakeRedis } from "../fakes/redis.js";

let root: string;
let fake: FakeRedis;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "store-open-"));
  fake = await startFakeRedis();
});

afterEach(async () => {
  await fake.close();
  await rm(root, { recursive: true, force: true });
});

describe("openSessionStorage", () => {
  it("stores files under <DATA_DIR>/sessions when no Redis URL is set (a blank one counts as unset)", async () => {
    for (const redisUrl of [undefined, ""]) {
      const storage = await openSessionStorage({ dataDir: root, redisUrl });
      expect(storage).toBeInstanceOf(FileStorage);
      await storage.write("1", { a: 1 });
      await storage.close();
    }
    expect(await readdir(join(root, "sessions"))).toEqual(["1.json"]);
    expect(fake.commands).toEqual([]);
  });

  it("stores in Redis, and nothing on disk, when a Redis URL is set", async () => {
    const storage = await openSessionStorage({ dataDir: root, redisUrl: fake.url });
    await storage.write("1", { a: 1 });
    expect(await storage.read("1")).toEqual({ a: 1 });
    await storage.close();
    expect(await readdir(root)).toEqual([]);
    expect(fake.commands).toContainEqual(["set", "ollama-tg:session:1", '{"a":1}']);
  });
});

describe("storageEventLogger", () => {
  it("logs each storage event as a warning with its kind, and the error as err", () => {
    const lines: Array<Record<string, unknown>> = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        callback();
      },
    });
    const listener = storageEventLogger(createLogger({ destination, pretty: false }));
    listener({
      kind: "corrupt-file",
      key: "1",
      file: "/d/1.json",
      movedTo: "/d/1.json.corrupt-x",
      error: new SyntaxError("bad"),
    });
    listener({ kind: "temp-files-removed", dir: "/d", count: 2 });
    listener({ kind: "redis-error", error: new Error("ECONNREFUSED") });
    expect(lines.map((l) => [l.level, l.event])).toEqual([
      [40, "corrupt-file"],
      [40, "temp-files-removed"],
      [40, "redis-error"],
    ]);
    expect(lines[0]).toMatchObject({ key: "1", movedTo: "/d/1.json.corrupt-x", err: { message: "bad" } });
    expect(lines[1]).toMatchObject({ count: 2 });
  });
});
