/**
 * Webhook mode: Telegram POSTs updates to WEBHOOK_URL (through a TLS proxy) and this process serves them on
 * WEBHOOK_HOST:WEBHOOK_PORT. Each update is kept in an `Inbox` before Telegram is answered; grammY's runner takes
 * them from there, exactly as it takes polled updates (same concurrency, same per-chat order, same stop).
 */
import { createConcurrentSink, createRunner, createSource, type RunnerHandle } from "@grammyjs/runner";
import type { WebhookConfig } from "../../config/index.js";
import { KeyedMutex } from "../../store/mutex.js";
import type { BuiltBot } from "../create-bot.js";
import { recoverWork } from "../recover.js";
import type { Inbox, InboxItem } from "./inbox.js";
import { startWebhookServer, type WebhookServer } from "./webhook-server.js";

export interface WebhookIntake {
  runner: RunnerHandle;
  /** The port the webhook listens on (the configured one, or the free one picked for 0). */
  port: number;
  /** Stops taking requests and updates; what is kept and not handled stays for the next start. */
  stop(): Promise<void>;
}

/** A take() with nothing to hand out returns after this, so the liveness heartbeat sees the loop turn. */
const IDLE_TAKE_MS = 20_000;

export async function startWebhookIntake(
  built: BuiltBot,
  hook: WebhookConfig,
  inbox: Inbox,
  allowedUpdates: readonly string[],
): Promise<WebhookIntake> {
  const { bot, services, polls } = built;
  const { log } = services.core;
  let stopping = false;
  const order = new KeyedMutex();
  const server: WebhookServer = await startWebhookServer({
    host: hook.host,
    port: hook.port,
    path: hook.path,
    secret: hook.secret,
    accept: (update) => inbox.accept(update),
    log,
    healthy: () => !stopping,
  });
  const source = createSource<InboxItem>({
    supply: async (batchSize, signal) => {
      // The runner's signal is the abort-controller package's, not Node's: AbortSignal.any() would not hear it.
      const ends = new AbortController();
      const end = () => ends.abort();
      signal.addEventListener("abort", end);
      if (signal.aborted) end();
      const idle = setTimeout(end, IDLE_TAKE_MS);
      try {
        const items = await inbox.take(batchSize, ends.signal);
        polls.lastPollAt = Date.now();
        return items;
      } finally {
        clearTimeout(idle);
        signal.removeEventListener("abort", end);
      }
    },
  });
  const sink = createConcurrentSink<InboxItem, unknown>(
    {
      consume: async (item) => {
        try {
          // A chat's recovery runs before its next updates start (they wait for it here, in arrival order);
          // updates of other chats do not wait.
          if (item.recover !== undefined) {
            const chat = item.recover;
            await order.run(String(chat), () => recoverWork(built, new Set([chat])));
          } else if (item.update) {
            if (item.chat !== undefined) await order.run(String(item.chat), async () => {});
            await bot.handleUpdate(item.update);
          }
        } finally {
          await inbox
            .done(item)
            .catch((err: unknown) =>
              log.warn(
                { err, updateId: item.update_id },
                "could not mark a webhook update handled; it may be handled again after a restart",
              ),
            );
        }
      },
    },
    async (err) => {
      // bot.catch has reported what the middleware threw; this is what escaped it.
      log.error({ err }, "a webhook update failed outside the bot's error handler");
    },
  );
  const runner = createRunner(source, sink);
  runner.start();
  try {
    // The webhook goes to Telegram only once this process can take what it sends. Pending updates are kept.
    await bot.api.setWebhook(hook.url, {
      secret_token: hook.secret,
      allowed_updates: allowedUpdates as never,
      max_connections: hook.maxConnections,
      drop_pending_updates: false,
    });
  } catch (err) {
    await runner.stop();
    await server.close();
    throw err;
  }
  log.info({ url: hook.url, port: server.port, path: hook.path }, "taking updates by webhook");
  return {
    runner,
    port: server.port,
    async stop() {
      stopping = true;
      // The webhook stays set: Telegram keeps what comes meanwhile (up to 24 h) for the next start, or delivers
      // it to the other processes behind the same URL.
      await server.close();
      if (runner.isRunning()) await runner.stop();
    },
  };
}
