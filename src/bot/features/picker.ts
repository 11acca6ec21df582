/**
 * /ollama (alias /o): the model picker. Buttons carry a short key (`pk:<token>:<index>`), never a model name
 * (Telegram allows 64 bytes; model names can be longer); the token ties them to the picker snapshot stored in
 * the chat's session, so a button from an old picker, from before a restart, or forged, is recognised as out of
 * date and answered with a fresh picker.
 */
import { Composer, type Context, InlineKeyboard } from "grammy";
import type { ModelSummary } from "../../hub/index.js";
import { formatBytes } from "../../util/format.js";
import { type App, chatKey, shortToken } from "../app.js";
import type { ChatSession } from "../session.js";
import { ai2aiHeader, newAi2Ai, pickSide } from "./ai2ai.js";
import { resubmit } from "./chat.js";

const PAGE_SIZE = 8;
const LABEL_MAX = 40;

export function shortenLabel(label: string, max = LABEL_MAX): string {
  return label.length <= max ? label : `${label.slice(0, max - 1)}…`;
}

/** The header line: mode, model and whether streaming is on. */
export function header(session: ChatSession, defaultModel: string | undefined): string {
  const model = session.model ?? defaultModel;
  return [
    "🤖 Chat",
    `Model: ${model ?? "none yet"}`,
    `Streaming: ${session.stream ? "on" : "off"}`,
    ...(session.system ? ["System prompt: set"] : []),
  ].join(" · ");
}

function modelLabel(m: ModelSummary, current: string | undefined): string {
  const facts = [m.details.parameter_size, formatBytes(m.size)].filter(Boolean).join(", ");
  const mark = current !== undefined && (m.name === current || m.model === current) ? "✅ " : "";
  return `${mark}${shortenLabel(m.name, LABEL_MAX - facts.length - 4)} · ${facts}`;
}

export interface PickerView {
  text: string;
  keyboard: InlineKeyboard;
}

/** Renders the picker for `page`, given the session's snapshot and the models' details. */
export function renderPicker(
  session: ChatSession,
  models: ModelSummary[],
  app: Pick<App, "config">,
): PickerView {
  const picker = session.picker!;
  const pages = Math.max(1, Math.ceil(models.length / PAGE_SIZE));
  const page = Math.min(Math.max(0, picker.page), pages - 1);
  const kb = new InlineKeyboard();
  const ai = session.mode === "ai2ai" ? session.ai2ai : undefined;
  const current = ai ? undefined : (session.model ?? app.config.defaultModel);
  models.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE).forEach((m, i) => {
    kb.text(modelLabel(m, current), `pk:${picker.token}:${page * PAGE_SIZE + i}`).row();
  });
  if (pages > 1) {
    if (page > 0) kb.text("◀ Prev", `pg:${picker.token}:${page - 1}`);
    kb.text(`${page + 1}/${pages}`, `pg:${picker.token}:${page}`);
    if (page < pages - 1) kb.text("Next ▶", `pg:${picker.token}:${page + 1}`);
    kb.row();
  }
  kb.text(ai ? "🤖↔🤖 AI↔AI: on" : "🤖↔🤖 AI↔AI: off", `ai:${picker.token}`);
  if (ai?.a && ai.b) kb.text("▶️ Start", `x:cont:${ai.token}`).text("⚙️ Options", `x:opt:${ai.token}`);
  kb.row();
  kb.text(session.stream ? "Streaming: on" : "Streaming: off", `ps:${picker.token}`)
    .text("📝 System prompt", `sy:${picker.token}`)
    .row()
    .text("🧹 Clear history", `ch:${picker.token}`)
    .text("🔄 Refresh", `pr:${picker.token}`)
    .text("✖ Close", `px:${picker.token}`);
  const lines = [ai ? ai2aiHeader(ai) : header(session, app.config.defaultModel)];
  if (models.length === 0) lines.push("\nNo models are installed yet.");
  else if (ai?.a && ai.b) {
    lines.push(
      `\nBoth sides are picked: ▶️ Start, or tap a model to pick ${ai.pickNext.toUpperCase()} again:`,
    );
  } else if (ai) {
    lines.push(
      `\nTap the model for ${ai.pickNext.toUpperCase()} (${ai.pickNext === "a" ? "who speaks first" : "who answers"}):`,
    );
  } else lines.push("\nPick a model:");
  return { text: lines.join("\n"), keyboard: kb };
}

/** Loads the models and stores a fresh snapshot; returns the view to show. */
export async function freshPicker(app: App, chatId: number, page = 0): Promise<PickerView> {
  const models = await app.client.listModels();
  const session = await app.store.update(chatKey(chatId), (s) => {
    s.picker = { token: shortToken(), models: models.map((m) => m.name), page };
  });
  return renderPicker(session, models, app);
}

export function pickerFeature(app: App): Composer<Context> {
  const c = new Composer<Context>();

  const open = async (ctx: Context) => {
    const view = await freshPicker(app, ctx.chat!.id);
    await ctx.reply(view.text, { reply_markup: view.keyboard });
  };
  c.command(["ollama", "o"], open);

  /** Runs `fn` if the button's token matches the chat's current picker; otherwise says it is out of date. */
  const withPicker =
    (fn: (ctx: Context, session: ChatSession, arg: number) => Promise<void>) =>
    async (ctx: Context & { match: RegExpMatchArray | string }) => {
      const [, token, arg] = ctx.match as RegExpMatchArray;
      const chatId = ctx.chat?.id;
      if (chatId === undefined) return;
      const session = await app.store.get(chatKey(chatId));
      if (!session.picker || session.picker.token !== token) {
        await ctx.answerCallbackQuery({ text: "This menu is out of date; here is a fresh one." });
        const view = await freshPicker(app, chatId);
        await ctx.reply(view.text, { reply_markup: view.keyboard });
        return;
      }
      await fn(ctx, session, Number(arg ?? 0));
    };

  const redraw = async (ctx: Context, session: ChatSession) => {
    const models = await app.client.listModels();
    const view = renderPicker(session, models, app);
    await ctx.editMessageText(view.text, { reply_markup: view.keyboard }).catch((err: unknown) => {
      if (!/message is not modified/.test(String((err as Error).message))) throw err;
    });
  };

  c.callbackQuery(
    /^pk:([0-9a-z]+):(\d+)$/,
    withPicker(async (ctx, session, index) => {
      const name = session.picker!.models[index];
      // An index past the snapshot is forged: same answer as an old menu.
      if (name === undefined) {
        await ctx.answerCallbackQuery({ text: "This menu is out of date." });
        return;
      }
      const installed = await app.client.hasModel(name);
      if (!installed) {
        await ctx.answerCallbackQuery({ text: `${name} is no longer installed; here is a fresh list.` });
        const view = await freshPicker(app, ctx.chat!.id);
        await ctx.editMessageText(view.text, { reply_markup: view.keyboard });
        return;
      }
      if (session.mode === "ai2ai") {
        const side = session.ai2ai?.pickNext ?? "a";
        const picked = await pickSide(app, ctx.chat!.id, name);
        await ctx.answerCallbackQuery({ text: `${side.toUpperCase()}: ${name}` });
        await redraw(ctx, picked);
        return;
      }
      let waiting: ChatSession["waiting"];
      const updated = await app.store.update(chatKey(ctx.chat!.id), (s) => {
        s.model = name;
        waiting = s.waiting;
        s.waiting = undefined;
      });
      await ctx.answerCallbackQuery({ text: `Model: ${name}` });
      await ctx.editMessageText(
        `${header(updated, app.config.defaultModel)}\n\n✅ Now chatting with ${name}. ` +
          (waiting ? "Answering your message…" : "Send a message to start."),
      );
      if (waiting) resubmit(app, ctx, waiting);
    }),
  );

  c.callbackQuery(
    /^pg:([0-9a-z]+):(\d+)$/,
    withPicker(async (ctx, _session, page) => {
      const s = await app.store.update(chatKey(ctx.chat!.id), (d) => {
        d.picker!.page = page;
      });
      await ctx.answerCallbackQuery();
      await redraw(ctx, s);
    }),
  );

  c.callbackQuery(
    /^pr:([0-9a-z]+)$/,
    withPicker(async (ctx) => {
      await ctx.answerCallbackQuery({ text: "Refreshed." });
      const view = await freshPicker(app, ctx.chat!.id);
      await ctx.editMessageText(view.text, { reply_markup: view.keyboard }).catch(() => {});
    }),
  );

  c.callbackQuery(
    /^px:([0-9a-z]+)$/,
    withPicker(async (ctx) => {
      await app.store.update(chatKey(ctx.chat!.id), (s) => {
        s.picker = undefined;
      });
      await ctx.answerCallbackQuery();
      await ctx.deleteMessage().catch(() => ctx.editMessageReplyMarkup());
    }),
  );

  c.callbackQuery(
    /^ai:([0-9a-z]+)$/,
    withPicker(async (ctx) => {
      const s = await app.store.update(chatKey(ctx.chat!.id), (d) => {
        d.mode = d.mode === "ai2ai" ? "chat" : "ai2ai";
        if (d.mode === "ai2ai") d.ai2ai ??= newAi2Ai(app.config.ai2aiTurns);
      });
      await ctx.answerCallbackQuery({
        text: s.mode === "ai2ai" ? "AI↔AI: tap the model for A, then for B." : "Back to chat mode.",
      });
      await redraw(ctx, s);
    }),
  );

  c.callbackQuery(
    /^ps:([0-9a-z]+)$/,
    withPicker(async (ctx) => {
      const s = await app.store.update(chatKey(ctx.chat!.id), (d) => {
        d.stream = !d.stream;
      });
      await ctx.answerCallbackQuery({ text: `Streaming ${s.stream ? "on" : "off"}` });
      await redraw(ctx, s);
    }),
  );

  c.callbackQuery(
    /^ch:([0-9a-z]+)$/,
    withPicker(async (ctx) => {
      await app.store.update(chatKey(ctx.chat!.id), (d) => {
        d.history = [];
      });
      await ctx.answerCallbackQuery({ text: "History cleared." });
    }),
  );

  c.callbackQuery(
    /^sy:([0-9a-z]+)$/,
    withPicker(async (ctx) => {
      await app.store.update(chatKey(ctx.chat!.id), (d) => {
        d.awaiting = "system";
      });
      await ctx.answerCallbackQuery();
      await ctx.reply(
        "Send the system prompt as your next message (for example: “You are a concise assistant.”).\n" +
          "Send /cancel to keep the current one, or /system off to remove it.",
      );
    }),
  );

  return c;
}
