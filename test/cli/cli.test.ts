import { execFile, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  ATTACHMENT_MAX_BYTES,
  type CliIo,
  DOC_MAX_CHARS,
  EXIT,
  invokedAs,
  runCli,
} from "../../src/cli/cli.js";
import { Cluster } from "../../src/cluster/index.js";
import { NOBODY_ALLOWED } from "../../src/config/index.js";
import { OllamaClient } from "../../src/hub/index.js";
import { createLogger } from "../../src/log/index.js";
import { heartbeatPath, writeHeartbeat } from "../../src/util/heartbeat.js";
import { renderProgress, SpeedMeter } from "../../src/util/progress.js";
import { DEFAULT_SPEECH, type FakeHub, startFakeHub } from "../fakes/hub.js";
import { DEFAULT_MODELS, type FakeOllama, startFakeOllama } from "../fakes/ollama.js";
import { startFakeTelegram } from "../fakes/telegram.js";
import { buildDocx, buildPdf } from "../media/make-files.js";
import { haveRedisServer, startRedisServer } from "../support/redis-server.js";

let ollama: FakeOllama;
let hub: FakeHub;

beforeAll(async () => {
  ollama = await startFakeOllama();
  hub = await startFakeHub({ ollamaUrl: ollama.url });
});
afterAll(async () => {
  await hub.close();
  await ollama.close();
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(
  argv: string[],
  opts: {
    env?: NodeJS.ProcessEnv;
    stdin?: string;
    /** stdin is a terminal (the CLI then says what to type). */
    stdinTty?: boolean;
    tty?: boolean;
    signal?: AbortSignal;
    name?: string;
    now?: () => number;
  } = {},
): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s), isTTY: opts.tty ?? false, columns: 100 },
    stdin: Object.assign(
      (async function* () {
        if (opts.stdin !== undefined) yield opts.stdin;
      })(),
      { isTTY: opts.stdinTty ?? false },
    ),
    env: opts.env ?? { TTSHUB_API_BASE: hub.apiBase },
    // Short backoff so failure paths stay fast; everything else is the production client.
    makeClient: (config) => new OllamaClient({ ...config.client, retryBaseDelayMs: 1 }),
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.name ? { name: opts.name } : {}),
    ...(opts.now ? { now: opts.now } : {}),
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

describe("CLI against the fake hub", () => {
  it("lists models as a table, and as JSON with --json", async () => {
    const table = await cli(["models", "list"]);
    expect(table.code).toBe(EXIT.ok);
    expect(table.stdout.split("\n")[0]).toMatch(/^NAME\s+PARAMS\s+QUANT\s+SIZE\s+MODIFIED$/);
    expect(table.stdout).toMatch(/tiny:latest\s+1\.1B\s+Q4_0\s+638 MB\s+2026-11-01/);
    const json = await cli(["list", "--json"]);
    expect(JSON.parse(json.stdout).map((m: { name: string }) => m.name)).toContain("unicode:latest");
  });

  it("shows running models and model details", async () => {
    expect((await cli(["ps"])).stdout).toMatch(/tiny:latest\s+1\.1B\s+638 MB\s+638 MB/);
    const show = await cli(["models", "show", "tiny:latest"]);
    expect(show.stdout).toMatch(/context length\s+2048/);
    expect(show.stdout).toMatch(/capabilities\s+completion/);
  });

  it("exits 5 with a clear message for a model that is not installed", async () => {
    const r = await cli(["show", "missing:latest"]);
    expect(r.code).toBe(EXIT.modelNotFound);
    expect(r.stderr).toContain('Error [MODEL_NOT_FOUND]: Model "missing:latest" is not installed');
  });

  it("streams a chat answer to stdout and the metrics to stderr", async () => {
    const r = await cli(["chat", "tiny:latest", "Stream", "one", "line"]);
    expect(r.code).toBe(EXIT.ok);
    expect(r.stdout).toBe("You said: Stream one line\n");
    expect(r.stderr).toMatch(/9 tokens, 77\.6 tok\/s/);
  });

  it("reads the prompt from stdin, and answers in one piece with --no-stream", async () => {
    const r = await cli(["chat", "tiny:latest", "--no-stream"], { stdin: "hello\n" });
    expect(r.stdout).toBe("You said: hello\n");
    const sent = ollama.requests.at(-1)!.body as { stream: boolean; messages: unknown[] };
    expect(sent.stream).toBe(false);
  });

  it("sends --system as a system message", async () => {
    await cli(["chat", "tiny:latest", "--system", "Be brief.", "hi"]);
    const sent = ollama.requests.at(-1)!.body as { messages: Array<{ role: string; content: string }> };
    expect(sent.messages).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "hi" },
    ]);
  });

  it("keeps the thinking on stderr and the answer alone on stdout", async () => {
    const r = await cli(["chat", "think:latest", "why?"]);
    expect(r.stdout).toBe("You said: why?\n");
    expect(r.stderr).toContain("Thinking: Let me think.");
  });

  it("keeps the partial answer on stdout and exits 6 when the model fails mid-answer", async () => {
    const crash = await cli(["chat", "crash:latest", "hello"]);
    expect(crash.code).toBe(EXIT.serverError);
    expect(crash.stdout).toBe("You said:\n");
    expect(crash.stderr).toContain(
      "Error [UPSTREAM_ERROR]: Ollama reported an error: an error was encountered",
    );
    const cut = await cli(["chat", "cut:latest", "hello"]);
    expect(cut.code).toBe(EXIT.serverError);
    expect(cut.stderr).toContain("Error [STREAM_INCOMPLETE]");
  });

  it("refuses an empty prompt and a missing model argument with exit 2", async () => {
    expect((await cli(["chat", "tiny:latest"], { stdin: "  \n" })).code).toBe(EXIT.usage);
    const r = await cli(["chat"]);
    expect(r.code).toBe(EXIT.usage);
    expect(r.stderr).toContain("Usage: ollama-tg chat MODEL [PROMPT]");
  });

  it("pulls with one line per phase when stderr is not a terminal", async () => {
    const r = await cli(["pull", "new:1b"]);
    expect(r.code).toBe(EXIT.ok);
    expect(r.stderr.split("\n").filter(Boolean)).toEqual([
      "pulling manifest",
      "pulling 6a0746a1ec1a (1.0 MB)",
      "verifying sha256 digest",
      "writing manifest",
    ]);
    expect(r.stdout).toBe("Pulled new:1b.\n");
  });

  it("draws a progress bar on a terminal", async () => {
    const r = await cli(["pull", "new:1b"], { tty: true });
    expect(r.stderr).toContain("\r\x1b[2K");
    expect(r.stderr).toMatch(/pulling 6a0746a1ec1a\s+\[█+░*\]\s+\d+%/);
    expect(r.stderr).toMatch(/100%\s+1\.0 MB\/1\.0 MB/);
  });

  it("exits 5 for a pull of a name the registry does not have", async () => {
    const r = await cli(["pull", "nope:1b"]);
    expect(r.code).toBe(EXIT.modelNotFound);
    expect(r.stderr).toContain('There is no model "nope:1b" to pull');
  });

  it("deletes truthfully even though the hub answers 503, and exits 5 for a missing model", async () => {
    await cli(["pull", "new:1b"]);
    const ok = await cli(["delete", "new:1b"]);
    expect(ok).toMatchObject({ code: EXIT.ok, stdout: "Deleted new:1b.\n" });
    const again = await cli(["models", "delete", "new:1b"]);
    expect(again.code).toBe(EXIT.modelNotFound);
    expect(again.stderr).toContain("nothing to delete");
  });

  it("doctor checks the bot's configuration, Telegram (token, webhook), sessions, the hub, models and a generation", async () => {
    const tg = await startFakeTelegram();
    const dataDir = await mkdtemp(join(tmpdir(), "doctor-"));
    const env = {
      TTSHUB_API_BASE: hub.apiBase,
      TELEGRAM_BOT_TOKEN: tg.token,
      TELEGRAM_API_ROOT: tg.apiRoot,
      ALLOWED_USER_IDS: "1",
      DATA_DIR: dataDir,
    };
    try {
      const r = await cli(["doctor"], { env });
      expect(r.stdout).toContain("✓ bot configuration: token set, 1 user(s) allowed");
      expect(r.stdout).toMatch(/✓ telegram: the token belongs to @\w+/);
      expect(r.stdout).toContain("✓ webhook: none set");
      expect(r.stdout).toContain(`✓ sessions: DATA_DIR ${dataDir} is writable`);
      expect(r.stdout).not.toContain(tg.token);
      expect(r.code).toBe(EXIT.ok);
    } finally {
      await tg.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it("doctor checks every host of MODEL_HOSTS on its own, and fails for one that does not answer", async () => {
    const other = await startFakeOllama({ models: ["tiny:latest"] });
    await other.setDown(true);
    try {
      const env = { TTSHUB_API_BASE: "", MODEL_HOSTS: `mac hub ${hub.apiBase} 2, gpu ollama ${other.url}` };
      const r = await cli(["doctor"], { env });
      expect(r.stdout).toContain(
        "✓ configuration: 2 model hosts (MODEL_HOSTS); the checks after the hosts use the first, mac",
      );
      expect(r.stdout).toMatch(
        /✓ host mac: hub at http:\/\/127\.0\.0\.1:\d+\/api, answered in \d+ ms, 2 at once, \d+ model\(s\): .*tiny:latest/,
      );
      expect(r.stdout).toMatch(/✗ host gpu: \[(HUB_UNREACHABLE|OLLAMA_UNAVAILABLE)\] /);
      expect(r.code).not.toBe(EXIT.ok);
    } finally {
      await other.close();
    }
  });

  it.skipIf(!haveRedisServer())(
    "doctor with several processes: Redis answers, and each running process is listed with its chats",
    async () => {
      const tg = await startFakeTelegram();
      const redis = await startRedisServer();
      const log = createLogger({ level: "silent" });
      const env = {
        TTSHUB_API_BASE: hub.apiBase,
        TELEGRAM_BOT_TOKEN: tg.token,
        TELEGRAM_API_ROOT: tg.apiRoot,
        ALLOWED_USER_IDS: "1",
        REDIS_URL: redis.url,
        WEBHOOK_URL: "http://127.0.0.1:9/telegram",
        WEBHOOK_SECRET: "doctor-secret-0123456789",
      };
      const a = await Cluster.connect({ url: redis.url, log, leaseMs: 10_000 });
      const b = await Cluster.connect({ url: redis.url, log, leaseMs: 10_000 });
      try {
        await a.route(1, "42", "{}");
        await a.route(2, "43", "{}");
        let r = await cli(["doctor"], { env });
        expect(r.stdout).toContain("✓ sessions: in Redis (REDIS_URL), which answers");
        expect(r.stdout).toContain(`${a.id} (2 chat(s), 2 waiting)`);
        expect(r.stdout).toContain(`${b.id} (0 chat(s), 0 waiting)`);
        expect(r.stdout).toMatch(/✓ bot processes: 2 running: /);
        await a.close();
        await b.close();
        await redis.stop();
        r = await cli(["doctor"], { env });
        expect(r.stdout).toMatch(/✗ sessions: Redis \(REDIS_URL\) does not answer \(.+\); is it running\?/);
        expect(r.code).not.toBe(EXIT.ok);
      } finally {
        await Promise.all([a.close(), b.close()]).catch(() => {});
        await redis.close();
        await tg.close();
      }
    },
  );

  it("doctor reports the webhook in webhook mode: not set yet, set with waiting updates, a delivery error, a stale one", async () => {
    const tg = await startFakeTelegram({ webhook: { retryMs: 60_000, timeoutMs: 500 } });
    const dataDir = await mkdtemp(join(tmpdir(), "doctor-"));
    const url = "http://127.0.0.1:9/telegram"; // port 9: nobody answers
    const env = {
      TTSHUB_API_BASE: hub.apiBase,
      TELEGRAM_BOT_TOKEN: tg.token,
      TELEGRAM_API_ROOT: tg.apiRoot,
      ALLOWED_USER_IDS: "1",
      DATA_DIR: dataDir,
      WEBHOOK_URL: url,
      WEBHOOK_SECRET: "doctor-secret-0123456789",
    };
    const setHook = (hookUrl: string) =>
      fetch(`${tg.apiRoot}/bot${tg.token}/setWebhook`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ url: hookUrl, secret_token: "doctor-secret-0123456789" }),
      });
    try {
      let r = await cli(["doctor"], { env });
      expect(r.stdout).toContain(`✓ webhook: not set yet: the bot sets ${url} at start`);
      await setHook(url);
      tg.sendText(1, "hello");
      await tg.waitFor(() => tg.webhookDeliveries().length > 0);
      r = await cli(["doctor"], { env });
      expect(r.stdout).toMatch(
        /✗ webhook: set to http:\/\/127\.0\.0\.1:9\/telegram, 1 updates waiting; Telegram's last delivery error, \d+ s ago: Connection failed/,
      );
      expect(r.stdout).not.toContain("doctor-secret");
      await setHook("http://127.0.0.1:9/old");
      r = await cli(["doctor"], { env });
      expect(r.stdout).toContain("✗ webhook: Telegram posts to http://127.0.0.1:9/old, not WEBHOOK_URL");
    } finally {
      await tg.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it("suggests copying .env.example when a configuration error meets no .env", async () => {
    let stderr = "";
    const code = await runCli(["models", "list"], {
      stdout: { write: () => true },
      stderr: { write: (s: string) => (stderr += s) },
      stdin: (async function* () {})(),
      env: {},
      envFileMissing: () => true,
    });
    expect(code).toBe(EXIT.config);
    expect(stderr).toContain("cp .env.example .env");
  });

  it("answers an unknown command with usage (exit 2) even with no configuration at all", async () => {
    const r = await cli(["bogus"], { env: {} });
    expect(r.code).toBe(EXIT.usage);
    expect(r.stderr).toContain('Unknown command "bogus"');
  });

  it("doctor does not say all is well for a set-up the bot cannot start with", async () => {
    const r = await cli(["doctor"]);
    expect(r.stdout).toContain("✗ bot configuration: Set TELEGRAM_BOT_TOKEN");
    expect(r.stdout).not.toContain("All checks passed.");
    expect(r.code).not.toBe(EXIT.ok);
  });

  it("doctor checks configuration, reachability, models and a one-token generation", async () => {
    const r = await cli(["doctor"]);
    expect(r.stdout).toMatch(/✓ configuration: hub \(TTSHUB_API_BASE\) at http:\/\/127\.0\.0\.1:\d+\/api/);
    expect(r.stdout).toMatch(/✓ reachable: answered in \d+ ms/);
    expect(r.stdout).toMatch(/✓ models: \d+ installed: tiny:latest/);
    expect(r.stdout).toMatch(/✓ test generation: tiny:latest answered "You" in \d+ ms/);
  });

  it("doctor and health exit 4 when the hub is unreachable, saying what to check", async () => {
    await hub.setFault("refuse");
    try {
      const r = await cli(["doctor"]);
      expect(r.code).toBe(EXIT.unreachable);
      expect(r.stdout).toContain("✗ reachable: [HUB_UNREACHABLE] Cannot reach the hub at");
      expect(r.stdout).toContain("TTSHUB_API_BASE");
      expect((await cli(["health"])).code).toBe(EXIT.unreachable);
    } finally {
      await hub.setFault(null);
    }
    expect((await cli(["health"])).stdout).toMatch(/^ok hub /);
  });

  it("health fails (exit 4) when the hub is up but Ollama behind it is not", async () => {
    const down = await startFakeHub({ ollamaUrl: "http://127.0.0.1:9" });
    try {
      const r = await cli(["health"], { env: { TTSHUB_API_BASE: down.apiBase, HUB_RETRIES: "0" } });
      expect(r.code).toBe(EXIT.unreachable);
      expect(r.stderr + r.stdout).toContain("cannot reach Ollama behind it");
    } finally {
      await down.close();
    }
  });

  it("works against Ollama directly with OLLAMA_URL", async () => {
    const r = await cli(["chat", "unicode:latest", "hi"], { env: { OLLAMA_URL: ollama.url } });
    expect(r.stdout).toBe('Grüße aus Zürich — 日本語 😀 «ok» it\'s "quoted" back\\slash\ntab\there\n');
  });

  it("exits 3 with one line naming the variable when the configuration is wrong", async () => {
    const none = await cli(["list"], { env: {} });
    expect(none.code).toBe(EXIT.config);
    expect(none.stderr).toContain("Set TTSHUB_API_BASE to your hub");
    const bad = await cli(["list"], { env: { TTSHUB_API_BASE: "10.0.0.2:7860/api" } });
    expect(bad.code).toBe(EXIT.config);
    expect(bad.stderr).toBe(
      'Configuration: TTSHUB_API_BASE must be an http(s) URL, e.g. http://10.0.0.2:7860/api (got "10.0.0.2:7860/api"). Fix it in .env or the environment.\n',
    );
    const badTimeout = await cli(["list"], { env: { OLLAMA_URL: ollama.url, HUB_IDLE_TIMEOUT_MS: "soon" } });
    expect(badTimeout.stderr).toContain("HUB_IDLE_TIMEOUT_MS must be a number of milliseconds");
  });

  it("exits 2 on an unknown command or option", async () => {
    expect((await cli(["frobnicate"])).code).toBe(EXIT.usage);
    expect((await cli(["list", "--bogus"])).stderr).toContain("Unknown option '--bogus'");
    expect((await cli(["--help"])).stdout).toContain("ollama-tg models pull NAME");
  });

  it("stops on Ctrl-C, keeping what was printed, with exit 130", async () => {
    ollama.settings.tokenDelayMs = 5;
    const controller = new AbortController();
    let printed = "";
    let stderr = "";
    const code = await runCli(["chat", "long:latest", "go"], {
      stdout: {
        write: (s: string) => {
          printed += s;
          if (printed.length > 10) controller.abort();
        },
      },
      stderr: { write: (s: string) => (stderr += s) },
      stdin: (async function* () {})(),
      env: { TTSHUB_API_BASE: hub.apiBase },
      signal: controller.signal,
    });
    ollama.settings.tokenDelayMs = 0;
    expect(code).toBe(EXIT.interrupted);
    expect(printed.startsWith("word0 word1")).toBe(true);
    expect(stderr).toContain("Interrupted.");
  });
});

describe("first contact", () => {
  it("runs models list, chat and health with a malformed TELEGRAM_BOT_TOKEN, which only doctor reports, with the fix", async () => {
    const env = { TTSHUB_API_BASE: hub.apiBase, TELEGRAM_BOT_TOKEN: "pasted-the-wrong-thing" };
    expect((await cli(["models", "list"], { env })).code).toBe(EXIT.ok);
    expect(await cli(["chat", "tiny:latest", "hi"], { env })).toMatchObject({
      code: EXIT.ok,
      stdout: "You said: hi\n",
    });
    expect((await cli(["health"], { env })).code).toBe(EXIT.ok);
    const doctor = await cli(["doctor"], { env });
    expect(doctor.stdout).toContain(
      "✗ bot configuration: TELEGRAM_BOT_TOKEN does not look like a bot token (digits:letters, e.g. 123456789:AAH…): copy it again from @BotFather",
    );
    expect(doctor.stdout).not.toContain("pasted-the-wrong-thing");
    expect(doctor.code).toBe(EXIT.failure);
  });

  it("doctor says a blank ALLOWED_USER_IDS lets nobody in yet, and still checks Telegram", async () => {
    const tg = await startFakeTelegram();
    const dataDir = await mkdtemp(join(tmpdir(), "doctor-"));
    const env = {
      TTSHUB_API_BASE: hub.apiBase,
      TELEGRAM_BOT_TOKEN: tg.token,
      TELEGRAM_API_ROOT: tg.apiRoot,
      ALLOWED_USER_IDS: "",
      DATA_DIR: dataDir,
    };
    try {
      const r = await cli(["doctor"], { env });
      expect(r.stdout).toContain(`✗ bot configuration: ${NOBODY_ALLOWED}\n`);
      expect(r.stdout).toMatch(/✓ telegram: the token belongs to @\w+/);
      expect(r.stdout).toContain("1 check(s) failed.");
      expect(r.code).toBe(EXIT.failure);
    } finally {
      await tg.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it("names the command the way it was run, in help, usage errors and hints", async () => {
    const npm = "npm run cli --";
    expect((await cli(["--help"], { name: npm })).stdout).toContain("npm run cli -- models pull NAME");
    expect((await cli(["--help"], { name: npm })).stdout).toContain("npm run -s cli --");
    const usage = await cli(["chat"], { name: npm });
    expect(usage.stderr).toBe(
      'Usage: npm run cli -- chat MODEL [PROMPT]  (without PROMPT, the prompt is read from stdin)\nRun "npm run cli -- --help" for usage.\n',
    );
    expect((await cli(["show"], { name: "node dist/cli/main.js" })).stderr).toContain(
      "Usage: node dist/cli/main.js models show NAME",
    );
    expect((await cli(["chat"])).stderr).toContain('Run "ollama-tg --help" for usage.');
  });

  it("tells how it was run from npm's environment and the script's path", () => {
    expect(invokedAs({ npm_lifecycle_event: "cli" }, "/repo/src/cli/main.ts", "/repo")).toBe(
      "npm run cli --",
    );
    expect(
      invokedAs(
        { npm_lifecycle_event: "cli", npm_config_loglevel: "silent" },
        "/repo/src/cli/main.ts",
        "/repo",
      ),
    ).toBe("npm run -s cli --");
    expect(invokedAs({}, "/repo/dist/cli/main.js", "/repo")).toBe("node dist/cli/main.js");
    expect(invokedAs({}, "/repo/src/cli/main.ts", "/repo")).toBe("npx tsx src/cli/main.ts");
    expect(invokedAs({}, "/usr/local/bin/ollama-tg", "/home/me")).toBe("ollama-tg");
    // Another package's script that calls the installed bin is not `npm run cli`.
    expect(invokedAs({ npm_lifecycle_event: "check" }, "/x/node_modules/.bin/ollama-tg", "/x")).toBe(
      "ollama-tg",
    );
  });

  it("says to add -s when npm's banner went ahead of --json on a pipe, and not when it did not", async () => {
    const viaNpm = { TTSHUB_API_BASE: hub.apiBase, npm_lifecycle_event: "cli" };
    const loud = await cli(["models", "list", "--json"], { env: viaNpm });
    expect(loud.stderr).toContain("add -s: npm run -s cli -- models list --json");
    expect(JSON.parse(loud.stdout)).toBeInstanceOf(Array);
    const silent = await cli(["models", "list", "--json"], {
      env: { ...viaNpm, npm_config_loglevel: "silent" },
    });
    expect(silent.stderr).toBe("");
  });

  it("refuses an option that means nothing to the command, with exit 2", async () => {
    const json = await cli(["pull", "new:1b", "--json"]);
    expect(json.code).toBe(EXIT.usage);
    expect(json.stderr).toContain(
      "--json works with models list, ps, show, chat, transcribe and voices, not with pull.",
    );
    expect((await cli(["chat", "tiny:latest", "--voice", "af_heart", "hi"])).code).toBe(EXIT.usage);
    expect((await cli(["list", "--bot"])).code).toBe(EXIT.usage);
    expect((await cli(["health", "--no-stream"])).code).toBe(EXIT.usage);
  });

  it("chat --json streams one JSON object a line: the deltas, then done with the whole answer and metrics", async () => {
    const r = await cli(["chat", "think:latest", "why?", "--json"]);
    expect(r.code).toBe(EXIT.ok);
    expect(r.stdout.endsWith("\n")).toBe(true);
    const events = r.stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(events.at(-1)).toMatchObject({
      type: "done",
      model: "think:latest",
      content: "You said: why?",
      thinking: "Let me think.",
      doneReason: "stop",
      stats: { evalTokens: expect.any(Number) },
    });
    const deltas = events.slice(0, -1);
    expect(new Set(deltas.map((e) => e.type))).toEqual(new Set(["thinking", "content"]));
    expect(
      deltas
        .filter((e) => e.type === "content")
        .map((e) => e.text)
        .join(""),
    ).toBe("You said: why?");
    expect(
      deltas
        .filter((e) => e.type === "thinking")
        .map((e) => e.text)
        .join(""),
    ).toBe("Let me think.");
    // Everything is on stdout: no thinking or metrics line on stderr to parse around.
    expect(r.stderr).toBe("");
  });

  it("chat --json --no-stream prints the done object alone", async () => {
    const r = await cli(["chat", "think:latest", "--no-stream", "--json"], { stdin: "why?" });
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      type: "done",
      content: "You said: why?",
      thinking: "Let me think.",
    });
  });

  it("chat --json ends a failed answer with an error line, keeping the exit code", async () => {
    const r = await cli(["chat", "crash:latest", "hello", "--json"]);
    expect(r.code).toBe(EXIT.serverError);
    const events = r.stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(events[0]).toEqual({ type: "content", text: "You said:" });
    expect(events.at(-1)).toMatchObject({ type: "error", code: "UPSTREAM_ERROR" });
    expect(r.stderr).toContain("Error [UPSTREAM_ERROR]");
  });

  it("chat --no-stream shows the thinking on stderr, as streaming does", async () => {
    const r = await cli(["chat", "think:latest", "--no-stream", "why?"]);
    expect(r.stdout).toBe("You said: why?\n");
    expect(r.stderr).toContain("Thinking: Let me think.\n");
  });

  describe("health --bot", () => {
    let dataDir: string;
    beforeAll(async () => {
      dataDir = await mkdtemp(join(tmpdir(), "heartbeat-"));
    });
    afterAll(async () => {
      await rm(dataDir, { recursive: true, force: true });
    });
    const env = () => ({ TTSHUB_API_BASE: hub.apiBase, DATA_DIR: dataDir });

    it("fails (exit 1) with one line when the bot has never polled", async () => {
      const r = await cli(["health", "--bot"], { env: env() });
      expect(r.code).toBe(EXIT.failure);
      expect(r.stderr).toBe(
        `Error [BOT_NOT_LIVE]: the bot is not running, or has not started yet (no heartbeat) (heartbeat ${heartbeatPath(dataDir)}).\n`,
      );
      expect(r.stdout).toBe("");
    });

    it("passes while the bot polls, and fails once its heartbeat is stale", async () => {
      const now = Date.now();
      await writeHeartbeat(heartbeatPath(dataDir), {
        pid: 1,
        writtenAt: now - 1_000,
        lastPollAt: now - 5_000,
      });
      const live = await cli(["health", "--bot"], { env: env(), now: () => now });
      expect(live.code).toBe(EXIT.ok);
      expect(live.stdout).toMatch(/^ok hub .*; the bot polled Telegram 5 s ago\n$/);
      const later = await cli(["health", "--bot"], { env: env(), now: () => now + 10 * 60_000 });
      expect(later.code).toBe(EXIT.failure);
      expect(later.stderr).toContain("Error [BOT_NOT_LIVE]: the bot is not running (its heartbeat is stale)");
      // Without --bot, health is about the hub alone.
      expect((await cli(["health"], { env: env(), now: () => now + 10 * 60_000 })).code).toBe(EXIT.ok);
    });

    it("fails at once when the bot's process is gone (killed), though its heartbeat is fresh", async () => {
      const child = spawn(process.execPath, ["-e", ""]);
      const pid = child.pid!;
      await new Promise((r) => child.once("exit", r));
      const now = Date.now();
      await writeHeartbeat(heartbeatPath(dataDir), { pid, writtenAt: now, lastPollAt: now });
      const r = await cli(["health", "--bot"], { env: env(), now: () => now });
      expect(r.code).toBe(EXIT.failure);
      expect(r.stderr).toContain(`the bot is not running (its process ${pid} has exited)`);
    });

    it("fails when the bot runs but has stopped polling Telegram", async () => {
      const now = Date.now();
      await writeHeartbeat(heartbeatPath(dataDir), { pid: 1, writtenAt: now, lastPollAt: now - 200_000 });
      const r = await cli(["health", "--bot"], { env: env(), now: () => now });
      expect(r.code).toBe(EXIT.failure);
      expect(r.stderr).toContain("the bot has not polled Telegram for 200 s");
    });
  });
});

describe("speech through the hub", () => {
  const input = (name: string) => fileURLToPath(new URL(`../fixtures/hub-media/${name}`, import.meta.url));
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "say-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  afterEach(() => hub.setSpeech(DEFAULT_SPEECH));

  it("transcribe prints what was said, and the whole typed transcript with --json", async () => {
    const r = await cli(["transcribe", input("input-voice.ogg")]);
    expect(r).toMatchObject({ code: EXIT.ok, stdout: "Hello from a voice note.\n" });
    expect(r.stderr).toContain("en, 2.0 s");
    const json = await cli(["transcribe", "--json", input("input-voice.mp3")]);
    expect(JSON.parse(json.stdout)).toMatchObject({
      text: "Hello from a voice note.",
      language: "en",
      durationSeconds: 1.5,
      words: [{ text: "Hello", start: 0.08, end: 0.4, confidence: 0.99 }, {}, {}, {}, {}],
      segments: [{ text: "Hello from a voice note.", start: 0.08, end: 1.43 }],
    });
  });

  it("transcribe of a .wav works although the hub fails on that name", async () => {
    const r = await cli(["transcribe", input("input-voice.wav")]);
    expect(r).toMatchObject({ code: EXIT.ok, stdout: "Hello from a voice note.\n" });
    expect(hub.uploads.at(-1)?.filename).toBe("input-voice.bin");
  });

  it("transcribe says nothing was heard in silence, and succeeds", async () => {
    const r = await cli(["transcribe", input("input-silence.ogg")]);
    expect(r).toMatchObject({ code: EXIT.ok, stdout: "" });
    expect(r.stderr).toContain("No speech heard");
  });

  it.each(["stub", "strict"] as const)(
    "transcribe on a hub without speech-to-text (%s) fails with one line and exit 6, printing no words",
    async (stt) => {
      hub.setSpeech({ stt });
      const r = await cli(["transcribe", input("input-voice.ogg")]);
      expect(r.code).toBe(EXIT.serverError);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(/^Error \[STT_UNAVAILABLE\]: The hub at .* has no speech-to-text engine.*\n$/);
      expect(r.stderr.split("\n")).toHaveLength(2);
      expect(r.stderr).not.toContain("word1");
    },
  );

  it("transcribe exits 1 for what is not audio or cannot be read, 2 without FILE, 3 against Ollama", async () => {
    const notes = await cli(["transcribe", input("input-notes.txt")]);
    expect(notes.code).toBe(EXIT.failure);
    expect(notes.stderr).toContain("Error [MEDIA_INVALID]");
    const missing = await cli(["transcribe", join(dir, "nope.ogg")]);
    expect(missing.code).toBe(EXIT.failure);
    expect(missing.stderr).toContain("cannot read");
    expect((await cli(["transcribe"])).code).toBe(EXIT.usage);
    const direct = await cli(["transcribe", input("input-voice.ogg")], { env: { OLLAMA_URL: ollama.url } });
    expect(direct.code).toBe(EXIT.config);
    expect(direct.stderr).toContain("Error [MEDIA_UNSUPPORTED]: transcribe needs the hub");
  });

  it("transcribe exits 6 naming ffmpeg when the hub has none", async () => {
    hub.setSpeech({ ffmpeg: false });
    const r = await cli(["transcribe", input("input-voice.ogg")]);
    expect(r.code).toBe(EXIT.serverError);
    expect(r.stderr).toContain("Error [FFMPEG_MISSING]");
  });

  it("voices lists ids, gender and language (from the id, not the hub's locale)", async () => {
    const r = await cli(["voices"]);
    expect(r.code).toBe(EXIT.ok);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toMatch(/^ID\s+GENDER\s+LANGUAGE$/);
    expect(r.stdout).toMatch(/^af_heart\s+female\s+en-us\s+American English$/m);
    expect(r.stdout).toMatch(/^bf_emma\s+female\s+en-gb\s+British English$/m);
    expect(r.stdout).toMatch(/^jm_kumo\s+male\s+ja\s+Japanese$/m);
    expect(lines.filter(Boolean)).toHaveLength(55);
    const json = JSON.parse((await cli(["voices", "--json"])).stdout);
    expect(json.voices).toHaveLength(54);
  });

  it("voices exits 6 when the hub's Kokoro cannot run", async () => {
    hub.setSpeech({ kokoro: "no-model" });
    const r = await cli(["voices"]);
    expect(r.code).toBe(EXIT.serverError);
    expect(r.stderr).toContain("Error [TTS_UNAVAILABLE]");
  });

  it("say writes the WAV the hub made, with af_heart unless --voice says otherwise", async () => {
    const out = join(dir, "hello.wav");
    const r = await cli(["say", "--out", out, "Hello", "from", "the", "hub."]);
    expect(r.code).toBe(EXIT.ok);
    expect(r.stdout).toMatch(new RegExp(`^Saved ${out} \\(\\d+\\.\\d s, voice af_heart, en-us\\)\\.\\n$`));
    const wav = readFileSync(out);
    expect(wav.toString("latin1", 0, 4)).toBe("RIFF");
    expect(wav.readUInt32LE(24)).toBe(24000);
    expect(hub.requests.findLast((q) => q.path === "/api/synthesise")?.body).toMatchObject({
      text: "Hello from the hub.",
      voice: "af_heart",
    });
    const uk = await cli(["say", "--voice", "bf_emma", "-o", out, "Cheerio."]);
    expect(uk.stdout).toContain("voice bf_emma, en-gb");
  });

  it("say exits 5 for a voice the hub does not have, 6 when it cannot speak, 2 without text", async () => {
    const unknown = await cli(["say", "--voice", "xx_nobody", "--out", join(dir, "x.wav"), "Hi."]);
    expect(unknown.code).toBe(EXIT.modelNotFound);
    expect(unknown.stderr).toContain("Error [VOICE_NOT_FOUND]: The hub at");
    expect((await cli(["say", "--out", join(dir, "x.wav")], { stdin: " " })).code).toBe(EXIT.usage);
    hub.setSpeech({ kokoro: "no-model" });
    const down = await cli(["say", "--out", join(dir, "x.wav"), "Hi."]);
    expect(down.code).toBe(EXIT.serverError);
    expect(down.stderr).toContain("Error [TTS_UNAVAILABLE]");
  });

  it("lists the speech commands in --help", async () => {
    const help = (await cli(["--help"])).stdout;
    expect(help).toContain("ollama-tg transcribe FILE");
    expect(help).toContain("ollama-tg voices");
    expect(help).toMatch(/ollama-tg say TEXT .*\n\s+--voice V .*\n\s+--out FILE /);
    expect(help).toContain("5 model or voice not found");
  });
});

describe("chat with images and documents", () => {
  let seer: FakeOllama;
  let seerHub: FakeHub;
  let dir = "";
  const viaHub = () => ({ TTSHUB_API_BASE: seerHub.apiBase });
  const png = Buffer.concat([Buffer.from("89504e470d0a1a0a", "hex"), Buffer.alloc(3_000, 1)]);
  const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(5_000, 2)]);
  const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
  const file = async (name: string, bytes: Uint8Array | string) => {
    const path = join(dir, name);
    await writeFile(path, bytes);
    return path;
  };
  interface Sent {
    model: string;
    messages: Array<{ role: string; content: string; images?: string[] }>;
  }
  const chats = () => seer.requests.filter((r) => r.path === "/api/chat");
  const lastSent = () => chats().at(-1)!.body as Sent;

  beforeAll(async () => {
    seer = await startFakeOllama({
      models: [...DEFAULT_MODELS, "llava:7b"],
      modelInfo: { "llava:7b": { capabilities: ["completion", "vision"] } },
    });
    seerHub = await startFakeHub({ ollamaUrl: seer.url });
    dir = await mkdtemp(join(tmpdir(), "cli-media-"));
  });
  afterAll(async () => {
    await seerHub.close();
    await seer.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("sends each --image base64 in the user message, and Ollama gets the files' bytes", async () => {
    const a = await file("a.png", png);
    const b = await file("b.jpg", jpeg);
    const r = await cli(["chat", "llava:7b", "--image", a, "--image", b, "what", "is", "this?"], {
      env: viaHub(),
    });
    expect(r).toMatchObject({ code: EXIT.ok, stdout: "You said: what is this?\n" });
    expect(lastSent().messages).toEqual([
      { role: "user", content: "what is this?", images: [png.toString("base64"), jpeg.toString("base64")] },
    ]);
    expect(seer.images.slice(-2).map(({ bytes, sha256, message }) => ({ bytes, sha256, message }))).toEqual([
      { bytes: png.length, sha256: sha256(png), message: 0 },
      { bytes: jpeg.length, sha256: sha256(jpeg), message: 0 },
    ]);
  });

  it("asks the bot's default question when no prompt is typed, and says so on a terminal", async () => {
    const a = await file("a.png", png);
    const one = await cli(["chat", "llava:7b", "--image", a], { env: viaHub(), stdin: "\n", stdinTty: true });
    expect(one).toMatchObject({ code: EXIT.ok, stdout: "You said: Describe this image.\n" });
    expect(one.stderr).toContain(
      "Type your prompt, then press Ctrl-D (Ctrl-D alone asks: Describe this image.):",
    );
    const two = await cli(["chat", "llava:7b", "--image", a, "--image", a], { env: viaHub() });
    expect(two.stdout).toBe("You said: Describe these images.\n");
    expect(lastSent().messages[0]!.images).toHaveLength(2);
  });

  it("works with stdin, --system, --no-stream and --json, and against Ollama directly", async () => {
    const a = await file("a.png", png);
    const piped = await cli(["chat", "llava:7b", "--image", a, "--system", "Be brief.", "--no-stream"], {
      env: viaHub(),
      stdin: "what colour?\n",
    });
    expect(piped.stdout).toBe("You said: what colour?\n");
    expect(lastSent().messages).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "what colour?", images: [png.toString("base64")] },
    ]);
    const json = await cli(["chat", "llava:7b", "--json", "--image", a, "hi"], { env: viaHub() });
    expect(JSON.parse(json.stdout.trimEnd().split("\n").at(-1)!)).toMatchObject({
      type: "done",
      content: "You said: hi",
    });
    const direct = await cli(["chat", "llava:7b", "--image", a, "hi"], { env: { OLLAMA_URL: seer.url } });
    expect(direct).toMatchObject({ code: EXIT.ok, stdout: "You said: hi\n" });
    expect(seer.images.at(-1)).toMatchObject({ bytes: png.length, sha256: sha256(png) });
  });

  it("refuses a missing, empty, oversized or non-image --image with one line and exit 1, asking no model", async () => {
    const before = chats().length;
    const missing = await cli(["chat", "llava:7b", "--image", join(dir, "nope.png"), "hi"], {
      env: viaHub(),
    });
    expect(missing).toMatchObject({
      code: EXIT.failure,
      stdout: "",
      stderr: `Error [FILE_UNREADABLE]: cannot read ${join(dir, "nope.png")}: there is no such file (ENOENT).\n`,
    });
    const folder = await cli(["chat", "llava:7b", "--image", dir, "hi"], { env: viaHub() });
    expect(folder.stderr).toContain("it is a folder, not a file (EISDIR)");
    const notes = await file("notes.txt", "just words");
    const text = await cli(["chat", "llava:7b", "--image", notes, "hi"], { env: viaHub() });
    expect(text.code).toBe(EXIT.failure);
    expect(text.stderr).toBe(
      `Error [NOT_AN_IMAGE]: ${notes} is not an image a model reads: send a PNG, JPEG, WebP, GIF or BMP (a document goes with --file).\n`,
    );
    const empty = await file("empty.png", "");
    expect((await cli(["chat", "llava:7b", "--image", empty, "hi"], { env: viaHub() })).stderr).toContain(
      "is empty (0 bytes)",
    );
    // A sparse file: refused by its size, never read.
    const huge = join(dir, "huge.png");
    await writeFile(huge, png);
    await truncate(huge, ATTACHMENT_MAX_BYTES + 5 * 1024 * 1024);
    const big = await cli(["chat", "llava:7b", "--image", huge, "hi"], { env: viaHub() });
    expect(big.code).toBe(EXIT.failure);
    expect(big.stderr).toMatch(
      /^Error \[FILE_TOO_BIG\]: .*huge\.png is 25\.0 MB; an image is read up to 20 MB\. Use a smaller one\.\n$/,
    );
    expect(chats().length).toBe(before);
  });

  it("refuses --image for a model that cannot see, naming the installed ones that can", async () => {
    const a = await file("a.png", png);
    const before = chats().length;
    const r = await cli(["chat", "tiny:latest", "--image", a, "hi"], { env: viaHub() });
    expect(r).toMatchObject({
      code: EXIT.failure,
      stderr:
        "Error [MODEL_CANNOT_SEE]: tiny:latest cannot see images (it can: completion). Installed models that can: llava:7b.\n",
    });
    expect(chats().length).toBe(before);
    expect((await cli(["chat", "missing:1b", "--image", a, "hi"], { env: viaHub() })).code).toBe(
      EXIT.modelNotFound,
    );
  });

  it("puts a --file document's text before the question, as the bot does", async () => {
    const notes = await file("notes.md", "# Plan\n\nShip on Friday.\n");
    const r = await cli(["chat", "tiny:latest", "--file", notes, "when", "do", "we", "ship?"], {
      env: viaHub(),
    });
    expect(r.code).toBe(EXIT.ok);
    const content = "[Document: notes.md]\n\n# Plan\n\nShip on Friday.\n\nwhen do we ship?";
    expect(lastSent().messages).toEqual([{ role: "user", content }]);
    expect(r.stdout).toBe(`You said: ${content}\n`);
    expect(r.stderr).not.toContain("Note:");
  });

  it("reads a PDF and a Word document, and summarises when no question is asked", async () => {
    const pdf = await file("report.pdf", buildPdf([{ lines: ["Revenue grew 12 percent."] }]));
    const fromPdf = await cli(["chat", "tiny:latest", "--file", pdf], { env: viaHub() });
    expect(fromPdf.code).toBe(EXIT.ok);
    expect(lastSent().messages[0]!.content).toMatch(
      /^\[Document: report\.pdf\]\n\nRevenue grew 12 percent\.\n*\n\nSummarise this document\.$/,
    );
    const docx = await file("letter.docx", await buildDocx(["Dear team,", "we are moving."]));
    const fromDocx = await cli(["chat", "tiny:latest", "--file", docx, "--no-stream", "who moves?"], {
      env: viaHub(),
    });
    expect(fromDocx.code).toBe(EXIT.ok);
    expect(lastSent().messages[0]!.content).toMatch(
      /^\[Document: letter\.docx\]\n\nDear team,\n+we are moving\.\n*\n\nwho moves\?$/,
    );
  });

  it("cuts a long document to DOC_MAX_CHARS and says how much was sent", async () => {
    const long = await file("long.txt", "abc".repeat(10_000));
    const r = await cli(["chat", "tiny:latest", "--file", long, "--json", "gist?"], { env: viaHub() });
    expect(r.code).toBe(EXIT.ok);
    const content = lastSent().messages[0]!.content;
    expect(content.startsWith("[Document: long.txt]\n\nabcabc")).toBe(true);
    expect(content.endsWith("\n\ngist?")).toBe(true);
    expect(content.length).toBe("[Document: long.txt]\n\n\n\ngist?".length + DOC_MAX_CHARS);
    expect(r.stderr).toBe(
      `Note: long.txt holds 30000 characters; only the first ${DOC_MAX_CHARS} were sent (what Ollama's default context takes with room for the answer).\n`,
    );
  });

  it("refuses a document it cannot read with one line and exit 1, asking no model", async () => {
    const before = chats().length;
    const image = await file("scan.png", png);
    const unsupported = await cli(["chat", "tiny:latest", "--file", image, "hi"], { env: viaHub() });
    expect(unsupported).toMatchObject({ code: EXIT.failure, stdout: "" });
    expect(unsupported.stderr).toBe(
      `Error [DOCUMENT_UNSUPPORTED]: ${image}: Files of this kind (png) cannot be read. Send a text file, a PDF or a Word document (.docx), or paste the text.\n`,
    );
    const broken = await file("broken.pdf", "%PDF-1.7\nthis is no pdf at all");
    const bad = await cli(["chat", "tiny:latest", "--file", broken, "hi"], { env: viaHub() });
    expect(bad.code).toBe(EXIT.failure);
    expect(bad.stderr).toMatch(
      /^Error \[DOCUMENT_INVALID\]: .*broken\.pdf: The PDF is damaged and cannot be read/,
    );
    expect(bad.stderr.split("\n")).toHaveLength(2);
    const blank = await file("blank.txt", "   \n\n ");
    expect((await cli(["chat", "tiny:latest", "--file", blank, "hi"], { env: viaHub() })).stderr).toBe(
      `Error [DOCUMENT_NO_TEXT]: ${blank}: The text file contains no text.\n`,
    );
    const missing = await cli(["chat", "tiny:latest", "--file", join(dir, "gone.pdf"), "hi"], {
      env: viaHub(),
    });
    expect(missing.code).toBe(EXIT.failure);
    expect(missing.stderr).toContain("Error [FILE_UNREADABLE]: cannot read");
    expect(chats().length).toBe(before);
  });

  it("takes an image and a document together", async () => {
    const a = await file("a.png", png);
    const notes = await file("caption.txt", "A red car.");
    const r = await cli(["chat", "llava:7b", "--image", a, "--file", notes, "does it match?"], {
      env: viaHub(),
    });
    expect(r.code).toBe(EXIT.ok);
    expect(lastSent().messages).toEqual([
      {
        role: "user",
        content: "[Document: caption.txt]\n\nA red car.\n\ndoes it match?",
        images: [png.toString("base64")],
      },
    ]);
  });

  it("is a usage error (exit 2) to give --file twice, an empty name, or either to another command", async () => {
    const notes = await file("n.txt", "x");
    const twice = await cli(["chat", "tiny:latest", "--file", notes, "--file", notes, "hi"], {
      env: viaHub(),
    });
    expect(twice.code).toBe(EXIT.usage);
    expect(twice.stderr).toContain("--file takes one document");
    expect((await cli(["chat", "llava:7b", "--image", "", "hi"], { env: viaHub() })).code).toBe(EXIT.usage);
    const list = await cli(["list", "--image", notes], { env: viaHub() });
    expect(list.code).toBe(EXIT.usage);
    expect(list.stderr).toContain("--image works with chat, not with list.");
    expect((await cli(["say", "--file", notes, "hi"], { env: viaHub() })).code).toBe(EXIT.usage);
  });

  it("lists --image and --file under chat in --help", async () => {
    const help = (await cli(["--help"])).stdout;
    expect(help).toMatch(
      /ollama-tg chat MODEL \[PROMPT\] .*\n(\s+--.*\n)*\s+--image FILE .*repeat for more\n/,
    );
    expect(help).toMatch(/\n\s+--file DOC .*PDF, \.docx.*8000 characters\n/);
  });
});

describe("the installed entry point", () => {
  it("runs as a process and returns the documented exit code", async () => {
    const entry = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));
    const run = promisify(execFile);
    const ok = await run(process.execPath, ["--import", "tsx", entry, "list"], {
      env: { ...process.env, TTSHUB_API_BASE: hub.apiBase, OLLAMA_URL: "" },
    });
    expect(ok.stdout).toContain("tiny:latest");
    const missing = await run(process.execPath, ["--import", "tsx", entry, "show", "missing:latest"], {
      env: { ...process.env, TTSHUB_API_BASE: hub.apiBase },
    }).catch((e: { code: number; stderr: string }) => e);
    expect((missing as { code: number }).code).toBe(EXIT.modelNotFound);
  });
});

describe("the process, as a user runs it", () => {
  const root = fileURLToPath(new URL("../../", import.meta.url));
  const entry = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));

  it("npm run -s cli -- models list --json prints the JSON alone on stdout (for jq)", async () => {
    const { stdout } = await promisify(execFile)(
      "npm",
      ["run", "-s", "cli", "--", "models", "list", "--json"],
      {
        cwd: root,
        env: { ...process.env, TTSHUB_API_BASE: hub.apiBase, OLLAMA_URL: "" },
      },
    );
    expect(JSON.parse(stdout).map((m: { name: string }) => m.name)).toContain("tiny:latest");
  });

  it("the bin is a script the shell can run: a node shebang on the file package.json names", () => {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
      bin: Record<string, string>;
    };
    // tsconfig.build.json maps src/ to dist/, and tsc keeps a first-line shebang.
    expect(pkg.bin["ollama-tg"]).toBe("dist/cli/main.js");
    expect(readFileSync(entry, "utf8").split("\n")[0]).toBe("#!/usr/bin/env node");
  });

  it("exits 130 at once on Ctrl-C while it waits for a prompt on stdin", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", entry, "chat", "tiny:latest"], {
      cwd: root,
      env: { ...process.env, TTSHUB_API_BASE: hub.apiBase, OLLAMA_URL: "" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    // More than a pipe holds: once written, the CLI is reading stdin, so its Ctrl-C handler is in place.
    await new Promise<void>((resolve, reject) =>
      child.stdin.write("x".repeat(1 << 20), (err) => (err ? reject(err) : resolve())),
    );
    child.kill("SIGINT"); // stdin stays open: no EOF will come
    const guard = setTimeout(() => child.kill("SIGKILL"), 5_000);
    const code = await exited;
    clearTimeout(guard);
    expect(code, "still waiting for stdin 5 s after Ctrl-C").toBe(EXIT.interrupted);
    expect(stderr).toContain("Interrupted.");
  }, 15_000);
});

describe("progress rendering", () => {
  it("shows percent, sizes, speed and ETA, within the width", () => {
    const line = renderProgress(
      { status: "pulling 6a0746a1ec1a", completed: 250e6, total: 1e9, bytesPerSecond: 25e6 },
      100,
    );
    expect(line).toMatch(
      /^pulling 6a0746a1ec1a {2}\[█+░+\] {2}25% {2}250 MB\/1\.0 GB {2}25\.0 MB\/s {2}ETA 00:30$/,
    );
    expect(renderProgress({ status: "x".repeat(200) }, 50)).toHaveLength(50);
  });

  it("measures speed over a sliding window and restarts on a new layer", () => {
    const m = new SpeedMeter(5_000);
    m.add(0, 0);
    expect(m.bytesPerSecond()).toBeUndefined();
    m.add(1_000, 10e6);
    expect(m.bytesPerSecond()).toBe(10e6);
    m.add(10_000, 19e6);
    expect(m.bytesPerSecond()).toBe(1e6);
    m.add(11_000, 0); // next layer starts from zero
    expect(m.bytesPerSecond()).toBeUndefined();
  });
});
