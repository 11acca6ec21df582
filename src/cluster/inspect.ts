/**
 * A read-only look at the cluster (for `doctor`): which bot processes hold a lease now, how many chats each owns
 * and how many updates wait in its inbox. It joins nothing and writes nothing.
 */
import { Redis } from "ioredis";
import { DEFAULT_CLUSTER_PREFIX } from "./cluster.js";
import { ClusterUnavailableError } from "./errors.js";

export interface ProcessView {
  id: string;
  /** Until its lease ends, if it does not renew it (negative: ended, not yet taken over). */
  leaseLeftMs: number;
  chats: number;
  /** Updates and recoveries in its inbox, not yet handled. */
  waiting: number;
}

export async function inspectCluster(
  url: string,
  options: { prefix?: string; timeoutMs?: number } = {},
): Promise<ProcessView[]> {
  const prefix = options.prefix ?? DEFAULT_CLUSTER_PREFIX;
  const timeout = options.timeoutMs ?? 5_000;
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeout,
    commandTimeout: timeout,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  // A refused connection is the answer below; the client's own event would only repeat it.
  redis.on("error", () => {});
  try {
    await redis.connect();
    const [seconds, micros] = (await redis.time()) as [string | number, string | number];
    const now = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    const flat = await redis.zrange(`${prefix}procs`, 0, -1, "WITHSCORES");
    const views: ProcessView[] = [];
    for (let i = 0; i < flat.length; i += 2) {
      const id = flat[i]!;
      const [chats, waiting] = await Promise.all([
        redis.scard(`${prefix}owned:${id}`),
        redis.xlen(`${prefix}inbox:${id}`),
      ]);
      views.push({ id, leaseLeftMs: Number(flat[i + 1]) - now, chats, waiting });
    }
    return views;
  } catch (err) {
    throw new ClusterUnavailableError(`could not read the cluster in Redis: ${(err as Error).message}`, {
      cause: err,
    });
  } finally {
    redis.disconnect();
  }
}
