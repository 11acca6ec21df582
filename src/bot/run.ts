/**
 * Running the bot: long polling with grammY's runner (updates of different chats are handled concurrently), the
 * command menu in every language, recovery of work a restart interrupted, a start-up look at the hub, and a
 * graceful stop.
 */

import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { type RunnerHandle, run } from "@grammyjs/runner";
import { GrammyError } from "grammy";
import { HEARTBEAT_INTERVAL_MS, heartbeatPath, removeHeartbeat, writeHeartbeat } from "../util/heartbeat.js";
import type { BuiltBot } from "./create-bot.js";
import { COMMAND_KEYS } from "./features/commands.js";
import { DEFAULT_LOCALE } from "./i18n.js";
import { type Inbox, LocalInbox } from "./intake/inbox.js";
import { startWebhookIntake, type WebhookIntake } from "./intake/webhook.js";
import { recoverWork } from "./recover.js";

export interface RunningBot {
  runner: RunnerHandle;
  /** In webhook mode: the port it listens on. */
  webhookPort?: number;
  /**
   * Rejects when polling stops for good (`409 Conflict`: another instance polls with this token, or a webhook is
   * set; a revoked token), after the reason was logged in plain words; resolves when the bot is stopped.
   */
  done: Promise<void>;
  /** Stops taking updates, lets running answers finish for `graceMs`, stops the rest (marked interrupted). */
  stop(graceMs?: number): Promise<void>;
}

/** The bot could not start: the token was refused, or Telegram did not answer before STARTUP_TIMEOUT_MS. */
export class StartupError extends Error {
  readonly code = "STARTUP_FAILED";
  constructor(
    message: string,
    readonly reason: "token" | "unreachable",
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * getMe, retried with a visible line per attempt (naming the Bot API root, never the token, and the next delay)
 * until STARTUP_TIMEOUT_MS: start-up never hangs in silence, and ends with a reason.
 */
async function initBot(built: BuiltBot): Promise<void> {
  const { bot, services } = built;
  const { config, log } = services.core;
  const root = config.apiRoot ?? "https://api.telegram.org";
  const deadline = Date.now() + config.startupTimeoutMs;
  for (let attempt = 1; ; attempt++) {
    try {
      // Through the API without automatic retries: each attempt fails fast and is reported here. (grammY types
      // its signal as abort-controller's; Node's is the same at run time.)
      if (!bot.isInited()) {
        const signal = AbortSignal.timeout(Math.min(10_000, config.startupTimeoutMs)) as never;
        bot.botInfo = await services.core.liveApi.getMe(signal);
      }
      await bot.init();
      return;
    } catch (err) {
      if (err instanceof GrammyError && (err.error_code === 401 || err.error_code === 404)) {
        throw new StartupError("Telegram rejected the bot token: check TELEGRAM_BOT_TOKEN", "token", {
          cause: err,
        });
      }
      const wait = Math.min(1_000 * 2 ** (attempt - 1), 15_000);
      if (Date.now() + wait >= deadline) {
        throw new StartupError(
          `Telegram's Bot API at ${root} did not answer within ${Math.round(config.startupTimeoutMs / 1000)} s: ` +
            "check the network, a proxy or firewall, and TELEGRAM_API_ROOT",
          "unreachable",
          { cause: err },
        );
      }
      log.warn(
        { err, apiRoot: root, attempt, retryInMs: wait },
        `Telegram's Bot API at ${root} is not answering (check the network and TELEGRAM_API_ROOT); trying again in ${Math.round(wait / 1000)} s`,
      );
      await sleep(wait, undefined, { ref: false });
    }
  }
}

export interface StartOptions {
  /**
   * Where webhook updates wait for handling (webhook mode only). Default: a journal file in DATA_DIR, for one
   * process; several processes pass the cluster's inbox in Redis.
   */
  inbox?: Inbox;
}

export async function startBot(built: BuiltBot, options: StartOptions = {}): Promise<RunningBot> {
  const { bot, services, lifecycle } = built;
  const { core } = services;
  // What the configuration allows but an operator should hear about (an allow-list that lets nobody in yet).
  for (const warning of core.config.warnings) core.log.warn(warning);
  await initBot(built);
  await publishCommands(built);
  await built.held.load();
  await services.models
    .load()
    .catch((err: unknown) =>
      core.log.error({ err }, "could not read the bot's default model; DEFAULT_MODEL applies"),
    );
  // With several processes, each chat is recovered by the process that takes it over (`options.inbox`), not by
  // every process at its start: the others' running answers are not interrupted.
  const { turns, ai } = options.inbox ? { turns: 0, ai: 0 } : await recoverWork(built);
  // Whether answers can be read aloud: asked in the background, waited for a moment only, so a slow or absent
  // hub never holds the start (until it answers, no 🔊 is shown).
  let cancelWait: (() => void) | undefined;
  await Promise.race([
    services.speech.probe(),
    new Promise<void>((resolve) => {
      cancelWait = core.clock.setTimeout(resolve, 3_000);
    }),
  ]);
  cancelWait?.();
  if (turns + ai > 0) core.log.info({ turns, ai2ai: ai }, "recovered work the last stop interrupted");
  await checkBackend(built);

  const hook = core.config.webhook;
  let webhook: WebhookIntake | undefined;
  let inbox: Inbox | undefined;
  let runner: RunnerHandle;
  if (hook) {
    inbox =
      options.inbox ?? (await LocalInbox.open(join(core.config.dataDir, "webhook-inbox.jsonl"), core.log));
    webhook = await startWebhookIntake(built, hook, inbox, ALLOWED_UPDATES);
    runner = webhook.runner;
  } else {
    await removeWebhook(built);
    // The long poll stays inside the calls' own deadline (TELEGRAM_TIMEOUT_MS), or every poll would time out.
    const pollSeconds = Math.max(1, Math.min(30, Math.floor(core.config.telegramTimeoutMs / 1000) - 5));
    runner = run(bot, {
      // silent: the runner would print its errors with console.error, past the logger and its scrubbing.
      runner: { fetch: { allowed_updates: ALLOWED_UPDATES, timeout: pollSeconds }, silent: true },
    });
  }
  const done = (runner.task() ?? Promise.resolve()).catch((err: unknown) => {
    const code = (err as { error_code?: unknown })?.error_code;
    core.log.fatal(
      { err },
      code === 409
        ? "Telegram says another bot instance is polling with this token (409 Conflict), or a webhook is set: " +
            "stop the other instance (or call deleteWebhook) and start this one again"
        : code === 401
          ? "Telegram rejected the bot token while polling: check TELEGRAM_BOT_TOKEN"
          : "polling Telegram stopped for good",
    );
    throw err;
  });
  // Logged above; a caller that does not watch `done` must not get an unhandled rejection on top.
  done.catch(() => undefined);
  // Telegram has just answered (getMe, the command menu): live from now, not only once the first long poll
  // returns, up to 30 s later.
  built.polls.lastPollAt ??= Date.now();
  const heartbeat = startHeartbeat(built);
  core.log.info({ username: bot.botInfo.username }, "bot is running");

  let stopping: Promise<void> | undefined;
  const stop = (graceMs = core.config.shutdownGraceMs) =>
    (stopping ??= (async () => {
      core.log.info({ graceMs }, "stopping: no new updates; letting running answers finish");
      lifecycle.drain();
      // No turn or exchange starts from here: what waits is saved for the next start (below).
      services.queue.close();
      await heartbeat.stop();
      if (webhook) await webhook.stop();
      else {
        if (runner.isRunning()) await runner.stop();
        await confirmUpdates(built);
      }
      const held = await built.held.stop();
      if (held.kept > 0)
        core.log.info({ messages: held.kept }, "messages held for the storage wait for the next start");
      if (held.dropped > 0) {
        core.log.warn({ messages: held.dropped }, "messages held for the storage were told to be sent again");
      }
      await services.ai2ai.pauseAutoForShutdown();
      const parked = await services.turns.parkWaiting();
      if (parked > 0) core.log.info({ turns: parked }, "waiting turns stay in line for the next start");
      const idle = () =>
        Promise.all([
          services.queue.drained(),
          services.pulls.drained(),
          services.turns.noticesTold(),
          services.speech.drained(),
        ]);
      const drained = await Promise.race([
        idle().then(() => true),
        new Promise<false>((r) => setTimeout(() => r(false), graceMs).unref()),
      ]);
      if (!drained) {
        core.log.warn(services.queue.size, "grace period over: stopping the work still running");
        lifecycle.shutdown();
        await Promise.race([idle(), new Promise((r) => setTimeout(r, 10_000).unref())]);
      }
      // Updates taken and not handled stay in the inbox: the next start (or another process) hands them out.
      await inbox
        ?.close()
        .catch((err: unknown) => core.log.warn({ err }, "could not close the webhook inbox"));
      core.log.info("stopped");
    })());
  return { runner, stop, done, ...(webhook ? { webhookPort: webhook.port } : {}) };
}

/**
 * Long polling cannot start while a webhook is set (Telegram answers 409): one left from webhook mode is removed,
 * keeping the updates Telegram holds for it, and said so.
 */
async function removeWebhook({ bot, services }: BuiltBot): Promise<void> {
  const { log } = services.core;
  try {
    const info = await bot.api.getWebhookInfo();
    if (info.url === "") return;
    await bot.api.deleteWebhook({ drop_pending_updates: false });
    log.info(
      { pending: info.pending_update_count },
      "a webhook was set (from webhook mode, or another program); removed it to use long polling",
    );
  } catch (err) {
    log.warn({ err }, "could not check for a webhook; polling fails with 409 if one is set");
  }
}

/** The updates the bot handles: messages, button presses, and Telegram's own stop under a draft. */
export const ALLOWED_UPDATES = ["message", "callback_query", "stopped_message_generation"] as const;

/** How long a stop waits for the updates being handled before it confirms them to Telegram. */
const CONFIRM_WAIT_MS = 3_000;

/**
 * Telegram counts an update as delivered only when a later poll asks for the ones after it. The runner stops
 * without that poll, so the updates handled since its last one would come again at the next start and be
 * answered twice: one short poll past the newest confirms them (what grammY's own `bot.stop()` does).
 */
async function confirmUpdates(built: BuiltBot): Promise<void> {
  const { polls } = built;
  // Updates still being handled are not confirmed (a kill now would lose them): they get a few seconds to end.
  for (let waited = 0; polls.handling.size > 0 && waited < CONFIRM_WAIT_MS; waited += 50) {
    await new Promise((r) => setTimeout(r, 50).unref());
  }
  const last = polls.lastUpdateId;
  if (last === undefined) return;
  const offset = polls.handling.size > 0 ? Math.min(...polls.handling) : last + 1;
  await built.bot.api
    .getUpdates({ offset, limit: 1, timeout: 0 })
    .catch((err: unknown) =>
      built.services.core.log.warn(
        { err },
        "could not confirm the last updates to Telegram; they may come again",
      ),
    );
}

/**
 * Writes the liveness heartbeat (`util/heartbeat.ts`) at once and every HEARTBEAT_INTERVAL_MS, so a
 * health check in another process can tell a bot that polls from one that is up but stuck. A failed write is
 * logged once until one succeeds again.
 */
function startHeartbeat(built: BuiltBot): { stop(): Promise<void> } {
  const { core } = built.services;
  const path = heartbeatPath(core.config.dataDir);
  let failing = false;
  let writing: Promise<void> = Promise.resolve();
  let stopped = false;
  const beat = () => {
    if (stopped) return;
    writing = writing
      .then(() =>
        writeHeartbeat(path, { pid: process.pid, writtenAt: Date.now(), lastPollAt: built.polls.lastPollAt }),
      )
      .then(
        () => {
          failing = false;
        },
        (err: unknown) => {
          if (!failing)
            core.log.warn(
              { err, path },
              "could not write the liveness heartbeat (the health check will fail)",
            );
          failing = true;
        },
      );
  };
  beat();
  const timer = setInterval(beat, HEARTBEAT_INTERVAL_MS);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await writing; // nothing is written into DATA_DIR after the stop
      await removeHeartbeat(path).catch((err: unknown) =>
        core.log.warn({ err, path }, "could not remove the liveness heartbeat at the stop"),
      );
    },
  };
}

/** The command menu in every language the bot speaks (Telegram shows each user theirs). */
async function publishCommands({ bot, services }: BuiltBot): Promise<void> {
  const { texts, log } = services.core;
  const menu = (locale: string) =>
    COMMAND_KEYS.map((command) => ({ command, description: texts.t(locale, `cmd-${command}`) }));
  try {
    await bot.api.setMyCommands(menu(DEFAULT_LOCALE));
    for (const locale of texts.locales) {
      if (locale === DEFAULT_LOCALE) continue;
      // Telegram takes a two-letter language code; pt-BR is published for every "pt".
      await bot.api.setMyCommands(menu(locale), {
        language_code: locale.split("-")[0]!.toLowerCase() as "de",
      });
    }
  } catch (err) {
    log.warn({ err }, "could not publish the command menu");
  }
}

/** Logs what the hub has; an unreachable hub does not stop the bot (users are told when they use it). */
async function checkBackend({ services }: BuiltBot): Promise<void> {
  const { client, log } = services.core;
  try {
    const health = await client.health();
    const models = await client.listModels();
    log.info(
      { backend: client.label, latencyMs: Math.round(health.latencyMs), models: models.map((m) => m.name) },
      "model server reachable",
    );
  } catch (err) {
    log.warn(
      { err, code: (err as { code?: unknown })?.code, backend: client.label },
      "model server not reachable at start-up; the bot runs anyway",
    );
  }
}
