/**
 * `npm start`: the Telegram bot. Configuration from the environment and `.env`; a bad value stops start-up with
 * one line per problem (exit code 3). SIGINT/SIGTERM stop it gracefully.
 */
import { existsSync } from "node:fs";
import { config as loadDotenv } from "dotenv";
import {
  type ChatSession,
  createBot,
  initialSession,
  SESSION_MIGRATIONS,
  SESSION_VERSION,
  StartupError,
  serializeTelegramError,
  startBot,
} from "./bot/index.js";
import { ClusterInbox, fenceFor } from "./bot/intake/index.js";
import { Cluster } from "./cluster/index.js";
import { type Config, ConfigError, loadConfig } from "./config/index.js";
import { modelClientsFrom } from "./hosts/index.js";
import { createLogger } from "./log/index.js";
import { openSessionStorage, SessionStore, storageEventLogger } from "./store/index.js";
import { boundHeapGrowth } from "./util/memory.js";

// Before anything is allocated: the old generation is collected before it holds 1.5 times what is alive.
boundHeapGrowth();
loadDotenv({ quiet: true });

let config: Config;
try {
  config = loadConfig(process.env, { requireBot: true });
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(err.message.replace(/^/gm, "Configuration: ").concat("\n"));
  if (!existsSync(".env")) {
    process.stderr.write("Configuration: there is no .env here: cp .env.example .env, then fill it in.\n");
  }
  process.exit(3);
}
const botConfig = config.bot!;
const log = createLogger({
  level: config.logLevel,
  secrets: config.secrets,
  serializeError: serializeTelegramError,
});
process.on("unhandledRejection", (err) => log.error({ err }, "unhandled rejection"));

// Several processes (webhook + Redis): each joins the cluster, which routes every chat to one of them.
// Declared before the cluster joins: its onLost (a timer) may fire during any later await of the start-up.
let running: Awaited<ReturnType<typeof startBot>> | undefined;
let stopping = false;
let cluster: Cluster | undefined;
if (botConfig.webhook && botConfig.redisUrl) {
  try {
    cluster = await Cluster.connect({
      url: botConfig.redisUrl,
      log,
      leaseMs: botConfig.clusterLeaseMs,
      // Its chats are another process's now: stop at once, without handing anything over (exit 1: restarted).
      onLost: () => {
        void (async () => {
          stopping = true;
          await running?.stop(0).catch((err: unknown) => log.error({ err }, "the stop failed"));
          process.exit(1);
        })();
      },
    });
  } catch (err) {
    log.fatal({ err }, "cannot join the other bot processes in Redis (REDIS_URL): fix the setting");
    process.exit(1);
  }
  log.info({ process: cluster.id, live: cluster.liveProcesses }, "one of several bot processes on Redis");
}
// One host (TTSHUB_API_BASE or OLLAMA_URL), or several (MODEL_HOSTS) behind one pool that places each turn.
const { client, hosts } = modelClientsFrom(config, {
  log,
  // Several processes: each host's slots are counted across all of them.
  ...(cluster
    ? {
        sharedSlot: (name: string, max: number, signal: AbortSignal) =>
          cluster.slot(`generations:${name}`, max, signal),
      }
    : {}),
});
let storage: Awaited<ReturnType<typeof openSessionStorage>>;
try {
  storage = await openSessionStorage({
    dataDir: botConfig.dataDir,
    redisUrl: botConfig.redisUrl,
    log: storageEventLogger(log),
    ...(cluster ? { fence: fenceFor(cluster) } : {}),
  });
} catch (err) {
  log.fatal(
    { err },
    `cannot open the session storage (${botConfig.redisUrl ? "REDIS_URL" : "DATA_DIR"}): fix the setting`,
  );
  process.exit(1);
}
const store = new SessionStore<ChatSession>(storage, {
  initial: () => initialSession(botConfig.streamDefault),
  version: SESSION_VERSION,
  migrations: SESSION_MIGRATIONS,
});
const limit = botConfig.maxConcurrentGenerations;
const built = createBot({
  config: botConfig,
  client,
  store,
  log,
  ...(hosts ? { hosts } : {}),
  ...(cluster
    ? {
        shared: {
          slots: (signal: AbortSignal) => cluster.slot("generations", limit, signal),
          hit: (name: string, windowMs: number, max: number) => cluster.hit(name, windowMs, max),
        },
      }
    : {}),
});
if (cluster) {
  // Together the processes stay within TELEGRAM_MAX_CALLS_PER_SECOND: each takes its part.
  const budget = built.services.core.budget;
  budget.share(cluster.liveProcesses);
  cluster.onLive = (n) => {
    budget.share(n);
    log.info(
      { processes: n, callsPerSecond: Math.round(budget.ceiling) },
      "bot processes running changed; this one's part of the Telegram budget",
    );
  };
}
log.info({ backend: client.label, storage: botConfig.redisUrl ? "redis" : botConfig.dataDir }, "starting");
// The first check tells placement which host has which model (bounded: a host away is marked down, not waited for).
await hosts?.start();

// From the first moment: a signal during start-up exits at once; after it, stops gracefully. If the stop itself
// fails or hangs, the process still exits.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, running ? "shutting down" : "stopped during start-up");
    const hardStop = setTimeout(() => process.exit(1), botConfig.shutdownGraceMs + 15_000);
    hardStop.unref();
    try {
      await running?.stop();
      if (storage.commandsSent !== undefined) {
        // What this run cost Redis, in round trips (a script counts once): the benchmark reads it.
        log.info(
          { sessions: storage.commandsSent, cluster: cluster?.commandsSent ?? 0 },
          "Redis commands sent by this process",
        );
      }
      await storage.close();
      await client.close();
    } catch (err) {
      log.error({ err }, "the stop failed; exiting anyway");
      process.exit(1);
    }
    process.exit(0);
  });
}

try {
  running = await startBot(built, cluster ? { inbox: new ClusterInbox(cluster, log) } : {});
  // Polling that stops for good (409, a revoked token) ends the process with the reason already logged.
  running.done.catch(async () => {
    if (stopping) return;
    stopping = true;
    await running?.stop(0).catch((err: unknown) => log.error({ err }, "the stop failed"));
    process.exit(1);
  });
} catch (err) {
  if (stopping) process.exit(0);
  log.fatal(
    { err },
    err instanceof StartupError
      ? err.message
      : "could not start the bot (is Telegram, or TELEGRAM_API_ROOT, reachable?)",
  );
  process.exit(1);
}
