/**
 * Who may use the bot, and how fast. Someone not on ALLOWED_USER_IDS gets one reply with their user id (what the
 * owner needs to add them) and nothing else; a user sending faster than RATE_LIMIT_PER_MINUTE is told to slow
 * down once and ignored until the minute has passed.
 */
import type { Context, MiddlewareFn } from "grammy";
import type { User } from "grammy/types";
import { ExpiringMap } from "../util/expiring.js";
import type { BotContext } from "./context.js";
import { DEFAULT_LOCALE } from "./i18n.js";
import type { Core } from "./services/core.js";

const TELL_AGAIN_AFTER_MS = 60 * 60_000;
const TELEGRAM_SERVICE_USER = 777000;
const MINUTE = 60_000;

export function accessControl(app: Core): MiddlewareFn<Context> {
  // Swept on every update at O(expired): a flood of strangers cannot grow it nor slow the bot down.
  const told = new ExpiringMap<number, true>(TELL_AGAIN_AFTER_MS);
  return async (ctx, next) => {
    // Telegram's stop under a draft carries no sender: a draft is only in a private chat, whose id is the user's.
    const stopped = ctx.update.stopped_message_generation;
    const user: Pick<User, "id" | "is_bot" | "language_code"> | undefined =
      ctx.from ?? (stopped ? { id: stopped.chat.id, is_bot: false } : undefined);
    if (!user || user.is_bot) return; // channel posts, other bots: not ours to answer
    // Telegram's own service account (channel posts forwarded into a linked group), never a person to answer.
    if (user.id === TELEGRAM_SERVICE_USER) return;
    const allowed = app.config.allowedUserIds;
    if (allowed === "*" || allowed.has(user.id)) return next();
    app.log.info({ userId: user.id, chatId: ctx.chat?.id }, "update from a user not allowed");
    // Outside a private chat a stranger gets silence: a public "this bot is private" to every passer-by in a
    // group would be noise, and an answer to someone who did not even address the bot.
    if (ctx.chat && ctx.chat.type !== "private") {
      if (ctx.callbackQuery) await ctx.answerCallbackQuery();
      return;
    }
    // Before the i18n middleware (a stranger's update reads no session): the language comes from the update.
    const locale = app.texts.match(user.language_code) ?? DEFAULT_LOCALE;
    const text = app.texts.t(locale, "access-denied", { id: String(user.id) });
    if (ctx.callbackQuery) {
      await ctx.answerCallbackQuery({ text, show_alert: true });
      return;
    }
    const now = Date.now();
    told.sweep(now);
    if (told.get(user.id)) return;
    told.set(user.id, true, now);
    if (ctx.chat) await ctx.reply(text);
  };
}

export function rateLimit(app: Core): MiddlewareFn<BotContext> {
  // Each user's times of the last minute, and when they were last told to slow down; swept at O(expired).
  const recent = new ExpiringMap<number, number[]>(MINUTE);
  const presses = new ExpiringMap<number, number[]>(MINUTE);
  const warned = new ExpiringMap<number, true>(MINUTE);
  // Buttons are tapped more often than messages are written (paging, options): a wider budget, but a budget.
  const pressLimit = app.config.rateLimitPerMinute * 3;
  const within = (map: ExpiringMap<number, number[]>, id: number, now: number, limit: number) => {
    map.sweep(now);
    const window = (map.get(id) ?? []).filter((t) => now - t < MINUTE);
    const ok = window.length < limit;
    if (ok) window.push(now);
    map.set(id, window, now);
    return ok;
  };
  // Several processes: a user's chats may be handled by different ones, so the count is kept in Redis (a fixed
  // minute window; a Redis that fails lets the update through rather than silence the user).
  const shared = app.shared;
  const counted = async (kind: "m" | "p", id: number, now: number, limit: number): Promise<boolean> => {
    if (!shared) return within(kind === "m" ? recent : presses, id, now, limit);
    try {
      return await shared.hit(`${kind}:${id}`, MINUTE, limit);
    } catch (err) {
      app.log.warn({ err, userId: id }, "could not count a user's rate in Redis; letting the update through");
      return true;
    }
  };
  return async (ctx, next) => {
    const user = ctx.from;
    if (!user || (!ctx.message && !ctx.callbackQuery)) return next();
    const now = Date.now();
    if (ctx.callbackQuery) {
      if (await counted("p", user.id, now, pressLimit)) return next();
      app.log.info({ userId: user.id, chatId: ctx.chat?.id }, "button presses rate limited");
      // Only the spinner is answered: a flood of presses never becomes a flood of messages.
      await ctx.answerCallbackQuery({
        text: ctx.t("rate-limited", { count: app.config.rateLimitPerMinute }),
      });
      return;
    }
    // In a group, only what is addressed to the bot counts: the members' chatter among themselves is not ours.
    if (!addressed(ctx)) return next();
    if (await counted("m", user.id, now, app.config.rateLimitPerMinute)) return next();
    warned.sweep(now);
    if (!warned.get(user.id)) {
      warned.set(user.id, true, now);
      await ctx.reply(ctx.t("rate-limited", { count: app.config.rateLimitPerMinute }));
    }
    app.log.info({ userId: user.id, chatId: ctx.chat?.id }, "rate limited");
  };
}

/** A private message, a command, a mention of the bot or a reply to one of its messages. */
export function addressed(ctx: Context): boolean {
  const msg = ctx.message;
  if (!msg || ctx.chat?.type === "private") return true;
  const text = msg.text ?? msg.caption ?? "";
  if (text.startsWith("/")) return true;
  if (msg.reply_to_message?.from?.id === ctx.me.id) return true;
  const mention = `@${ctx.me.username}`.toLowerCase();
  return [...(msg.entities ?? []), ...(msg.caption_entities ?? [])].some(
    (e) => e.type === "mention" && text.slice(e.offset, e.offset + e.length).toLowerCase() === mention,
  );
}
