import type { Redis } from "ioredis";

/** Counts the commands a client sends (each one a round trip, a script included, whatever it runs inside). */
export function countCommands(redis: Redis): { n: number } {
  const counter = { n: 0 };
  const send = redis.sendCommand.bind(redis);
  redis.sendCommand = ((...args: Parameters<Redis["sendCommand"]>) => {
    counter.n++;
    return send(...args);
  }) as Redis["sendCommand"];
  return counter;
}
