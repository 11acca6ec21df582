/** The commands: /start, /help, /model, /stop, /reset, /system, /stream, /cancel, /language, /queue (admins). */
import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../context.js";
import { CONVERSATION, enterConversation } from "../conversation-ids.js";
import { DEFAULT_LOCALE } from "../i18n.js";
import type { Services } from "../services/index.js";
import { systemShown } from "../services/presets.js";
import { capabilityMarks, chatHeader } from "../views/picker.js";
import { settingsLines } from "../views/settings.js";

/** The command menu, as keys of the Fluent files (published per language at start-up). */
export const COMMAND_KEYS = [
  "ollama",
  "model",
  "stop",
  "reset",
  "settings",
  "summarize",
  "say",
  "system",
  "stream",
  "language",
  "topic",
  "transcript",
  "help",
] as const;

const LANGUAGE_LABELS: Record<string, string> = {
  en: "English",
  de: "Deutsch",
  es: "Español",
  fr: "Français",
  ru: "Русский",
  "pt-BR": "Português (Brasil)",
};

export function commandsFeature(s: Services): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const { core, chats } = s;

  c.command(["start", "help"], async (ctx) => {
    const model = chats.modelOf(await chats.get(ctx.chat.id));
    await ctx.reply(
      `${ctx.t("help")}\n\n${model ? ctx.t("help-current-model", { model }) : ctx.t("help-no-model")}`,
    );
  });

  c.command("model", async (ctx) => {
    const st = await chats.settings(ctx.chat.id);
    const { session } = st;
    const lines = [chatHeader(ctx.t, session, s.models.defaultModel())];
    if (st.model !== undefined && session.mode === "chat") {
      const loaded = (await s.models.loaded()).has(st.model);
      const marks = capabilityMarks(st.facts);
      lines.push(ctx.t(loaded ? "model-loaded" : "model-not-loaded") + (marks ? ` · ${marks}` : ""));
    }
    lines.push(ctx.t("model-history", { count: session.history.length }));
    if (session.summary) lines.push(ctx.t("model-summary", { chars: session.summary.length }));
    lines.push(
      "",
      ...settingsLines(
        ctx.t,
        session,
        st.effective,
        st.facts,
        session.system ? systemShown(ctx.t, session.system) : undefined,
      ),
      "",
      ctx.t("model-settings-hint"),
    );
    await ctx.reply(lines.join("\n"));
  });

  c.command("stop", async (ctx) => {
    const chatId = ctx.chat.id;
    const answers = s.stops.stopChat(chatId);
    const waiting = await s.turns.cancelWaiting(chatId);
    const ai = await s.ai2ai.stop(chatId);
    if (answers === 0 && waiting === 0 && !ai) {
      await ctx.reply(ctx.t("stop-nothing"));
      return;
    }
    // An answer stopped alone says so itself ("⏹ Stopped." under its text): a reply would repeat it.
    if (waiting === 0 && !ai) return;
    const parts = [];
    if (answers > 0 || ai) parts.push(ctx.t("stop-stopping"));
    if (waiting > 0) parts.push(ctx.t("stop-waiting-cancelled", { count: waiting }));
    await ctx.reply(parts.join("\n"));
  });

  const summarize = async (ctx: BotContext, replyTo?: number) => {
    const outcome = await s.summaries.summarize(ctx.chat!.id, ctx.locale, replyTo);
    return outcome === "started" ? undefined : ctx.t(`summary-${outcome}`);
  };
  c.command(["summarize", "summarise"], async (ctx) => {
    const refusal = await summarize(ctx, ctx.msg.message_id);
    if (refusal) await ctx.reply(refusal);
  });
  c.callbackQuery("sz", async (ctx) => {
    const refusal = await summarize(ctx);
    await ctx.answerCallbackQuery(refusal ? { text: refusal.slice(0, 200) } : {});
    // The offer is taken up: its button goes (the summary's own message says how it went).
    if (!refusal) {
      await ctx
        .editMessageReplyMarkup()
        .catch((err: unknown) => core.log.debug({ err }, "a used Summarize button stayed"));
    }
  });

  c.command("reset", async (ctx) => {
    await chats.clearHistory(ctx.chat.id);
    await ctx.reply(ctx.t("history-cleared"));
  });

  c.command("system", async (ctx) => {
    const text = ctx.match.trim();
    if (text === "") {
      await enterConversation(ctx, CONVERSATION.system);
      return;
    }
    if (text.length > core.config.maxPromptChars) {
      await ctx.reply(ctx.t("prompt-too-long", { length: text.length, max: core.config.maxPromptChars }));
      return;
    }
    const off = /^(off|none|clear|reset)$/i.test(text);
    await chats.setSystem(ctx.chat.id, off ? undefined : text);
    await ctx.reply(ctx.t(off ? "system-removed" : "system-set"));
  });

  c.command("cancel", async (ctx) => {
    // A question that is open is answered by its conversation; here there is none.
    await ctx.reply(ctx.t("cancel-nothing"));
  });

  c.command("stream", async (ctx) => {
    const arg = ctx.match.trim().toLowerCase();
    if (arg !== "" && arg !== "on" && arg !== "off") {
      await ctx.reply(ctx.t("stream-usage"));
      return;
    }
    const on = await chats.setStream(ctx.chat.id, arg === "" ? "toggle" : arg === "on");
    await ctx.reply(ctx.t(on ? "stream-on" : "stream-off"));
  });

  c.command("language", async (ctx) => {
    const arg = ctx.match.trim();
    if (arg === "") {
      const kb = new InlineKeyboard();
      core.texts.locales.forEach((l, i) => {
        kb.text(LANGUAGE_LABELS[l] ?? l, `lang:${l}`);
        if (i % 2 === 1) kb.row();
      });
      kb.row().text(ctx.t("language-auto"), "lang:auto");
      await ctx.reply(ctx.t("language-ask"), { reply_markup: kb });
      return;
    }
    await setLanguage(ctx, arg);
  });

  c.callbackQuery(/^lang:([A-Za-z-]{2,10})$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    // The menu becomes the answer (edited in place): presses never add messages.
    await setLanguage(ctx, ctx.match[1]!, (text) => ctx.editMessageText(text));
  });

  const setLanguage = async (
    ctx: BotContext,
    arg: string,
    say: (text: string) => Promise<unknown> = (t) => ctx.reply(t),
  ) => {
    const chatId = ctx.chat!.id;
    if (arg === "auto") {
      await chats.setLanguage(chatId, undefined);
      // Each person's own from now on, this reply included (the session this update read still has the old one).
      ctx.i18n.useLocale(core.texts.match(ctx.from?.language_code) ?? DEFAULT_LOCALE);
      await say(ctx.t("language-auto-set"));
      return;
    }
    const locale = core.texts.match(arg);
    if (!locale) {
      const names = core.texts.locales.map((l) => `${LANGUAGE_LABELS[l] ?? l} (${l})`).join(", ");
      await say(ctx.t("language-unknown", { languages: names }));
      return;
    }
    await chats.setLanguage(chatId, locale);
    ctx.i18n.useLocale(locale);
    await say(ctx.t("language-set"));
  };

  c.command("queue", async (ctx) => {
    if (!core.isAdmin(ctx.from?.id)) {
      await ctx.reply(ctx.t("queue-admins-only"));
      return;
    }
    const snap = s.queue.snapshot();
    const now = Date.now();
    const waitingTurns = snap.waiting.reduce((n, w) => n + w.turns, 0);
    const slots = core.hosts ? core.hosts.concurrency : core.config.maxConcurrentGenerations;
    const lines = [
      ctx.t("queue-running", { running: snap.running.length, slots }),
      // Several hosts: each one's state (its check, its slots, its models).
      ...(core.hosts?.snapshot() ?? []).map((h) =>
        h.up
          ? ctx.t("queue-host", {
              up: "yes",
              name: h.name,
              label: h.label,
              busy: h.busy,
              slots: h.concurrency,
              models: h.models?.length ?? 0,
            })
          : ctx.t("queue-host-down", { name: h.name, label: h.label, error: h.error ?? "?" }),
      ),
      ...snap.running.map((r) =>
        ctx.t("queue-running-chat", { chat: String(r.chat), seconds: Math.round((now - r.since) / 1000) }),
      ),
      ctx.t("queue-waiting", { count: waitingTurns }),
      ...snap.waiting
        .sort((a, b) => (a.position || 1e9) - (b.position || 1e9))
        .map((w) =>
          ctx.t("queue-waiting-chat", {
            position: String(w.position || "–"),
            chat: String(w.chat),
            count: w.turns,
          }),
        ),
    ];
    await ctx.reply(lines.join("\n"));
  });

  return c;
}
