/**
 * The model client the bot and its tests use, from the configuration: one host (TTSHUB_API_BASE or OLLAMA_URL),
 * or several (MODEL_HOSTS) behind one pool that places each turn.
 */
import type { Config } from "../config/index.js";
import { type ClientOptions, OllamaClient } from "../hub/index.js";
import { HostPool, type PoolLog, type SharedHostSlot } from "./pool.js";

export interface ModelClients {
  /** What every call goes through: the one host's client, or the pool. */
  client: HostPool | OllamaClient;
  /** Several hosts: the pool (the same object as `client`). */
  hosts: HostPool | undefined;
}

export function modelClientsFrom(
  config: Pick<Config, "client" | "hosts" | "hostCheckIntervalMs">,
  options: {
    log: PoolLog;
    /** Several processes: each host's slots counted across all of them. */
    sharedSlot?: SharedHostSlot;
    /** Over each client's options (tests: short backoffs). */
    clientOptions?: Partial<ClientOptions>;
  },
): ModelClients {
  if (!config.hosts) {
    return { client: new OllamaClient({ ...config.client, ...options.clientOptions }), hosts: undefined };
  }
  const pool = new HostPool(
    config.hosts.map((h) => ({
      name: h.name,
      client: new OllamaClient({ ...h.client, ...options.clientOptions }),
      concurrency: h.concurrency,
    })),
    {
      log: options.log,
      checkIntervalMs: config.hostCheckIntervalMs,
      ...(options.sharedSlot ? { sharedSlot: options.sharedSlot } : {}),
    },
  );
  return { client: pool, hosts: pool };
}
