/**
 * Plain messages. In a private chat every text is a turn; in a group only a mention of the bot or a reply to one
 * of its messages (the session is the group's). In AI↔AI mode a text sets the topic before the first exchange
 * and is a moderator's note after it. Anything that is not text gets a short explanation, not silence.
 */
import { Composer } from "grammy";
import type { BotContext } from "../context.js";
import { QUESTION_EXPIRES_MS } from "../conversation-ids.js";
import type { Services } from "../services/index.js";

export function messagesFeature(s: Services): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.on("message", async (ctx) => {
    const msg = ctx.message;
    const me = ctx.me.username;
    const mention = `@${me}`.toLowerCase();
    const mentioned = [...(msg.entities ?? []), ...(msg.caption_entities ?? [])].some(
      (e) =>
        e.type === "mention" &&
        (msg.text ?? msg.caption ?? "").slice(e.offset, e.offset + e.length).toLowerCase() === mention,
    );
    const repliedToMe = msg.reply_to_message?.from?.id === ctx.me.id;
    const group = ctx.chat.type !== "private";
    if (group && !mentioned && !repliedToMe) return;
    if (msg.text === undefined) {
      await ctx.reply(ctx.t("text-only"));
      return;
    }
    if (msg.text.startsWith("/")) {
      await ctx.reply(ctx.t("unknown-command"));
      return;
    }
    const text = mentioned ? msg.text.replace(new RegExp(`@${me}\\b`, "gi"), "").trim() : msg.text;
    if (text.trim() === "") {
      await ctx.reply(ctx.t(group ? "empty-mention" : "empty-message"));
      return;
    }
    const max = s.core.config.maxPromptChars;
    if (text.length > max) {
      await ctx.reply(ctx.t("prompt-too-long", { length: text.length, max }));
      return;
    }
    const session = await s.chats.get(ctx.chat.id);
    // A reply to a question the bot asked another member is not an answer, nor a prompt: say whose it is.
    const repliedTo = msg.reply_to_message?.message_id;
    const askedWhom =
      repliedTo === undefined ? undefined : s.chats.questionFor(session, repliedTo, QUESTION_EXPIRES_MS);
    if (group && askedWhom !== undefined && askedWhom !== ctx.from?.id) {
      await ctx.reply(ctx.t("question-for-other"), {
        reply_parameters: { message_id: msg.message_id, allow_sending_without_reply: true },
      });
      return;
    }
    if (session.mode === "ai2ai" && session.ai2ai) {
      if (session.ai2ai.lines.length === 0) {
        // Before the first exchange, what the user writes is what the two should talk about.
        const st = await s.ai2ai.setTopic(ctx.chat.id, text, ctx.t);
        await ctx.reply(ctx.t("topic-set", { topic: st.topic }));
        if (st.a && st.b) await s.ai2ai.showControls(ctx.chat.id, st, true);
        return;
      }
      await s.ai2ai.note(ctx.chat.id, text);
      await ctx.reply(ctx.t("ai-noted"));
      return;
    }
    await s.turns.submit({
      chatId: ctx.chat.id,
      chatType: ctx.chat.type,
      userId: ctx.from?.id,
      messageId: msg.message_id,
      prompt: text,
      locale: ctx.locale,
    });
  });
  return c;
}
