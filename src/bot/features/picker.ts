/**
 * /ollama (alias /o): the model picker. Buttons carry a short key tied to the picker snapshot in the session;
 * a button from an old picker, from before a restart, or forged, is answered with a fresh picker.
 */
import { Composer } from "grammy";
import type { BotContext } from "../context.js";
import { CONVERSATION, enterConversation } from "../conversation-ids.js";
import { requestSettings } from "../model-settings.js";
import type { Services } from "../services/index.js";
import type { ChatSession } from "../session.js";
import { chatHeader, renderPicker } from "../views/picker.js";

export function pickerFeature(s: Services): Composer<BotContext> {
  const c = new Composer<BotContext>();

  const open = async (ctx: BotContext) => {
    const { session, models, loaded } = await s.pickers.fresh(ctx.chat!.id);
    const view = renderPicker(ctx.t, session, models, s.models.defaultModel(), loaded);
    await ctx.reply(view.text, { reply_markup: view.keyboard });
  };
  c.command(["ollama", "o"], open);
  c.callbackQuery("po:open", async (ctx) => {
    await ctx.answerCallbackQuery();
    // The message with the button becomes the picker: presses never add messages.
    const { session, models, loaded } = await s.pickers.fresh(ctx.chat!.id);
    const view = renderPicker(ctx.t, session, models, s.models.defaultModel(), loaded);
    await ctx.editMessageText(view.text, { reply_markup: view.keyboard });
  });

  const redraw = async (ctx: BotContext, fresh = false) => {
    const { session, models, loaded } = fresh
      ? await s.pickers.fresh(ctx.chat!.id)
      : await s.pickers.current(ctx.chat!.id);
    const view = renderPicker(ctx.t, session, models, s.models.defaultModel(), loaded);
    await ctx.editMessageText(view.text, { reply_markup: view.keyboard });
  };

  /** Runs `fn` if the button's token is the chat's current picker's; otherwise a fresh picker is sent. */
  const withPicker =
    (fn: (ctx: BotContext, session: ChatSession, arg: number) => Promise<void>) =>
    async (ctx: BotContext & { match: RegExpMatchArray | string }) => {
      const [, token, arg] = ctx.match as RegExpMatchArray;
      const chatId = ctx.chat?.id;
      if (chatId === undefined || token === undefined) return;
      const session = await s.pickers.isCurrent(chatId, token);
      if (!session) {
        // Answered, never with a new message: a flood of old or forged presses must not become a flood of pickers.
        await ctx.answerCallbackQuery({ text: ctx.t("picker-stale"), show_alert: true });
        return;
      }
      await fn(ctx, session, Number(arg ?? 0));
    };

  c.callbackQuery(
    /^pk:([0-9a-z]+):(\d{1,4})$/,
    withPicker(async (ctx, session, index) => {
      const chatId = ctx.chat!.id;
      const name = session.picker!.models[index];
      // An index past the snapshot is forged: same answer as an old menu.
      if (name === undefined) {
        await ctx.answerCallbackQuery({ text: ctx.t("picker-stale-short") });
        return;
      }
      if (!(await s.core.client.hasModel(name))) {
        await ctx.answerCallbackQuery({ text: ctx.t("picker-gone", { model: name }) });
        await redraw(ctx, true);
        return;
      }
      if (session.mode === "ai2ai") {
        const picked = await s.ai2ai.pick(chatId, name, ctx.t);
        await ctx.answerCallbackQuery({ text: `${picked.side.toUpperCase()}: ${name}` });
        await redraw(ctx);
        return;
      }
      const updated = await s.chats.setModel(chatId, name);
      // Loaded in the background now, so the first message does not wait for the load.
      if (s.core.config.preloadOnPick && updated.settings?.keepAlive !== "0") {
        const st = await s.chats.settings(chatId, updated);
        s.models.preload(name, requestSettings(st.effective, st.facts));
      }
      const waiting = await s.turns.takeWaiting(chatId);
      await ctx.answerCallbackQuery({ text: ctx.t("picker-picked", { model: name }) });
      await ctx.editMessageText(
        `${chatHeader(ctx.t, updated, s.models.defaultModel())}\n\n${ctx.t(waiting.length > 0 ? "picker-now-answering" : "picker-now-chatting", { model: name })}`,
      );
      const locale = ctx.locale;
      for (const w of waiting) {
        await s.turns.submit({
          chatId,
          chatType: ctx.chat!.type,
          userId: ctx.from?.id,
          messageId: w.messageId,
          prompt: w.prompt,
          locale,
          ...(w.media ? { media: w.media } : {}),
        });
      }
    }),
  );

  c.callbackQuery(
    /^pg:([0-9a-z]+):(\d{1,4})$/,
    withPicker(async (ctx, _session, page) => {
      await s.chats.setPickerPage(ctx.chat!.id, page);
      await ctx.answerCallbackQuery();
      await redraw(ctx);
    }),
  );

  c.callbackQuery(
    /^pr:([0-9a-z]+)$/,
    withPicker(async (ctx) => {
      await ctx.answerCallbackQuery({ text: ctx.t("picker-refreshed") });
      await redraw(ctx, true);
    }),
  );

  c.callbackQuery(
    /^px:([0-9a-z]+)$/,
    withPicker(async (ctx) => {
      await s.chats.closePicker(ctx.chat!.id);
      await ctx.answerCallbackQuery();
      await ctx.deleteMessage().catch(async (err: unknown) => {
        // Older than 48 hours, say: it cannot be deleted, but its buttons can go.
        s.core.log.debug({ err, chatId: ctx.chat?.id }, "could not delete the picker; removing its buttons");
        await ctx.editMessageReplyMarkup();
      });
    }),
  );

  c.callbackQuery(
    /^ai:([0-9a-z]+)$/,
    withPicker(async (ctx) => {
      const session = await s.ai2ai.toggleMode(ctx.chat!.id, ctx.t);
      await ctx.answerCallbackQuery({
        text: ctx.t(session.mode === "ai2ai" ? "picker-ai-on" : "picker-ai-off"),
      });
      await redraw(ctx);
    }),
  );

  c.callbackQuery(
    /^ps:([0-9a-z]+)$/,
    withPicker(async (ctx) => {
      const on = await s.chats.setStream(ctx.chat!.id, "toggle");
      await ctx.answerCallbackQuery({ text: ctx.t("picker-streaming", { on: on ? "on" : "off" }) });
      await redraw(ctx);
    }),
  );

  c.callbackQuery(
    /^ch:([0-9a-z]+)$/,
    withPicker(async (ctx) => {
      await s.chats.clearHistory(ctx.chat!.id);
      await ctx.answerCallbackQuery({ text: ctx.t("history-cleared-short") });
    }),
  );

  c.callbackQuery(
    /^sy:([0-9a-z]+)$/,
    withPicker(async (ctx) => {
      await ctx.answerCallbackQuery();
      await enterConversation(ctx, CONVERSATION.system);
    }),
  );

  return c;
}
