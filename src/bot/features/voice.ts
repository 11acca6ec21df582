/**
 * 🔊 under an answer and /say (the newest answer): the answer read aloud as a voice message, where the hub can
 * speak. Work runs in the background (a status with ⏹ shows it), so the chat is not held while the hub renders.
 */
import { Composer } from "grammy";
import type { BotContext } from "../context.js";
import type { Services } from "../services/index.js";

export function voiceFeature(s: Services): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const { speech, core } = s;

  const speak = async (ctx: BotContext, text: string, replyTo: number | undefined) => {
    const own = (await s.chats.get(ctx.chat!.id)).settings;
    // Checked after the last wait: `say` takes the place at once, so what the press is told is what happens.
    if (speech.busy(ctx.chat!.id)) return false;
    void speech
      .say({
        chatId: ctx.chat!.id,
        locale: ctx.locale,
        text,
        replyTo,
        voice: own?.voice,
        speed: own?.voiceSpeed,
      })
      .catch((err: unknown) =>
        core.log.error({ err, chatId: ctx.chat?.id }, "reading an answer aloud failed"),
      );
    return true;
  };

  c.command("say", async (ctx) => {
    if (!speech.available) await speech.probe();
    if (!speech.available) {
      await ctx.reply(ctx.t(core.client.mode === "hub" ? "voice-tts-unavailable" : "voice-needs-hub"));
      return;
    }
    const answer = (await s.chats.get(ctx.chat.id)).history.findLast(
      (e) => e.role === "assistant" && e.content.trim() !== "",
    );
    if (!answer) {
      await ctx.reply(ctx.t("voice-no-answer"));
      return;
    }
    if (!(await speak(ctx, answer.content, ctx.msg.message_id))) await ctx.reply(ctx.t("voice-busy"));
  });

  c.callbackQuery(/^vo:([0-9a-z]{1,12})$/, async (ctx) => {
    const asked = Number.parseInt(ctx.match[1]!, 36);
    const answerOf = async () => {
      const session = await s.chats.get(ctx.chat!.id);
      const i = session.history.findIndex((e) => e.role === "user" && e.at === asked);
      const next = i >= 0 ? session.history[i + 1] : undefined;
      return {
        answer: next?.role === "assistant" ? next : undefined,
        saving: session.turn?.startedAt === asked,
      };
    };
    let found = await answerOf();
    // Pressed the instant the answer appeared: it is being saved; a moment, bounded.
    for (let i = 0; !found.answer && found.saving && i < 30; i++) {
      await new Promise<void>((r) => core.clock.setTimeout(r, 100));
      found = await answerOf();
    }
    const answer = found.answer;
    if (!answer) {
      await ctx.answerCallbackQuery({ text: ctx.t("voice-too-old") });
      return;
    }
    const started = await speak(ctx, answer.content, ctx.callbackQuery.message?.message_id);
    await ctx.answerCallbackQuery({ text: ctx.t(started ? "voice-making-short" : "voice-busy") });
  });

  return c;
}
