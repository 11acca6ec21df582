/**
 * `createBot(deps)`: the one function production and tests use to build the bot. It builds the services and
 * wires one Composer per feature; the features know the services, never each other.
 */

import { join } from "node:path";
import { autoRetry } from "@grammyjs/auto-retry";
import {
  type ConversationData,
  type ConversationStorage,
  conversations,
  type VersionedState,
} from "@grammyjs/conversations";
import { sequentialize } from "@grammyjs/runner";
import { Api, Bot, BotError, type Context, type Transformer } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { CallBudget, DraftPolicy, systemClock } from "../live/index.js";
import { telegramFetch } from "../util/undici-fetch.js";
import { accessControl, rateLimit } from "./access.js";
import type { BotContext, InnerContext } from "./context.js";
import { ai2aiFeature } from "./features/ai2ai.js";
import { chatFeature } from "./features/chat.js";
import { commandsFeature } from "./features/commands.js";
import { mediaFeature } from "./features/media.js";
import { messagesFeature } from "./features/messages.js";
import { modelsFeature } from "./features/models.js";
import { pickerFeature } from "./features/picker.js";
import { promptsFeature } from "./features/prompts.js";
import { settingsFeature } from "./features/settings.js";
import { voiceFeature } from "./features/voice.js";
import { createI18n } from "./i18n.js";
import { type BotDeps, type Core, chatKey, isStorageOutage, ShutdownReason } from "./services/core.js";
import { describeFailure, failureText } from "./services/failure.js";
import { HeldUpdates, noteSends } from "./services/held-updates.js";
import { createServices, type Services } from "./services/index.js";
import { LostSends } from "./services/lost-sends.js";
import { boundedNetworkRetry, notModifiedIsSuccess } from "./services/telegram.js";
import type { ChatSession, ChatStore } from "./session.js";

export interface CreateBotOptions {
  /** Skips getMe at start-up (tests pass the fake's). */
  botInfo?: UserFromGetMe;
}

/** Starts a stop: `drain()` when no new work may start, `shutdown()` when running work must end. */
export interface Lifecycle {
  drain(): void;
  shutdown(): void;
}

export interface BuiltBot {
  bot: Bot<BotContext>;
  services: Services;
  lifecycle: Lifecycle;
  /** Messages kept while the session storage is away. */
  held: HeldUpdates;
  /** Copies of sends whose answer was lost, found and deleted. */
  lostSends: LostSends;
  /** When Telegram last answered a poll (wall-clock ms), for the liveness heartbeat. */
  polls: PollState;
  /**
   * The connections to the Bot API (both Api instances). Idle ones do not keep the process alive; closing them
   * ends the Api instances, so it is for whoever is done with this bot for good (tests), not part of a stop.
   */
  transport: { close(): Promise<void> };
}

export interface PollState {
  lastPollAt: number | undefined;
  /** The newest update this process received: a stop confirms it to Telegram, which would deliver it again. */
  lastUpdateId: number | undefined;
  /** Updates being handled now: a stop confirms only those before the oldest of them. */
  handling: Set<number>;
}

export function createBot(deps: BotDeps, options: CreateBotOptions = {}): BuiltBot {
  const { config } = deps;
  // Every Bot API call has a deadline of the bot's own (grammY's default is 500 s): a hung call costs one call,
  // not a chat's sequence or a generation slot. It must exceed the long-polling timeout (30 s).
  // One keep-alive pool for every Bot API call (see util/undici-fetch.ts for why not grammY's default).
  const transport = telegramFetch();
  const client = {
    ...(config.apiRoot ? { apiRoot: config.apiRoot } : {}),
    timeoutSeconds: Math.ceil(config.telegramTimeoutMs / 1000),
    fetch: transport.fetch as unknown as typeof fetch,
  };
  const bot = new Bot<BotContext>(config.token, {
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
    client,
  });
  // Ordinary replies obey 429s and ride out short outages, within bounds (grammY's own advice: obey, don't guess).
  // Innermost: it sees each attempt of a retried send, and probes with the raw call.
  const lostSends = new LostSends(deps.log);
  bot.api.config.use(lostSends.transformer);
  bot.api.config.use(noteSends);
  // Every attempt of an ordinary reply takes its turn in the bot-wide budget, after final texts of answers.
  const budget = new CallBudget({
    perSecond: config.telegramCallsPerSecond,
    clock: deps.clock ?? systemClock,
  });
  bot.api.config.use(budgeted(budget));
  bot.api.config.use(boundedNetworkRetry({ attempts: 3, baseDelayMs: 1_000 }));
  bot.api.config.use(
    autoRetry({
      maxRetryAttempts: 3,
      maxDelaySeconds: 60,
      rethrowInternalServerErrors: false,
      rethrowHttpErrors: true,
    }),
  );
  bot.api.config.use(notModifiedIsSuccess);
  // The runner retries a failed poll by itself (quietly: its console output would bypass the logger's
  // scrubbing), so the failure is logged here, where the operator sees it with the Bot API root it concerns.
  const polls: PollState = { lastPollAt: undefined, lastUpdateId: undefined, handling: new Set() };
  bot.api.config.use(async (prev, method, payload, signal) => {
    try {
      const res = await prev(method, payload, signal);
      if (method === "getUpdates" && res.ok) polls.lastPollAt = Date.now();
      return res;
    } catch (err) {
      if (method === "getUpdates" && !signal?.aborted) {
        deps.log.warn(
          { err, apiRoot: config.apiRoot ?? "https://api.telegram.org" },
          "polling Telegram failed; the runner tries again (check the network and TELEGRAM_API_ROOT)",
        );
      }
      throw err;
    }
  });
  const liveApi = new Api(config.token, client);
  liveApi.config.use(lostSends.transformer);
  liveApi.config.use(noteSends);
  liveApi.config.use(notModifiedIsSuccess);

  // The chat's session as this update found it, read once for the language negotiation and the locale below
  // (the negotiation runs again on every getLocale; the session is not read again for it).
  const sessions = new WeakMap<Context, Promise<ChatSession>>();
  const sessionOf = (ctx: Context): Promise<ChatSession> | undefined => {
    if (!ctx.chat) return undefined;
    let s = sessions.get(ctx);
    if (!s) {
      s = deps.store.get(chatKey(ctx.chat.id));
      sessions.set(ctx, s);
    }
    return s;
  };
  const { i18n, texts } = createI18n<Context>({
    warn: (msg) => deps.log.error(msg),
    chatLanguage: async (ctx) => (await sessionOf(ctx))?.language,
  });
  const draining = new AbortController();
  const shutdown = new AbortController();
  const core: Core = {
    config,
    client: deps.client,
    store: deps.store,
    log: deps.log,
    clock: deps.clock ?? systemClock,
    api: bot.api,
    liveApi,
    texts,
    draining: draining.signal,
    shutdown: shutdown.signal,
    isAdmin: (userId) => userId !== undefined && config.adminUserIds.has(userId),
    sends: lostSends,
    drafts: new DraftPolicy(config.liveMode, deps.log),
    budget,
    shared: deps.shared,
    hosts: deps.hosts,
  };
  const services = createServices(core);

  // Every update: which ones a stop may confirm to Telegram (`polls`), and a new message as the chat's newest
  // (the floor above which a crash's unsaved sends are looked for).
  bot.use(async (ctx, next) => {
    const id = ctx.update.update_id;
    polls.lastUpdateId = Math.max(polls.lastUpdateId ?? 0, id);
    if (ctx.chat && ctx.message) lostSends.observe(ctx.chat.id, ctx.message.message_id, ctx.message.date);
    polls.handling.add(id);
    try {
      await next();
    } finally {
      polls.handling.delete(id);
    }
  });
  bot.use(accessControl(core));
  // A message that cannot be stored is answered with a note and kept until the storage is back.
  const held = new HeldUpdates(
    core,
    async (update) => {
      try {
        await bot.handleUpdate(update);
      } catch (err) {
        if (!(err instanceof BotError)) throw err;
        if (isStorageOutage(err.error)) throw err.error;
        await bot.errorHandler(err);
      }
    },
    join(config.dataDir, "held-updates.jsonl"),
  );
  bot.use(held.middleware());
  bot.use(i18n);
  // Stop presses go before the per-chat sequence: they must not wait behind the answer they stop.
  bot.use(services.stops.composer);
  bot.use(sequentialize((ctx: Context) => ctx.chat?.id.toString()));
  bot.use(rateLimit(core));
  // Messages the bot sends on its own (an AI↔AI line, a restart notice) speak the language of whoever wrote last.
  bot.use(async (ctx, next) => {
    ctx.locale = await ctx.i18n.getLocale();
    const session = await sessionOf(ctx);
    if (ctx.chat && (ctx.message || ctx.callbackQuery) && session?.lastLocale !== ctx.locale) {
      const locale = ctx.locale;
      await deps.store.update(chatKey(ctx.chat.id), (s) => {
        s.lastLocale = locale;
      });
    }
    await next();
  });
  bot.use(conversations<BotContext, InnerContext>({ storage: conversationStorage(deps.store) }));
  bot.use(promptsFeature(services, [i18n]));
  // Before the commands: its pull question must see /cancel (and other commands) first, as the prompts' do.
  bot.use(modelsFeature(services));
  bot.use(commandsFeature(services));
  bot.use(settingsFeature(services));
  bot.use(pickerFeature(services));
  bot.use(chatFeature(services));
  bot.use(ai2aiFeature(services));
  bot.use(mediaFeature(services));
  bot.use(voiceFeature(services));
  bot.use(messagesFeature(services));
  // A button no feature knows (forged, or from an older version of the bot) still gets an answer.
  bot.on("callback_query", (ctx) =>
    ctx.answerCallbackQuery({
      // A question's buttons pressed by someone it was not for (or after it closed).
      text: ctx.t(ctx.callbackQuery.data?.startsWith("cv:") ? "question-closed" : "button-stale"),
    }),
  );

  bot.catch(async ({ ctx, error }) => {
    const failure = describeFailure(error);
    core.log.error(
      { err: error, code: failure.code, chatId: ctx.chat?.id, userId: ctx.from?.id },
      "update failed",
    );
    // The failure may have come before the i18n middleware ran (ctx.t missing): English then.
    const t = (key: string, args?: Record<string, string | number>) =>
      typeof ctx.t === "function" ? ctx.t(key, args) : texts.t("en", key, args);
    const text = `⚠️ ${failureText(t, failure, core.client)}`;
    if (ctx.callbackQuery) {
      await ctx
        .answerCallbackQuery({ text: text.slice(0, 200) })
        .catch((err: unknown) => core.log.warn({ err }, "could not answer a button after a failure"));
      return;
    }
    if (ctx.chat) {
      await ctx
        .reply(
          text,
          ctx.msg
            ? { reply_parameters: { message_id: ctx.msg.message_id, allow_sending_without_reply: true } }
            : {},
        )
        .catch((err: unknown) =>
          core.log.warn({ err, chatId: ctx.chat?.id }, "could not tell a chat about a failure"),
        );
    }
  });

  const lifecycle: Lifecycle = {
    drain: () => draining.abort(new ShutdownReason()),
    shutdown: () => shutdown.abort(new ShutdownReason()),
  };
  return { bot, services, lifecycle, lostSends, polls, held, transport };
}

type ConversationState = VersionedState<ConversationData>;

/**
 * The conversations' state, kept in the chat's session with one entry per user: a question belongs to whoever
 * was asked, and a restart keeps it. Updates with no chat or no sender have no state (nothing to ask there).
 */
function conversationStorage(store: ChatStore): ConversationStorage<BotContext, ConversationData> {
  const where = (ctx: BotContext) =>
    ctx.chat && ctx.from ? { chat: chatKey(ctx.chat.id), user: String(ctx.from.id) } : undefined;
  const entries = (s: ChatSession) => (s.conversations ?? {}) as Record<string, ConversationState>;
  return {
    type: "context",
    adapter: {
      read: async (ctx) => {
        const at = where(ctx);
        return at ? entries(await store.get(at.chat))[at.user] : undefined;
      },
      write: async (ctx, state) => {
        const at = where(ctx);
        if (!at) return;
        await store.update(at.chat, (s) => {
          s.conversations = { ...entries(s), [at.user]: state };
        });
      },
      delete: async (ctx) => {
        const at = where(ctx);
        if (!at) return;
        await store.update(at.chat, (s) => {
          const { [at.user]: _, ...rest } = entries(s);
          s.conversations = Object.keys(rest).length > 0 ? rest : undefined;
        });
      },
    },
  };
}

/** The methods that write to a chat: what Telegram's flood limits count. */
const WRITES = new Set([
  "sendMessage",
  "editMessageText",
  "editMessageReplyMarkup",
  "deleteMessage",
  "sendPhoto",
  "sendDocument",
  "sendVoice",
  "sendAudio",
  "sendMediaGroup",
]);

/** Ordinary replies through the bot-wide budget, as "reply"; a 429 lowers it, a success raises it back. */
function budgeted(budget: CallBudget): Transformer {
  return async (prev, method, payload, signal) => {
    const chat = (payload as { chat_id?: unknown }).chat_id;
    if (!WRITES.has(method) || (typeof chat !== "number" && typeof chat !== "string")) {
      return prev(method, payload, signal);
    }
    await budget.acquire(chat, "reply", signal as AbortSignal | undefined);
    const res = await prev(method, payload, signal);
    if (res.ok) budget.succeeded();
    else if (res.error_code === 429) budget.tooMany(res.parameters?.retry_after ?? 1);
    return res;
  };
}
