/**
 * The bot's services, shared by its features: the model client, the chat store, the fair queue, the Stop buttons,
 * the per-chat paces. Built once by `createBot` from the dependencies passed in; features get it by closure.
 */
import type { Api } from "grammy";
import type { Logger } from "pino";
import type { BotConfig } from "../config/index.js";
import type { OllamaClient } from "../hub/index.js";
import { type Clock, PaceRegistry, StopButtons, systemClock } from "../live/index.js";
import { FairQueue } from "./queue.js";
import type { ChatStore } from "./session.js";

/** What the bot needs of the model client (the hub client, in either mode). */
export type ModelClient = Pick<
  OllamaClient,
  "mode" | "baseUrl" | "label" | "listModels" | "hasModel" | "chatStream" | "pull" | "health"
>;

export interface BotDeps {
  config: BotConfig;
  client: ModelClient;
  store: ChatStore;
  log: Logger;
  /** Time for the live messages (pacing, retry-after). Default: the system clock. */
  clock?: Clock;
}

/** A prompt that a button (Retry, Pull) can send again; the token ties the button to it. */
export interface PendingPrompt {
  token: string;
  prompt: string;
  messageId: number;
  model?: string;
}

export interface App extends BotDeps {
  /** Time for live messages, pull progress and Auto pauses (the system clock unless one was passed in). */
  clock: Clock;
  queue: FairQueue;
  stops: StopButtons;
  paces: PaceRegistry;
  /** Per chat, the prompt its latest Retry or Pull button refers to (in memory: a restart makes them stale). */
  pending: Map<number, PendingPrompt>;
  /** Chats with an AI↔AI exchange queued or running, and the timers of their next Auto exchange. */
  ai2ai: { busy: Set<number>; autoTimers: Map<number, () => void> };
  /** Fires at shutdown, after the grace period: turns still running stop and are marked interrupted. */
  shutdown: AbortController;
  /** The Bot API for ordinary replies: 429s and network errors are retried (bounded) by auto-retry. */
  api: Api;
  /**
   * The Bot API for paced writers (the live message, pull progress): no automatic retry, because they must see a
   * 429 to skip stale states and slow down, instead of waiting to send an outdated text.
   */
  liveApi: Api;
  isAdmin(userId: number | undefined): boolean;
  /** Where the models are, for messages that tell a user what to check. */
  backendLabel(): string;
}

export function createApp(deps: BotDeps, api: Api, liveApi: Api): App {
  const { config } = deps;
  return {
    ...deps,
    clock: deps.clock ?? systemClock,
    api,
    liveApi,
    queue: new FairQueue(config.maxConcurrentGenerations),
    stops: new StopButtons(),
    paces: new PaceRegistry({
      privateIntervalMs: config.privateEditIntervalMs,
      groupIntervalMs: config.groupEditIntervalMs,
    }),
    shutdown: new AbortController(),
    pending: new Map(),
    ai2ai: { busy: new Set(), autoTimers: new Map() },
    isAdmin: (userId) => userId !== undefined && config.adminUserIds.has(userId),
    backendLabel: () => deps.client.label,
  };
}

/** A short random key for callback data (a few bytes, far under Telegram's 64). */
export function shortToken(): string {
  return Math.random().toString(36).slice(2, 8);
}

export function chatKey(chatId: number): string {
  return String(chatId);
}
