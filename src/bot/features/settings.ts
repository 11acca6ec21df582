/**
 * /settings: the chat's model settings as a menu edited in place, and as text (`/settings temperature 0.7`,
 * `/settings reset`). A value from a button is checked like a typed one, so an old or forged menu can only set
 * an allowed value; ✏️ asks for one's own value (a conversation, bound to whoever pressed it).
 */
import { Composer } from "grammy";
import type { BotContext } from "../context.js";
import { CONVERSATION, enterConversation } from "../conversation-ids.js";
import { parseSetting, SETTING_NAMES, type SettingName } from "../model-settings.js";
import type { Services } from "../services/index.js";
import { systemShown } from "../services/presets.js";
import { letterOf, VOICE_FLAGS } from "../services/speech.js";
import { renderSettingMenu, renderSettings, renderVoiceMenu, type VoiceFilter } from "../views/settings.js";

const NAME = new RegExp(`^(${SETTING_NAMES.join("|")})$`);

/** What people type for a setting's name: its own, and a few obvious others. */
const ALIASES: Record<string, SettingName> = {
  temp: "temperature",
  topp: "top_p",
  "top-p": "top_p",
  ctx: "context",
  num_ctx: "context",
  think: "thinking",
  keepalive: "keep_alive",
  "keep-alive": "keep_alive",
};

const GENDERS = { f: "female", m: "male" } as const;

export function settingsFeature(s: Services): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const { chats } = s;
  /** The main menu, as /settings sends it and every press redraws it. */
  const mainView = async (ctx: BotContext) => {
    const st = await chats.settings(ctx.chat!.id);
    return renderSettings(
      ctx.t,
      st.session,
      st.model,
      st.effective,
      st.facts,
      shownSystem(ctx.t, st.session.system),
      voiceShown(ctx, st.effective.voice),
    );
  };
  const limitsFor = (ctx: BotContext) => ({
    maxNumCtx: s.core.config.settings.maxNumCtx,
    admin: s.core.isAdmin(ctx.from?.id),
  });

  c.command("settings", async (ctx) => {
    const chatId = ctx.chat.id;
    const [rawName, ...rest] = ctx.match.trim().split(/\s+/);
    const arg = rest.join(" ");
    if (!rawName) {
      const view = await mainView(ctx);
      await ctx.reply(view.text, { reply_markup: view.keyboard });
      return;
    }
    const lower = rawName.toLowerCase();
    if (lower === "reset") {
      await chats.resetSettings(chatId);
      await ctx.reply(ctx.t("settings-reset-done"));
      return;
    }
    const name = NAME.test(lower) ? (lower as SettingName) : ALIASES[lower];
    if (!name) {
      await ctx.reply(ctx.t("settings-usage", { names: SETTING_NAMES.join(", ") }));
      return;
    }
    if (arg === "" || /^default$/i.test(arg)) {
      if (arg === "") {
        const st = await chats.settings(chatId);
        const view = renderSettingMenu(ctx.t, name, st.session, st.effective, st.facts);
        await ctx.reply(view.text, { reply_markup: view.keyboard });
        return;
      }
      await chats.changeSettings(chatId, unset(name));
      await ctx.reply(ctx.t("settings-set-default", { name: ctx.t(`settings-name-${name}`) }));
      return;
    }
    const st = await chats.settings(chatId);
    const parsed = parseSetting(name, arg, st.facts, limitsFor(ctx));
    if (!parsed.ok) {
      await ctx.reply(ctx.t(parsed.key, { name: ctx.t(`settings-name-${name}`), ...parsed.args }));
      return;
    }
    await chats.changeSettings(chatId, parsed.value);
    // Only a context can end up lower than asked (the model's own limit, when `show` was slow at the check).
    const sent = name === "context" ? (await chats.settings(chatId)).effective.numCtx : 0;
    await ctx.reply(
      ctx.t("settings-changed", { name: ctx.t(`settings-name-${name}`), value: arg.trim() }) +
        capNote(ctx.t, name, sent, parsed.value.numCtx),
    );
  });

  /** The main menu again, in the pressed message. */
  const redraw = async (ctx: BotContext) => {
    const view = await mainView(ctx);
    await ctx.editMessageText(view.text, { reply_markup: view.keyboard });
  };
  const redrawMenu = async (ctx: BotContext, name: SettingName) => {
    const st = await chats.settings(ctx.chat!.id);
    const view = renderSettingMenu(ctx.t, name, st.session, st.effective, st.facts);
    await ctx.editMessageText(view.text, { reply_markup: view.keyboard });
  };

  c.callbackQuery("st:m", async (ctx) => {
    await ctx.answerCallbackQuery();
    await redraw(ctx);
  });
  c.callbackQuery(new RegExp(`^st:o:(${SETTING_NAMES.join("|")})$`), async (ctx) => {
    await ctx.answerCallbackQuery();
    await redrawMenu(ctx, ctx.match[1] as SettingName);
  });
  c.callbackQuery(new RegExp(`^st:v:(${SETTING_NAMES.join("|")}):([\\w.-]{1,12})$`), async (ctx) => {
    const name = ctx.match[1] as SettingName;
    const st = await chats.settings(ctx.chat!.id);
    const parsed = parseSetting(name, ctx.match[2]!, st.facts, limitsFor(ctx));
    if (!parsed.ok) {
      // Only a forged button, or one from a menu of another model, gets here: said, nothing changes.
      await ctx.answerCallbackQuery({
        text: ctx.t(parsed.key, { name: ctx.t(`settings-name-${name}`), ...parsed.args }).slice(0, 200),
        show_alert: true,
      });
      return;
    }
    await chats.changeSettings(ctx.chat!.id, parsed.value);
    await ctx.answerCallbackQuery({ text: ctx.t("settings-saved") });
    await redrawMenu(ctx, name);
  });
  c.callbackQuery(new RegExp(`^st:d:(${SETTING_NAMES.join("|")})$`), async (ctx) => {
    const name = ctx.match[1] as SettingName;
    await chats.changeSettings(ctx.chat!.id, unset(name));
    await ctx.answerCallbackQuery({ text: ctx.t("settings-saved") });
    await redrawMenu(ctx, name);
  });
  c.callbackQuery(new RegExp(`^st:e:(${SETTING_NAMES.join("|")})$`), async (ctx) => {
    await ctx.answerCallbackQuery();
    await enterConversation(ctx, CONVERSATION.setting, ctx.match[1]);
  });
  /** The chat's voice as shown in the menu, or undefined where the hub cannot read answers aloud. */
  const voiceShown = (ctx: BotContext, own: string | undefined) => {
    if (!s.speech.available) return undefined;
    const v = s.speech.voiceFor(ctx.locale, own);
    return v ? `${v.label}${own === undefined ? ` ${ctx.t("settings-default-mark")}` : ""}` : undefined;
  };

  const voiceMenu = async (ctx: BotContext, filter: VoiceFilter) => {
    const st = await chats.settings(ctx.chat!.id);
    const { speech } = s;
    const view = renderVoiceMenu(ctx.t, {
      languages: speech.languages().map((letter) => ({ letter, flag: VOICE_FLAGS[letter] ?? letter })),
      filter,
      voices: speech.voicesOf(filter.letter, filter.gender === "*" ? undefined : GENDERS[filter.gender]),
      current: speech.voiceFor(ctx.locale, st.effective.voice)?.id,
    });
    await ctx.editMessageText(view.text, { reply_markup: view.keyboard });
  };

  c.callbackQuery(/^st:vm(?::([a-z]):([fm*]))?$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    if (!s.speech.available) {
      await ctx.reply(ctx.t("voice-tts-unavailable"));
      return;
    }
    const [, letter, gender] = ctx.match;
    if (letter && gender) {
      await voiceMenu(ctx, { letter, gender: gender as VoiceFilter["gender"] });
      return;
    }
    // Opened from the menu: on the language of the chat's voice, both genders.
    const own = (await chats.settings(ctx.chat!.id)).effective.voice;
    const current = s.speech.voiceFor(ctx.locale, own);
    await voiceMenu(ctx, {
      letter: (current && letterOf(current.id)) ?? s.speech.defaultLetter(ctx.locale),
      gender: "*",
    });
  });
  c.callbackQuery(/^st:vv:([a-z0-9_-]{1,32})(?::([fm*]))?$/, async (ctx) => {
    const id = ctx.match[1]!;
    if (id === "-") {
      await chats.changeSettings(ctx.chat!.id, { voice: undefined });
      await ctx.answerCallbackQuery({ text: ctx.t("settings-saved") });
      await redraw(ctx);
      return;
    }
    // Checked against the hub's voices: an old or forged button cannot set one it does not have.
    const voice = s.speech.byId(id);
    if (!voice) {
      await ctx.answerCallbackQuery({ text: ctx.t("voice-not-found"), show_alert: true });
      return;
    }
    await chats.changeSettings(ctx.chat!.id, { voice: id });
    await ctx.answerCallbackQuery({ text: ctx.t("settings-voice-saved", { voice: voice.label }) });
    await voiceMenu(ctx, {
      letter: letterOf(id) ?? s.speech.defaultLetter(ctx.locale),
      gender: (ctx.match[2] as VoiceFilter["gender"] | undefined) ?? "*",
    });
    // The sample follows in the background: the press is answered, the menu stays usable.
    void s.speech
      .preview({ chatId: ctx.chat!.id, locale: ctx.locale, voice })
      .catch((err: unknown) => s.core.log.error({ err, chatId: ctx.chat?.id }, "a voice's sample failed"));
  });
  c.callbackQuery("st:vr", async (ctx) => {
    const st = await chats.settings(ctx.chat!.id);
    await chats.changeSettings(ctx.chat!.id, { voiceReplies: !st.effective.voiceReplies });
    await ctx.answerCallbackQuery({ text: ctx.t("settings-saved") });
    await redraw(ctx);
  });

  c.callbackQuery("st:tt", async (ctx) => {
    const st = await chats.settings(ctx.chat!.id);
    await chats.changeSettings(ctx.chat!.id, { showThinking: !st.effective.showThinking });
    await ctx.answerCallbackQuery({ text: ctx.t("settings-saved") });
    await redraw(ctx);
  });
  c.callbackQuery("st:ts", async (ctx) => {
    const on = await chats.setStream(ctx.chat!.id, "toggle");
    await ctx.answerCallbackQuery({ text: ctx.t("picker-streaming", { on: on ? "on" : "off" }) });
    await redraw(ctx);
  });
  c.callbackQuery("st:sy", async (ctx) => {
    await ctx.answerCallbackQuery();
    await enterConversation(ctx, CONVERSATION.system);
  });
  c.callbackQuery("st:r", async (ctx) => {
    await chats.resetSettings(ctx.chat!.id);
    await ctx.answerCallbackQuery({ text: ctx.t("settings-reset-done").slice(0, 200) });
    await redraw(ctx);
  });
  c.callbackQuery("st:x", async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.deleteMessage().catch(async (err: unknown) => {
      s.core.log.debug(
        { err, chatId: ctx.chat?.id },
        "could not delete the settings; removing their buttons",
      );
      await ctx.editMessageReplyMarkup();
    });
  });
  return c;
}

/** The patch that puts `name` back to its default. */
export function unset(name: SettingName) {
  const field = {
    temperature: "temperature",
    top_p: "topP",
    context: "numCtx",
    thinking: "think",
    keep_alive: "keepAlive",
    voice_speed: "voiceSpeed",
  }[name];
  return { [field]: undefined };
}

/** A context asked for above what the model takes is sent as the model's own: said, so nothing surprises. */
function capNote(t: BotContext["t"], name: SettingName, sent: number, asked: number | undefined): string {
  return name === "context" && asked !== undefined && sent < asked
    ? `\n${t("settings-context-capped", { max: sent })}`
    : "";
}

function shownSystem(t: BotContext["t"], system: string | undefined): string | undefined {
  return system ? systemShown(t, system) : undefined;
}
