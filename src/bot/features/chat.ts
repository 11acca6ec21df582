/**
 * Chatting: every text message (in groups: mentions and replies to the bot) becomes a turn in the fair queue.
 * A turn sends the bounded history to the model, streams the answer through the live message, and writes the
 * prompt and the answer (whole or partial) to the chat's history whatever happens.
 */
import { Composer, type Context, InlineKeyboard } from "grammy";
import {
  chatKindOf,
  classifyTelegramError,
  describeStreamError,
  pacedCall,
  streamToChat,
} from "../../live/index.js";
import { formatBytes } from "../../util/format.js";
import { type App, chatKey, type PendingPrompt, shortToken } from "../app.js";
import { buildMessages, type ChatSession, trimHistory } from "../session.js";
import { onAi2AiText } from "./ai2ai.js";
import { freshPicker } from "./picker.js";

export interface TurnRequest {
  chatId: number;
  chatType: string;
  userId: number | undefined;
  messageId: number;
  prompt: string;
}

/** Queues `prompt` (a message answered later: Retry, after a pull, after a pick) as the pressing user's turn. */
export function resubmit(app: App, ctx: Context, prompt: { prompt: string; messageId: number }): void {
  submitTurn(app, {
    chatId: ctx.chat!.id,
    chatType: ctx.chat!.type,
    userId: ctx.from?.id,
    messageId: prompt.messageId,
    prompt: prompt.prompt,
  });
}

/** Puts a turn in the queue and keeps the user informed of its place in line. */
export function submitTurn(app: App, req: TurnRequest): void {
  const { chatId } = req;
  let notice: Promise<number | undefined> | undefined;
  let lastText = "";
  const say = (text: string) => {
    if (text === lastText) return;
    lastText = text;
    if (!notice) {
      notice = app.api
        .sendMessage(chatId, text, {
          reply_parameters: { message_id: req.messageId, allow_sending_without_reply: true },
        })
        .then((m) => m.message_id)
        .catch(() => undefined);
    } else {
      notice = notice.then(async (id) => {
        if (id !== undefined) await app.api.editMessageText(chatId, id, text).catch(() => {});
        return id;
      });
    }
  };
  app.queue.enqueue(
    chatId,
    async () => {
      if (notice) {
        const id = await notice;
        if (id !== undefined) await app.api.deleteMessage(chatId, id).catch(() => {});
      }
      await runTurn(app, req);
    },
    {
      onPosition: (position, behindOwn) =>
        say(
          behindOwn
            ? "⏳ Queued: I'll answer this right after the current reply."
            : `⏳ The model is busy with other chats: you are #${position} in line.`,
        ),
    },
  );
}

async function runTurn(app: App, req: TurnRequest): Promise<void> {
  const { chatId, prompt } = req;
  const key = chatKey(chatId);
  if (app.shutdown.signal.aborted) {
    // Shutting down: a turn that never started is kept as an interrupted prompt, not lost.
    await app.store.update(key, (s) => {
      s.history.push({ role: "user", content: prompt, at: Date.now(), status: "interrupted" });
    });
    return;
  }
  const session = await app.store.get(key);
  const model = session.model ?? app.config.defaultModel;
  if (!model) {
    await app.store.update(key, (s) => {
      s.waiting = { prompt, messageId: req.messageId };
    });
    const view = await freshPicker(app, chatId).catch(() => undefined);
    await app.api.sendMessage(chatId, "Pick a model first: I'll answer your message as soon as you do.", {
      ...(view ? { reply_markup: view.keyboard } : {}),
    });
    return;
  }
  const started = Date.now();
  const before = await app.store.update(key, (s) => {
    // A retried prompt is already the last thing in the history: do not write it twice.
    const last = s.history.at(-1);
    if (!(last?.role === "user" && last.content === prompt)) {
      s.history.push({ role: "user", content: prompt, at: started });
    } else {
      delete last.status;
    }
    s.turn = { prompt, messageId: req.messageId, startedAt: started };
  });
  const messages = buildMessages({ system: before.system, history: before.history.slice(0, -1) }, prompt, {
    maxMessages: app.config.historyMaxMessages,
    maxChars: app.config.historyMaxChars,
  });
  const stop = app.stops.create(chatId, app.shutdown.signal);
  const log = app.log.child({ chatId, userId: req.userId, model });
  log.info("turn started");
  try {
    const source = app.client.chatStream({ model, messages }, stop.signal);
    const result = await streamToChat({ api: app.liveApi, paces: app.paces, log, clock: app.clock }, source, {
      chatId,
      chatKind: chatKindOf(req.chatType),
      label: model,
      streaming: before.stream,
      showThinking: app.config.showThinking,
      replyTo: req.messageId,
      stopData: stop.data,
      signal: stop.signal,
      describeError: (err) => describeForUser(app, err, model),
    });
    const interrupted = app.shutdown.signal.aborted;
    await app.store.update(key, (s) => {
      const status = interrupted ? "interrupted" : result.outcome === "done" ? "ok" : result.outcome;
      if (result.text.trim() !== "") {
        s.history.push({ role: "assistant", content: result.text, at: Date.now(), status, model });
      } else if (status !== "ok") {
        const last = s.history.at(-1);
        if (last?.role === "user" && last.content === prompt) last.status = status;
      }
      s.history = trimHistory(s.history, {
        maxMessages: app.config.historyMaxMessages,
        maxChars: app.config.historyMaxChars,
      });
      s.turn = undefined;
    });
    log.info(
      {
        outcome: result.outcome,
        ms: Date.now() - started,
        chars: result.text.length,
        tokensPerSecond: result.done?.stats.tokensPerSecond,
        delivered: result.delivered,
        ...(app.log.isLevelEnabled("debug") ? { prompt, answer: result.text } : {}),
      },
      "turn finished",
    );
    if (result.outcome === "failed" && result.text.trim() === "" && !interrupted) {
      await offerFix(app, req, model, result.error, result.messageIds.at(-1));
    }
  } finally {
    stop.release();
  }
}

/** The note under a failed answer: short, human, and naming what to check. */
function describeForUser(app: App, err: unknown, model: string): string {
  const code = (err as { code?: string })?.code;
  if (code === "HUB_UNREACHABLE" || code === "HUB_TIMEOUT") {
    return `⚠️ I can't reach ${app.backendLabel()} right now. Check that it is running and reachable from the bot.`;
  }
  if (code === "HUB_HTTP_ERROR" && /cannot reach Ollama/.test(String((err as Error).message))) {
    return `⚠️ ${app.backendLabel()} is up, but Ollama behind it is not running.`;
  }
  if (code === "MODEL_NOT_FOUND") return `⚠️ The model ${model} is not installed.`;
  return describeStreamError(err);
}

/** Remembers a prompt a Retry button can send again; returns the button's token. */
export function rememberRetry(app: App, chatId: number, prompt: string, messageId: number): string {
  const token = shortToken();
  app.pending.set(chatId, { token, prompt, messageId });
  return token;
}

/**
 * After a failure with nothing said: the message that carries the failure note becomes one sentence with the
 * button that fixes it (Retry, Pull, Pick another), instead of a second message repeating the first.
 */
async function offerFix(
  app: App,
  req: TurnRequest,
  model: string,
  err: unknown,
  noteMessageId: number | undefined,
): Promise<void> {
  const pending: PendingPrompt = { token: shortToken(), prompt: req.prompt, messageId: req.messageId, model };
  app.pending.set(req.chatId, pending);
  const kb = new InlineKeyboard();
  let text: string;
  if ((err as { code?: string })?.code === "MODEL_NOT_FOUND") {
    if (app.isAdmin(req.userId)) {
      text = `${model} is not installed on ${app.backendLabel()}. Pull it now? I'll answer your message when it is ready.`;
      kb.text(`📥 Pull ${model}`.slice(0, 60), `pl:${pending.token}`).row();
    } else {
      text = `${model} is not installed. Pick another model, or ask an admin to pull it.`;
    }
    kb.text("Pick another model", `pm:${pending.token}`);
  } else {
    text = `${describeForUser(app, err, model)}\n\nYour message is saved: press Retry when the model is reachable.`;
    kb.text("🔁 Retry", `rt:${pending.token}`).text("Pick another model", `pm:${pending.token}`);
  }
  const edited =
    noteMessageId !== undefined &&
    (await app.api.editMessageText(req.chatId, noteMessageId, text, { reply_markup: kb }).then(
      () => true,
      () => false,
    ));
  if (!edited) await app.api.sendMessage(req.chatId, text, { reply_markup: kb }).catch(() => {});
}

export function chatFeature(app: App): Composer<Context> {
  const c = new Composer<Context>();

  const takePending = async (ctx: Context & { match: RegExpMatchArray | string }) => {
    const token = (ctx.match as RegExpMatchArray)[1];
    const chatId = ctx.chat?.id;
    const pending = chatId === undefined ? undefined : app.pending.get(chatId);
    if (!pending || pending.token !== token) {
      await ctx.answerCallbackQuery({ text: "This button is out of date." });
      return undefined;
    }
    return pending;
  };

  c.callbackQuery(/^rt:([0-9a-z]+)$/, async (ctx) => {
    const pending = await takePending(ctx);
    if (!pending) return;
    app.pending.delete(ctx.chat!.id);
    await ctx.answerCallbackQuery({ text: "Trying again…" });
    await ctx.editMessageReplyMarkup().catch(() => {});
    resubmit(app, ctx, pending);
  });

  c.callbackQuery(/^pm:([0-9a-z]+)$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    const view = await freshPicker(app, ctx.chat!.id);
    await ctx.reply(view.text, { reply_markup: view.keyboard });
  });

  c.callbackQuery(/^pl:([0-9a-z]+)$/, async (ctx) => {
    const pending = await takePending(ctx);
    if (!pending?.model) return;
    if (!app.isAdmin(ctx.from.id)) {
      await ctx.answerCallbackQuery({ text: "Only an admin can pull models.", show_alert: true });
      return;
    }
    app.pending.delete(ctx.chat!.id);
    await ctx.answerCallbackQuery({ text: `Pulling ${pending.model}…` });
    await ctx.editMessageReplyMarkup().catch(() => {});
    // A pull can take minutes: it runs in the background, so this chat's other updates (/stop) are not held up.
    const model = pending.model;
    void pullWithProgress(app, ctx.chat!.id, ctx.chat!.type, model)
      .then((ok) => ok && resubmit(app, ctx, pending))
      .catch((err: unknown) => app.log.error({ err, chatId: ctx.chat!.id, model }, "pull failed"));
  });

  return c;
}

/** A bar for a pull's progress message. */
export function progressBar(percent: number, width = 16): string {
  const filled = Math.round((Math.min(100, Math.max(0, percent)) / 100) * width);
  return `${"█".repeat(filled)}${"░".repeat(width - filled)}`;
}

/**
 * Pulls `model`, showing its progress in one message edited at the chat's pace (the newest state wins, as in the
 * live message; states in between are skipped). Returns whether the model is now installed.
 */
export async function pullWithProgress(
  app: App,
  chatId: number,
  chatType: string,
  model: string,
): Promise<boolean> {
  const pace = app.paces.for(chatId, chatKindOf(chatType));
  const { clock } = app;
  const deadline = () => clock.now() + 60_000;
  const api = app.liveApi;
  const first = await pacedCall(pace, clock, deadline(), () =>
    api.sendMessage(chatId, `📥 Pulling ${model}…`),
  );
  const messageId = first.ok ? first.value?.message_id : undefined;
  let writing: Promise<unknown> | undefined;
  const show = (text: string) => {
    if (messageId === undefined || writing || pace.delay(clock.now()) > 0) return;
    pace.started(clock.now());
    writing = api
      .editMessageText(chatId, messageId, text)
      .then(() => pace.succeeded())
      .catch((err: unknown) => {
        const failure = classifyTelegramError(err);
        if (failure.kind === "flood") pace.tooMany(clock.now(), failure.retryAfter);
      })
      .finally(() => {
        writing = undefined;
      });
  };
  const finish = async (text: string) => {
    await writing;
    const result =
      messageId === undefined
        ? await pacedCall(pace, clock, deadline(), () => api.sendMessage(chatId, text))
        : await pacedCall(pace, clock, deadline(), () => api.editMessageText(chatId, messageId, text));
    if (!result.ok) app.log.warn({ chatId, err: result.error }, "could not show the end of a pull");
  };
  try {
    for await (const ev of app.client.pull(model, app.shutdown.signal)) {
      if (ev.type === "success") break;
      const pct = ev.percent;
      show(
        pct === undefined
          ? `📥 Pulling ${model}: ${ev.status}`
          : `📥 Pulling ${model}\n${progressBar(pct)} ${Math.floor(pct)}%  ${formatBytes(ev.completed ?? 0)} / ${formatBytes(ev.total ?? 0)}`,
      );
    }
    await finish(`✅ ${model} is installed.`);
    app.log.info({ chatId, model }, "model pulled");
    return true;
  } catch (err) {
    const why =
      (err as { code?: string })?.code === "MODEL_NOT_FOUND"
        ? "there is no such model in the library"
        : (err as Error).message;
    await finish(`❌ Could not pull ${model}: ${why}.`);
    app.log.warn({ err, chatId, model }, "pull failed");
    return false;
  }
}

/** Handles a text message that is not a command: a system prompt being set, or a new turn. */
export async function onText(app: App, ctx: Context, text: string, session: ChatSession): Promise<void> {
  const chat = ctx.chat!;
  if (session.awaiting === "system") {
    await app.store.update(chatKey(chat.id), (s) => {
      s.system = text.trim();
      s.awaiting = undefined;
    });
    await ctx.reply("📝 System prompt set. It applies from your next message.");
    return;
  }
  if (await onAi2AiText(app, ctx, text, session)) return;
  if (text.length > app.config.maxPromptChars) {
    await ctx.reply(
      `Your message is ${text.length.toLocaleString("en")} characters; the limit is ` +
        `${app.config.maxPromptChars.toLocaleString("en")}. Send a shorter one, or split it.`,
    );
    return;
  }
  submitTurn(app, {
    chatId: chat.id,
    chatType: chat.type,
    userId: ctx.from?.id,
    messageId: ctx.msg!.message_id,
    prompt: text,
  });
}
