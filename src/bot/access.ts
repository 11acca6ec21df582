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
    const allowed = app.config.allowedUserIds;
    if (allowed === "*" || allowed.has(user.id)) return next();
    app.log.info({ userId: user.id, chatId: ctx.chat?.id }, "update from a user not allowed");
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
  return async (ctx, next) => {
    const user = ctx.from;
    if (!user || !ctx.message) return next(); // buttons are cheap and must stay responsive
    const now = Date.now();
    if (recent.size >= SWEEP_AT) {
      for (const [id, times] of recent) if (now - (times.at(-1) ?? 0) >= 60_000) recent.delete(id);
      sweep(warned, now, 60_000);
    }
    const window = (recent.get(user.id) ?? []).filter((t) => now - t < 60_000);
    if (window.length >= app.config.rateLimitPerMinute) {
      recent.set(user.id, window);
      if (now - (warned.get(user.id) ?? Number.NEGATIVE_INFINITY) >= 60_000) {
        warned.set(user.id, now);
        await ctx.reply(ctx.t("rate-limited", { count: app.config.rateLimitPerMinute }));
      }
      app.log.info({ userId: user.id, chatId: ctx.chat?.id }, "rate limited");
      return;
    }
    window.push(now);
    recent.set(user.id, window);
    return next();
  };
}
