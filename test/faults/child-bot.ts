/**
 * The real bot in its own process (`src/main.ts` compiled once per run by esbuild and started with `node`, as
 * `npm start` runs the build), against the fake Telegram, the fake hub in front of the fake Ollama, and optionally the fake Redis, so a test can
 * kill it for real (SIGKILL leaves no `finally`, no flush, no goodbye) at a point it chose by waiting for a
 * condition, start it again on the same DATA_DIR or Redis, and read what users see in the fake Telegram.
 *
 * Used by test/faults/kill.test.ts and bench/soak.ts.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { EventEmitter } from "node:events";
import { readFileSync, rmSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { processAlive } from "../../src/util/heartbeat.js";
import { type FakeHub, startFakeHub } from "../fakes/hub.js";
import { type FakeOllama, type FakeOllamaOptions, startFakeOllama } from "../fakes/ollama.js";
import { type FakeRedis, startFakeRedis } from "../fakes/redis.js";
import {
  type FakeTelegram,
  type FakeTelegramOptions,
  type StoredMessage,
  startFakeTelegram,
  type VisibleMessage,
} from "../fakes/telegram.js";

/** The checkout: the child runs its src/main.ts with this as its working directory. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export const USER = 1001;
export const OTHER_USER = 1003;
export const THIRD_USER = 1004;
export const GROUP = -100_777;

/**
 * Every setting the bot reads, set explicitly: a variable in the developer's shell (a REDIS_URL, an OLLAMA_URL)
 * must not leak into a test, and an empty value keeps a `.env` from filling it in (dotenv never overrides).
 * Small values keep the tests fast; each is the least that still shows the behaviour.
 */
function baseEnv(world: {
  tg: FakeTelegram;
  hub: FakeHub;
  redis: FakeRedis | undefined;
  dataDir: string;
}): Record<string, string> {
  return {
    TELEGRAM_BOT_TOKEN: world.tg.token,
    TELEGRAM_API_ROOT: world.tg.apiRoot,
    TTSHUB_API_BASE: world.hub.apiBase,
    OLLAMA_URL: "",
    OLLAMA_API_KEY: "",
    ALLOWED_USER_IDS: `${USER},${OTHER_USER},${THIRD_USER}`,
    ADMIN_USER_IDS: "",
    DATA_DIR: world.dataDir,
    REDIS_URL: world.redis?.url ?? "",
    DEFAULT_MODEL: "tiny:latest",
    OLLAMA_STREAM_DEFAULT: "true",
    OLLAMA_AI2AI_TURNS: "3",
    // Telegram's least: a hung call is given up after 6 s, the long poll waits 1 s.
    TELEGRAM_TIMEOUT_MS: "6000",
    STARTUP_TIMEOUT_MS: "10000",
    MAX_CONCURRENT_GENERATIONS: "1",
    RATE_LIMIT_PER_MINUTE: "1000",
    // Within the fake Telegram's budget (3 a second per private chat), as in test/support/bot-harness.ts.
    LIVE_PRIVATE_INTERVAL_MS: "350",
    LIVE_GROUP_INTERVAL_MS: "3000",
    // These tests are about the live message a kill cuts (its ⏹, its checkpoint); one test sets drafts.
    LIVE_MODE: "edit",
    SHUTDOWN_GRACE_MS: "2000",
    // Failures are shown at once unless a test is about riding out an outage.
    HUB_OUTAGE_WINDOW_MS: "0",
    HUB_RETRIES: "0",
    HUB_CONNECT_TIMEOUT_MS: "2000",
    HUB_REQUEST_TIMEOUT_MS: "5000",
    HUB_FIRST_EVENT_TIMEOUT_MS: "10000",
    HUB_IDLE_TIMEOUT_MS: "10000",
    HUB_TOTAL_TIMEOUT_MS: "120000",
    // "info": the child says "bot is running" once it polls; message text is never logged at this level.
    LOG_LEVEL: "info",
  };
}

/** One line the bot logged (pino JSON), or a line that is not JSON (a crash's stack trace). */
export interface LogLine {
  level: number;
  msg: string;
  raw: string;
  /** Which start of the bot wrote it (1 for the first). */
  run: number;
}

export interface ChildBotOptions {
  cwd: string;
  env: Record<string, string>;
  /** How long `start()` waits for the bot to poll (ten bots starting at once on two cores take a while). Default 30 000 ms. */
  startTimeoutMs?: number;
}

/**
 * The bot as a child process. `start()` resolves once the bot polls Telegram (it logged "bot is running", which
 * comes after its start-up recovery ran), `kill(signal)` resolves once the process is gone, `restart()` does both
 * on the same DATA_DIR. Everything it writes to stderr is kept, run by run, for assertions on crashes.
 */
export class ChildBot {
  private child: ChildProcess | undefined;
  private exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }> | undefined;
  private readonly events = new EventEmitter();
  private partial = "";
  /** Every line the bot wrote to stderr, across runs. */
  readonly lines: LogLine[] = [];
  /** How often the process was started. */
  runs = 0;
  /** Exit of each finished run, in order. */
  readonly exits: Array<{ run: number; code: number | null; signal: NodeJS.Signals | null }> = [];

  constructor(private readonly options: ChildBotOptions) {
    this.events.setMaxListeners(0);
  }

  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the bot; resolves when it polls. Rejects (with its stderr) if it exits or is slow to start. */
  async start(env: Record<string, string> = {}): Promise<void> {
    if (this.running) throw new Error("ChildBot.start: the bot is already running");
    const level = env.LOG_LEVEL ?? this.options.env.LOG_LEVEL;
    if (!["info", "debug", "trace"].includes(level ?? "")) {
      throw new Error(
        `ChildBot.start: LOG_LEVEL must be info, debug or trace (it waits for "bot is running"), got ${level}`,
      );
    }
    const run = ++this.runs;
    const child = spawn(process.execPath, [await bundledMain()], {
      cwd: this.options.cwd,
      env: { ...inheritedEnv(), ...this.options.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    living.add(child);
    this.partial = "";
    child.stdout?.on("data", (chunk: Buffer) => this.take(run, chunk));
    child.stderr?.on("data", (chunk: Buffer) => this.take(run, chunk));
    this.exit = new Promise((resolveExit) => {
      child.once("exit", (code, signal) => {
        living.delete(child);
        if (this.partial !== "") this.push(run, this.partial);
        this.partial = "";
        this.exits.push({ run, code, signal });
        this.events.emit("exit", run);
        resolveExit({ code, signal });
      });
    });
    try {
      await this.waitForLog((l) => l.run === run && l.msg === "bot is running", {
        timeoutMs: this.options.startTimeoutMs ?? 30_000,
        description: `run ${run} to start polling`,
        run,
      });
    } catch (err) {
      // A start that did not come up is ended, so the next start() begins from a stopped bot.
      if (this.running) await this.kill("SIGKILL");
      throw err;
    }
  }

  /** Sends `signal` and resolves with how the process ended. */
  async kill(
    signal: NodeJS.Signals = "SIGKILL",
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const child = this.child;
    if (!child || !this.exit) throw new Error("ChildBot.kill: the bot was never started");
    if (this.running) child.kill(signal);
    return this.exit;
  }

  /** Resolves with how the running process ended, whenever it does (a SIGTERM's grace, a crash). */
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (!this.exit) throw new Error("ChildBot.exited: the bot was never started");
    return this.exit;
  }

  /** Kills the bot with `signal` (SIGKILL by default) and starts it again on the same data. */
  async restart(signal: NodeJS.Signals = "SIGKILL", env: Record<string, string> = {}): Promise<void> {
    await this.kill(signal);
    await this.start(env);
  }

  /** Resolves with the first line (old ones included) that satisfies `pred`; rejects on timeout or exit. */
  waitForLog(
    pred: (line: LogLine) => boolean,
    options: { timeoutMs?: number; description?: string; run?: number } = {},
  ): Promise<LogLine> {
    const timeoutMs = options.timeoutMs ?? 5_000;
    return new Promise<LogLine>((resolveLine, reject) => {
      const found = this.lines.find(pred);
      if (found) {
        resolveLine(found);
        return;
      }
      const what = options.description ?? "a log line";
      const done = () => {
        clearTimeout(timer);
        this.events.off("line", onLine);
        this.events.off("exit", onExit);
      };
      const onLine = (line: LogLine) => {
        if (!pred(line)) return;
        done();
        resolveLine(line);
      };
      const onExit = (run: number) => {
        if (options.run !== undefined && run !== options.run) return;
        done();
        reject(new Error(`the bot exited while waiting for ${what}:\n${this.tail()}`));
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}:\n${this.tail()}`));
      }, timeoutMs);
      this.events.on("line", onLine);
      this.events.on("exit", onExit);
    });
  }

  /**
   * What went wrong inside the bot: lines at level error (50) or above, and lines that are not JSON (an uncaught
   * exception's stack, a warning from Node).
   */
  problems(run?: number): LogLine[] {
    return this.lines.filter((l) => (run === undefined || l.run === run) && (l.level >= 50 || l.level === 0));
  }

  /** The last lines of stderr, for failure messages. */
  tail(n = 25): string {
    return this.lines
      .slice(-n)
      .map((l) => `[run ${l.run}] ${l.raw}`)
      .join("\n");
  }

  /** The process's memory now, from /proc (Linux): resident and its high-water mark, in kB. */
  memory(): { rssKb: number; hwmKb: number } | undefined {
    const pid = this.pid;
    if (pid === undefined) return undefined;
    try {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
      return { rssKb: kb("VmRSS"), hwmKb: kb("VmHWM") };
    } catch {
      return undefined;
    }
  }

  /** CPU time the process has used so far (user + system), from /proc (Linux), in ms. */
  cpuMs(): number | undefined {
    const pid = this.pid;
    if (pid === undefined) return undefined;
    try {
      // Fields after the command name (which may hold spaces, so split after its closing parenthesis).
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      // utime and stime are fields 14 and 15 of stat, 12 and 13 here; clock ticks of 10 ms on Linux.
      return (Number(fields[11]) + Number(fields[12])) * 10;
    } catch {
      return undefined;
    }
  }

  private take(run: number, chunk: Buffer): void {
    const text = this.partial + chunk.toString("utf8");
    const parts = text.split("\n");
    this.partial = parts.pop() ?? "";
    for (const raw of parts) if (raw.trim() !== "") this.push(run, raw);
  }

  private push(run: number, raw: string): void {
    let level = 0;
    let msg = raw;
    try {
      const parsed = JSON.parse(raw) as { level?: unknown; msg?: unknown };
      if (typeof parsed.level === "number") level = parsed.level;
      if (typeof parsed.msg === "string") msg = parsed.msg;
    } catch {
      // Not JSON: a stack trace or a Node warning; level 0 marks it.
    }
    const line: LogLine = { level, msg, raw, run };
    this.lines.push(line);
    this.events.emit("line", line);
  }
}

/** Children still alive when this process exits are killed with it: a failed test must not leave bots polling. */
const living = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of living) child.kill("SIGKILL");
});

/** What the child needs from this environment to run Node and tsx; nothing that configures the bot. */
function inheritedEnv(): Record<string, string> {
  const keep = ["PATH", "HOME", "TMPDIR", "LANG"];
  return Object.fromEntries(
    keep.flatMap((k) => (process.env[k] === undefined ? [] : [[k, process.env[k]!]])),
  ) as Record<string, string>;
}

export interface WorldOptions {
  ollama?: FakeOllamaOptions;
  telegram?: FakeTelegramOptions;
  /** Sessions in a fake Redis (REDIS_URL) instead of files under DATA_DIR. Default false. */
  redis?: boolean;
  /** Settings over the defaults of `baseEnv`. */
  env?: Record<string, string>;
}

/** The fakes, a DATA_DIR, and the bot (not started yet). */
export interface World {
  tg: FakeTelegram;
  hub: FakeHub;
  ollama: FakeOllama;
  redis: FakeRedis | undefined;
  dataDir: string;
  bot: ChildBot;
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const ollama = await startFakeOllama({ tokenDelayMs: 1, ...options.ollama });
  const hub = await startFakeHub({ ollamaUrl: ollama.url });
  const tg = await startFakeTelegram(options.telegram);
  const redis = options.redis ? await startFakeRedis() : undefined;
  const dataDir = await mkdtemp(join(tmpdir(), "ollama-tg-faults-"));
  const env = { ...baseEnv({ tg, hub, redis, dataDir }), ...options.env };
  const bot = new ChildBot({ cwd: REPO_ROOT, env });
  let closed = false;
  return {
    tg,
    hub,
    ollama,
    redis,
    dataDir,
    bot,
    env,
    async close() {
      if (closed) return;
      closed = true;
      if (bot.running) await bot.kill("SIGKILL");
      await tg.close();
      await hub.close();
      await ollama.close();
      await redis?.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// What a user sees
// ---------------------------------------------------------------------------------------------------------------

/**
 * A bot message that still says work is under way: a live message's ⏹ Stop, a placeholder or a queue notice (⏳…), a
 * "thinking" status. After recovery, none may be left: nothing will ever change it. Refusals that start with ⏳
 * ("Slow down", "… already waiting") are final answers, not work in progress.
 */
export function isWorking(m: Pick<VisibleMessage, "from" | "text" | "buttons">): boolean {
  if (m.from !== "bot") return false;
  // A live message carries ⏹ Stop alone; AI↔AI controls carry it beside Continue, Auto and Options.
  const buttons = m.buttons.flat();
  if (buttons.length === 1 && buttons[0]!.text === "⏹ Stop") return true;
  if (m.text.startsWith("⏳")) return !/^⏳ Slow down|already waiting|You already have/.test(m.text);
  return m.text.startsWith("🤔");
}

/** Visible bot messages still in a working state, as one line each (for assertion messages). */
export function workingMessages(tg: FakeTelegram, chatId: number): string[] {
  return tg
    .visibleMessages(chatId)
    .filter(isWorking)
    .map((m) => `#${m.messageId} ${JSON.stringify(m.text.slice(0, 80))} [${buttonLabels(m).join("|")}]`);
}

export function buttonLabels(m: Pick<VisibleMessage, "buttons">): string[] {
  return m.buttons.flat().map((b) => b.text);
}

/** The chat as the user sees it, one line per message, for failure messages and reports. */
export function transcript(tg: FakeTelegram, chatId: number): string {
  const replies = new Map(tg.history(chatId).map((m) => [m.messageId, m.replyToMessageId]));
  return tg
    .visibleMessages(chatId)
    .map((m) => {
      const to = replies.get(m.messageId);
      const buttons = buttonLabels(m)
        .map((b) => `[${b}]`)
        .join(" ");
      return `  #${m.messageId}${to ? ` ↩${to}` : ""} ${m.from === "bot" ? "BOT " : "USER"}: ${m.text
        .replace(/\n/g, " ⏎ ")
        .slice(0, 160)} ${buttons}`;
    })
    .join("\n");
}

/** Bot messages that are not deleted and reply to the user's message `messageId`. */
export function repliesTo(tg: FakeTelegram, chatId: number, messageId: number): StoredMessage[] {
  return tg.history(chatId).filter((m) => !m.deleted && m.from === "bot" && m.replyToMessageId === messageId);
}

/**
 * An English text of the bot, read from locales/en.ftl, for messages with no placeables: the tests follow the
 * wording as it is edited instead of pinning a copy of it.
 */
export function en(key: string): string {
  const ftl = readFileSync(join(REPO_ROOT, "locales", "en.ftl"), "utf8");
  const line = new RegExp(`^${key.replace(/-/g, "\\-")} = (.+)$`, "m").exec(ftl)?.[1];
  if (line === undefined || line.includes("{")) throw new Error(`en: no one-line message "${key}" in en.ftl`);
  return line.trim();
}

/** A queue notice, at any place in line. */
export const isQueueNotice = (m: Pick<VisibleMessage, "text">) =>
  m.text === en("queue-next") || /^⏳ .* #\d+ in line\.$/.test(m.text);

/** Waits until a visible bot message satisfies `pred`; returns the newest that does. */
export async function waitForBot(
  tg: FakeTelegram,
  chatId: number,
  pred: (m: VisibleMessage) => boolean,
  timeoutMs = 8_000,
  description?: string,
): Promise<VisibleMessage> {
  const find = () =>
    tg
      .visibleMessages(chatId)
      .filter((m) => m.from === "bot")
      .findLast(pred);
  try {
    return await tg.waitFor(find, { timeoutMs, ...(description ? { description } : {}) });
  } catch (err) {
    throw new Error(`${(err as Error).message}\nchat ${chatId} shows:\n${transcript(tg, chatId)}`);
  }
}

/** Presses the button labelled `label` (a prefix is enough) on the newest bot message that has it. */
export async function press(
  tg: FakeTelegram,
  chatId: number,
  label: string,
  options: { from?: number; timeoutMs?: number } = {},
): Promise<VisibleMessage> {
  const has = (m: VisibleMessage) => m.buttons.flat().some((b) => b.text.startsWith(label));
  const msg = await waitForBot(tg, chatId, has, options.timeoutMs ?? 8_000, `a "${label}" button`);
  const button = msg.buttons.flat().find((b) => b.text.startsWith(label))!;
  tg.pressButton(
    chatId,
    msg.messageId,
    button.data!,
    options.from === undefined ? {} : { from: { id: options.from } },
  );
  return msg;
}

/** A final answer: the text and no buttons left (no ⏹ Stop, no Retry). */
/** An answer is finished when it no longer carries ⏹ Stop (a finished answer keeps 🔄 Regenerate and such). */
const finished = (m: VisibleMessage) => !m.buttons.flat().some((b) => b.data?.startsWith("stop:"));
export const finalAnswer = (text: string) => (m: VisibleMessage) => m.text === text && finished(m);

/** Sends /ollama and picks `model`, as a user does. */
export async function pick(tg: FakeTelegram, chatId: number, model: string, from?: number): Promise<void> {
  tg.sendText(chatId, "/ollama", from === undefined ? {} : { from: { id: from } });
  await press(tg, chatId, model, from === undefined ? {} : { from });
  await waitForBot(tg, chatId, (m) => m.text.includes(`Now chatting with ${model}`));
}

/** Through the picker, as a user: AI↔AI on, tap A, tap B (as test/bot/ai2ai.test.ts does in-process). */
export async function castAi2Ai(tg: FakeTelegram, chatId: number, a: string, b: string): Promise<void> {
  tg.sendText(chatId, "/ollama");
  await press(tg, chatId, "🤖↔🤖 AI↔AI: off");
  await waitForBot(tg, chatId, (m) => m.text.includes("Tap the model for A"));
  await press(tg, chatId, a);
  await waitForBot(
    tg,
    chatId,
    (m) => m.text.includes(`A: Albert Einstein (${a})`) && m.text.includes("for B"),
  );
  await press(tg, chatId, b);
  await waitForBot(tg, chatId, (m) => m.text.includes(`B: Socrates (${b})`));
}

/** A promise that settles after `ms` (for pacing a load, never for waiting on a result). */
export const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * `src/main.ts` compiled once per test run into one ES module (esbuild, the compiler under tsx), dependencies
 * left to node_modules: each start then costs a plain `node` start, not tsx compiling every source file again
 * (about 1 s of CPU less per start, and the kill tests start the bot some twenty times). It sits two levels
 * below the project, as `dist/main.js` does, so it finds `locales/` the same way.
 */
let bundle: Promise<string> | undefined;
function bundledMain(): Promise<string> {
  bundle ??= (async () => {
    const { build } = await import("esbuild");
    const root = fileURLToPath(new URL("../..", import.meta.url));
    const dir = join(root, "node_modules", ".ollama-tg-test");
    const outfile = join(dir, `main-${process.pid}.mjs`);
    // Bundles of earlier runs whose process is gone (a worker ended without its exit hook).
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      const pid = Number(/^main-(\d+)\.mjs$/.exec(name)?.[1]);
      if (Number.isInteger(pid) && pid !== process.pid && !processAlive(pid))
        await rm(join(dir, name), { force: true });
    }
    await build({
      entryPoints: [join(root, "src", "main.ts")],
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      packages: "external",
      outfile,
      logLevel: "error",
    });
    process.once("exit", () => rmSync(outfile, { force: true }));
    return outfile;
  })();
  return bundle;
}
