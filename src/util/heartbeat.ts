/**
 * The running bot's liveness, for a health check in another process (Docker's HEALTHCHECK runs `health` in a new
 * process, which cannot ask the bot's memory). The bot writes when it last got an answer to `getUpdates`; a bot
 * that is up but not polling (Telegram unreachable, a 409, a wedged loop) stops refreshing it and goes stale.
 */
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";

export interface Heartbeat {
  pid: number;
  /** ms since the epoch: when this file was written */
  writtenAt: number;
  /** ms since the epoch: the last `getUpdates` Telegram answered, or undefined before the first */
  lastPollAt: number | undefined;
}

/** How often the bot rewrites the file while it runs. */
export const HEARTBEAT_INTERVAL_MS = 15_000;
/**
 * A poll older than this is not live: a long poll returns within 30 s even when nothing happens, and this leaves
 * room for a few failed polls the bot retries by itself.
 */
export const HEARTBEAT_STALE_MS = 120_000;

export function heartbeatPath(dataDir: string): string {
  return join(dataDir, "heartbeat.json");
}

/** Removed at a stop: a bot that stopped is not live, at once (not only once its heartbeat is stale). */
export async function removeHeartbeat(path: string): Promise<void> {
  await rm(path, { force: true });
}

/** Written whole (temp file, rename) so a reader never sees half a file. */
export async function writeHeartbeat(path: string, beat: Heartbeat): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  await mkdir(dirname(path), { recursive: true });
  await writeFile(temp, `${JSON.stringify(beat)}\n`);
  await rename(temp, path);
}

/** The heartbeat, or undefined when there is none (the bot never ran here) or it does not parse. */
export async function readHeartbeat(path: string): Promise<Heartbeat | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    return undefined;
  }
  try {
    const v = JSON.parse(text) as Partial<Heartbeat>;
    if (typeof v.pid !== "number" || typeof v.writtenAt !== "number") return undefined;
    return {
      pid: v.pid,
      writtenAt: v.writtenAt,
      lastPollAt: typeof v.lastPollAt === "number" ? v.lastPollAt : undefined,
    };
  } catch {
    return undefined;
  }
}

/** Whether a process with this id runs (on this machine, in this container). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, under another user.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Why the bot is not live, in a sentence, or undefined when it is. `alive` checks the writer's process id (a
 * killed bot leaves a fresh file behind; a stopped one removes it).
 */
export function heartbeatProblem(
  beat: Heartbeat | undefined,
  now: number,
  alive?: (pid: number) => boolean,
): string | undefined {
  if (beat === undefined) return "the bot is not running, or has not started yet (no heartbeat)";
  if (alive && !alive(beat.pid)) return `the bot is not running (its process ${beat.pid} has exited)`;
  if (beat.lastPollAt === undefined) {
    return now - beat.writtenAt > HEARTBEAT_STALE_MS
      ? "the bot is not running (its heartbeat is stale)"
      : "the bot is starting and has not polled Telegram yet";
  }
  if (now - beat.writtenAt > HEARTBEAT_STALE_MS) return "the bot is not running (its heartbeat is stale)";
  if (now - beat.lastPollAt > HEARTBEAT_STALE_MS) {
    return `the bot has not polled Telegram for ${Math.round((now - beat.lastPollAt) / 1000)} s`;
  }
  return undefined;
}
