/** The commands: /start, /help, /model, /stop, /reset, /system, /stream, /cancel, /queue (admins). */
import { Composer, type Context } from "grammy";
import { type App, chatKey } from "../app.js";
import { header } from "./picker.js";

export const COMMANDS = [
  { command: "ollama", description: "Pick a model and settings" },
  { command: "model", description: "Show the current model and settings" },
  { command: "stop", description: "Stop the current answer" },
  { command: "reset", description: "Clear this chat's history" },
  { command: "system", description: "Set the system prompt: /system TEXT, or /system off" },
  { command: "stream", description: "Streaming on or off" },
  { command: "topic", description: "AI↔AI: set the topic" },
  { command: "transcript", description: "AI↔AI: the conversation as a document" },
  { command: "help", description: "What this bot does" },
];

export const HELP = [
  "I connect this chat to the AI models running on your own machine (Ollama).",
  "",
  "• /ollama (or /o): pick a model; then just write to me.",
  "• Answers appear as they are written; ⏹ Stop ends one early.",
  "• /model shows the current settings, /reset forgets this conversation,",
  "  /system sets how the model should behave, /stream turns live answers on or off.",
  "• AI↔AI: in /ollama switch AI↔AI on, tap a model for A and one for B, then ▶️ Start and",
  "  watch them talk; ⏭️ Continue for the next exchange, or Auto. Anything you write is a moderator's note.",
  "• In groups, mention me or reply to my messages.",
].join("\n");

export function commandsFeature(app: App): Composer<Context> {
  const c = new Composer<Context>();
  const key = (ctx: Context) => chatKey(ctx.chat!.id);

  c.command(["start", "help"], async (ctx) => {
    const session = await app.store.get(key(ctx));
    const model = session.model ?? app.config.defaultModel;
    await ctx.reply(
      `${HELP}\n\n${model ? `Current model: ${model}.` : "No model chosen yet: send /ollama."}`,
    );
  });

  c.command("model", async (ctx) => {
    const s = await app.store.get(key(ctx));
    const lines = [header(s, app.config.defaultModel), `History: ${s.history.length} messages`];
    if (s.system) lines.push(`System prompt: ${s.system}`);
    await ctx.reply(lines.join("\n"));
  });

  c.command("stop", async (ctx) => {
    const n = app.stops.stopChat(ctx.chat.id);
    await ctx.reply(n > 0 ? "⏹ Stopping." : "Nothing to stop: no answer is being written.");
  });

  c.command("reset", async (ctx) => {
    await app.store.update(key(ctx), (s) => {
      s.history = [];
    });
    await ctx.reply("🧹 History cleared. The model and settings stay.");
  });

  c.command("system", async (ctx) => {
    const text = ctx.match.trim();
    if (text === "") {
      const s = await app.store.update(key(ctx), (d) => {
        d.awaiting = "system";
      });
      await ctx.reply(
        `${s.system ? `Current system prompt: ${s.system}\n\n` : ""}Send the new system prompt as your next message, ` +
          "or /system off to remove it, or /cancel.",
      );
      return;
    }
    const off = /^(off|none|clear|reset)$/i.test(text);
    await app.store.update(key(ctx), (d) => {
      d.system = off ? undefined : text;
      d.awaiting = undefined;
    });
    await ctx.reply(
      off ? "📝 System prompt removed." : "📝 System prompt set. It applies from your next message.",
    );
  });

  c.command("cancel", async (ctx) => {
    await app.store.update(key(ctx), (d) => {
      d.awaiting = undefined;
    });
    await ctx.reply("OK, nothing changed.");
  });

  c.command("stream", async (ctx) => {
    const arg = ctx.match.trim().toLowerCase();
    const s = await app.store.update(key(ctx), (d) => {
      d.stream = arg === "on" ? true : arg === "off" ? false : !d.stream;
    });
    await ctx.reply(
      `Streaming is ${s.stream ? "on: answers appear as they are written" : "off: answers arrive complete"}.`,
    );
  });

  c.command("queue", async (ctx) => {
    if (!app.isAdmin(ctx.from?.id)) {
      await ctx.reply("Only admins can see the queue.");
      return;
    }
    const snap = app.queue.snapshot();
    const now = Date.now();
    const lines = [
      `Generating: ${snap.running.length} of ${app.config.maxConcurrentGenerations} slots`,
      ...snap.running.map((r) => `▶ chat ${r.chat}, for ${Math.round((now - r.since) / 1000)} s`),
      `Waiting: ${snap.waiting.reduce((n, w) => n + w.turns, 0)} turns`,
      ...snap.waiting
        .sort((a, b) => (a.position || 1e9) - (b.position || 1e9))
        .map((w) => `#${w.position || "–"} chat ${w.chat} (${w.turns} turn${w.turns === 1 ? "" : "s"})`),
    ];
    await ctx.reply(lines.join("\n"));
  });

  return c;
}
