/**
 * What every service is built from: the dependencies `createBot` was given, the two Bot API instances, the
 * translations and the shutdown signal. Read-only: services own their state, none is kept here.
 */
import { randomBytes } from "node:crypto";
import type { Api } from "grammy";
import type { Logger } from "pino";
import type { BotConfig } from "../../config/index.js";
import type { HostPlace, HostPool } from "../../hosts/index.js";
import { isServerAway, type OllamaClient } from "../../hub/index.js";
import { type CallBudget, type Clock, type DraftPolicy, sleep } from "../../live/index.js";
import type { Texts } from "../i18n.js";
import type { FairQueue, SharedSlots } from "../queue.js";
import type { ChatStore, PendingSend } from "../session.js";
import type { SendLedger } from "./lost-sends.js";

/** What the bot needs of the model client (the hub client, in either mode). */
export type ModelClient = Pick<
  OllamaClient,
  | "mode"
  | "baseUrl"
  | "label"
  | "listModels"
  | "hasModel"
  | "chatStream"
  | "chat"
  | "pull"
  | "health"
  | "showModel"
  | "runningModels"
  | "deleteModel"
  | "transcribe"
  | "voices"
  | "synthesise"
  | "fetchAudio"
  | "previewVoice"
>;

/**
 * What several bot processes share (through Redis: `src/cluster`); absent for one process, which keeps these in
 * memory. Each chat's own state needs no sharing: one process at a time handles a chat.
 */
export interface Shared {
  /** One of the generation slots (MAX_CONCURRENT_GENERATIONS) of all processes together. */
  slots: SharedSlots;
  /** One more hit on a counter every process counts (`name`), per window; true while within `limit`. */
  hit(name: string, windowMs: number, limit: number): Promise<boolean>;
}

export interface BotDeps {
  config: BotConfig;
  client: ModelClient;
  store: ChatStore;
  log: Logger;
  /** Time for the live messages, pull progress, Auto pauses and expiries. Default: the system clock. */
  clock?: Clock;
  /** Several processes: what they share. Default: none (one process). */
  shared?: Shared;
  /**
   * Several model hosts (MODEL_HOSTS): where each turn runs. `client` is then this pool too. Default: none (one
   * host, `client`, with MAX_CONCURRENT_GENERATIONS slots).
   */
  hosts?: HostPool;
}

/** The fair queue of turns; with several hosts, a turn's run gets its place (host and client). */
export type TurnQueue = FairQueue<HostPlace>;

export interface Core {
  readonly config: BotConfig;
  readonly client: ModelClient;
  readonly store: ChatStore;
  readonly log: Logger;
  readonly clock: Clock;
  /** The Bot API for ordinary replies: 429s and network errors are retried (bounded) by auto-retry. */
  readonly api: Api;
  /**
   * The Bot API for paced writers (the live message, pull progress): no automatic retry, because they must see a
   * 429 to skip stale states and slow down, instead of waiting to send an outdated text.
   */
  readonly liveApi: Api;
  readonly texts: Texts;
  /** Fires when a stop begins: nothing new starts (waiting work is saved for after the restart). */
  readonly draining: AbortSignal;
  /** Fires at shutdown, after the grace period: work still running stops and is marked interrupted. */
  readonly shutdown: AbortSignal;
  isAdmin(userId: number | undefined): boolean;
  /** The ids of messages sent in each chat, and the finder of copies whose id was never saved. */
  readonly sends: SendLedger;
  /** Which chats stream answers as drafts (LIVE_MODE, and the chats where Telegram refused one). */
  readonly drafts: DraftPolicy;
  /** The bot-wide budget of Telegram calls (TELEGRAM_MAX_CALLS_PER_SECOND, adaptive), shared by every chat. */
  readonly budget: CallBudget;
  /** Several processes: what they share (see `Shared`). */
  readonly shared: Shared | undefined;
  /** Several model hosts (see `BotDeps.hosts`). */
  readonly hosts: HostPool | undefined;
}

/**
 * What to save before a send so the start-up after a crash can find the message if its id was never saved, or
 * undefined when no tight floor is known (this process has seen nothing in the chat yet): then nothing is looked
 * for, rather than probing messages of the last process.
 */
export function pendingSendOf(
  core: Pick<Core, "sends">,
  chatId: number,
  content: PendingSend["content"],
): PendingSend | undefined {
  const floor = core.sends.lastSeen(chatId);
  // Sends in flight would get ids above the floor that nobody saved: the span would not be what it promises.
  if (floor === undefined || core.sends.sendsInFlight(chatId) > 0) return undefined;
  return { content, floor };
}

/** The reason of the shutdown signal, so a stopped answer can tell a restart from a user's Stop. */
export class ShutdownReason extends Error {
  readonly code = "SHUTDOWN";
  constructor() {
    super("the bot is shutting down");
  }
}

export function chatKey(chatId: number): string {
  return String(chatId);
}

/** A short random key for callback data (36^6 ≈ 2·10^9 values, far under Telegram's 64 bytes), from a CSPRNG. */
export function shortToken(): string {
  const bytes = randomBytes(6);
  return Array.from(bytes, (b) => (b % 36).toString(36)).join("");
}

/** Logs a failure nobody can be told about (a notice that could not be sent), instead of swallowing it. */
export function logFailure(log: Pick<Logger, "warn">, what: string, fields: object = {}) {
  return (err: unknown): undefined => {
    log.warn({ ...fields, err }, what);
    return undefined;
  };
}

/** The reason an answer was stopped at MAX_ANSWER_CHARS. */
export class AnswerTooLong extends Error {
  readonly code = "ANSWER_TOO_LONG";
  constructor(readonly maxChars: number) {
    super(`the answer reached ${maxChars} characters`);
  }
}

/**
 * The answer's events until its text passes `maxChars`; then `stop` is called (with AnswerTooLong), which ends
 * the stream like a Stop: one prompt cannot fill a chat or hold a generation slot with an endless answer.
 */
export async function* capAnswer<E extends { type: string; text?: string }>(
  source: AsyncIterable<E>,
  maxChars: number,
  stop: (reason: AnswerTooLong) => void,
): AsyncGenerator<E> {
  let chars = 0;
  for await (const ev of source) {
    if (ev.type === "content" && typeof ev.text === "string") {
      chars += ev.text.length;
      if (chars > maxChars) {
        stop(new AnswerTooLong(maxChars));
        return;
      }
    }
    yield ev;
  }
}

/**
 * The answer's events; when the request fails before any event because the hub or Ollama is briefly away, it is
 * sent again (backoff 1, 2, 4… s) until `windowMs` has passed: a restart of the model server costs a wait, not a
 * failed turn. The live message keeps showing "preparing… N s" meanwhile. Once an event came, nothing is re-sent.
 */
export async function* rideOutOutage<E>(
  open: () => AsyncIterable<E>,
  windowMs: number,
  clock: Clock,
  signal: AbortSignal,
  onWait: (err: unknown, waitMs: number) => void,
): AsyncGenerator<E> {
  const until = clock.now() + windowMs;
  for (let attempt = 0; ; attempt++) {
    let started = false;
    try {
      for await (const ev of open()) {
        started = true;
        yield ev;
      }
      return;
    } catch (err) {
      const wait = Math.min(1_000 * 2 ** attempt, 8_000);
      if (started || signal.aborted || !isServerAway(err) || clock.now() + wait > until) throw err;
      onWait(err, wait);
      await sleep(clock, wait, signal).catch(() => {
        throw err;
      });
    }
  }
}

/**
 * The answer source every streamed answer uses (a chat turn, an AI↔AI line): the model's stream, sent again
 * while the server is briefly away, and stopped at MAX_ANSWER_CHARS.
 */
export function guardedAnswer<E extends { type: string; text?: string }>(
  core: Core,
  open: () => AsyncIterable<E>,
  stop: { signal: AbortSignal; abort(reason: unknown): void },
  log: Pick<Logger, "warn">,
  /** What waits, for the log: "the turn", "the AI↔AI line". */
  what: string,
): AsyncGenerator<E> {
  return capAnswer(
    rideOutOutage(open, core.config.outageWindowMs, core.clock, stop.signal, (err, waitMs) =>
      log.warn(
        { err, code: (err as { code?: unknown })?.code, retryInMs: waitMs },
        `the model server is away; ${what} waits for it`,
      ),
    ),
    core.config.maxAnswerChars,
    stop.abort,
  );
}

/** How often a streaming answer's text is written to the session, for a crash to find. */
export const CHECKPOINT_MS = 5_000;

/** The answer's events, passing its text so far to `save` every CHECKPOINT_MS (on the injected clock). */
export async function* checkpointed<E extends { type: string; text?: string }>(
  source: AsyncIterable<E>,
  clock: { now(): number },
  save: (text: string) => void,
): AsyncGenerator<E> {
  let text = "";
  let last = clock.now();
  for await (const ev of source) {
    if (ev.type === "content" && typeof ev.text === "string") {
      text += ev.text;
      if (clock.now() - last >= CHECKPOINT_MS) {
        last = clock.now();
        save(text);
      }
    }
    yield ev;
  }
}

/**
 * A writer that keeps only the newest value: one write at a time, and while it runs only the latest value waits.
 * A slow storage then costs one write behind, not one per update (a checkpoint per edit of a live message).
 */
export function latestOnly<T>(write: (value: T) => Promise<void>): {
  push(value: T): void;
  idle(): Promise<void>;
} {
  let next: { value: T } | undefined;
  let running: Promise<void> | undefined;
  const drain = async () => {
    try {
      while (next) {
        const { value } = next;
        next = undefined;
        await write(value); // logs its own failure: the next value is written all the same
      }
    } finally {
      running = undefined;
    }
  };
  return {
    push(value) {
      next = { value };
      running ??= drain();
    },
    idle: () => running ?? Promise.resolve(),
  };
}

/** The session storage could not be read or written (Redis away, a full disk): the store's own error code. */
export function isStorageOutage(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === "STORAGE_UNAVAILABLE";
}

/** How long a session read or write that must land rides out a storage outage (Redis restarting). */
export const STORAGE_RETRY_MS = 60_000;

/**
 * A session read or write that must land (a turn starting, an answer already shown): a storage outage is ridden
 * out with backoff for up to STORAGE_RETRY_MS, or until the shutdown; any other failure, at once, as it is.
 */
export async function persist<T>(
  core: Pick<Core, "clock" | "log" | "shutdown">,
  what: string,
  op: () => Promise<T>,
): Promise<T> {
  const until = core.clock.now() + STORAGE_RETRY_MS;
  let delay = 500;
  for (let attempt = 1; ; attempt++) {
    try {
      return await op();
    } catch (err) {
      if (!isStorageOutage(err) || core.shutdown.aborted || core.clock.now() + delay > until) throw err;
      if (attempt === 1) core.log.warn({ err }, `${what}: the session storage is away; trying again`);
      await sleep(core.clock, delay);
      delay = Math.min(delay * 2, 8_000);
    }
  }
}
