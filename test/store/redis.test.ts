/**
 * Redis storage against the fake Redis (test/fakes/redis.ts). Set REDIS_TEST_URL (e.g. redis://127.0.0.1:6379)
 * to run the same tests against a real server instead; the ones that need the fake's fault injection are skipped.
 * Every key is under a per-run prefix and removed afterwards.
 */
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { type AddressInfo, createServer, type Socket } from "node:net";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createRedisStorage,
  DEFAULT_REDIS_PREFIX,
  type RedisStorage,
  SessionStore,
  type StorageEvent,
  StorageUnavailableError,
} from "../../src/store/index.js";
import { type FakeRedis, startFakeRedis } from "../fakes/redis.js";

const REAL_URL = process.env.REDIS_TEST_URL;
const RUN = `test-${randomBytes(4).toString("hex")}:`;

let fake: FakeRedis | undefined;
let url: string;
let raw: Redis;
const opened: Array<RedisStorage<unknown>> = [];
let prefixCount = 0;

beforeAll(async () => {
  if (REAL_URL === undefined) fake = await startFakeRedis();
  url = REAL_URL ?? fake!.url;
  raw = new Redis(url);
});

afterAll(async () => {
  for (const storage of opened) await storage.close();
  for (const db of [0, 3]) {
    await raw.select(db);
    const keys = await raw.keys(`*${RUN}*`);
    if (keys.length > 0) await raw.del(...keys);
  }
  await raw.quit();
  await fake?.close();
});

/** A storage under a prefix of its own, closed after the file's tests. */
async function open<T>(
  options: Parameters<typeof createRedisStorage>[1] = {},
  at = url,
): Promise<RedisStorage<T>> {
  const storage = await createRedisStorage<T>(at, { prefix: `${RUN}${++prefixCount}:`, ...options });
  opened.push(storage as RedisStorage<unknown>);
  return storage;
}

async function collect(iterable: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const item of iterable) out.push(item);
  return out.sort();
}

/** A loopback port that refuses connections. */
async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe(`Redis storage (${REAL_URL === undefined ? "fake Redis" : "real Redis"})`, () => {
  it("round-trips values as one JSON string per prefixed key, and deletes them", async () => {
    const storage = await open<unknown>();
    const prefix = `${RUN}${prefixCount}:`;
    const value = { model: "qwen3:8b", history: [{ role: "user", content: "héllo 🙂\r\n*3\r\n" }] };
    await storage.write("-100123", value);
    expect(await storage.read("-100123")).toEqual(value);
    expect(await storage.read("missing")).toBeUndefined();
    expect(await raw.get(`${prefix}-100123`)).toBe(JSON.stringify(value));
    expect(await raw.ttl(`${prefix}-100123`)).toBe(-1);

    await storage.delete("-100123");
    await storage.delete("never-existed");
    expect(await storage.read("-100123")).toBeUndefined();
    expect(await raw.exists(`${prefix}-100123`)).toBe(0);
  });

  it("applies writes to one key in call order: the last call wins", async () => {
    const storage = await open<{ n: number; pad: string }>();
    await Promise.all(
      Array.from({ length: 50 }, (_, n) =>
        storage.write("k", { n, pad: "x".repeat(((50 - n) * 9973) % 100_000) }),
      ),
    );
    expect((await storage.read("k"))?.n).toBe(49);
  });

  it("uses the documented default prefix", async () => {
    const storage = await createRedisStorage<number>(url);
    opened.push(storage as RedisStorage<unknown>);
    const key = `${RUN}default`;
    await storage.write(key, 1);
    expect(await raw.get(`${DEFAULT_REDIS_PREFIX}${key}`)).toBe("1");
    await storage.delete(key);
  });

  it("lists every key under its prefix once, across SCAN batches, and nothing else (prefix globs escaped)", async () => {
    const prefix = `${RUN}p*[ab]?:`;
    const storage = await open<number>({ prefix });
    const keys = Array.from({ length: 450 }, (_, i) => `${i % 2 === 0 ? "-" : ""}${1000 + i}`);
    keys.push("../x", "a*b", "sp ace", "é");
    for (const key of keys) await storage.write(key, 1);
    // Keys the unescaped pattern `p*[ab]?:*` would match, and a key of another program.
    await raw.set(`${RUN}pZZa!:decoy`, "1");
    await raw.set(`${RUN}p*[ab]?decoy`, "1");
    await raw.set(`${RUN}other:1`, "1");
    expect(await collect(storage.readAllKeys())).toEqual([...keys].sort());
  });

  it("sets the configured expiry on every write", async () => {
    const storage = await open<number>({ ttlSeconds: 60 });
    await storage.write("1", 1);
    const ttl = await raw.ttl(`${RUN}${prefixCount}:1`);
    expect(ttl).toBeGreaterThan(50);
    expect(ttl).toBeLessThanOrEqual(60);
  });

  it("uses the database named in the URL", async () => {
    const storage = await open<number>({}, `${url}/3`);
    await storage.write("1", 7);
    const key = `${RUN}${prefixCount}:1`;
    const db3 = new Redis(`${url}/3`);
    try {
      expect(await db3.get(key)).toBe("7");
      expect(await raw.exists(key)).toBe(0);
    } finally {
      await db3.quit();
    }
  });

  it("moves a value that does not parse aside, reports it and treats the key as empty", async () => {
    const events: StorageEvent[] = [];
    const storage = await open<unknown>({ log: (e) => events.push(e) });
    const full = `${RUN}${prefixCount}:1`;
    await raw.set(full, '{"v":1,"da');
    expect(await storage.read("1")).toBeUndefined();
    expect(events).toHaveLength(1);
    const event = events[0]!;
    expect(event).toMatchObject({ kind: "corrupt-file", key: "1", file: full });
    const movedTo = event.kind === "corrupt-file" ? event.movedTo : "";
    expect(movedTo.startsWith(`ollama-tg:corrupt:${full}:`)).toBe(true);
    expect(await raw.get(movedTo)).toBe('{"v":1,"da');
    expect(await raw.exists(full)).toBe(0);
    expect(await collect(storage.readAllKeys())).toEqual([]);
    await raw.del(movedTo);
  });

  it("refuses values JSON cannot hold with STORAGE_INVALID_ARGUMENT, and an empty prefix", async () => {
    const storage = await open<unknown>();
    await storage.write("1", { ok: true });
    for (const bad of [undefined, 10n, () => 1]) {
      await expect(storage.write("1", bad)).rejects.toMatchObject({ code: "STORAGE_INVALID_ARGUMENT" });
    }
    expect(await storage.read("1")).toEqual({ ok: true });
    await expect(createRedisStorage(url, { prefix: "" })).rejects.toMatchObject({
      code: "STORAGE_INVALID_ARGUMENT",
    });
  });

  it("fails at start-up with STORAGE_UNAVAILABLE when nothing listens, naming the cause but not the password", async () => {
    const port = await closedPort();
    const error = await createRedisStorage(`redis://bot:s3cretpassw0rd@127.0.0.1:${port}/0`, {
      connectTimeoutMs: 2_000,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageUnavailableError);
    const message = (error as Error).message;
    expect(message).toContain(`redis://127.0.0.1:${port}/0`);
    expect(message).toContain("ECONNREFUSED");
    expect(message).toContain("Check REDIS_URL");
    expect(message).not.toContain("s3cretpassw0rd");
  });

  it("fails at start-up when the server accepts but never answers, after connectTimeoutMs", async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    silent.listen(0, "127.0.0.1");
    await once(silent, "listening");
    const { port } = silent.address() as AddressInfo;
    try {
      await expect(
        createRedisStorage(`redis://127.0.0.1:${port}`, { connectTimeoutMs: 300 }),
      ).rejects.toMatchObject({
        code: "STORAGE_UNAVAILABLE",
        message: expect.stringContaining("no answer within 300 ms"),
      });
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});

describe(`SessionStore over Redis (${REAL_URL === undefined ? "fake Redis" : "real Redis"})`, () => {
  interface Chat {
    counter: number;
    history: string[];
  }
  const initial = (): Chat => ({ counter: 0, history: [] });

  it("applies 200 concurrent updates of one chat, and a second client sees the result", async () => {
    const storage = await open();
    const store = new SessionStore<Chat>(storage, { initial });
    await Promise.all(
      Array.from({ length: 200 }, () =>
        store.update("-100123", (draft) => {
          draft.counter++;
        }),
      ),
    );
    expect((await store.get("-100123")).counter).toBe(200);
    const other = await createRedisStorage(url, { prefix: `${RUN}${prefixCount}:` });
    opened.push(other);
    expect(await new SessionStore<Chat>(other, { initial }).get("-100123")).toMatchObject({ counter: 200 });
    expect(await collect(store.keys())).toEqual(["-100123"]);
  });

  it("migrates a stored v1 value to v3 and writes it back; a newer version is refused and left as it was", async () => {
    const storage = await open();
    const prefix = `${RUN}${prefixCount}:`;
    await raw.set(`${prefix}old`, JSON.stringify({ v: 1, data: { msgs: ["hi"] } }));
    const future = JSON.stringify({ v: 9, data: { whatever: true } });
    await raw.set(`${prefix}future`, future);
    const store = new SessionStore<Chat>(storage, {
      initial,
      version: 3,
      migrations: {
        2: (old: { msgs: string[] }) => ({ history: old.msgs }),
        3: (old: { history: string[] }) => ({ ...old, counter: 0 }),
      },
    });
    expect(await store.get("old")).toEqual({ history: ["hi"], counter: 0 });
    expect(JSON.parse((await raw.get(`${prefix}old`))!)).toEqual({
      v: 3,
      data: { history: ["hi"], counter: 0 },
    });
    await expect(store.update("future", () => {})).rejects.toMatchObject({ code: "STORAGE_VERSION_TOO_NEW" });
    expect(await raw.get(`${prefix}future`)).toBe(future);
  });
});

describe.skipIf(REAL_URL !== undefined)("Redis storage faults (fake Redis only)", () => {
  it("authenticates with the URL's password, and says so when it is wrong without printing it", async () => {
    const guarded = await startFakeRedis({ password: "right-pass" });
    try {
      const storage = await createRedisStorage<number>(`redis://:right-pass@127.0.0.1:${guarded.port}`);
      await storage.write("1", 1);
      expect(await storage.read("1")).toBe(1);
      await storage.close();
      const error = await createRedisStorage(`redis://:wrong-pass@127.0.0.1:${guarded.port}`, {
        connectTimeoutMs: 2_000,
      }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "STORAGE_UNAVAILABLE" });
      expect((error as Error).message).toContain("WRONGPASS");
      expect((error as Error).message).not.toContain("wrong-pass");
      await expect(
        createRedisStorage(`redis://127.0.0.1:${guarded.port}`, { connectTimeoutMs: 2_000 }),
      ).rejects.toMatchObject({ code: "STORAGE_UNAVAILABLE", message: expect.stringContaining("NOAUTH") });
    } finally {
      await guarded.close();
    }
  });

  it("reconnects by itself after the server drops the connection", async () => {
    const storage = await open<number>();
    await storage.write("1", 1);
    fake!.dropConnections();
    expect(await storage.read("1")).toBe(1);
  });

  it("fails a command with STORAGE_UNAVAILABLE once the server is gone, and reports the outage once", async () => {
    const doomed = await startFakeRedis();
    const events: StorageEvent[] = [];
    const storage = await createRedisStorage<number>(doomed.url, {
      log: (e) => events.push(e),
      redisOptions: { maxRetriesPerRequest: 2, retryStrategy: () => 10 },
    });
    await storage.write("1", 1);
    await doomed.close();
    await expect(storage.read("1")).rejects.toBeInstanceOf(StorageUnavailableError);
    expect(events.filter((e) => e.kind === "redis-error")).toHaveLength(1);
    await storage.close();
  });
});
