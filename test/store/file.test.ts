import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FileStorage, type StorageEvent, StorageInvalidArgumentError } from "../../src/store/index.js";

let root: string;
let dir: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "store-file-"));
  dir = join(root, "sessions");
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function collect(iterable: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const item of iterable) out.push(item);
  return out.sort();
}

describe("FileStorage", () => {
  it("round-trips values, and a new instance on the same directory (a restart) sees every one", async () => {
    const first = await FileStorage.open<unknown>(dir);
    const values: Record<string, unknown> = {
      "-100123": { model: "llama3.2:3b", history: [{ role: "user", content: 'héllo 🙂\n"quoted"' }] },
      "42": { stream: false, nested: { list: [1, 2, { deep: null }] } },
      "7": [],
    };
    for (const [key, value] of Object.entries(values)) await first.write(key, value);
    for (const [key, value] of Object.entries(values)) expect(await first.read(key)).toEqual(value);
    expect(await first.read("missing")).toBeUndefined();

    const second = await FileStorage.open<unknown>(dir);
    expect(await collect(second.readAllKeys())).toEqual(Object.keys(values).sort());
    for (const [key, value] of Object.entries(values)) expect(await second.read(key)).toEqual(value);

    await second.delete("42");
    await second.delete("never-existed");
    const third = await FileStorage.open<unknown>(dir);
    expect(await third.read("42")).toBeUndefined();
    expect(await collect(third.readAllKeys())).toEqual(["-100123", "7"]);
  });

  it("creates the directory private (0700) and the files private (0600)", async () => {
    const storage = await FileStorage.open(dir);
    await storage.write("1", { a: 1 });
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(storage.fileFor("1"))).mode & 0o777).toBe(0o600);
  });

  it("keeps every key, however odd, in its own file directly inside the directory", async () => {
    const keys = [
      "../x",
      "..",
      ".",
      "a/b",
      "/etc/passwd",
      "..\\..\\windows",
      "-100123",
      "Ab",
      "ab",
      "AB",
      "x.json",
      "x.json.tmp-1-2-3",
      "%2F",
      "%",
      " spaced key ",
      "é🙂",
      "nul\u0000byte",
      "con",
    ];
    const storage = await FileStorage.open<{ key: string }>(dir);
    await Promise.all(keys.map((key) => storage.write(key, { key })));

    expect(await readdir(root)).toEqual(["sessions"]);
    const files = await readdir(dir);
    expect(files).toHaveLength(keys.length);
    for (const file of files) expect(file).toMatch(/^(?:[a-z0-9_-]|%[0-9A-F]{2})+\.json$/);
    for (const key of keys) expect(await storage.read(key)).toEqual({ key });
    expect(await collect(storage.readAllKeys())).toEqual([...keys].sort());

    await storage.delete("../x");
    expect(await storage.read("../x")).toBeUndefined();
    expect(await readdir(root)).toEqual(["sessions"]);
  });

  it("refuses keys it cannot map to a file name, with STORAGE_INVALID_ARGUMENT", async () => {
    const storage = await FileStorage.open(dir);
    for (const key of ["", "lone\uD800surrogate", "x".repeat(201)]) {
      await expect(storage.write(key, 1)).rejects.toBeInstanceOf(StorageInvalidArgumentError);
      await expect(storage.read(key)).rejects.toMatchObject({ code: "STORAGE_INVALID_ARGUMENT" });
    }
    await storage.write("x".repeat(200), 1);
    expect(await storage.read("x".repeat(200))).toBe(1);
  });

  it("refuses values JSON cannot hold and leaves the stored value as it was", async () => {
    const storage = await FileStorage.open<unknown>(dir);
    await storage.write("1", { ok: true });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const bad of [undefined, 10n, cyclic, () => 1]) {
      await expect(storage.write("1", bad)).rejects.toMatchObject({ code: "STORAGE_INVALID_ARGUMENT" });
    }
    expect(await storage.read("1")).toEqual({ ok: true });
    expect(await readdir(dir)).toEqual(["1.json"]);
  });

  it("applies writes to one key in call order: the last call wins", async () => {
    const storage = await FileStorage.open<{ n: number; pad: string }>(dir);
    // Sizes vary so that an unordered implementation would finish the writes in a different order.
    const writes = Array.from({ length: 50 }, (_, n) =>
      storage.write("k", { n, pad: "x".repeat(((50 - n) * 9973) % 200_000) }),
    );
    await Promise.all(writes);
    expect((await storage.read("k"))?.n).toBe(49);
    expect(await readdir(dir)).toEqual(["k.json"]);
  });

  it("stores the value as it was when write was called, not as the caller changed it afterwards", async () => {
    const storage = await FileStorage.open<{ n: number }>(dir);
    const value = { n: 1 };
    const pending = storage.write("k", value);
    value.n = 2;
    await pending;
    expect(await storage.read("k")).toEqual({ n: 1 });
  });

  it("ignores temp files while running, and removes (and reports) them at the next start", async () => {
    const storage = await FileStorage.open<number>(dir);
    await storage.write("a", 1);
    // What a kill between open() and rename() leaves behind: a partial temp file next to the real one.
    await writeFile(join(dir, "a.json.tmp-999-1-deadbeef"), '{"trunc');
    await writeFile(join(dir, "b.json.tmp-999-2-deadbeef"), "2");

    expect(await storage.read("a")).toBe(1);
    expect(await storage.read("b")).toBeUndefined();
    expect(await collect(storage.readAllKeys())).toEqual(["a"]);

    const events: StorageEvent[] = [];
    const restarted = await FileStorage.open<number>(dir, { log: (e) => events.push(e) });
    expect(events).toEqual([{ kind: "temp-files-removed", dir, count: 2 }]);
    expect(await readdir(dir)).toEqual(["a.json"]);
    expect(await restarted.read("a")).toBe(1);
  });

  it("moves a file that does not parse aside, reports it and treats the key as empty, without throwing", async () => {
    const events: StorageEvent[] = [];
    const storage = await FileStorage.open<unknown>(dir, { log: (e) => events.push(e) });
    await storage.write("-100123", { fine: true });
    const file = storage.fileFor("-100123");
    await writeFile(file, '{"v":1,"data":{"hist');

    expect(await storage.read("-100123")).toBeUndefined();
    expect(events).toHaveLength(1);
    const event = events[0]!;
    expect(event).toMatchObject({ kind: "corrupt-file", key: "-100123", file });
    expect(event.kind === "corrupt-file" && event.error).toBeInstanceOf(SyntaxError);
    const names = await readdir(dir);
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^-100123\.json\.corrupt-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{3}Z$/);
    expect(event.kind === "corrupt-file" && event.movedTo).toBe(join(dir, names[0]!));
    expect(await readFile(join(dir, names[0]!), "utf8")).toBe('{"v":1,"data":{"hist');
    expect(await collect(storage.readAllKeys())).toEqual([]);

    await storage.write("-100123", { fresh: true });
    expect(await storage.read("-100123")).toEqual({ fresh: true });
  });

  it("lists only the files it writes, not hand-made or foreign files in the directory", async () => {
    const storage = await FileStorage.open<number>(dir);
    await storage.write("a", 1);
    await writeFile(join(dir, "README.txt"), "hello");
    await writeFile(join(dir, "Upper.json"), "1");
    await writeFile(join(dir, "%zz.json"), "1");
    expect(await collect(storage.readAllKeys())).toEqual(["a"]);
  });

  it("fails to open with STORAGE_UNAVAILABLE when the directory cannot be created", async () => {
    const notADir = join(root, "file");
    await writeFile(notADir, "");
    await expect(FileStorage.open(join(notADir, "sessions"))).rejects.toMatchObject({
      code: "STORAGE_UNAVAILABLE",
      message: expect.stringContaining("Check DATA_DIR"),
    });
  });

  it("close() waits for the writes under way", async () => {
    const storage = await FileStorage.open<string>(dir);
    void storage.write("a", "x".repeat(1_000_000));
    void storage.write("b", "y");
    await storage.close();
    expect((await readdir(dir)).sort()).toEqual(["a.json", "b.json"]);
    const again = await FileStorage.open<string>(dir);
    expect((await again.read("a"))?.length).toBe(1_000_000);
  });
});
