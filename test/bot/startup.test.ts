/** Start-up never hangs in silence: an unreachable Bot API or a refused token ends with the reason. */
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { Api } from "grammy";
import { describe, expect, it, vi } from "vitest";
import {
  type ChatSession,
  createBot,
  initialSession,
  SESSION_MIGRATIONS,
  SESSION_VERSION,
  StartupError,
  startBot,
} from "../../src/bot/index.js";
import { loadConfig } from "../../src/config/index.js";
import { OllamaClient } from "../../src/hub/index.js";
import { createLogger } from "../../src/log/index.js";
import { MemoryStorage, SessionStore } from "../../src/store/index.js";
import {
  HEARTBEAT_STALE_MS,
  heartbeatPath,
  heartbeatProblem,
  readHeartbeat,
} from "../../src/util/heartbeat.js";
import { startFakeTelegram } from "../fakes/telegram.js";

const TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij";

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

function build(apiRoot: string, token = TOKEN, startupMs = "2500", env: Record<string, string> = {}) {
  const lines: string[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), "startup-"));
  const config = loadConfig(
    {
      TELEGRAM_BOT_TOKEN: token,
      TELEGRAM_API_ROOT: apiRoot,
      ALLOWED_USER_IDS: "1",
      OLLAMA_URL: "http://127.0.0.1:9",
      STARTUP_TIMEOUT_MS: startupMs,
      DATA_DIR: dataDir,
      ...env,
    },
    { requireBot: true },
  );
  const log = createLogger({
    level: "info",
    secrets: config.secrets,
    destination: new Writable({
      write(chunk, _e, cb) {
        lines.push(String(chunk));
        cb();
      },
    }),
  });
  const client = new OllamaClient({ ...config.client, retries: 0 });
  const store = new SessionStore<ChatSession>(new MemoryStorage(), {
    initial: () => initialSession(true),
    version: SESSION_VERSION,
    migrations: SESSION_MIGRATIONS,
  });
  return { built: createBot({ config: config.bot!, client, store, log }), lines, client, dataDir };
}

describe("start-up", () => {
  it("says within seconds that the Bot API does not answer, retries visibly, then gives up with the reason", async () => {
    const root = `http://127.0.0.1:${await closedPort()}`;
    const { built, lines, client } = build(root);
    const began = Date.now();
    const err = await startBot(built).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StartupError);
    expect((err as StartupError).reason).toBe("unreachable");
    expect((err as Error).message).toContain(root);
    expect(Date.now() - began).toBeLessThan(6_000);
    const retries = lines.filter((l) => l.includes("is not answering"));
    expect(retries.length).toBeGreaterThanOrEqual(1);
    expect(retries[0]).toContain("retryInMs");
    expect(lines.join("")).not.toContain(TOKEN);
    await client.close();
  });

  it("keeps a liveness heartbeat that a health check in another process reads: live while it polls", async () => {
    const tg = await startFakeTelegram();
    // Calls time out after 6 s, so each long poll lasts 1 s and the first one is answered quickly.
    const { built, client, dataDir } = build(tg.apiRoot, tg.token, "2500", { TELEGRAM_TIMEOUT_MS: "6000" });
    const path = heartbeatPath(dataDir);
    const running = await startBot(built);
    await vi.waitFor(async () => expect((await readHeartbeat(path))?.lastPollAt).toBeTypeOf("number"), {
      timeout: 5_000,
    });
    const beat = await readHeartbeat(path);
    expect(beat?.pid).toBe(process.pid);
    expect(heartbeatProblem(beat, Date.now())).toBeUndefined();
    await running.stop(0);
    // A stopped bot is not live at once: its heartbeat is gone.
    expect(await readHeartbeat(path)).toBeUndefined();
    // A bot that stopped polling goes stale: the check fails once the last poll is old.
    expect(heartbeatProblem(beat, Date.now() + HEARTBEAT_STALE_MS + 1_000)).toMatch(/not running|not polled/);
    expect(heartbeatProblem(undefined, Date.now())).toMatch(/not running, or has not started yet/);
    await client.close();
    await tg.close();
  });

  it("with a blank ALLOWED_USER_IDS starts, says nobody can use it yet, and tells whoever writes their id", async () => {
    const tg = await startFakeTelegram();
    const { built, lines, client } = build(tg.apiRoot, tg.token, "2500", { ALLOWED_USER_IDS: "" });
    const running = await startBot(built);
    expect(lines.join("")).toContain("ALLOWED_USER_IDS is empty: nobody can use the bot yet");
    tg.sendText(4321, "hello?");
    await tg.waitFor(() =>
      tg.visibleMessages(4321).some((m) => m.text.includes("Your Telegram user id is 4321")),
    );
    await running.stop(0);
    await client.close();
    await tg.close();
  });

  it("names a refused token at once", async () => {
    const tg = await startFakeTelegram();
    const { built, client } = build(tg.apiRoot, "999999:WRONGwrongWRONGwrongWRONGwrongWRONG");
    const err = await startBot(built).catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: "token" });
    expect((err as Error).message).toContain("TELEGRAM_BOT_TOKEN");
    await client.close();
    await tg.close();
  });

  it("names a 409 Conflict (another instance polling with this token) in plain words, with the fix", async () => {
    const tg = await startFakeTelegram();
    const { built, lines, client } = build(tg.apiRoot, tg.token);
    const running = await startBot(built);
    await tg.waitFor(() => tg.hasPendingPoll());
    // A second instance starts polling with the same token.
    const other = new Api(tg.token, { apiRoot: tg.apiRoot });
    const second = other.getUpdates({ timeout: 1 }).catch(() => undefined);
    await expect(running.done).rejects.toMatchObject({ error_code: 409 });
    expect(lines.join("")).toContain("another bot instance is polling with this token (409 Conflict)");
    expect(lines.join("")).toContain("deleteWebhook");
    await second;
    await running.stop(0);
    await client.close();
    await tg.close();
  });
});
