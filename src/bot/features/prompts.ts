/**
 * Multi-step inputs as @grammyjs/conversations (v2): the system prompt, the AI↔AI topic, a custom persona (name,
 * then description). Each is bound to the chat and the user who started it (its state is kept per chat and
 * user), so in a group another member's message never becomes the answer; there the question is asked with
 * `force_reply` and only a reply to it counts. Answers are bounded like a prompt; `/cancel` or the button cancels;
 * a question expires; the state lives in the session storage, so a restart in the middle keeps it. The question's
 * rules are every question's, in bot/questions.ts (the admins' pull by name asks with them too).
 */
import { type Conversation, createConversation } from "@grammyjs/conversations";
import { Composer, InlineKeyboard, type Middleware } from "grammy";
import type { BotContext, InnerContext } from "../context.js";
import { CONVERSATION, QUESTION_EXPIRES_MS } from "../conversation-ids.js";
import { parseSetting, SETTING_NAMES, type SettingName } from "../model-settings.js";
import { askText, MAX_UNUSABLE_ANSWERS, sender } from "../questions.js";
import { PERSONA_NAME_MAX } from "../services/ai2ai/rules.js";
import type { Services } from "../services/index.js";
import { SYSTEM_PRESETS, systemShown, withLanguage } from "../services/presets.js";

type Convo = Conversation<BotContext, InnerContext>;

export function promptsFeature(s: Services, plugins: Middleware<InnerContext>[]): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const { core } = s;
  const maxPrompt = core.config.maxPromptChars;
  /** These conversations have the i18n plugin: each answer is told in its own update's language. */
  const ask = (conversation: Convo, ctx: InnerContext, question: string, maxLength: number) =>
    askText(conversation, ctx, s, { question, maxLength, t: (c) => c.t });

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
            const own = await ask(conversation, next, next.t("system-ask"), maxPrompt);
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
        const text = await ask(conversation, ctx, ctx.t("topic-ask"), 500);
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
        const name = await ask(
          conversation,
          ctx,
          ctx.t("persona-ask-name", { side: SIDE }),
          PERSONA_NAME_MAX,
        );
        if (name === undefined) return;
        const description = await ask(conversation, ctx, ctx.t("persona-ask-description", { name }), 1000);
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
          const text = await ask(conversation, ctx, ctx.t("settings-ask", { name: label }), 20);
          if (text === undefined) return;
          // Checked against the chat's model as it is now, and saved in the same step (replays do neither again).
          const parsed = await conversation.external(async () => {
            const st = await s.chats.settings(chatId);
            const p = parseSetting(name, text, st.facts, {
              maxNumCtx: core.config.settings.maxNumCtx,
              admin: core.isAdmin(ctx.from?.id),
            });
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
