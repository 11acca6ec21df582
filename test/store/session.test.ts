import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  FileStorage,
  MemoryStorage,
  SessionStore,
  StorageInvalidArgumentError,
  StorageMigrationError,
  StorageRecordInvalidError,
  StorageVersionTooNewError,
} from "../../src/store/index.js";

interface Chat {
  model?: string;
  counter: number;
  history: string[];
}

const initial = (): Chat => ({ counter: 0, history: [] });

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "store-session-"));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function collect(iterable: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const item of iterable) out.push(item);
  return out.sort();
}

describe("SessionStore", () => {
  it("gives a fresh initial() for a chat with nothing stored, without writing it", async () => {
    const storage = await FileStorage.open(root);
    const store = new SessionStore<Chat>(storage, { initial });
    const a = await store.get("1");
    a.history.push("mutated");
    expect(await store.get("1")).toEqual({ counter: 0, history: [] });
    expect(await collect(store.keys())).toEqual([]);
  });

  it("writes what update returns, or the draft it mutated, as { v, data }, and a restart reads it back", async () => {
    const storage = await FileStorage.open(root);
    const store = new SessionStore<Chat>(storage, { initial, version: 1 });

    const mutated = await store.update("-100123", (draft) => {
      draft.model = "llama3.2:3b";
      draft.history.push("hi");
    });
    expect(mutated).toEqual({ model: "llama3.2:3b", counter: 0, history: ["hi"] });
    const replaced = await store.update("-100123", async (draft) => ({ ...draft, counter: 5 }));
    expect(replaced.counter).toBe(5);

    expect(JSON.parse(await readFile(join(root, "-100123.json"), "utf8"))).toEqual({
      v: 1,
      data: { model: "llama3.2:3b", counter: 5, history: ["hi"] },
    });
    const restarted = new SessionStore<Chat>(await FileStorage.open(root), { initial });
    expect(await restarted.get("-100123")).toEqual({ model: "llama3.2:3b", counter: 5, history: ["hi"] });
    expect(await collect(restarted.keys())).toEqual(["-100123"]);
  });

  it("applies 200 concurrent updates of one chat, none lost", async () => {
    const store = new SessionStore<Chat>(await FileStorage.open(root), { initial });
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        store.update("42", async (draft) => {
          const seen = draft.counter;
          // Yield in the middle of the read-modify-write: without the per-key lock, updates would interleave here.
          await new Promise((resolve) => setImmediate(resolve));
          draft.counter = seen + 1;
          draft.history.push(String(i));
        }),
      ),
    );
    const chat = await store.get("42");
    expect(chat.counter).toBe(200);
    // Applied in call order.
    expect(chat.history).toEqual(Array.from({ length: 200 }, (_, i) => String(i)));
  });

  it("does not hold one chat's updates behind another chat's", async () => {
    const store = new SessionStore<Chat>(new MemoryStorage(), { initial });
    let release!: () => void;
    const blocked = store.update("slow", () => new Promise<void>((resolve) => (release = resolve)));
    expect((await store.update("fast", (d) => void d.counter++)).counter).toBe(1);
    release();
    await blocked;
  });

  it("writes nothing when the update function throws, passes its error on, and keeps going", async () => {
    const store = new SessionStore<Chat>(new MemoryStorage(), { initial });
    await store.update("1", (d) => void d.counter++);
    const boom = new Error("boom");
    await expect(
      store.update("1", (d) => {
        d.counter = 99;
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect((await store.get("1")).counter).toBe(1);
    expect((await store.update("1", (d) => void d.counter++)).counter).toBe(2);
  });

  it("hands out copies: changing a returned value or a kept draft never changes what is stored", async () => {
    const store = new SessionStore<Chat>(new MemoryStorage(), { initial });
    let kept: Chat | undefined;
    const returned = await store.update("1", (draft) => {
      draft.history.push("a");
      kept = draft;
    });
    kept!.history.push("changed after update");
    returned.history.push("changed the result");
    const got = await store.get("1");
    got.history.push("changed a get");
    expect(await store.get("1")).toEqual({ counter: 0, history: ["a"] });
  });

  it("migrates a v1 value to v3 through each migration in order, and writes the result back", async () => {
    const storage = await FileStorage.open(root);
    await storage.write("1", { v: 1, data: { msgs: ["old"] } });
    await storage.write("2", { v: 2, data: { history: ["mid"] } });
    const calls: string[] = [];
    const options = {
      initial,
      version: 3,
      migrations: {
        2: (old: { msgs: string[] }) => {
          calls.push("2");
          return { history: old.msgs };
        },
        3: (old: { history: string[] }) => {
          calls.push("3");
          return { ...old, counter: 0 };
        },
      },
    };
    const store = new SessionStore<Chat>(storage, options);

    expect(await store.get("1")).toEqual({ history: ["old"], counter: 0 });
    expect(calls).toEqual(["2", "3"]);
    expect(await storage.read("1")).toEqual({ v: 3, data: { history: ["old"], counter: 0 } });

    calls.length = 0;
    expect(await store.update("2", (d) => void d.counter++)).toEqual({ history: ["mid"], counter: 1 });
    expect(calls).toEqual(["3"]);
    expect(await storage.read("2")).toEqual({ v: 3, data: { history: ["mid"], counter: 1 } });

    calls.length = 0;
    await store.get("1");
    expect(calls).toEqual([]);
  });

  it("refuses a value from a newer version with STORAGE_VERSION_TOO_NEW and leaves the file untouched", async () => {
    const storage = await FileStorage.open(root);
    const file = storage.fileFor("1");
    const text = '{"v":4,"data":{"shape":"from the future"}}';
    await writeFile(file, text);
    const before = await stat(file);
    const store = new SessionStore<Chat>(storage, {
      initial,
      version: 3,
      migrations: { 2: (o: unknown) => o, 3: (o: unknown) => o },
    });

    const error = await store.get("1").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageVersionTooNewError);
    expect(error).toMatchObject({
      code: "STORAGE_VERSION_TOO_NEW",
      key: "1",
      storedVersion: 4,
      knownVersion: 3,
    });
    let called = false;
    await expect(
      store.update("1", () => {
        called = true;
      }),
    ).rejects.toMatchObject({ code: "STORAGE_VERSION_TOO_NEW" });
    expect(called).toBe(false);

    expect(await readFile(file, "utf8")).toBe(text);
    expect((await stat(file)).mtimeMs).toBe(before.mtimeMs);
  });

  it("reports a throwing migration as STORAGE_MIGRATION_FAILED with its cause, leaving the old value", async () => {
    const storage = new MemoryStorage();
    await storage.write("1", { v: 1, data: { x: 1 } });
    const bug = new Error("bug in migration");
    const store = new SessionStore<Chat>(storage, {
      initial,
      version: 2,
      migrations: {
        2: () => {
          throw bug;
        },
      },
    });
    const error = await store.get("1").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageMigrationError);
    expect(error).toMatchObject({ code: "STORAGE_MIGRATION_FAILED", toVersion: 2, cause: bug });
    expect(await storage.read("1")).toEqual({ v: 1, data: { x: 1 } });
  });

  it("refuses a stored value that is not a { v, data } record, leaving it in place", async () => {
    const storage = new MemoryStorage();
    const store = new SessionStore<Chat>(storage, { initial });
    for (const bad of [{ counter: 1 }, { v: 0, data: {} }, { v: "1", data: {} }, { v: 1 }, [1], "text", 3]) {
      await storage.write("1", bad);
      const error = await store.get("1").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StorageRecordInvalidError);
      expect(error).toMatchObject({ code: "STORAGE_RECORD_INVALID" });
      expect(await storage.read("1")).toEqual(bad);
    }
  });

  it("checks its options when built: a missing migration or a bad version throws at once", () => {
    const storage = new MemoryStorage();
    expect(
      () => new SessionStore(storage, { initial, version: 3, migrations: { 2: (o: unknown) => o } }),
    ).toThrow(StorageInvalidArgumentError);
    expect(() => new SessionStore(storage, { initial, version: 0 })).toThrow(/positive integer/);
    expect(() => new SessionStore(storage, { initial, version: 1.5 })).toThrow(StorageInvalidArgumentError);
  });

  it("deletes after the updates queued before it, and lists only chats that hold a value", async () => {
    const store = new SessionStore<Chat>(new MemoryStorage(), { initial });
    void store.update("1", async (d) => {
      await new Promise((resolve) => setImmediate(resolve));
      d.counter++;
    });
    await store.update("2", () => {});
    await store.delete("1");
    expect(await collect(store.keys())).toEqual(["2"]);
    expect(await store.get("1")).toEqual(initial());
  });
});

describe("MemoryStorage", () => {
  it("returns values as a JSON store would: copies, with Dates as strings and undefined fields gone", async () => {
    const storage = new MemoryStorage<unknown>();
    const value = { at: new Date(0), gone: undefined, list: [1] };
    await storage.write("k", value);
    value.list.push(2);
    expect(await storage.read("k")).toEqual({ at: "1970-01-01T00:00:00.000Z", list: [1] });
    await expect(storage.write("k", 1n)).rejects.toMatchObject({ code: "STORAGE_INVALID_ARGUMENT" });
  });
});
