/**
 * `createBot(deps)`: the one function production and tests use to build the bot. It only wires the features;
 * each lives in its own Composer under features/.
 */

import { autoRetry } from "@grammyjs/auto-retry";
import { sequentialize } from "@grammyjs/runner";
import { Api, Bot, type Context } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { accessControl, rateLimit } from "./access.js";
import { type App, type BotDeps, createApp } from "./app.js";
import { ai2aiFeature } from "./features/ai2ai.js";
import { chatFeature } from "./features/chat.js";
import { commandsFeature } from "./features/commands.js";
import { messagesFeature } from "./features/messages.js";
import { pickerFeature } from "./features/picker.js";

export interface CreateBotOptions {
  /** Skips getMe at start-up (tests pass the fake's). */
  botInfo?: UserFromGetMe;
}

export function createBot(deps: BotDeps, options: CreateBotOptions = {}): { bot: Bot; app: App } {
  const { config } = deps;
  const client = config.apiRoot ? { apiRoot: config.apiRoot } : {};
  const bot = new Bot(config.token, { ...(options.botInfo ? { botInfo: options.botInfo } : {}), client });
  // Ordinary replies obey 429s and ride out short outages, within bounds (grammY's own advice: obey, don't guess).
  bot.api.config.use(
    autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 60, rethrowInternalServerErrors: false }),
  );
  const app = createApp(deps, bot.api, new Api(config.token, client));

  bot.use(accessControl(app));
  // Stop presses go before the per-chat sequence: they must not wait behind the answer they stop.
  bot.use(app.stops.composer);
  bot.use(sequentialize((ctx: Context) => ctx.chat?.id.toString()));
  bot.use(rateLimit(app));
  bot.use(commandsFeature(app));
  bot.use(pickerFeature(app));
  bot.use(chatFeature(app));
  bot.use(ai2aiFeature(app));
  bot.use(messagesFeature(app));
  // A button no feature knows (forged, or from an older version of the bot) still gets an answer.
  bot.on("callback_query", (ctx) => ctx.answerCallbackQuery({ text: "This button is out of date." }));

  bot.catch(async ({ ctx, error }) => {
    app.log.error({ err: error, chatId: ctx.chat?.id, userId: ctx.from?.id }, "update failed");
    if (ctx.callbackQuery) await ctx.answerCallbackQuery().catch(() => {});
    if (ctx.chat) await ctx.reply(userFacingError(app, error)).catch(() => {});
  });
  return { bot, app };
}

/** What a user sees when something they asked for failed outside a turn (opening the picker, say). */
export function userFacingError(app: App, error: unknown): string {
  const code = (error as { code?: string })?.code;
  if (code === "HUB_UNREACHABLE" || code === "HUB_TIMEOUT") {
    return `⚠️ I can't reach ${app.backendLabel()} right now. Check that it is running, then try again.`;
  }
  if (code === "HUB_HTTP_ERROR")
    return `⚠️ ${app.backendLabel()} answered with an error. Try again in a moment.`;
  return "⚠️ Something went wrong on my side. Try again; if it keeps happening, tell the bot's owner.";
}
