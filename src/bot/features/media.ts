/**
 * Photos (and images sent as files, and albums), voice notes and audio files, and documents: each becomes a turn
 * like a text, with the same streaming, history, Retry and Stop. In a group, as for text: only when the caption
 * mentions the bot or the message replies to one of the bot's. The buttons of a photo waiting for a model that
 * can see (👁 pick one, 📥 pull one) are here too.
 */
import { Composer } from "grammy";
import type { Message } from "grammy/types";
import type { BotContext } from "../context.js";
import type { Services } from "../services/index.js";
import { type MediaMessage, pickPhotoSize } from "../services/media-intake.js";

const IMAGE_TYPES = /^image\/(jpeg|png|webp|gif|bmp)$/;

export function mediaFeature(s: Services): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const { intake, core } = s;

  /** Whether this message is for the bot, and its caption without the bot's mention. */
  const addressed = (ctx: BotContext, msg: Message): { caption: string } | undefined => {
    const me = ctx.me.username;
    const caption = msg.caption ?? "";
    const mention = `@${me}`.toLowerCase();
    const mentioned = (msg.caption_entities ?? []).some(
      (e) => e.type === "mention" && caption.slice(e.offset, e.offset + e.length).toLowerCase() === mention,
    );
    const repliedToMe = msg.reply_to_message?.from?.id === ctx.me.id;
    if (ctx.chat?.type !== "private" && !mentioned && !repliedToMe) return undefined;
    return { caption: caption.replace(new RegExp(`@${me}\\b`, "gi"), "").trim() };
  };

  /** In AI↔AI mode a message is the two sides' topic or a moderator's note: media has no place there yet. */
  const inAi2Ai = async (ctx: BotContext) => {
    if ((await s.chats.get(ctx.chat!.id)).mode !== "ai2ai") return false;
    await ctx.reply(ctx.t("ai-media-chat-only"));
    return true;
  };

  const base = (ctx: BotContext, msg: Message, caption: string): MediaMessage => ({
    chatId: ctx.chat!.id,
    chatType: ctx.chat!.type,
    userId: ctx.from?.id,
    messageId: msg.message_id,
    locale: ctx.locale,
    caption,
  });

  /** A caption past the prompt limit is refused as a long text is. */
  const captionTooLong = async (ctx: BotContext, caption: string) => {
    const max = core.config.maxPromptChars;
    if (caption.length <= max) return false;
    await ctx.reply(ctx.t("prompt-too-long", { length: caption.length, max }));
    return true;
  };

  c.on("message:photo", async (ctx) => {
    const msg = ctx.message;
    // The photos of an album after the first carry no caption (no mention): in a group, one of an album the bot
    // is collecting belongs to it all the same.
    const group = msg.media_group_id;
    const a =
      addressed(ctx, msg) ??
      (group !== undefined && (await s.chats.get(ctx.chat.id)).albums?.some((x) => x.groupId === group)
        ? { caption: "" }
        : undefined);
    if (!a || (await captionTooLong(ctx, a.caption)) || (await inAi2Ai(ctx))) return;
    const size = pickPhotoSize(msg.photo, core.config.media.imageMaxEdge);
    await intake.photo(
      base(ctx, msg, a.caption),
      { fileId: size.file_id, uniqueId: size.file_unique_id },
      msg.media_group_id,
    );
  });

  c.on(["message:voice", "message:audio"], async (ctx) => {
    const msg = ctx.message;
    const a = addressed(ctx, msg);
    if (!a || (await captionTooLong(ctx, a.caption)) || (await inAi2Ai(ctx))) return;
    const file = msg.voice ?? msg.audio!;
    await intake.voice(base(ctx, msg, a.caption), {
      kind: "voice",
      fileId: file.file_id,
      uniqueId: file.file_unique_id,
      mimeType: file.mime_type,
      fileName: "file_name" in file && typeof file.file_name === "string" ? file.file_name : undefined,
      size: file.file_size,
    });
  });

  c.on("message:document", async (ctx) => {
    const msg = ctx.message;
    const a = addressed(ctx, msg);
    if (!a || (await captionTooLong(ctx, a.caption)) || (await inAi2Ai(ctx))) return;
    const doc = msg.document;
    const m = base(ctx, msg, a.caption);
    // An image sent as a file is a photo (uncompressed): the model sees it.
    if (doc.mime_type && IMAGE_TYPES.test(doc.mime_type)) {
      await intake.photo(m, { fileId: doc.file_id, uniqueId: doc.file_unique_id }, msg.media_group_id);
      return;
    }
    await intake.document(m, {
      kind: "document",
      fileId: doc.file_id,
      uniqueId: doc.file_unique_id,
      fileName: doc.file_name ?? "document",
      mimeType: doc.mime_type,
      size: doc.file_size,
    });
  });

  c.callbackQuery(/^vp:([0-9a-z]{6}):(\d{1,2})$/, async (ctx) => {
    const from = { chatType: ctx.chat!.type, userId: ctx.from.id, locale: ctx.locale };
    const outcome = await intake.pickVision(ctx.chat!.id, ctx.match[1]!, Number(ctx.match[2]), from);
    if (outcome !== "ok") {
      await ctx.answerCallbackQuery({ text: ctx.t(outcome === "gone" ? "offer-used" : "photo-model-gone") });
      return;
    }
    await ctx.answerCallbackQuery({ text: ctx.t("photo-answering") });
    // The question becomes what was done: the buttons go.
    await ctx
      .editMessageReplyMarkup()
      .catch((err: unknown) => core.log.debug({ err }, "the vision model buttons stayed"));
  });

  c.callbackQuery(/^vl:([0-9a-z]{6})$/, async (ctx) => {
    if (!core.isAdmin(ctx.from.id)) {
      await ctx.answerCallbackQuery({ text: ctx.t("pull-admins-only"), show_alert: true });
      return;
    }
    const from = { chatType: ctx.chat!.type, userId: ctx.from.id, locale: ctx.locale };
    const started = intake.pullVision(ctx.chat!.id, ctx.match[1]!, from);
    await ctx.answerCallbackQuery({
      text: ctx.t(started === "started" ? "pull-starting" : "pull-already", {
        model: core.config.media.visionPullModel,
      }),
    });
  });

  return c;
}
