/**
 * AI↔AI: two models with two personas talk, one exchange (A speaks, then B answers) per press of
 * "⏭️ Continue exchange", or on their own with Auto. The whole conversation lives in the chat's session, so a
 * restart carries on where it stopped; every exchange goes through the fair queue like a chat turn, so an Auto
 * run cannot starve other chats. Each side sees the conversation from its own point of view: its own lines as
 * `assistant`, the other side's and the moderator's as `user`.
 */
import { Composer, type Context, InlineKeyboard, InputFile } from "grammy";
import type { ChatMessage } from "../../hub/index.js";
import { chatKindOf, streamToChat } from "../../live/index.js";
import { type App, chatKey, shortToken } from "../app.js";
import type { Ai2AiLine, Ai2AiState, ChatSession, Persona, Side } from "../session.js";

export const PERSONAS: readonly Persona[] = [
  {
    name: "Albert Einstein",
    description:
      "You are Albert Einstein: a playful, curious physicist who reasons with thought experiments and simple analogies.",
  },
  {
    name: "Socrates",
    description:
      "You are Socrates: you question every claim, ask for definitions, and lead by asking rather than telling.",
  },
  {
    name: "Marie Curie",
    description: "You are Marie Curie: precise, patient and evidence-driven; you trust what can be measured.",
  },
  {
    name: "Sherlock Holmes",
    description:
      "You are Sherlock Holmes: observant and deductive; you notice details others miss and say so bluntly.",
  },
  {
    name: "William Shakespeare",
    description:
      "You are William Shakespeare: witty and poetic, fond of metaphor, never at a loss for words.",
  },
];

export const DEFAULT_TOPIC = "What makes an idea worth pursuing?";
const AUTO_PAUSE_MS = 1_500;
const MORE_TURNS = 5;

const other = (side: Side): Side => (side === "a" ? "b" : "a");

export function newAi2Ai(maxTurns: number): Ai2AiState {
  return {
    token: shortToken(),
    pickNext: "a",
    topic: DEFAULT_TOPIC,
    maxTurns,
    done: 0,
    lines: [],
    auto: false,
  };
}

/** The header of the picker and of the control messages: who talks with whom, about what, how far along. */
export function ai2aiHeader(s: Ai2AiState): string {
  const side = (x: Ai2AiState["a"], label: string) =>
    x ? `${label}: ${x.persona.name} (${x.model})` : `${label}: tap a model`;
  return [
    "🤖↔🤖 AI↔AI",
    side(s.a, "A"),
    side(s.b, "B"),
    `Topic: ${s.topic}`,
    `Turns: ${s.done}/${s.maxTurns}`,
  ].join(" · ");
}

/**
 * What `side` sends to its model: its persona and the topic as the system prompt, then the conversation from its
 * own point of view, bounded like a chat's history (oldest lines dropped first). Failed partial lines are left
 * out: the side that failed speaks again instead.
 */
export function sideMessages(
  s: Ai2AiState,
  side: Side,
  limits: { maxMessages: number; maxChars: number },
): ChatMessage[] {
  const me = s[side]!;
  const them = s[other(side)]!;
  const system =
    `${me.persona.description}\nYou are talking with ${them.persona.name} about: ${s.topic}\n` +
    `Stay in character. Answer what ${them.persona.name} just said, in a few short paragraphs at most.`;
  const lines = s.lines.filter((l) => l.status !== "failed" && l.text.trim() !== "");
  const picked: ChatMessage[] = [];
  let chars = system.length;
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    const content = line.side === "moderator" ? `[Moderator] ${line.text}` : line.text;
    if (picked.length + 2 > limits.maxMessages || chars + content.length > limits.maxChars) break;
    picked.push({ role: line.side === side ? "assistant" : "user", content });
    chars += content.length;
  }
  picked.reverse();
  if (picked[0]?.role === "assistant")
    picked.unshift({ role: "user", content: `Let's talk about: ${s.topic}` });
  if (picked.length === 0) {
    picked.push({
      role: "user",
      content: `Open the conversation with ${them.persona.name} about: ${s.topic}`,
    });
  }
  return [{ role: "system", content: system }, ...picked];
}

/** Sets the next side from a picker tap; returns the updated session. */
export async function pickSide(app: App, chatId: number, model: string): Promise<ChatSession> {
  return app.store.update(chatKey(chatId), (s) => {
    s.ai2ai ??= newAi2Ai(app.config.ai2aiTurns);
    const st = s.ai2ai;
    const side = st.pickNext;
    const fallback = side === "a" ? PERSONAS[0]! : PERSONAS[1]!;
    st[side] = { model, persona: st[side]?.persona ?? fallback };
    st.pickNext = other(side);
  });
}

function controls(st: Ai2AiState): { text: string; keyboard: InlineKeyboard } {
  const t = st.token;
  const left = st.maxTurns - st.done;
  if (left <= 0) {
    return {
      text: `🏁 The conversation reached its ${st.maxTurns === 1 ? "one turn" : `${st.maxTurns} turns`}.\n${ai2aiHeader(st)}`,
      keyboard: new InlineKeyboard()
        .text(`➕ ${MORE_TURNS} more turns`, `x:more:${t}`)
        .text("🔁 Restart", `x:restart:${t}`)
        .row()
        .text("📄 Transcript", `x:transcript:${t}`)
        .text("⚙️ Options", `x:opt:${t}`),
    };
  }
  const kb = new InlineKeyboard();
  if (st.done === 0 && st.lines.length === 0) kb.text("▶️ Start", `x:cont:${t}`);
  else kb.text(st.pauseReason === "failed" ? "🔁 Retry" : "⏭️ Continue exchange", `x:cont:${t}`);
  kb.text(st.auto ? "⏸ Auto is on" : "⏩ Auto", `x:auto:${t}`)
    .row()
    .text("⏹ Stop", `x:stop:${t}`)
    .text("⚙️ Options", `x:opt:${t}`);
  const status =
    st.pausedAt && st.pauseReason === "failed"
      ? `⚠️ Paused: ${st[st.pausedAt]?.persona.name ?? st.pausedAt.toUpperCase()} could not answer. Retry when ready.`
      : `Turn ${st.done}/${st.maxTurns} · ${left} left`;
  return { text: `${status}\n${ai2aiHeader(st)}`, keyboard: kb };
}

async function sendControls(app: App, chatId: number, st: Ai2AiState): Promise<void> {
  const view = controls(st);
  await app.api.sendMessage(chatId, view.text, { reply_markup: view.keyboard }).catch((err: unknown) => {
    app.log.warn({ err, chatId }, "could not send the AI↔AI controls");
  });
}

/** Queues one exchange for the chat, unless one is already queued or running. Returns false when busy. */
export function queueExchange(app: App, chatId: number, chatType: string): boolean {
  const r = app.ai2ai;
  if (r.busy.has(chatId)) return false;
  r.busy.add(chatId);
  r.autoTimers.get(chatId)?.();
  r.autoTimers.delete(chatId);
  app.queue.enqueue(chatId, async () => {
    try {
      await runExchange(app, chatId, chatType);
    } finally {
      r.busy.delete(chatId);
    }
    const st = (await app.store.get(chatKey(chatId))).ai2ai;
    if (st?.auto && !st.pausedAt && st.done < st.maxTurns && !app.shutdown.signal.aborted) {
      const fire = () => {
        r.autoTimers.delete(chatId);
        queueExchange(app, chatId, chatType);
      };
      r.autoTimers.set(chatId, app.clock.setTimeout(fire, AUTO_PAUSE_MS));
    }
  });
  return true;
}

async function runExchange(app: App, chatId: number, chatType: string): Promise<void> {
  const key = chatKey(chatId);
  const start = (await app.store.get(key)).ai2ai;
  if (!start?.a || !start.b || start.done >= start.maxTurns) return;
  const sides: Side[] = start.pausedAt === "b" ? ["b"] : ["a", "b"];
  for (const side of sides) {
    const outcome = await speak(app, chatId, chatType, side);
    if (outcome !== "done") {
      const st = (await app.store.get(key)).ai2ai;
      if (st) await sendControls(app, chatId, st);
      return;
    }
  }
  const st = await app.store.update(key, (s) => {
    if (s.ai2ai) {
      s.ai2ai.done++;
      s.ai2ai.pausedAt = undefined;
      s.ai2ai.pauseReason = undefined;
      if (s.ai2ai.done >= s.ai2ai.maxTurns) s.ai2ai.auto = false;
    }
  });
  if (st.ai2ai) await sendControls(app, chatId, st.ai2ai);
}

/** One side speaks, streamed live; its line is saved whatever happens. */
async function speak(
  app: App,
  chatId: number,
  chatType: string,
  side: Side,
): Promise<"done" | "stopped" | "failed"> {
  const key = chatKey(chatId);
  const st = (await app.store.get(key)).ai2ai!;
  const me = st[side]!;
  const stop = app.stops.create(chatId, app.shutdown.signal);
  const log = app.log.child({ chatId, model: me.model, side });
  try {
    const messages = sideMessages(st, side, {
      maxMessages: app.config.historyMaxMessages,
      maxChars: app.config.historyMaxChars,
    });
    const result = await streamToChat(
      { api: app.liveApi, paces: app.paces, log, clock: app.clock },
      app.client.chatStream({ model: me.model, messages }, stop.signal),
      {
        chatId,
        chatKind: chatKindOf(chatType),
        label: me.persona.name,
        header: `${me.persona.name} (${me.model}) · Turn ${st.done + 1}/${st.maxTurns}`,
        showThinking: app.config.showThinking,
        stopData: stop.data,
        signal: stop.signal,
      },
    );
    log.info({ outcome: result.outcome, chars: result.text.length }, "AI↔AI line finished");
    const said = result.text.trim() !== "";
    await app.store.update(key, (s) => {
      const a = s.ai2ai;
      if (!a) return;
      const line: Ai2AiLine = { side, text: result.text, at: Date.now(), model: me.model };
      if (result.outcome === "failed") line.status = "failed";
      if (result.outcome === "stopped") line.status = "stopped";
      if (said) a.lines.push(line);
      if (result.outcome === "failed") {
        a.pausedAt = side;
        a.pauseReason = "failed";
        a.auto = false;
      } else if (result.outcome === "stopped") {
        a.auto = false;
        // What was said stays; the other side answers it next. Nothing said: this side speaks again.
        a.pausedAt = said ? (side === "a" ? "b" : undefined) : side;
        a.pauseReason = a.pausedAt ? "stopped" : undefined;
      }
    });
    if (result.outcome === "stopped" && said && side === "b") {
      // B said something before the stop: the exchange happened.
      return "done";
    }
    return result.outcome;
  } finally {
    stop.release();
  }
}

export function transcriptMarkdown(st: Ai2AiState): string {
  const name = (side: Ai2AiLine["side"]) =>
    side === "moderator" ? "Moderator" : `${st[side]?.persona.name ?? side} (${st[side]?.model ?? "?"})`;
  const lines = [
    "# AI↔AI conversation",
    "",
    `- **Topic:** ${st.topic}`,
    `- **A:** ${st.a?.persona.name} — ${st.a?.model}: ${st.a?.persona.description}`,
    `- **B:** ${st.b?.persona.name} — ${st.b?.model}: ${st.b?.persona.description}`,
    `- **Turns:** ${st.done} of ${st.maxTurns}`,
    "",
  ];
  for (const l of st.lines) {
    const mark =
      l.status === "failed" ? " _(cut off by an error)_" : l.status === "stopped" ? " _(stopped)_" : "";
    lines.push(`## ${name(l.side)}${mark}`, "", l.text.trim(), "");
  }
  return lines.join("\n");
}

async function sendTranscript(app: App, chatId: number, st: Ai2AiState): Promise<void> {
  const file = new InputFile(Buffer.from(transcriptMarkdown(st), "utf8"), "ai2ai-transcript.md");
  await app.api.sendDocument(chatId, file, {
    caption: `Transcript: ${st.lines.length} lines, ${st.done} turns`,
  });
}

function optionsView(st: Ai2AiState): { text: string; keyboard: InlineKeyboard } {
  const t = st.token;
  const kb = new InlineKeyboard();
  for (const side of ["a", "b"] as const) {
    PERSONAS.forEach((p, i) => {
      const current = st[side]?.persona.name === p.name ? "✅ " : "";
      kb.text(`${side.toUpperCase()}: ${current}${p.name.split(" ").at(-1)}`, `xp:${side}:${i}:${t}`);
      if (i % 3 === 2) kb.row();
    });
    kb.text(`${side.toUpperCase()}: ✍️ Custom`, `xc:${side}:${t}`).row();
  }
  kb.text("📝 Topic", `x:topic:${t}`)
    .text("5 turns", `xn:5:${t}`)
    .text("10 turns", `xn:10:${t}`)
    .text("20 turns", `xn:20:${t}`)
    .row()
    .text("📄 Transcript", `x:transcript:${t}`)
    .text("💬 Back to chat", `x:chat:${t}`);
  return { text: `⚙️ AI↔AI options\n${ai2aiHeader(st)}`, keyboard: kb };
}

export function ai2aiFeature(app: App): Composer<Context> {
  const c = new Composer<Context>();

  /** Loads the conversation a button belongs to; an old or forged token is answered, not acted on. */
  const current = async (ctx: Context, token: string): Promise<Ai2AiState | undefined> => {
    const st = (await app.store.get(chatKey(ctx.chat!.id))).ai2ai;
    if (!st || st.token !== token) {
      await ctx.answerCallbackQuery({
        text: "This conversation's buttons are out of date. /ollama starts a new one.",
      });
      return undefined;
    }
    return st;
  };

  const update = (ctx: Context, fn: (st: Ai2AiState, s: ChatSession) => void) =>
    app.store.update(chatKey(ctx.chat!.id), (s) => {
      if (s.ai2ai) fn(s.ai2ai, s);
    });

  c.callbackQuery(/^x:(cont|auto|stop|opt|more|restart|transcript|topic|chat):([0-9a-z]+)$/, async (ctx) => {
    const [, action, token] = ctx.match;
    const st = await current(ctx, token!);
    if (!st) return;
    const chat = ctx.chat!;
    switch (action) {
      case "cont": {
        if (!st.a || !st.b) {
          await ctx.answerCallbackQuery({ text: "Pick both models first: /ollama, then tap A and B." });
          return;
        }
        if (st.done >= st.maxTurns) {
          await ctx.answerCallbackQuery({ text: "All turns are done: add more, or restart." });
          return;
        }
        const queued = queueExchange(app, chat.id, chat.type);
        await ctx.answerCallbackQuery({
          text: queued ? "Next exchange…" : "An exchange is already running.",
        });
        if (queued) await ctx.editMessageReplyMarkup().catch(() => {});
        return;
      }
      case "auto": {
        const s = await update(ctx, (a) => {
          a.auto = !a.auto;
        });
        const on = s.ai2ai?.auto === true;
        await ctx.answerCallbackQuery({ text: on ? "Auto: on" : "Auto: off" });
        if (on) {
          queueExchange(app, chat.id, chat.type);
          await ctx.editMessageReplyMarkup().catch(() => {});
        }
        return;
      }
      case "stop": {
        await update(ctx, (a) => {
          a.auto = false;
        });
        const r = app.ai2ai;
        r.autoTimers.get(chat.id)?.();
        r.autoTimers.delete(chat.id);
        const stopped = app.stops.stopChat(chat.id);
        await ctx.answerCallbackQuery({
          text: stopped > 0 || r.busy.has(chat.id) ? "Stopping." : "Stopped.",
        });
        if (stopped === 0 && !r.busy.has(chat.id)) {
          const s = await app.store.get(chatKey(chat.id));
          if (s.ai2ai) await sendControls(app, chat.id, s.ai2ai);
        }
        return;
      }
      case "opt": {
        await ctx.answerCallbackQuery();
        const view = optionsView(st);
        await ctx.reply(view.text, { reply_markup: view.keyboard });
        return;
      }
      case "more": {
        const s = await update(ctx, (a) => {
          a.maxTurns += MORE_TURNS;
        });
        await ctx.answerCallbackQuery({ text: `${MORE_TURNS} more turns.` });
        await ctx.editMessageReplyMarkup().catch(() => {});
        if (s.ai2ai) await sendControls(app, chat.id, s.ai2ai);
        return;
      }
      case "restart": {
        const s = await update(ctx, (a, session) => {
          const fresh = newAi2Ai(app.config.ai2aiTurns);
          // Same cast, topic and length: only the conversation starts over.
          session.ai2ai = { ...fresh, a: a.a, b: a.b, topic: a.topic, maxTurns: a.maxTurns };
        });
        await ctx.answerCallbackQuery({ text: "A new conversation, same cast." });
        if (s.ai2ai) await sendControls(app, chat.id, s.ai2ai);
        return;
      }
      case "transcript": {
        await ctx.answerCallbackQuery();
        await sendTranscript(app, chat.id, st);
        return;
      }
      case "topic": {
        await app.store.update(chatKey(chat.id), (s) => {
          s.awaiting = "topic";
        });
        await ctx.answerCallbackQuery();
        await ctx.reply("Send the topic as your next message (or /topic TEXT).");
        return;
      }
      case "chat": {
        await app.store.update(chatKey(chat.id), (s) => {
          s.mode = "chat";
        });
        await ctx.answerCallbackQuery({ text: "Back to chat mode." });
        await ctx.reply(
          "💬 Back to chat mode: write to chat with your model. /ollama switches AI↔AI on again.",
        );
        return;
      }
    }
  });

  c.callbackQuery(/^xp:([ab]):(\d+):([0-9a-z]+)$/, async (ctx) => {
    const [, sideText, index, token] = ctx.match;
    const side = (sideText === "b" ? "b" : "a") satisfies Side;
    const st = await current(ctx, token!);
    const persona = PERSONAS[Number(index)];
    if (!st) return;
    if (!persona || !st[side]) {
      await ctx.answerCallbackQuery({ text: persona ? "Pick that side's model first." : "Unknown persona." });
      return;
    }
    const s = await update(ctx, (a) => {
      a[side]!.persona = persona;
    });
    await ctx.answerCallbackQuery({ text: `${side.toUpperCase()} is now ${persona.name}.` });
    const view = optionsView(s.ai2ai!);
    await ctx.editMessageText(view.text, { reply_markup: view.keyboard }).catch(() => {});
  });

  c.callbackQuery(/^xc:([ab]):([0-9a-z]+)$/, async (ctx) => {
    const [, side, token] = ctx.match;
    if (!(await current(ctx, token!))) return;
    await app.store.update(chatKey(ctx.chat!.id), (s) => {
      s.awaiting = side === "a" ? "persona-a" : "persona-b";
    });
    await ctx.answerCallbackQuery();
    await ctx.reply(
      `Describe persona ${side!.toUpperCase()} in your next message, as “Name: who they are and how they talk”.`,
    );
  });

  c.callbackQuery(/^xn:(\d+):([0-9a-z]+)$/, async (ctx) => {
    const [, n, token] = ctx.match;
    if (!(await current(ctx, token!))) return;
    const turns = Math.min(1000, Math.max(1, Number(n)));
    const s = await update(ctx, (a) => {
      a.maxTurns = Math.max(turns, a.done);
    });
    await ctx.answerCallbackQuery({ text: `Turns: ${s.ai2ai?.maxTurns}` });
    const view = optionsView(s.ai2ai!);
    await ctx.editMessageText(view.text, { reply_markup: view.keyboard }).catch(() => {});
    // The controls on screen may say the conversation is over: show the ones that fit the new length.
    if (s.ai2ai?.a && s.ai2ai.b && s.ai2ai.lines.length > 0) await sendControls(app, ctx.chat!.id, s.ai2ai);
  });

  c.command("topic", async (ctx) => {
    const topic = ctx.match.trim();
    if (topic === "") {
      await app.store.update(chatKey(ctx.chat.id), (s) => {
        s.awaiting = "topic";
      });
      await ctx.reply("Send the topic as your next message.");
      return;
    }
    await setTopic(app, ctx, topic);
  });

  c.command("transcript", async (ctx) => {
    const st = (await app.store.get(chatKey(ctx.chat.id))).ai2ai;
    if (!st || st.lines.length === 0) {
      await ctx.reply("There is no AI↔AI conversation yet. /ollama, switch AI↔AI on, pick two models.");
      return;
    }
    await sendTranscript(app, ctx.chat.id, st);
  });

  return c;
}

async function setTopic(app: App, ctx: Context, topic: string): Promise<void> {
  const s = await app.store.update(chatKey(ctx.chat!.id), (d) => {
    d.ai2ai ??= newAi2Ai(app.config.ai2aiTurns);
    d.ai2ai.topic = topic.slice(0, 500);
    d.awaiting = undefined;
  });
  await ctx.reply(`📝 Topic set: ${s.ai2ai!.topic}`);
  if (s.ai2ai?.a && s.ai2ai.b) await sendControls(app, ctx.chat!.id, s.ai2ai);
}

/**
 * A text message in AI↔AI mode: the topic or a custom persona when one was asked for; before the first exchange
 * the topic; after it, a moderator's note that both sides see next. Returns false when not in AI↔AI mode.
 */
export async function onAi2AiText(
  app: App,
  ctx: Context,
  text: string,
  session: ChatSession,
): Promise<boolean> {
  if (session.awaiting === "topic") {
    await setTopic(app, ctx, text.trim());
    return true;
  }
  if (session.awaiting === "persona-a" || session.awaiting === "persona-b") {
    const side: Side = session.awaiting === "persona-a" ? "a" : "b";
    const m = /^\s*([^:\n—-]{1,40})\s*[:—-]\s*([\s\S]+)$/.exec(text);
    const persona: Persona = m
      ? { name: m[1]!.trim(), description: `You are ${m[1]!.trim()}: ${m[2]!.trim()}` }
      : { name: text.trim().slice(0, 40), description: `You are ${text.trim()}.` };
    const s = await app.store.update(chatKey(ctx.chat!.id), (d) => {
      d.awaiting = undefined;
      if (d.ai2ai?.[side]) d.ai2ai[side]!.persona = persona;
    });
    await ctx.reply(
      s.ai2ai?.[side]
        ? `🎭 ${side.toUpperCase()} is now ${persona.name}.`
        : `Pick side ${side.toUpperCase()}'s model first (/ollama).`,
    );
    return true;
  }
  if (session.mode !== "ai2ai" || !session.ai2ai) return false;
  if (session.ai2ai.lines.length === 0) {
    // Before the first exchange, what the user writes is what the two should talk about.
    await setTopic(app, ctx, text.trim());
    return true;
  }
  await app.store.update(chatKey(ctx.chat!.id), (d) => {
    d.ai2ai?.lines.push({ side: "moderator", text: text.trim(), at: Date.now() });
  });
  await ctx.reply("📝 Noted as the moderator: both sides will see it in the next exchange.");
  return true;
}
