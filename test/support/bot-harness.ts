/**
 * The real bot, built by `createBot` and started by `startBot` as production does, against the fake Telegram,
 * the fake hub and the fake Ollama, with sessions in a temporary DATA_DIR. Tests act as users through the fake
 * Telegram and read what users would see.
 */

import { mkdtemp, rm } from "node:fs/promises";
import { type AddressInfo, createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import {
  type BuiltBot,
  type ChatSession,
  createBot,
  initialSession,
  type RunningBot,
  SESSION_MIGRATIONS,
  SESSION_VERSION,
  type Services,
  serializeTelegramError,
  startBot,
} from "../../src/bot/index.js";
import type { LostSends } from "../../src/bot/services/lost-sends.js";
import { loadConfig } from "../../src/config/index.js";
import { modelClientsFrom } from "../../src/hosts/index.js";
import { createLogger } from "../../src/log/index.js";
import { openSessionStorage, SessionStore } from "../../src/store/index.js";
import { type FakeHub, startFakeHub } from "../fakes/hub.js";
import { type FakeOllama, type FakeOllamaOptions, startFakeOllama } from "../fakes/ollama.js";
import type { FakeRedis } from "../fakes/redis.js";
import {
  type FakeTelegram,
  type FakeTelegramOptions,
  startFakeTelegram,
  type VisibleMessage,
} from "../fakes/telegram.js";
import { ScaledClock } from "./scaled-clock.js";

/** An answer is finished when it no longer carries ⏹ Stop (a finished answer keeps 🔄 Regenerate and such). */
export function finished(m: Pick<VisibleMessage, "buttons">): boolean {
  return !m.buttons.flat().some((b) => b.data?.startsWith("stop:"));
}

/** What the model was asked (the chat requests with messages; a preload on pick sends none). */
export function modelCalls(h: { ollama: FakeOllama }) {
  return h.ollama.requests.filter(
    (r) =>
      r.path === "/api/chat" &&
      Array.isArray((r.body as { messages?: unknown } | undefined)?.messages) &&
      (r.body as { messages: unknown[] }).messages.length > 0,
  );
}

export const USER = 1001;
export const ADMIN = 1002;
export const OTHER_USER = 1003;
export const STRANGER = 666;

export interface HarnessOptions {
  env?: Record<string, string>;
  ollama?: FakeOllamaOptions;
  telegramLimits?: false;
  /** More options for the fake Telegram (e.g. `localMode`, `downloadDelayMs`); its clock stays the harness's. */
  telegram?: Omit<FakeTelegramOptions, "now">;
  /** Ollama directly (OLLAMA_URL), no hub. */
  direct?: boolean;
  /** `user:password` put in TTSHUB_API_BASE, as an auth-protected hub is configured. */
  hubCredentials?: string;
  /** How much faster than real time the bot's and the fake Telegram's clock runs. Default 8. */
  clockFactor?: number;
  /** Sessions in this (fake) Redis instead of files. */
  redis?: FakeRedis;
  /** Updates by webhook (on a free loopback port, with `WEBHOOK_SECRET_FOR_TESTS`) instead of long polling. */
  webhook?: boolean;
  /**
   * Several model hosts (MODEL_HOSTS), each a fake Ollama of its own with these models (`Harness.hosts`, in this
   * order; the first is also `ollama`). Default: one host, the hub in front of `ollama`.
   */
  hosts?: Array<{ name: string; models: string[]; concurrency?: number }>;
}

export const WEBHOOK_SECRET_FOR_TESTS = "test-webhook-secret-0123456789abcdef";

/** A port nobody listens on now (the webhook's URL must name its port before the bot listens). */
export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface Harness {
  tg: FakeTelegram;
  ollama: FakeOllama;
  /** With `HarnessOptions.hosts`: each host's fake Ollama, by name. */
  hosts: Record<string, FakeOllama>;
  hub: FakeHub;
  services: Services;
  /** The running bot's finder of lost sends' copies. */
  lostSends: LostSends;
  store: SessionStore<ChatSession>;
  dataDir: string;
  logs: string[];
  /** Stops the bot as SIGTERM would (grace in ms), then starts a new one on the same DATA_DIR. */
  restart(graceMs?: number): Promise<void>;
  stopBot(graceMs?: number): Promise<void>;
  startBot(): Promise<void>;
  /** Stops the bot and starts it again with these variables over the harness's own (`""` unsets one). */
  restartWith(env: Record<string, string>): Promise<void>;
  close(): Promise<void>;
  /** Bot messages in `chat` as the user sees them now. */
  botMessages(chat: number): VisibleMessage[];
  /** Waits until a bot message in `chat` satisfies `pred`; returns it. */
  waitForBot(chat: number, pred: (m: VisibleMessage) => boolean, timeoutMs?: number): Promise<VisibleMessage>;
  /** Presses the button labelled `label` (a prefix is enough) on the newest bot message that has it. */
  press(chat: number, label: string, from?: number): Promise<void>;
  /** Waits until the chat's stored session satisfies `pred` (writes land just after the final message). */
  waitForSession(chat: number, pred: (s: ChatSession) => boolean, timeoutMs?: number): Promise<ChatSession>;
  /** Sends /ollama and picks `model` from the picker. */
  pick(chat: number, model: string, from?: number): Promise<void>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const hostFakes: Record<string, FakeOllama> = {};
  for (const spec of options.hosts ?? []) {
    hostFakes[spec.name] = await startFakeOllama({ tokenDelayMs: 1, ...options.ollama, models: spec.models });
  }
  const ollama = options.hosts
    ? hostFakes[options.hosts[0]!.name]!
    : await startFakeOllama({ tokenDelayMs: 1, ...options.ollama });
  const hub = await startFakeHub({ ollamaUrl: ollama.url });
  const clock = new ScaledClock(options.clockFactor ?? 8);
  const tg = await startFakeTelegram({
    ...options.telegram,
    now: () => clock.now(),
    ...(options.telegramLimits === false ? { limits: false } : {}),
  });
  const dataDir = await mkdtemp(join(tmpdir(), "ollama-tg-test-"));
  const logs: string[] = [];
  const hookPort = options.webhook ? await freePort() : undefined;
  const env = {
    ...(hookPort === undefined
      ? {}
      : {
          WEBHOOK_URL: `http://127.0.0.1:${hookPort}/telegram`,
          WEBHOOK_SECRET: WEBHOOK_SECRET_FOR_TESTS,
          WEBHOOK_HOST: "127.0.0.1",
          WEBHOOK_PORT: String(hookPort),
        }),
    TELEGRAM_BOT_TOKEN: tg.token,
    TELEGRAM_API_ROOT: tg.apiRoot,
    TTSHUB_API_BASE: options.hubCredentials
      ? hub.apiBase.replace("://", `://${options.hubCredentials}@`)
      : hub.apiBase,
    ALLOWED_USER_IDS: `${USER},${OTHER_USER}`,
    ADMIN_USER_IDS: `${ADMIN}`,
    ...(options.direct ? { TTSHUB_API_BASE: "", OLLAMA_URL: ollama.url } : {}),
    ...(options.hosts
      ? {
          TTSHUB_API_BASE: "",
          MODEL_HOSTS: options.hosts
            .map((s) => `${s.name} ollama ${hostFakes[s.name]!.url} ${s.concurrency ?? 1}`)
            .join(", "),
        }
      : {}),
    DATA_DIR: dataDir,
    // Within the fake Telegram's budget (3 a second per private chat), as the production default is.
    LIVE_PRIVATE_INTERVAL_MS: "350",
    LIVE_GROUP_INTERVAL_MS: "200",
    SHUTDOWN_GRACE_MS: "2000",
    HUB_RETRIES: "0",
    // Failures are shown at once unless a test is about riding out an outage.
    HUB_OUTAGE_WINDOW_MS: "0",
    LOG_LEVEL: "info",
    ...options.env,
  };
  const config = loadConfig(env, { requireBot: true });
  let botConfig = config.bot!;
  const log = createLogger({
    level: config.logLevel,
    secrets: config.secrets,
    serializeError: serializeTelegramError,
    destination: new Writable({
      write(chunk, _enc, cb) {
        logs.push(String(chunk));
        cb();
      },
    }),
  });
  // As production builds it: one host, or the pool of MODEL_HOSTS.
  const { client, hosts } = modelClientsFrom(config, {
    log,
    clientOptions: { retryBaseDelayMs: 1 },
  });
  const storage = await openSessionStorage({ dataDir, redisUrl: options.redis?.url });
  const store = new SessionStore<ChatSession>(storage, {
    initial: () => initialSession(botConfig.streamDefault),
    version: SESSION_VERSION,
    migrations: SESSION_MIGRATIONS,
  });

  let running: RunningBot | undefined;
  // Every bot's connections to the fake Telegram (a stopped bot's Api stays usable: tests call it).
  const transports: BuiltBot["transport"][] = [];
  const h: Harness = {
    tg,
    ollama,
    hosts: hostFakes,
    hub,
    services: undefined as unknown as Services,
    lostSends: undefined as unknown as LostSends,
    store,
    dataDir,
    logs,
    async startBot() {
      await hosts?.start();
      const built: BuiltBot = createBot(
        { config: botConfig, client, store, log, clock, ...(hosts ? { hosts } : {}) },
        { botInfo: tg.botInfo },
      );
      h.services = built.services;
      h.lostSends = built.lostSends;
      transports.push(built.transport);
      running = await startBot(built);
    },
    async stopBot(graceMs = 0) {
      await running?.stop(graceMs);
      running = undefined;
    },
    async restart(graceMs = 0) {
      await h.stopBot(graceMs);
      await h.startBot();
    },
    async restartWith(more) {
      await h.stopBot(0);
      botConfig = loadConfig({ ...env, ...more }, { requireBot: true }).bot!;
      await h.startBot();
    },
    async close() {
      await h.stopBot(0);
      await Promise.all(transports.map((t) => t.close()));
      await client.close();
      await storage.close();
      await tg.close();
      await hub.close();
      await Promise.all([...new Set([ollama, ...Object.values(hostFakes)])].map((f) => f.close()));
      await rm(dataDir, { recursive: true, force: true });
    },
    botMessages: (chat) => tg.visibleMessages(chat).filter((m) => m.from === "bot"),
    async waitForBot(chat, pred, timeoutMs = 8_000) {
      await tg.waitFor(() => h.botMessages(chat).some(pred), { timeoutMs });
      return h.botMessages(chat).findLast(pred)!;
    },
    async waitForSession(chat, pred, timeoutMs = 8_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const session = await store.get(String(chat));
        if (pred(session)) return session;
        if (Date.now() > until)
          throw new Error(`session of chat ${chat} never matched: ${JSON.stringify(session)}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    async press(chat, label, from) {
      const msg = await h.waitForBot(chat, (m) => m.buttons.flat().some((b) => b.text.startsWith(label)));
      const button = msg.buttons.flat().find((b) => b.text.startsWith(label))!;
      tg.pressButton(chat, msg.messageId, button.data!, from === undefined ? {} : { from: { id: from } });
    },
    async pick(chat, model, from) {
      tg.sendText(chat, "/ollama", from === undefined ? {} : { from: { id: from } });
      await h.press(chat, model, from);
      await h.waitForBot(chat, (m) => m.text.includes(`Now chatting with ${model}`));
    },
  };
  await h.startBot();
  return h;
}
