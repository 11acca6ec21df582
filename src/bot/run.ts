/**
 * Running the bot: long polling with grammY's runner (updates of different chats are handled concurrently), the
 * command menu, recovery of turns a restart interrupted, a start-up look at the hub, and a graceful stop.
 */
import { type RunnerHandle, run } from "@grammyjs/runner";
import { type Bot, InlineKeyboard } from "grammy";
import type { App } from "./app.js";
import { rememberRetry } from "./features/chat.js";
import { COMMANDS } from "./features/commands.js";

export interface RunningBot {
  runner: RunnerHandle;
  /** Stops taking updates, lets running answers finish for `graceMs`, stops the rest (marked interrupted). */
  stop(graceMs?: number): Promise<void>;
}

export async function startBot(bot: Bot, app: App): Promise<RunningBot> {
  await bot.init();
  await bot.api
    .setMyCommands(COMMANDS)
    .catch((err) => app.log.warn({ err }, "could not publish the command menu"));
  const recovered = await recoverInterruptedTurns(app);
  if (recovered > 0) app.log.info({ chats: recovered }, "marked turns interrupted by the last stop");
  await checkBackend(app);

  const runner = run(bot, {
    runner: { fetch: { allowed_updates: ["message", "callback_query"] } },
  });
  app.log.info({ username: bot.botInfo.username }, "bot is running");

  let stopping: Promise<void> | undefined;
  const stop = (graceMs = app.config.shutdownGraceMs) =>
    (stopping ??= (async () => {
      app.log.info({ graceMs }, "stopping: no new updates; letting running answers finish");
      if (runner.isRunning()) await runner.stop();
      const drained = await Promise.race([
        app.queue.drained().then(() => true),
        new Promise<false>((r) => setTimeout(() => r(false), graceMs).unref()),
      ]);
      if (!drained) {
        app.log.warn(app.queue.size, "grace period over: stopping the answers still running");
        app.shutdown.abort(new Error("shutting down"));
        await Promise.race([app.queue.drained(), new Promise((r) => setTimeout(r, 10_000).unref())]);
      }
      app.log.info("stopped");
    })());
  return { runner, stop };
}

/** Turns a restart cut off: their prompts are marked interrupted (never lost) and the chat is offered a retry. */
export async function recoverInterruptedTurns(app: App): Promise<number> {
  let n = 0;
  for await (const key of app.store.keys()) {
    const session = await app.store.get(key);
    if (!session.turn) continue;
    const turn = session.turn;
    await app.store.update(key, (s) => {
      const entry = s.history.findLast((e) => e.role === "user" && e.content === turn.prompt);
      if (entry) entry.status = "interrupted";
      else s.history.push({ role: "user", content: turn.prompt, at: turn.startedAt, status: "interrupted" });
      s.turn = undefined;
    });
    n++;
    const chatId = Number(key);
    if (!Number.isSafeInteger(chatId)) continue;
    await app.api
      .sendMessage(
        chatId,
        "⚠️ I was restarted while answering your message. It is saved: press Retry for an answer.",
        {
          reply_parameters: { message_id: turn.messageId, allow_sending_without_reply: true },
          reply_markup: new InlineKeyboard().text(
            "🔁 Retry",
            `rt:${rememberRetry(app, chatId, turn.prompt, turn.messageId)}`,
          ),
        },
      )
      .catch((err) => app.log.warn({ err, chatId }, "could not tell a chat about its interrupted turn"));
  }
  return n;
}

/** Logs what the hub has; an unreachable hub does not stop the bot (users are told when they use it). */
async function checkBackend(app: App): Promise<void> {
  try {
    const health = await app.client.health();
    const models = await app.client.listModels();
    app.log.info(
      {
        backend: app.backendLabel(),
        latencyMs: Math.round(health.latencyMs),
        models: models.map((m) => m.name),
      },
      "model server reachable",
    );
  } catch (err) {
    app.log.warn(
      { err, backend: app.backendLabel() },
      "model server not reachable at start-up; the bot runs anyway",
    );
  }
}
