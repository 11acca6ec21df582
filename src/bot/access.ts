/**
 * Who may use the bot, and how fast. Someone not on ALLOWED_USER_IDS gets one reply with their user id (what the
 * owner needs to add them) and nothing else; a user sending faster than RATE_LIMIT_PER_MINUTE is told to slow
 * down once and ignored until the minute has passed.
 */
import type { Context, MiddlewareFn } from "grammy";
import type { BotContext } from "./context.js";
import { DEFAULT_LOCALE } from "./i18n.js";
import type { Core } from "./services/core.js";

const TELL_AGAIN_AFTER_MS = 60 * 60_000;
const TELEGRAM_SERVICE_USER = 777000;
/** Per-user bookkeeping is swept when it holds this many users, so a flood of strangers cannot grow it forever. */
const SWEEP_AT = 10_000;

function sweep(map: Map<number, number>, now: number, maxAgeMs: number): void {
  if (map.size < SWEEP_AT) return;
  for (const [user, at] of map) if (now - at >= maxAgeMs) map.delete(user);
}

export function accessControl(app: Core): MiddlewareFn<Context> {
  const told = new Map<number, number>();
  return async (ctx, next) => {
    const user = ctx.from;
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
    sweep(told, now, TELL_AGAIN_AFTER_MS);
    if (now - (told.get(user.id) ?? Number.NEGATIVE_INFINITY) < TELL_AGAIN_AFTER_MS) return;
    told.set(user.id, now);
    if (ctx.chat) await ctx.reply(text);
  };
}

export function rateLimit(app: Core): MiddlewareFn<BotContext> {
  const recent = new Map<number, number[]>();
  const warned = new Map<number, number>();
  const presses = new Map<number, number[]>();
  // Buttons are tapped more often than messages are written (paging, options): a wider budget, but a budget.
  const pressLimit = app.config.rateLimitPerMinute * 3;
  const within = (map: Map<number, number[]>, id: number, now: number, limit: number) => {
    const window = (map.get(id) ?? []).filter((t) => now - t < 60_000);
    const ok = window.length < limit;
    if (ok) window.push(now);
    map.set(id, window);
    return ok;
  };
  return async (ctx, next) => {
    const user = ctx.from;
    if (!user || (!ctx.message && !ctx.callbackQuery)) return next();
    const now = Date.now();
    if (recent.size >= SWEEP_AT || presses.size >= SWEEP_AT) {
      for (const map of [recent, presses]) {
        for (const [id, times] of map) if (now - (times.at(-1) ?? 0) >= 60_000) map.delete(id);
      }
      sweep(warned, now, 60_000);
    }
    if (ctx.callbackQuery) {
      if (within(presses, user.id, now, pressLimit)) return next();
      app.log.info({ userId: user.id, chatId: ctx.chat?.id }, "button presses rate limited");
      // Only the spinner is answered: a flood of presses never becomes a flood of messages.
      await ctx.answerCallbackQuery({
        text: ctx.t("rate-limited", { count: app.config.rateLimitPerMinute }),
      });
      return;
    }
    // In a group, only what is addressed to the bot counts: the members' chatter among themselves is not ours.
    if (!addressed(ctx)) return next();
    if (within(recent, user.id, now, app.config.rateLimitPerMinute)) return next();
    if (now - (warned.get(user.id) ?? Number.NEGATIVE_INFINITY) >= 60_000) {
      warned.set(user.id, now);
      await ctx.reply(ctx.t("rate-limited", { count: app.config.rateLimitPerMinute }));
    }
    app.log.info({ userId: user.id, chatId: ctx.chat?.id }, "rate limited");
  };
}

/** A private message, a command, a mention of the bot or a reply to one of its messages. */
function addressed(ctx: BotContext): boolean {
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
