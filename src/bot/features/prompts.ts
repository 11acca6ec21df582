/**
 * Multi-step inputs as @grammyjs/conversations (v2): the system prompt, the AI↔AI topic, a custom persona (name,
 * then description). Each is bound to the chat and the user who started it (its state is kept per chat and
 * user), so in a group another member's message never becomes the answer; there the question is asked with
 * `force_reply` and only a reply to it counts. Answers are bounded like a prompt; `/cancel` or the button cancels;
 * a question expires; the state lives in the session storage, so a restart in the middle keeps it.
 */
import { type Conversation, createConversation } from "@grammyjs/conversations";
import { type Api, Composer, InlineKeyboard, type Middleware } from "grammy";
import type { Logger } from "pino";
import type { BotContext, InnerContext } from "../context.js";
import { CONVERSATION, QUESTION_EXPIRES_MS } from "../conversation-ids.js";
import { parseSetting, SETTING_NAMES, type SettingName } from "../model-settings.js";
import { PERSONA_NAME_MAX } from "../services/ai2ai/rules.js";
import type { Services } from "../services/index.js";
import { SYSTEM_PRESETS, systemShown, withLanguage } from "../services/presets.js";

type Convo = Conversation<BotContext, InnerContext>;

/** Unusable answers (not text, too long) after which a question gives up. */
const MAX_UNUSABLE_ANSWERS = 3;

interface Ask {
  /** The question, already in the user's language. */
  question: string;
  maxLength: number;
}

/**
 * Sends through the bot's own API (auto-retry, "not modified" is success) inside `external`, so a replay of the
 * conversation never sends twice: contexts inside a conversation are rebuilt without the bot's transformers.
 */
function sender(conversation: Convo, api: Api, log?: Pick<Logger, "debug">) {
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
 * Asks the user who started the conversation for one text. Resolves with the text, or undefined when the user
 * cancelled, moved on (another command) or let the question expire (they are told which).
 */
async function askText(
  conversation: Convo,
  ctx: InnerContext,
  s: Services,
  ask: Ask,
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
      ? { force_reply: true, selective: true, input_field_placeholder: ask.question.slice(0, 64) }
      : new InlineKeyboard().text(ctx.t("button-cancel"), "cv:cancel"),
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
  const text = await waitForAnswer(conversation, io, chatId, q.message_id, asked, group, ask);
  if (group) await conversation.external(() => s.chats.closeQuestion(chatId, q.message_id));
  return text;
}

async function waitForAnswer(
  conversation: Convo,
  io: ReturnType<typeof sender>,
  chatId: number,
  question: number,
  asked: number,
  group: boolean,
  ask: Ask,
): Promise<string | undefined> {
  const q = { message_id: question };
  let unusable = 0;
  for (;;) {
    const next = await conversation.wait();
    if ((await conversation.now()) - asked > QUESTION_EXPIRES_MS) {
      // Said once, then the update goes on as if no question had been asked (a late message is a message).
      await io.reply(chatId, next.t("prompt-expired"));
      await conversation.halt({ next: true });
    }
    if (next.callbackQuery?.data === "cv:cancel") {
      await io.answer(next.callbackQuery.id, next.t("prompt-cancelled"));
      await io.dropButtons(chatId, q.message_id);
      return undefined;
    }
    // Another button of the bot (the picker, Stop): it works as usual and the question stays open.
    if (next.callbackQuery) await conversation.skip({ next: true });
    const msg = next.message;
    if (!msg) await conversation.skip({ next: true });
    const text = msg!.text;
    if (text === "/cancel" || text?.startsWith("/cancel@")) {
      if (!group) await io.dropButtons(chatId, q.message_id);
      await io.reply(chatId, next.t("prompt-cancelled"));
      return undefined;
    }
    // Another command: the user moved on; the question is dropped and the command runs.
    if (text?.startsWith("/")) await conversation.halt({ next: true });
    // In a group only a reply to the question is an answer; anything else is an ordinary message.
    if (group && msg!.reply_to_message?.message_id !== q.message_id) await conversation.skip({ next: true });
    // Each answer is kept in the question's stored state: after a few unusable ones the question gives up.
    if (text === undefined || text.trim() === "" || text.length > ask.maxLength) {
      if (++unusable >= MAX_UNUSABLE_ANSWERS) {
        await io.reply(chatId, next.t("prompt-given-up"));
        return undefined;
      }
      await io.reply(
        chatId,
        text === undefined || text.trim() === ""
          ? next.t("prompt-need-text")
          : next.t("prompt-too-long", { length: text.length, max: ask.maxLength }),
      );
      continue;
    }
    if (!group) await io.dropButtons(chatId, q.message_id);
    return text.trim();
  }
}

export function promptsFeature(s: Services, plugins: Middleware<InnerContext>[]): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const { core } = s;
  const maxPrompt = core.config.maxPromptChars;

  c.use(
    createConversation<BotContext, InnerContext>(
      async (conversation, ctx) => {
        const chatId = ctx.chat!.id;
        const io = sender(conversation, core.api, core.log);
        const current = await conversation.external(async () => (await s.chats.get(chatId)).system);
        const locale = await conversation.external(() => ctx.i18n.getLocale());
        // First a choice (works in groups too: inline buttons), then, for "write my own", the text itself.
        const kb = new InlineKeyboard();
        SYSTEM_PRESETS.forEach((p, i) => {
          kb.text(ctx.t(`preset-${p.id}`), `cv:preset:${i}`);
          if (i % 2 === 1) kb.row();
        });
        kb.row().text(ctx.t("preset-own"), "cv:own");
        if (current) kb.text(ctx.t("preset-off"), "cv:off");
        kb.row().text(ctx.t("button-cancel"), "cv:cancel");
        const head = current ? `${ctx.t("system-current", { system: systemShown(ctx.t, current) })}\n\n` : "";
        const menu = await io.reply(chatId, `${head}${ctx.t("system-choose")}`, {
          reply_markup: kb,
          ...(ctx.msg
            ? { reply_parameters: { message_id: ctx.msg.message_id, allow_sending_without_reply: true } }
            : {}),
        });
        const asked = await conversation.now();
        let system: string | undefined;
        for (;;) {
          const next = await conversation.wait();
          if ((await conversation.now()) - asked > QUESTION_EXPIRES_MS) {
            await io.reply(chatId, next.t("prompt-expired"));
            await io.dropButtons(chatId, menu.message_id);
            await conversation.halt({ next: true });
          }
          const data = next.callbackQuery?.data;
          const text = next.message?.text;
          if (data === "cv:cancel" || text === "/cancel" || text?.startsWith("/cancel@")) {
            if (next.callbackQuery) await io.answer(next.callbackQuery.id, next.t("prompt-cancelled"));
            await io.dropButtons(chatId, menu.message_id);
            await io.reply(chatId, next.t("prompt-cancelled"));
            return;
          }
          if (data?.startsWith("cv:preset:")) {
            const preset = SYSTEM_PRESETS[Number(data.slice("cv:preset:".length))];
            if (!preset) await conversation.skip({ next: true });
            await io.answer(next.callbackQuery!.id, next.t(`preset-${preset!.id}`));
            system = withLanguage(preset!.prompt, locale);
            break;
          }
          if (data === "cv:off") {
            await io.answer(next.callbackQuery!.id, next.t("system-removed"));
            system = undefined;
            break;
          }
          if (data === "cv:own") {
            await io.answer(next.callbackQuery!.id, next.t("preset-own"));
            await io.dropButtons(chatId, menu.message_id);
            const own = await askText(conversation, next, s, {
              question: next.t("system-ask"),
              maxLength: maxPrompt,
            });
            if (own === undefined) return;
            system = /^(off|none|clear|reset)$/i.test(own) ? undefined : own;
            break;
          }
          // Another command means the user moved on.
          if (text?.startsWith("/")) await conversation.halt({ next: true });
          // The menu says "or write your own": a text typed now is that prompt (in a group, a reply to the menu).
          const own =
            text !== undefined &&
            (next.chat?.type === "private" || next.message?.reply_to_message?.message_id === menu.message_id);
          if (own && text.trim() !== "") {
            if (text.length > maxPrompt) {
              await io.reply(chatId, next.t("prompt-too-long", { length: text.length, max: maxPrompt }));
              continue;
            }
            system = /^(off|none|clear|reset)$/i.test(text.trim()) ? undefined : text.trim();
            break;
          }
          // Other buttons and messages go on as usual.
          await conversation.skip({ next: true });
        }
        await io.dropButtons(chatId, menu.message_id);
        await conversation.external(() => s.chats.setSystem(chatId, system));
        await io.reply(chatId, ctx.t(system === undefined ? "system-removed" : "system-set"));
      },
      { id: CONVERSATION.system, plugins },
    ),
  );

  c.use(
    createConversation<BotContext, InnerContext>(
      async (conversation, ctx) => {
        const chatId = ctx.chat!.id;
        const text = await askText(conversation, ctx, s, {
          question: ctx.t("topic-ask"),
          maxLength: 500,
        });
        if (text === undefined) return;
        const st = await conversation.external(() => s.ai2ai.setTopic(chatId, text, ctx.t));
        await sender(conversation, core.api).reply(chatId, ctx.t("topic-set", { topic: st.topic }));
        if (st.a && st.b) await conversation.external(() => s.ai2ai.showControls(chatId, st, true));
      },
      { id: CONVERSATION.topic, plugins },
    ),
  );

  c.use(
    createConversation<BotContext, InnerContext>(
      async (conversation, ctx, sideArg: unknown) => {
        const side = sideArg === "b" ? "b" : "a";
        const chatId = ctx.chat!.id;
        const SIDE = side.toUpperCase();
        const name = await askText(conversation, ctx, s, {
          question: ctx.t("persona-ask-name", { side: SIDE }),
          maxLength: PERSONA_NAME_MAX,
        });
        if (name === undefined) return;
        const description = await askText(conversation, ctx, s, {
          question: ctx.t("persona-ask-description", { name }),
          maxLength: 1000,
        });
        if (description === undefined) return;
        const st = await conversation.external(() => s.ai2ai.setPersona(chatId, side, name, description));
        await sender(conversation, core.api).reply(
          chatId,
          st?.[side]
            ? ctx.t("persona-set", { side: SIDE, name: st[side]!.persona.name })
            : ctx.t("persona-pick-model-first", { side: SIDE }),
        );
      },
      { id: CONVERSATION.persona, plugins },
    ),
  );

  c.use(
    createConversation<BotContext, InnerContext>(
      async (conversation, ctx, nameArg: unknown) => {
        if (!(SETTING_NAMES as readonly unknown[]).includes(nameArg)) return;
        const name = nameArg as SettingName;
        const chatId = ctx.chat!.id;
        const io = sender(conversation, core.api);
        const label = ctx.t(`settings-name-${name}`);
        for (let tries = 0; tries < MAX_UNUSABLE_ANSWERS; tries++) {
          const text = await askText(conversation, ctx, s, {
            question: ctx.t("settings-ask", { name: label }),
            maxLength: 20,
          });
          if (text === undefined) return;
          // Checked against the chat's model as it is now, and saved in the same step (replays do neither again).
          const parsed = await conversation.external(async () => {
            const st = await s.chats.settings(chatId);
            const p = parseSetting(name, text, st.facts);
            if (p.ok) await s.chats.changeSettings(chatId, p.value);
            return p;
          });
          if (parsed.ok) {
            await io.reply(chatId, ctx.t("settings-changed", { name: label, value: text }));
            return;
          }
          await io.reply(chatId, ctx.t(parsed.key, { name: label, ...parsed.args }));
        }
        await io.reply(chatId, ctx.t("prompt-given-up"));
      },
      { id: CONVERSATION.setting, plugins },
    ),
  );

  return c;
}
