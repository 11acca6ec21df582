/**
 * Several bot processes (the real bundled bot, in child processes) in webhook mode on a real redis-server, behind a
 * round-robin proxy on loopback, with the fake Telegram, hub and Ollama: used by test/faults/cluster.test.ts and
 * bench/cluster.ts.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { startFakeHub } from "../fakes/hub.js";
import { type FakeOllama, type FakeOllamaOptions, startFakeOllama } from "../fakes/ollama.js";
import { type RoundRobin, startRoundRobin } from "../fakes/round-robin.js";
import { type FakeTelegram, type FakeTelegramOptions, startFakeTelegram } from "../fakes/telegram.js";
import { freePort } from "../support/bot-harness.js";
import { type RedisServer, startRedisServer } from "../support/redis-server.js";
import { ChildBot, REPO_ROOT } from "./child-bot.js";

const SECRET = "cluster-test-secret-0123456789";

export interface Cluster3 {
  tg: FakeTelegram;
  ollama: FakeOllama;
  redis: RedisServer;
  proxy: RoundRobin;
  bots: ChildBot[];
  ports: number[];
  close(): Promise<void>;
}

export interface ClusterOptions {
  processes?: number;
  longTokens?: number;
  tokenDelayMs?: number;
  ollama?: FakeOllamaOptions;
  telegram?: FakeTelegramOptions;
  /** Settings over the defaults below. */
  env?: Record<string, string>;
}

export async function startCluster(options: ClusterOptions = {}): Promise<Cluster3> {
  const n = options.processes ?? 3;
  const ollama = await startFakeOllama({
    tokenDelayMs: options.tokenDelayMs ?? 1,
    ...(options.longTokens ? { longTokens: options.longTokens } : {}),
    ...options.ollama,
  });
  const hub = await startFakeHub({ ollamaUrl: ollama.url });
  const tg = await startFakeTelegram({
    limits: false,
    webhook: { retryMs: 100, timeoutMs: 5_000 },
    ...options.telegram,
  });
  const redis = await startRedisServer();
  const ports = await Promise.all(Array.from({ length: n }, () => freePort()));
  const proxy = await startRoundRobin(ports);
  const dirs = await Promise.all(ports.map(() => mkdtemp(join(tmpdir(), "ollama-tg-cluster-"))));
  const bots = ports.map(
    (port, i) =>
      new ChildBot({
        cwd: REPO_ROOT,
        startTimeoutMs: 60_000,
        env: {
          TELEGRAM_BOT_TOKEN: tg.token,
          TELEGRAM_API_ROOT: tg.apiRoot,
          TTSHUB_API_BASE: hub.apiBase,
          OLLAMA_URL: "",
          OLLAMA_API_KEY: "",
          ALLOWED_USER_IDS: "*",
          ADMIN_USER_IDS: "",
          DATA_DIR: dirs[i]!,
          REDIS_URL: redis.url,
          WEBHOOK_URL: `${proxy.url}/telegram`,
          WEBHOOK_SECRET: SECRET,
          WEBHOOK_HOST: "127.0.0.1",
          WEBHOOK_PORT: String(port),
          WEBHOOK_PATH: "",
          WEBHOOK_MAX_CONNECTIONS: "40",
          CLUSTER_LEASE_MS: "2000",
          DEFAULT_MODEL: "tiny:latest",
          OLLAMA_STREAM_DEFAULT: "true",
          TELEGRAM_TIMEOUT_MS: "6000",
          STARTUP_TIMEOUT_MS: "20000",
          // For all processes together (shared in Redis).
          MAX_CONCURRENT_GENERATIONS: "2",
          RATE_LIMIT_PER_MINUTE: "1000",
          LIVE_PRIVATE_INTERVAL_MS: "350",
          LIVE_GROUP_INTERVAL_MS: "1000",
          LIVE_MODE: "edit",
          SHUTDOWN_GRACE_MS: "2000",
          HUB_OUTAGE_WINDOW_MS: "0",
          HUB_RETRIES: "0",
          LOG_LEVEL: "info",
          ...options.env,
        },
      }),
  );
  // One after the other: the first sets the webhook; the others set the same one.
  for (const bot of bots) await bot.start();
  return {
    tg,
    ollama,
    redis,
    proxy,
    bots,
    ports,
    async close() {
      await Promise.all(bots.filter((b) => b.running).map((b) => b.kill("SIGKILL")));
      await proxy.close();
      await tg.close();
      await hub.close();
      await ollama.close();
      await redis.close();
      await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
    },
  } satisfies Cluster3;
}

/** Which process (by index) owns a chat now, from Redis. */
export async function ownerOf(w: Cluster3, chat: number): Promise<number> {
  const raw = new Redis(w.redis.url);
  try {
    const owner = (await raw.get(`ollama-tg:cluster:owner:${chat}`)) ?? "";
    const pid = Number(owner.split(":")[1]);
    return w.bots.findIndex((b) => b.pid === pid);
  } finally {
    raw.disconnect();
  }
}
