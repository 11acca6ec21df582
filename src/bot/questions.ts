/**
 * One text asked of the user who started a conversation (@grammyjs/conversations v2): the prompts' questions
 * (system prompt, topic, persona, a setting) and the admins' model to pull follow the same rules, so they live
 * here, beside the conversations' names, where any feature may use them. A conversation is bound to the chat and
 * the user who started it (its state is kept per chat and user), so in a group another member's message never
 * becomes the answer; there the question is asked with `force_reply` and only a reply to it counts. `/cancel` or
 * the button cancels, another command moves on, a question expires, and a few unusable answers make it give up.
 */
import type { Conversation } from "@grammyjs/conversations";
import { type Api, type Context, InlineKeyboard } from "grammy";
import type { Logger } from "pino";
import type { BotContext } from "./context.js";
import { QUESTION_EXPIRES_MS } from "./conversation-ids.js";
import type { Services } from "./services/index.js";
import type { T } from "./views/t.js";

type Convo<C extends Context> = Conversation<BotContext, C>;

/** Unusable answers (not text, too long, refused by the check) after which a question gives up. */
export const MAX_UNUSABLE_ANSWERS = 3;

export interface TextQuestion<C extends Context> {
  /** The question, already in the user's language. */
  question: string;
  /**
   * The texts for an update of the conversation: its own `ctx.t` where the conversation has the i18n plugin (so
   * a language changed meanwhile is followed), one locale's where it has none.
   */
  t: (ctx: C) => T;
  /** The longest answer taken, as sent. Default: no limit but Telegram's. */
  maxLength?: number;
  /** In a group, the hint in the reply field (cut to 64 characters). Default: the question. */
  placeholder?: string;
  /** The text said (by key) to an answer that is not text, or only blanks. Default: `prompt-need-text`. */
  needText?: string;
  /** Why an answer (trimmed, within `maxLength`) cannot be taken, in the user's language; undefined takes it. */
  check?: (answer: string, t: T) => string | undefined;
}

/**
 * Sends through the bot's own API (auto-retry, "not modified" is success) inside `external`, so a replay of the
 * conversation never sends twice: contexts inside a conversation are rebuilt without the bot's transformers.
 */
export function sender<C extends Context>(conversation: Convo<C>, api: Api, log?: Pick<Logger, "debug">) {
  return {
    reply: (chatId: number, text: string, other: Parameters<Api["sendMessage"]>[2] = {}) =>
      conversation.external(async () => {
        const m = await api.sendMessage(chatId, text, other);
        return { message_id: m.message_id };
      }),
    answer: (id: string, text: string) =>
      conversation.external(async () => {
        await api.answerCallbackQuery(id, { text });
      }),
    dropButtons: (chatId: number, messageId: number) =>
      conversation.external(async () => {
        // Cosmetic: a question whose Cancel button stays is still answered.
        await api
          .editMessageReplyMarkup(chatId, messageId)
          .catch((err: unknown) => log?.debug({ err, chatId }, "could not take a question's buttons away"));
      }),
  };
}

/**
 * Asks the user who started the conversation for one text. Resolves with the text (trimmed), or undefined when
 * the user cancelled, gave up (too many unusable answers), moved on (another command) or let the question expire
 * (they are told which).
 */
export async function askText<C extends Context>(
  conversation: Convo<C>,
  ctx: C,
  s: Services,
  ask: TextQuestion<C>,
): Promise<string | undefined> {
  const chatId = ctx.chat!.id;
  const io = sender(conversation, s.core.api, s.core.log);
  const group = ctx.chat?.type !== "private";
  const asked = await conversation.now();
  // In a group, force_reply is selective: it reaches the member the question replies to, or one it mentions.
  // Started from a button, the question would reply to the bot's own message, so it names the member instead.
  const ownMessage = ctx.msg !== undefined && ctx.msg.from?.id === ctx.from?.id;
  const name = (ctx.from?.first_name ?? "").slice(0, 64);
  const mention = group && !ownMessage && ctx.from !== undefined && name !== "";
  const q = await io.reply(chatId, mention ? `${name}, ${ask.question}` : ask.question, {
    reply_markup: group
      ? {
          force_reply: true,
          selective: true,
          input_field_placeholder: (ask.placeholder ?? ask.question).slice(0, 64),
        }
      : new InlineKeyboard().text(ask.t(ctx)("button-cancel"), "cv:cancel"),
    ...(mention
      ? {
          entities: [
            {
              type: "text_mention" as const,
              offset: 0,
              length: name.length,
              user: { id: ctx.from!.id, is_bot: false, first_name: name },
            },
          ],
        }
      : {}),
    ...(ctx.msg && ownMessage
      ? { reply_parameters: { message_id: ctx.msg.message_id, allow_sending_without_reply: true } }
      : {}),
  });
  const userId = ctx.from!.id;
  // In a group, the question is known to be this member's, so another member's reply to it is told so.
  if (group) await conversation.external(() => s.chats.openQuestion(chatId, q.message_id, userId));
  // However the question ends, it is closed: in a group it is no longer this member's; in a private chat its
  // Cancel goes, or a later press of it (the same `cv:cancel`) would cancel the user's next question.
  const close = async () => {
    if (group) await conversation.external(() => s.chats.closeQuestion(chatId, q.message_id));
    else await io.dropButtons(chatId, q.message_id);
  };
  return waitForAnswer(conversation, io, close, chatId, q.message_id, asked, group, ask);
}

async function waitForAnswer<C extends Context>(
  conversation: Convo<C>,
  io: ReturnType<typeof sender<C>>,
  close: () => Promise<void>,
  chatId: number,
  question: number,
  asked: number,
  group: boolean,
  ask: TextQuestion<C>,
): Promise<string | undefined> {
  let unusable = 0;
  for (;;) {
    const next = await conversation.wait();
    const t = ask.t(next);
    if ((await conversation.now()) - asked > QUESTION_EXPIRES_MS) {
      // Said once, then the update goes on as if no question had been asked (a late message is a message).
      await io.reply(chatId, t("prompt-expired"));
      await close();
      await conversation.halt({ next: true });
    }
    if (next.callbackQuery?.data === "cv:cancel") {
      await io.answer(next.callbackQuery.id, t("prompt-cancelled"));
      await close();
      return undefined;
    }
    // Another button of the bot (the picker, Stop, a menu): it works as usual and the question stays open.
    if (next.callbackQuery) await conversation.skip({ next: true });
    const msg = next.message;
    if (!msg) await conversation.skip({ next: true });
    const text = msg!.text;
    if (text === "/cancel" || text?.startsWith("/cancel@")) {
      await close();
      await io.reply(chatId, t("prompt-cancelled"));
      return undefined;
    }
    // Another command: the user moved on; the question is dropped and the command runs.
    if (text?.startsWith("/")) {
      await close();
      await conversation.halt({ next: true });
    }
    // In a group only a reply to the question is an answer; anything else is an ordinary message.
    if (group && msg!.reply_to_message?.message_id !== question) await conversation.skip({ next: true });
    // Each answer is kept in the question's stored state: after a few unusable ones the question gives up.
    const refusal = refusalOf(text, ask, t);
    if (refusal !== undefined) {
      if (++unusable >= MAX_UNUSABLE_ANSWERS) {
        await close();
        await io.reply(chatId, t("prompt-given-up"));
        return undefined;
      }
      await io.reply(chatId, refusal);
      continue;
    }
    await close();
    return text!.trim();
  }
}

/** Why an answer cannot be taken, as said to the user; undefined when it can. */
function refusalOf<C extends Context>(
  text: string | undefined,
  ask: TextQuestion<C>,
  t: T,
): string | undefined {
  if (text === undefined || text.trim() === "") return t(ask.needText ?? "prompt-need-text");
  if (ask.maxLength !== undefined && text.length > ask.maxLength) {
    return t("prompt-too-long", { length: text.length, max: ask.maxLength });
  }
  return ask.check?.(text.trim(), t);
}
