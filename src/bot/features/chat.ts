/**
 * The buttons under failed, cut and waiting answers: 🔁 Retry, ▶️ Continue, 📥 Pull (admins), Pick another model,
 * and ✖ Cancel on a queue notice. Their offers live in the session, so they work after a restart; each acts
 * once (a second press is told it already did).
 */
import { Composer } from "grammy";
import type { BotContext } from "../context.js";
import type { Services } from "../services/index.js";
import { OFFER_BUTTON } from "../services/turns.js";
import { renderPicker } from "../views/picker.js";

export function chatFeature(s: Services): Composer<BotContext> {
  const c = new Composer<BotContext>();

  c.callbackQuery(OFFER_BUTTON, async (ctx) => {
    const [, kind, id] = ctx.match;
    const chat = ctx.chat!;
    const from = {
      chatId: chat.id,
      chatType: chat.type,
      userId: ctx.from.id,
      locale: ctx.locale,
    };
    if (kind === "pl" && !s.core.isAdmin(ctx.from.id)) {
      await ctx.answerCallbackQuery({ text: ctx.t("pull-admins-only"), show_alert: true });
      return;
    }
    // Pick and Pull keep the offer until the message is answered; Retry and Continue take it at once.
    const offer =
      kind === "rt" || kind === "ct"
        ? await s.turns.takeOffer(chat.id, id!)
        : await s.turns.peekOffer(chat.id, id!);
    if (!offer) {
      // Answered only: a used, old or forged key changes nothing on screen.
      await ctx.answerCallbackQuery({ text: ctx.t("offer-used") });
      return;
    }
    switch (kind) {
      case "rt":
        await ctx.answerCallbackQuery({ text: ctx.t("retrying") });
        await ctx.editMessageReplyMarkup();
        await s.turns.retry(offer, from);
        return;
      case "ct":
        await ctx.answerCallbackQuery({ text: ctx.t("continuing") });
        await ctx.editMessageReplyMarkup();
        await s.turns.continueAnswer(offer, from);
        return;
      case "pl": {
        const started = s.turns.pullFor(offer, from);
        await ctx.answerCallbackQuery({
          text: ctx.t(started === "started" ? "pull-starting" : "pull-already", {
            model: offer.model ?? "?",
          }),
        });
        // The buttons stay: after a crash mid-pull they still work (a second press says it is being pulled).
        return;
      }
      case "pm": {
        await ctx.answerCallbackQuery();
        await s.turns.answerWithNextPick(chat.id, offer);
        const { session, models, loaded } = await s.pickers.fresh(chat.id);
        const view = renderPicker(ctx.t, session, models, s.models.defaultModel(), loaded);
        await ctx.reply(`${ctx.t("pick-for-saved")}\n\n${view.text}`, { reply_markup: view.keyboard });
        return;
      }
    }
  });

  c.callbackQuery(/^rg:([0-9a-z]{6})$/, async (ctx) => {
    const chat = ctx.chat!;
    const answer = await s.turns.takeLastAnswer(chat.id, ctx.match[1]!);
    const markup = ctx.callbackQuery.message?.reply_markup?.inline_keyboard ?? [];
    // The other buttons of that answer (➡️ Continue) stay; Regenerate goes from an answer that is not the newest.
    const others = markup
      .map((row) => row.filter((b) => !("callback_data" in b && b.callback_data?.startsWith("rg:"))))
      .filter((row) => row.length > 0);
    if (!answer) {
      await ctx.answerCallbackQuery({ text: ctx.t("regenerate-not-latest"), show_alert: true });
      await ctx
        .editMessageReplyMarkup({ reply_markup: { inline_keyboard: others } })
        .catch((err: unknown) =>
          s.core.log.debug({ err, chatId: chat.id }, "an old Regenerate button stayed"),
        );
      return;
    }
    await ctx.answerCallbackQuery({ text: ctx.t("regenerating") });
    // The old answer leaves the history: none of its buttons can do anything for it now.
    await ctx
      .editMessageReplyMarkup()
      .catch((err: unknown) =>
        s.core.log.debug({ err, chatId: chat.id }, "a replaced answer kept its buttons"),
      );
    await s.turns.regenerate(answer, {
      chatId: chat.id,
      chatType: chat.type,
      userId: ctx.from.id,
      locale: ctx.locale,
    });
  });

  c.callbackQuery(/^qx:([0-9a-z]{6})$/, async (ctx) => {
    const n = await s.turns.cancelWaiting(ctx.chat!.id, ctx.match[1]);
    await ctx.answerCallbackQuery({ text: ctx.t(n > 0 ? "queue-cancelled-short" : "queue-already-started") });
  });

  return c;
}
