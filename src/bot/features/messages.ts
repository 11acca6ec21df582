/**
 * Plain messages. In a private chat every text is a turn; in a group only a mention of the bot or a reply to one
 * of its messages (the session is the group's). Anything that is not text gets a short explanation, not silence.
 */
import { Composer, type Context } from "grammy";
import { type App, chatKey } from "../app.js";
import { onText } from "./chat.js";

export function messagesFeature(app: App): Composer<Context> {
  const c = new Composer<Context>();
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
    if (ctx.chat.type !== "private" && !mentioned && !repliedToMe) return;
    if (msg.text === undefined) {
      await ctx.reply("I can only read text for now. Send your question as a text message.");
      return;
    }
    if (msg.text.startsWith("/")) {
      await ctx.reply("I don't know that command. /help lists what I can do.");
      return;
    }
    const text = mentioned ? msg.text.replace(new RegExp(`@${me}\\b`, "gi"), "").trim() : msg.text;
    if (text.trim() === "") {
      await ctx.reply("Yes? Write your question after the mention.");
      return;
    }
    await onText(app, ctx, text, await app.store.get(chatKey(ctx.chat.id)));
  });
  return c;
}
