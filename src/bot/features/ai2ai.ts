/**
 * AI↔AI: the controls (Start/Continue, Auto, Stop, Options), the options (personas, topic, length), /topic and
 * /transcript. Thin: every rule and every run is in services/ai2ai.
 */
import { Composer } from "grammy";
import type { BotContext } from "../context.js";
import { CONVERSATION, enterConversation } from "../conversation-ids.js";
import { addTurns, PERSONAS, setTurns } from "../services/ai2ai/rules.js";
import type { Services } from "../services/index.js";
import type { Ai2AiState } from "../session.js";

export function ai2aiFeature(s: Services): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const { ai2ai } = s;

  /** The conversation a button belongs to; an old or forged token is answered, not acted on. */
  const current = async (ctx: BotContext, token: string): Promise<Ai2AiState | undefined> => {
    const st = await ai2ai.current(ctx.chat!.id, token);
    if (!st) await ctx.answerCallbackQuery({ text: ctx.t("ai-stale") });
    return st;
  };

  const redrawOptions = async (ctx: BotContext, st: Ai2AiState) => {
    const view = ai2ai.optionsView(ctx.t, st, ctx.locale);
    await ctx.editMessageText(view.text, { reply_markup: view.keyboard });
  };

  c.callbackQuery(
    /^x:(cont|auto|stop|opt|more|restart|transcript|topic|chat|episode):([0-9a-z]+)$/,
    async (ctx) => {
      const [, action, token] = ctx.match;
      const chat = ctx.chat!;
      const st = await current(ctx, token!);
      if (!st) return;
      switch (action) {
        case "cont": {
          const result = await ai2ai.continueExchange(chat.id, chat.type, token!, ctx.from.id);
          const key = {
            queued: "ai-next",
            busy: "ai-busy",
            "not-picked": "ai-pick-both",
            finished: "ai-all-done",
            stale: "ai-stale",
          }[result];
          await ctx.answerCallbackQuery({ text: ctx.t(key) });
          if (result === "queued") await ctx.editMessageReplyMarkup();
          return;
        }
        case "auto": {
          const on = await ai2ai.toggleAuto(chat.id, chat.type, token!, ctx.from.id);
          await ctx.answerCallbackQuery({ text: ctx.t(on ? "ai-auto-turned-on" : "ai-auto-turned-off") });
          if (on) await ctx.editMessageReplyMarkup();
          return;
        }
        case "stop": {
          const running = await ai2ai.stop(chat.id);
          await ctx.answerCallbackQuery({ text: ctx.t(running ? "stop-stopping" : "ai-stopped") });
          if (!running) {
            const now = await ai2ai.current(chat.id, token!);
            if (now) await ai2ai.showControls(chat.id, now, false);
          }
          return;
        }
        case "opt": {
          await ctx.answerCallbackQuery();
          const view = ai2ai.optionsView(ctx.t, st, ctx.locale);
          await ctx.reply(view.text, { reply_markup: view.keyboard });
          return;
        }
        case "more": {
          const now = await ai2ai.change(chat.id, token!, (d) => addTurns(d));
          await ctx.answerCallbackQuery({ text: ctx.t("ai-more-done", { n: 5 }) });
          if (now) await ai2ai.showControls(chat.id, now, false);
          return;
        }
        case "restart": {
          const now = await ai2ai.restart(chat.id, token!);
          await ctx.answerCallbackQuery({ text: ctx.t("ai-restarted") });
          if (now) await ai2ai.showControls(chat.id, now, true);
          return;
        }
        case "transcript": {
          await ctx.answerCallbackQuery();
          await ai2ai.sendTranscript(chat.id, st, ctx.t);
          return;
        }
        case "topic": {
          await ctx.answerCallbackQuery();
          await enterConversation(ctx, CONVERSATION.topic);
          return;
        }
        case "episode": {
          if (!s.speech.available) {
            await ctx.answerCallbackQuery({ text: ctx.t("voice-tts-unavailable"), show_alert: true });
            return;
          }
          if (!st.lines.some((l) => l.text.trim() !== "")) {
            await ctx.answerCallbackQuery({ text: ctx.t("ai-no-transcript") });
            return;
          }
          // Its lines are being read aloud one by one: the episode would take their place among the voices.
          if (ai2ai.isBusy(chat.id)) {
            await ctx.answerCallbackQuery({ text: ctx.t("ai-episode-after-exchange"), show_alert: true });
            return;
          }
          const started = await ai2ai.episode(chat.id, st, ctx.locale);
          await ctx.answerCallbackQuery({ text: ctx.t(started ? "ai-episode-started" : "voice-busy") });
          return;
        }
        case "chat": {
          await ai2ai.backToChat(chat.id);
          await ctx.answerCallbackQuery({ text: ctx.t("picker-ai-off") });
          await ctx.reply(ctx.t("ai-back-in-chat"));
          return;
        }
      }
    },
  );

  c.callbackQuery(/^xp:([ab]):(\d{1,2}):([0-9a-z]+)$/, async (ctx) => {
    const [, sideText, index, token] = ctx.match;
    const side = sideText === "b" ? "b" : "a";
    const st = await current(ctx, token!);
    if (!st) return;
    const persona = PERSONAS[Number(index)];
    if (!persona || !st[side]) {
      await ctx.answerCallbackQuery({ text: ctx.t(persona ? "ai-pick-side-first" : "ai-unknown-persona") });
      return;
    }
    const now = await ai2ai.change(ctx.chat!.id, token!, (d) => {
      d[side]!.persona = persona;
    });
    await ctx.answerCallbackQuery({
      text: ctx.t("persona-set", { side: side.toUpperCase(), name: persona.name }),
    });
    if (now) await redrawOptions(ctx, now);
  });

  c.callbackQuery(/^xc:([ab]):([0-9a-z]+)$/, async (ctx) => {
    const [, side, token] = ctx.match;
    if (!(await current(ctx, token!))) return;
    await ctx.answerCallbackQuery();
    await enterConversation(ctx, CONVERSATION.persona, side);
  });

  c.callbackQuery(/^xn:(\d{1,4}):([0-9a-z]+)$/, async (ctx) => {
    const [, n, token] = ctx.match;
    if (!(await current(ctx, token!))) return;
    const now = await ai2ai.change(ctx.chat!.id, token!, (d) => setTurns(d, Number(n)));
    if (!now) return;
    await ctx.answerCallbackQuery({ text: ctx.t("ai-turns-set", { n: now.maxTurns }) });
    await redrawOptions(ctx, now);
    // The controls on screen show the old length (or say it is over): they follow at once.
    if (now.a && now.b) await ai2ai.showControls(ctx.chat!.id, now, false);
  });

  // Voices: on or off (t), a side's voice menu (a, b), back to the options (o).
  c.callbackQuery(/^xv:([tabo]):([0-9a-z]+)$/, async (ctx) => {
    const [, what, token] = ctx.match;
    const st = await current(ctx, token!);
    if (!st) return;
    if (!s.speech.available) {
      await ctx.answerCallbackQuery({ text: ctx.t("voice-tts-unavailable"), show_alert: true });
      return;
    }
    if (what === "t") {
      const now = await ai2ai.toggleVoices(ctx.chat!.id, token!);
      await ctx.answerCallbackQuery({
        text: ctx.t(now?.voices ? "ai-voices-turned-on" : "ai-voices-turned-off"),
      });
      if (now) await redrawOptions(ctx, now);
      return;
    }
    await ctx.answerCallbackQuery();
    if (what === "o") {
      await redrawOptions(ctx, st);
      return;
    }
    const side = what === "b" ? "b" : "a";
    if (!st[side]) return;
    const view = ai2ai.sideVoiceView(ctx.t, st, side, ctx.locale);
    await ctx.editMessageText(view.text, { reply_markup: view.keyboard });
  });

  // A side's voice menu on another language.
  c.callbackQuery(/^xw:([ab]):([a-z]):([0-9a-z]+)$/, async (ctx) => {
    const [, sideText, letter, token] = ctx.match;
    const st = await current(ctx, token!);
    if (!st) return;
    await ctx.answerCallbackQuery();
    const side = sideText === "b" ? "b" : "a";
    if (!st[side] || !s.speech.available) return;
    const view = ai2ai.sideVoiceView(ctx.t, st, side, ctx.locale, letter);
    await ctx.editMessageText(view.text, { reply_markup: view.keyboard });
  });

  // A side's voice picked (- : the one that fits its persona); its sample follows.
  c.callbackQuery(/^xs:([ab]):([a-z0-9_-]{1,32}):([0-9a-z]+)$/, async (ctx) => {
    const [, sideText, id, token] = ctx.match;
    if (!(await current(ctx, token!))) return;
    const side = sideText === "b" ? "b" : "a";
    const result = await ai2ai.setSideVoice(
      ctx.chat!.id,
      token!,
      side,
      id === "-" ? undefined : id,
      ctx.locale,
    );
    const key = {
      set: "settings-saved",
      unknown: "voice-not-found",
      taken: "ai-voice-taken",
      stale: "ai-stale",
    }[result];
    await ctx.answerCallbackQuery({ text: ctx.t(key), show_alert: result !== "set" });
    if (result !== "set") return;
    const now = await ai2ai.current(ctx.chat!.id, token!);
    if (now) await redrawOptions(ctx, now);
  });

  c.command("topic", async (ctx) => {
    const topic = ctx.match.trim();
    if (topic === "") {
      await enterConversation(ctx, CONVERSATION.topic);
      return;
    }
    const st = await ai2ai.setTopic(ctx.chat.id, topic, ctx.t);
    await ctx.reply(ctx.t("topic-set", { topic: st.topic }));
    if (st.a && st.b) await ai2ai.showControls(ctx.chat.id, st, true);
  });

  c.command("transcript", async (ctx) => {
    const st = (await s.chats.get(ctx.chat.id)).ai2ai;
    if (!st || st.lines.length === 0) {
      await ctx.reply(ctx.t("ai-no-transcript"));
      return;
    }
    await ai2ai.sendTranscript(ctx.chat.id, st, ctx.t);
  });

  return c;
}
