import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliIo, EXIT, runCli } from "../../src/cli/cli.js";
import { OllamaClient } from "../../src/hub/index.js";
import { renderProgress, SpeedMeter } from "../../src/util/progress.js";
import { type FakeHub, startFakeHub } from "../fakes/hub.js";
import { type FakeOllama, startFakeOllama } from "../fakes/ollama.js";
import { startFakeTelegram } from "../fakes/telegram.js";

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
  opts: { env?: NodeJS.ProcessEnv; stdin?: string; tty?: boolean; signal?: AbortSignal } = {},
): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s), isTTY: opts.tty ?? false, columns: 100 },
    stdin: (async function* () {
      if (opts.stdin !== undefined) yield opts.stdin;
    })(),
    env: opts.env ?? { TTSHUB_API_BASE: hub.apiBase },
    // Short backoff so failure paths stay fast; everything else is the production client.
    makeClient: (config) => new OllamaClient({ ...config.client, retryBaseDelayMs: 1 }),
    ...(opts.signal ? { signal: opts.signal } : {}),
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
