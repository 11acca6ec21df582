import { mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { basename, isAbsolute, join, relative } from "node:path";
import { parseArgs } from "node:util";
import { request } from "undici";
import { inspectCluster } from "../cluster/index.js";
import { type BotConfig, type Config, ConfigError, loadConfig } from "../config/index.js";
import {
  type ChatMessage,
  type Completion,
  HubAbortedError,
  HubError,
  type HubErrorCode,
  type ModelSummary,
  OllamaClient,
  TtsUnavailableError,
  UploadTooLargeError,
  wavInfo,
} from "../hub/index.js";
import { type DocumentError, extractText, isDocumentError } from "../media/index.js";
import { deadline } from "../util/deadline.js";
import { heartbeatPath, heartbeatProblem, processAlive, readHeartbeat } from "../util/heartbeat.js";
import { formatBytes, renderProgress, SpeedMeter } from "../util/progress.js";
import { maskUrl } from "../util/secrets.js";

/** Exit codes a script can rely on. */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  config: 3,
  unreachable: 4,
  modelNotFound: 5,
  serverError: 6,
  interrupted: 130,
} as const;

const EXIT_BY_CODE: Record<HubErrorCode, number> = {
  HUB_UNREACHABLE: EXIT.unreachable,
  HUB_TIMEOUT: EXIT.unreachable,
  MODEL_NOT_FOUND: EXIT.modelNotFound,
  HUB_HTTP_ERROR: EXIT.serverError,
  OLLAMA_UNAVAILABLE: EXIT.unreachable,
  UPSTREAM_ERROR: EXIT.serverError,
  STREAM_INCOMPLETE: EXIT.serverError,
  BAD_PAYLOAD: EXIT.serverError,
  PAYLOAD_TOO_LARGE: EXIT.serverError,
  ABORTED: EXIT.interrupted,
  INVALID_ARGUMENT: EXIT.usage,
  // Speech: direct mode has none (set TTSHUB_API_BASE); what the hub lacks is a server error; bad input fails.
  MEDIA_UNSUPPORTED: EXIT.config,
  STT_UNAVAILABLE: EXIT.serverError,
  STT_FAILED: EXIT.serverError,
  FFMPEG_MISSING: EXIT.serverError,
  TTS_UNAVAILABLE: EXIT.serverError,
  AUDIO_NOT_FOUND: EXIT.serverError,
  MEDIA_INVALID: EXIT.failure,
  UPLOAD_TOO_LARGE: EXIT.failure,
  VOICE_NOT_FOUND: EXIT.modelNotFound,
};

export interface Output {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface CliIo {
  stdout: Output;
  stderr: Output;
  /** Read for a prompt; `destroy`, when there, lets Ctrl-C end a read that would wait for more input. */
  stdin: AsyncIterable<string | Uint8Array> & { isTTY?: boolean; destroy?: () => unknown };
  env: NodeJS.ProcessEnv;
  /** How the user ran the CLI, as usage texts and hints name it (see {@link invokedAs}). Default `ollama-tg`. */
  name?: string;
  /** Fires on Ctrl-C: a streaming answer stops, keeping what was printed. */
  signal?: AbortSignal;
  /** Wall clock in ms, for the pull speed and the bot's heartbeat. Default `Date.now`. */
  now?: () => number;
  /** Builds the client from the configuration (tests pass options such as short retry delays). */
  makeClient?: (config: Config) => OllamaClient;
  /** Whether there is no `.env` to read (a configuration error then says to copy `.env.example`). */
  envFileMissing?: () => boolean;
}

/**
 * How the user ran the CLI, for the texts that tell them what to run next: `npm run cli --` (or `npm run -s cli
 * --`) from a checkout, `node dist/cli/main.js` after a build, `ollama-tg` when installed (`npm link`, a global
 * install, npx). `script` is `process.argv[1]`, which keeps the name of a bin's symlink.
 */
export function invokedAs(env: NodeJS.ProcessEnv, script: string | undefined, cwd: string): string {
  if (env.npm_lifecycle_event === "cli") {
    return env.npm_config_loglevel === "silent" ? "npm run -s cli --" : "npm run cli --";
  }
  if (script !== undefined && /^main\.[cm]?[jt]s$/.test(basename(script))) {
    const rel = relative(cwd, script);
    const shown = rel.startsWith("..") || isAbsolute(rel) ? script : rel;
    return /\.[cm]?ts$/.test(script) ? `npx tsx ${shown}` : `node ${shown}`;
  }
  return "ollama-tg";
}

/** The `--help` text, naming the command as the user ran it. */
export function help(name = "ollama-tg"): string {
  const rows: Array<[string, string]> = [
    [`${name} models list`, "installed models (or just: list)"],
    [`${name} models ps`, "models loaded in memory now (or just: ps)"],
    [`${name} models show NAME`, "details of one model (or just: show NAME)"],
    [`${name} models pull NAME`, "download a model, with a progress bar (or just: pull NAME)"],
    [`${name} models delete NAME`, "remove a model (or just: delete NAME)"],
    [`${name} chat MODEL [PROMPT]`, "ask MODEL; the answer streams to stdout (no PROMPT: read stdin)"],
    ["    --no-stream", "print the answer when it is complete"],
    ["    --system TEXT", "system prompt"],
    [
      "    --image FILE",
      "an image (PNG, JPEG, WebP, GIF, BMP; at most 20 MB) for a model that sees; repeat for more",
    ],
    [
      "    --file DOC",
      `a document's text (text, HTML, PDF, .docx) goes before the prompt, at most ${DOC_MAX_CHARS} characters`,
    ],
    ["    --json", "one JSON object a line: thinking and content deltas, then done with the metrics"],
    [`${name} transcribe FILE`, "speech to text through the hub (a voice note's .ogg/.oga, .mp3, ...)"],
    ["    --json", "the whole transcript: text, language, duration, words and segments with timings"],
    [`${name} voices`, "the hub's voices for say: id, gender, language"],
    [`${name} say TEXT`, "the hub speaks TEXT into a WAV file (no TEXT: read stdin)"],
    ["    --voice V", "a voice from voices (default af_heart, else the hub's first)"],
    ["    --out FILE", "where to write the WAV (default: the hub's file name, here)"],
    [`${name} doctor`, "check configuration, hub, latency, models and a one-token generation"],
    [`${name} health`, "exit 0 when the hub and Ollama behind it answer (for container health checks)"],
    ["    --bot", "and the bot is polling Telegram (its heartbeat in DATA_DIR is fresh)"],
  ];
  const width = Math.max(...rows.map(([cmd]) => cmd.length)) + 2;
  const npm =
    name === "npm run cli --"
      ? "\nFrom npm, for output a program reads (--json | jq): npm run -s cli -- … (-s keeps npm's banner off stdout).\n"
      : "";
  return `${name}: talk to your Ollama models through the hub (TTSHUB_API_BASE) or Ollama itself (OLLAMA_URL).

Usage:
${rows.map(([cmd, what]) => `  ${cmd.padEnd(width)}${what}`).join("\n")}

Options: --json (list, ps, show, chat, transcribe, voices: machine-readable output), --help, --version
Exit codes: 0 ok, 1 failure, 2 usage, 3 configuration (speech needs the hub), 4 hub unreachable or timed out,
            5 model or voice not found, 6 server or stream error (the hub lacks speech), 130 interrupted.
${npm}`;
}

/**
 * `health` makes at most this many calls (the hub's /health, then the model list), one attempt each and each
 * within `HEALTH_CALL_TIMEOUT_MS`: the Dockerfile's HEALTHCHECK timeout must be longer than the two together.
 */
export const HEALTH_CALLS = 2;
export const HEALTH_CALL_TIMEOUT_MS = 8_000;

class UsageError extends Error {}

/**
 * What the user gave cannot be sent: a file that cannot be read or is too big, an image that is none, a document
 * with no text we can read, a model that cannot see. Reported as one line with the code, exit 1.
 */
class InputError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The largest image or document `chat` reads: the bot's default (MEDIA_MAX_MB), Telegram's cloud limit. */
export const ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024;

/**
 * The most characters of a `--file` document put in the prompt. The CLI sends no `num_ctx`, so Ollama's default
 * context holds the prompt (4096 tokens on a machine under 24 GiB of VRAM): a quarter kept for the answer and 80%
 * of the rest at 3.5 characters a token, as the bot counts, is about this. More would be cut by Ollama silently,
 * from the front; here the user is told.
 */
export const DOC_MAX_CHARS = 8_000;

const COMMANDS = new Set([
  "list",
  "ls",
  "ps",
  "show",
  "pull",
  "delete",
  "rm",
  "chat",
  "doctor",
  "health",
  "transcribe",
  "voices",
  "say",
]);

/** The commands each option means something to: given to another, it is a usage error, not silently ignored. */
const OPTION_COMMANDS: Record<string, { commands: string[]; says: string }> = {
  json: {
    commands: ["list", "ls", "ps", "show", "chat", "transcribe", "voices"],
    says: "models list, ps, show, chat, transcribe and voices",
  },
  "no-stream": { commands: ["chat"], says: "chat" },
  system: { commands: ["chat"], says: "chat" },
  image: { commands: ["chat"], says: "chat" },
  file: { commands: ["chat"], says: "chat" },
  bot: { commands: ["health"], says: "health" },
  voice: { commands: ["say"], says: "say" },
  out: { commands: ["say"], says: "say" },
};

/** Runs one CLI command and returns its exit code. Never throws, never calls `process.exit`. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const name = io.name ?? "ollama-tg";
  const seeHelp = `Run "${name} --help" for usage.`;
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (err) {
    io.stderr.write(`${(err as Error).message}\n${seeHelp}\n`);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  if (values.version) {
    io.stdout.write("ollama-tg 0.1.0\n");
    return EXIT.ok;
  }
  let [command, ...rest] = positionals;
  if (values.help || command === undefined || command === "help") {
    io.stdout.write(help(name));
    return command === undefined && !values.help ? EXIT.usage : EXIT.ok;
  }
  if (command === "models") {
    command = rest.shift() ?? "list";
  }
  // A usage error is one whatever the configuration: checked before the configuration is read.
  if (!COMMANDS.has(command)) {
    io.stderr.write(`Unknown command "${command}".\n${seeHelp}\n`);
    return EXIT.usage;
  }
  for (const [option, { commands, says }] of Object.entries(OPTION_COMMANDS)) {
    if (values[option as keyof typeof values] !== undefined && !commands.includes(command)) {
      io.stderr.write(`--${option} works with ${says}, not with ${command}.\n${seeHelp}\n`);
      return EXIT.usage;
    }
  }
  const json = values.json === true;
  if (
    json &&
    io.env.npm_lifecycle_event === "cli" &&
    io.env.npm_config_loglevel !== "silent" &&
    !io.stdout.isTTY
  ) {
    // npm has already written its "> ollama-telegram@… cli" banner to the same stdout: a JSON reader chokes on it.
    io.stderr.write(
      `Note: npm printed its banner on stdout ahead of this JSON. For output a program can read, add -s: npm run -s cli -- ${argv.join(" ")}\n`,
    );
  }

  let config: Config;
  try {
    config = loadConfig(io.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr.write(err.message.replace(/^/gm, "Configuration: ").concat("\n"));
      if (io.envFileMissing?.()) {
        io.stderr.write("Configuration: there is no .env here: cp .env.example .env, then fill it in.\n");
      }
      return EXIT.config;
    }
    throw err;
  }
  // A health check must answer within the container's HEALTHCHECK timeout: one attempt per call, each bounded
  // (HUB_REQUEST_TIMEOUT_MS=0, no timeout, must not make the check hang past it).
  if (command === "health") {
    const configured = config.client.requestTimeoutMs ?? HEALTH_CALL_TIMEOUT_MS;
    config = {
      ...config,
      client: {
        ...config.client,
        retries: 0,
        requestTimeoutMs:
          configured > 0 ? Math.min(configured, HEALTH_CALL_TIMEOUT_MS) : HEALTH_CALL_TIMEOUT_MS,
      },
    };
  }
  const client = io.makeClient ? io.makeClient(config) : new OllamaClient(config.client);
  const ctx: Ctx = { io, client, config, json, name };
  try {
    switch (command) {
      case "list":
      case "ls":
        return await listModels(ctx);
      case "ps":
        return await ps(ctx);
      case "show":
        return await show(ctx, one(ctx, rest, "show NAME"));
      case "pull":
        return await pull(ctx, one(ctx, rest, "pull NAME"));
      case "delete":
      case "rm":
        return await del(ctx, one(ctx, rest, "delete NAME"));
      case "chat":
        return await chat(ctx, rest, {
          stream: !values["no-stream"],
          system: values.system,
          images: values.image ?? [],
          files: values.file ?? [],
        });
      case "doctor":
        return await doctor(ctx);
      case "health":
        return await health(ctx, values.bot === true);
      case "transcribe":
        return await transcribe(ctx, rest);
      case "voices":
        return await voices(ctx);
      case "say":
        return await say(ctx, rest, { voice: values.voice, out: values.out });
      default:
        throw new UsageError(`Unknown command "${command}".`);
    }
  } catch (err) {
    return reportError(ctx, err);
  } finally {
    await client.close();
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      help: { type: "boolean", short: "h" },
      version: { type: "boolean", short: "v" },
      json: { type: "boolean" },
      "no-stream": { type: "boolean" },
      system: { type: "string", short: "s" },
      image: { type: "string", multiple: true },
      file: { type: "string", multiple: true },
      bot: { type: "boolean" },
      voice: { type: "string" },
      out: { type: "string", short: "o" },
    },
  });
}

interface Ctx {
  io: CliIo;
  client: OllamaClient;
  config: Config;
  json: boolean;
  /** How the user ran the CLI (see {@link invokedAs}). */
  name: string;
}

function one({ name }: Ctx, args: string[], usage: string): string {
  if (args.length !== 1 || args[0]!.trim() === "") throw new UsageError(`Usage: ${name} models ${usage}`);
  return args[0]!;
}

function reportError({ io, name }: Ctx, err: unknown): number {
  if (err instanceof UsageError) {
    io.stderr.write(`${err.message}\nRun "${name} --help" for usage.\n`);
    return EXIT.usage;
  }
  if (err instanceof InputError) {
    io.stderr.write(`Error [${err.code}]: ${err.message}\n`);
    return EXIT.failure;
  }
  if (err instanceof HubError) {
    if (err.code === "ABORTED") {
      io.stderr.write("\nInterrupted.\n");
    } else {
      io.stderr.write(`Error [${err.code}]: ${err.message}\n`);
    }
    return EXIT_BY_CODE[err.code];
  }
  io.stderr.write(`Unexpected error: ${(err as Error)?.stack ?? String(err)}\n`);
  return EXIT.failure;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n")
    .concat("\n");
}

function modelRow(m: ModelSummary, extra: string[] = []): string[] {
  return [
    m.name,
    m.details.parameter_size ?? "",
    m.details.quantization_level ?? "",
    formatBytes(m.size),
    ...extra,
    m.modified_at.slice(0, 10),
  ];
}

async function listModels({ io, client, json, name }: Ctx): Promise<number> {
  const models = await client.listModels(io.signal);
  if (json) {
    io.stdout.write(`${JSON.stringify(models, null, 2)}\n`);
  } else if (models.length === 0) {
    io.stderr.write(`No models installed. Pull one: ${name} models pull llama3.2\n`);
  } else {
    io.stdout.write(
      table([["NAME", "PARAMS", "QUANT", "SIZE", "MODIFIED"], ...models.map((m) => modelRow(m))]),
    );
  }
  return EXIT.ok;
}

async function ps({ io, client, json }: Ctx): Promise<number> {
  const models = await client.runningModels(io.signal);
  if (json) {
    io.stdout.write(`${JSON.stringify(models, null, 2)}\n`);
  } else if (models.length === 0) {
    io.stderr.write("No model is loaded in memory right now.\n");
  } else {
    const rows = models.map((m) => [
      m.name,
      m.details.parameter_size ?? "",
      formatBytes(m.size),
      m.size_vram !== undefined ? formatBytes(m.size_vram) : "",
      m.expires_at ?? "",
    ]);
    io.stdout.write(table([["NAME", "PARAMS", "SIZE", "VRAM", "UNTIL"], ...rows]));
  }
  return EXIT.ok;
}

async function show({ io, client, json }: Ctx, name: string): Promise<number> {
  const info = await client.showModel(name, io.signal);
  if (json) {
    io.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
    return EXIT.ok;
  }
  const d = info.details ?? {};
  const ctxLen = Object.entries(info.model_info ?? {}).find(([k]) => k.endsWith(".context_length"))?.[1];
  const rows: Array<[string, string | undefined]> = [
    ["model", name],
    ["family", d.family],
    ["parameters", d.parameter_size],
    ["quantization", d.quantization_level],
    ["format", d.format],
    ["context length", ctxLen === undefined ? undefined : String(ctxLen)],
    ["capabilities", info.capabilities?.join(", ")],
    ["modified", info.modified_at],
  ];
  io.stdout.write(table(rows.filter(([, v]) => v !== undefined && v !== "") as string[][]));
  return EXIT.ok;
}

async function pull({ io, client }: Ctx, name: string): Promise<number> {
  const now = io.now ?? Date.now;
  const meter = new SpeedMeter();
  const tty = io.stderr.isTTY === true;
  let lastLine = "";
  let lastStatus = "";
  for await (const ev of client.pull(name, io.signal)) {
    if (ev.type === "success") break;
    if (ev.completed !== undefined) meter.add(now(), ev.completed);
    if (tty) {
      const line = renderProgress(
        {
          status: ev.status,
          completed: ev.completed,
          total: ev.total,
          bytesPerSecond: meter.bytesPerSecond(),
        },
        Math.max(40, (io.stderr.columns ?? 80) - 1),
      );
      if (line !== lastLine) io.stderr.write(`\r\x1b[2K${line}`);
      lastLine = line;
    } else if (ev.status !== lastStatus) {
      // Not a terminal (a log, a script): one line per phase instead of a redrawn bar.
      io.stderr.write(`${ev.status}${ev.total !== undefined ? ` (${formatBytes(ev.total)})` : ""}\n`);
    }
    lastStatus = ev.status;
  }
  if (tty) io.stderr.write("\r\x1b[2K");
  io.stdout.write(`Pulled ${name}.\n`);
  return EXIT.ok;
}

async function del({ io, client }: Ctx, name: string): Promise<number> {
  await client.deleteModel(name, io.signal);
  io.stdout.write(`Deleted ${name}.\n`);
  return EXIT.ok;
}

/**
 * The prompt from stdin, to its end. Ctrl-C (the signal) ends the wait at once: a terminal or pipe that never
 * sends EOF must not keep the command alive, and the interruption is reported as any other (exit 130).
 */
async function readStdin(io: CliIo, fallback?: string): Promise<string> {
  const signal = io.signal;
  const interrupted = () => new HubAbortedError("Interrupted while reading the prompt from stdin.");
  if (signal?.aborted) throw interrupted();
  if (io.stdin.isTTY) {
    io.stderr.write(
      fallback === undefined
        ? "Type your prompt, then press Ctrl-D:\n"
        : `Type your prompt, then press Ctrl-D (Ctrl-D alone asks: ${fallback}):\n`,
    );
  }
  const decoder = new TextDecoder();
  const chunks = io.stdin[Symbol.asyncIterator]();
  let onAbort = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(interrupted());
    signal?.addEventListener("abort", onAbort, { once: true });
  });
  let text = "";
  try {
    for (;;) {
      const next = await Promise.race([chunks.next(), aborted]);
      if (next.done) break;
      const chunk = next.value;
      text += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    }
  } catch (err) {
    // A pending read cannot be cancelled through the iterator (its return() waits for that read): the stream is.
    io.stdin.destroy?.();
    throw err;
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
  return text + decoder.decode();
}

async function chat(
  ctx: Ctx,
  args: string[],
  opts: { stream: boolean; system: string | undefined; images: string[]; files: string[] },
): Promise<number> {
  const { io, client, json, name } = ctx;
  const [model, ...words] = args;
  if (model === undefined || model.trim() === "") {
    throw new UsageError(
      `Usage: ${name} chat MODEL [PROMPT]  (without PROMPT, the prompt is read from stdin)`,
    );
  }
  if (opts.files.length > 1) {
    throw new UsageError(
      "--file takes one document: ask about each in its own chat, or join them into one file.",
    );
  }
  if ([...opts.images, ...opts.files].some((path) => path.trim() === "")) {
    throw new UsageError("--image and --file need a file name.");
  }
  // The files first, then whether the model sees: a wrong path or model fails before a prompt is typed.
  const images: string[] = [];
  for (const path of opts.images) images.push(Buffer.from(await readImage(path)).toString("base64"));
  const doc = opts.files[0] === undefined ? undefined : await readDocument(io, opts.files[0]);
  if (images.length > 0) await mustSee(ctx, model);
  // Without a question, what the bot asks of a photo or a document sent without a caption.
  const fallback = doc
    ? "Summarise this document."
    : images.length === 1
      ? "Describe this image."
      : images.length > 1
        ? "Describe these images."
        : undefined;
  const typed = (words.length > 0 ? words.join(" ") : await readStdin(io, fallback)).trim();
  const prompt = typed || fallback;
  if (prompt === undefined) throw new UsageError("The prompt is empty: give it as arguments or on stdin.");
  const messages: ChatMessage[] = [];
  if (opts.system) messages.push({ role: "system", content: opts.system });
  messages.push({
    role: "user",
    content: doc ? `[Document: ${doc.name}]\n\n${doc.text}\n\n${prompt}` : prompt,
    ...(images.length > 0 && { images }),
  });
  if (json) return chatJson(io, client, { model, messages }, opts.stream);

  if (!opts.stream) {
    const reply = await client.chat({ model, messages }, io.signal);
    // As when streaming: the thinking on stderr, the answer alone on stdout.
    if (reply.thinking !== "")
      io.stderr.write(`${dim(io, true)}Thinking: ${reply.thinking}${dim(io, false)}\n`);
    io.stdout.write(`${reply.content}\n`);
    io.stderr.write(statsLine(io, reply));
    return EXIT.ok;
  }
  let thinking = false;
  let endsWithNewline = true;
  try {
    for await (const ev of client.chatStream({ model, messages }, io.signal)) {
      if (ev.type === "thinking") {
        // Thinking goes to stderr, dimmed: the answer on stdout stays clean for pipes.
        if (!thinking) io.stderr.write(`${dim(io, true)}Thinking: `);
        thinking = true;
        io.stderr.write(ev.text);
      } else if (ev.type === "content") {
        if (thinking) io.stderr.write(`${dim(io, false)}\n`);
        thinking = false;
        io.stdout.write(ev.text);
        endsWithNewline = ev.text.endsWith("\n");
      } else {
        if (!endsWithNewline) io.stdout.write("\n");
        io.stderr.write(statsLine(io, ev));
      }
    }
  } catch (err) {
    if (thinking) io.stderr.write(dim(io, false));
    if (!endsWithNewline) io.stdout.write("\n");
    throw err;
  }
  return EXIT.ok;
}

/** Why a file could not be read, in words, with the system's code. */
function unreadable(path: string, err: unknown): InputError {
  const code = (err as NodeJS.ErrnoException)?.code;
  const why =
    code === "ENOENT"
      ? "there is no such file"
      : code === "EISDIR"
        ? "it is a folder, not a file"
        : code === "EACCES" || code === "EPERM"
          ? "permission denied"
          : String((err as Error)?.message ?? err);
  return new InputError("FILE_UNREADABLE", `cannot read ${path}: ${why}${code ? ` (${code})` : ""}.`, {
    cause: err,
  });
}

/** A file's bytes, refused unread when it is bigger than `ATTACHMENT_MAX_BYTES`. */
async function readBounded(path: string, what: string): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    const st = await stat(path);
    if (st.isDirectory()) throw Object.assign(new Error("a folder"), { code: "EISDIR" });
    if (st.size > ATTACHMENT_MAX_BYTES) throw tooBig(path, what, st.size);
    bytes = await readFile(path);
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw unreadable(path, err);
  }
  // It may have grown between the two calls.
  if (bytes.byteLength > ATTACHMENT_MAX_BYTES) throw tooBig(path, what, bytes.byteLength);
  return bytes;
}

function tooBig(path: string, what: string, size: number): InputError {
  // In the limit's own unit (MiB, as MEDIA_MAX_MB counts): "21.0 MB" beside a limit of "21.0 MB" would puzzle.
  const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
  return new InputError(
    "FILE_TOO_BIG",
    `${path} is ${mb(size)} MB; ${what} is read up to ${ATTACHMENT_MAX_BYTES / 1024 / 1024} MB. Use a smaller one.`,
  );
}

/** The image formats vision models in Ollama decode, by their first bytes. */
function imageFormat(b: Uint8Array): string | undefined {
  const ascii = (from: number, to: number) => Buffer.from(b.subarray(from, to)).toString("latin1");
  if (b.length >= 8 && ascii(0, 8) === "\x89PNG\r\n\x1a\n") return "png";
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "jpeg";
  if (b.length >= 6 && (ascii(0, 6) === "GIF87a" || ascii(0, 6) === "GIF89a")) return "gif";
  if (b.length >= 12 && ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return "webp";
  if (b.length >= 2 && ascii(0, 2) === "BM") return "bmp";
  return undefined;
}

async function readImage(path: string): Promise<Uint8Array> {
  const bytes = await readBounded(path, "an image");
  if (bytes.byteLength === 0) throw new InputError("NOT_AN_IMAGE", `${path} is empty (0 bytes).`);
  if (imageFormat(bytes) === undefined) {
    throw new InputError(
      "NOT_AN_IMAGE",
      `${path} is not an image a model reads: send a PNG, JPEG, WebP, GIF or BMP (a document goes with --file).`,
    );
  }
  return bytes;
}

/** A `--file` document's text, cut to `DOC_MAX_CHARS` (and said so on stderr). */
async function readDocument(io: CliIo, path: string): Promise<{ name: string; text: string }> {
  const bytes = await readBounded(path, "a document");
  const name = basename(path);
  let doc: Awaited<ReturnType<typeof extractText>>;
  try {
    doc = await extractText(
      bytes,
      { fileName: name },
      { maxChars: DOC_MAX_CHARS, timeoutMs: 30_000, ...(io.signal && { signal: io.signal }) },
    );
  } catch (err) {
    if (!isDocumentError(err)) throw err;
    if (err.code === "DOCUMENT_ABORTED") {
      throw new HubAbortedError("Interrupted while reading the document.", { cause: err });
    }
    throw documentError(path, err);
  }
  if (doc.truncated) {
    io.stderr.write(
      `Note: ${name} holds ${doc.charsExact ? "" : "about "}${doc.chars} characters; only the first ${doc.text.length} were sent (what Ollama's default context takes with room for the answer).\n`,
    );
  }
  return { name, text: doc.text };
}

function documentError(path: string, err: DocumentError): InputError {
  // The extractor's words are written for a chat ("send it again"): the file's name says which one.
  return new InputError(err.code, `${path}: ${err.message}`, { cause: err });
}

/** Refuses a model whose capabilities lack vision, naming the installed ones that have it. */
async function mustSee({ io, client }: Ctx, model: string): Promise<void> {
  const caps = (await client.showModel(model, io.signal)).capabilities;
  // Older Ollama lists no capabilities: then only the answer can tell.
  if (caps === undefined || caps.includes("vision")) return;
  const seeing: string[] = [];
  for (const m of (await client.listModels(io.signal)).slice(0, 20)) {
    if (m.name === model) continue;
    // Only for the hint: a model whose details fail to load is left out of it, the refusal stands.
    const info = await client.showModel(m.name, io.signal).catch(() => undefined);
    if (info?.capabilities?.includes("vision")) seeing.push(m.name);
  }
  throw new InputError(
    "MODEL_CANNOT_SEE",
    `${model} cannot see images (it can: ${caps.join(", ") || "nothing listed"}). ${
      seeing.length > 0
        ? `Installed models that can: ${seeing.join(", ")}.`
        : "No installed model can: pull one that sees, e.g. gemma3:4b."
    }`,
  );
}

/**
 * `chat --json`: NDJSON on stdout, one object a line. Streamed: `{"type":"thinking","text":…}` and
 * `{"type":"content","text":…}` deltas, then `{"type":"done",…}` (the whole answer, thinking, doneReason, stats,
 * timings); `--no-stream`: the `done` line alone. A failure adds `{"type":"error","code":…,"message":…}` as the
 * last line (and the usual message on stderr and exit code), so a reader of the stream alone knows it was cut.
 */
async function chatJson(
  io: CliIo,
  client: OllamaClient,
  req: { model: string; messages: ChatMessage[] },
  stream: boolean,
): Promise<number> {
  const line = (value: object) => io.stdout.write(`${JSON.stringify(value)}\n`);
  try {
    if (stream) {
      for await (const ev of client.chatStream(req, io.signal)) line(ev);
    } else {
      line({ type: "done", ...(await client.chat(req, io.signal)) });
    }
  } catch (err) {
    if (err instanceof HubError) line({ type: "error", code: err.code, message: err.message });
    throw err;
  }
  return EXIT.ok;
}

/** ANSI dim on and off, only when stderr is a terminal (a log file must not fill with escape codes). */
function dim(io: CliIo, on: boolean): string {
  return io.stderr.isTTY ? (on ? "\x1b[2m" : "\x1b[0m") : "";
}

function statsLine(io: CliIo, done: Pick<Completion, "stats" | "doneReason">): string {
  const s = done.stats;
  const parts: string[] = [];
  if (s.evalTokens !== undefined) parts.push(`${s.evalTokens} tokens`);
  if (s.tokensPerSecond !== undefined) parts.push(`${s.tokensPerSecond.toFixed(1)} tok/s`);
  if (s.totalMs !== undefined) parts.push(`${(s.totalMs / 1000).toFixed(2)} s`);
  if (done.doneReason && done.doneReason !== "stop") parts.push(`stopped: ${done.doneReason}`);
  return parts.length > 0 ? `${dim(io, true)}— ${parts.join(", ")}${dim(io, false)}\n` : "";
}

async function transcribe({ io, client, json, name }: Ctx, args: string[]): Promise<number> {
  if (args.length !== 1 || args[0]!.trim() === "") {
    throw new UsageError(
      `Usage: ${name} transcribe FILE  (an audio file: a voice note's .ogg or .oga, .mp3, ...)`,
    );
  }
  const path = args[0]!;
  let audio: Uint8Array;
  try {
    // The size first: a file the client will not send is not read into memory.
    const { size } = await stat(path);
    if (size > client.maxUploadBytes) {
      throw new UploadTooLargeError(
        `${path} is ${formatBytes(size)}; the hub is sent at most ${formatBytes(client.maxUploadBytes)}. Cut it shorter.`,
        size,
        client.maxUploadBytes,
      );
    }
    audio = await readFile(path);
  } catch (err) {
    if (err instanceof HubError) throw err;
    io.stderr.write(`Error: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)}).\n`);
    return EXIT.failure;
  }
  const t = await client.transcribe(audio, { filename: basename(path) }, io.signal);
  if (json) {
    io.stdout.write(`${JSON.stringify(t, null, 2)}\n`);
  } else if (t.text === "") {
    io.stderr.write(`No speech heard in ${path} (${t.durationSeconds.toFixed(1)} s).\n`);
  } else {
    io.stdout.write(`${t.text}\n`);
    io.stderr.write(`${dim(io, true)}— ${t.language}, ${t.durationSeconds.toFixed(1)} s${dim(io, false)}\n`);
  }
  return EXIT.ok;
}

async function voices({ io, client, json }: Ctx): Promise<number> {
  const list = await client.voices(io.signal);
  if (json) io.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
  // A hub that cannot speak is a failure, --json or not (the JSON still says available:false).
  if (!list.available || list.voices.length === 0) throw noVoices(client);
  if (json) return EXIT.ok;
  io.stdout.write(
    table([
      ["ID", "GENDER", "LANGUAGE", ""],
      ...list.voices.map((v) => [v.id, v.gender ?? "", v.language ?? "", v.languageName ?? ""]),
    ]),
  );
  return EXIT.ok;
}

function noVoices(client: OllamaClient): TtsUnavailableError {
  return new TtsUnavailableError(
    `${client.label.charAt(0).toUpperCase()}${client.label.slice(1)} has no voices: its Kokoro cannot run. Put kokoro-v1.0.onnx and voices-v1.0.bin where the hub expects them (KOKORO_MODEL, KOKORO_VOICES) and restart the hub.`,
    undefined,
  );
}

/** The voice `say` uses without --voice: the hub has no default, so af_heart when it has it, else its first. */
async function defaultVoice(client: OllamaClient, signal: AbortSignal | undefined): Promise<string> {
  const list = await client.voices(signal);
  if (!list.available || list.voices.length === 0) throw noVoices(client);
  return (list.voices.find((v) => v.id === "af_heart") ?? list.voices[0]!).id;
}

async function say(
  { io, client, name }: Ctx,
  args: string[],
  opts: { voice: string | undefined; out: string | undefined },
): Promise<number> {
  if (opts.voice !== undefined && opts.voice.trim() === "") throw new UsageError("--voice needs a voice id.");
  if (opts.out !== undefined && opts.out.trim() === "") throw new UsageError("--out needs a file name.");
  const text = (args.length > 0 ? args.join(" ") : await readStdin(io)).trim();
  if (text === "") {
    throw new UsageError(
      `Usage: ${name} say [--voice V] [--out FILE] TEXT  (without TEXT, it is read from stdin)`,
    );
  }
  const voice = opts.voice ?? (await defaultVoice(client, io.signal));
  const clip = await client.synthesise({ text, voice }, io.signal);
  const audio = await client.fetchAudio(clip.path, io.signal);
  const out = opts.out ?? clip.filename;
  try {
    // The hub's own name is new every time: never write over a file that happens to have it.
    await writeFile(out, audio.bytes, { flag: opts.out === undefined ? "wx" : "w" });
  } catch (err) {
    io.stderr.write(`Error: cannot write ${out} (${(err as NodeJS.ErrnoException).code ?? String(err)}).\n`);
    return EXIT.failure;
  }
  const seconds = wavInfo(audio.bytes)?.durationSeconds;
  io.stdout.write(
    `Saved ${out} (${seconds === undefined ? formatBytes(audio.bytes.byteLength) : `${seconds.toFixed(1)} s`}, voice ${clip.voice}, ${clip.language}).\n`,
  );
  return EXIT.ok;
}

async function health({ io, client, config }: Ctx, bot: boolean): Promise<number> {
  // The bot first: reading a file is instant, and a bot that does not poll is down whatever the hub says.
  let polled = "";
  if (bot) {
    const path = heartbeatPath(config.dataDir);
    const now = (io.now ?? Date.now)();
    const beat = await readHeartbeat(path);
    const problem = heartbeatProblem(beat, now, processAlive);
    if (problem !== undefined) {
      io.stderr.write(`Error [BOT_NOT_LIVE]: ${problem} (heartbeat ${path}).\n`);
      return EXIT.failure;
    }
    if (beat?.lastPollAt !== undefined) {
      polled = `; the bot polled Telegram ${Math.max(0, Math.round((now - beat.lastPollAt) / 1000))} s ago`;
    }
  }
  const h = await client.health(io.signal);
  // The hub answers /health while Ollama behind it is down: the model list tells (OLLAMA_UNAVAILABLE, exit 4).
  const models = await client.listModels(io.signal);
  io.stdout.write(
    `ok ${h.mode} ${client.baseUrl} ${h.latencyMs.toFixed(0)} ms, ${models.length} model${models.length === 1 ? "" : "s"}${polled}\n`,
  );
  return EXIT.ok;
}

async function doctor(ctx: Ctx): Promise<number> {
  const { io, client, config, name } = ctx;
  const out = io.stdout;
  let failed = 0;
  const ok = (label: string, detail: string) => out.write(`✓ ${label}: ${detail}\n`);
  const bad = (label: string, err: unknown) => {
    failed++;
    const text =
      err instanceof HubError ? `[${err.code}] ${err.message}` : String((err as Error)?.message ?? err);
    out.write(`✗ ${label}: ${text}\n`);
  };
  if (config.hosts) {
    ok(
      "configuration",
      `${config.hosts.length} model hosts (MODEL_HOSTS); the checks after the hosts use the first, ${config.hosts[0]!.name}`,
    );
    // Every host on its own: the bot places turns on those that answer, so one away is a warning of lost slots.
    for (const h of config.hosts) {
      const one = ctx.io.makeClient
        ? ctx.io.makeClient({ ...config, client: h.client })
        : new OllamaClient(h.client);
      const label = `host ${h.name}`;
      try {
        const health = await one.health(io.signal);
        const models = await one.listModels(io.signal);
        ok(
          label,
          `${h.client.mode === "hub" ? "hub" : "Ollama"} at ${one.baseUrl}, answered in ${health.latencyMs.toFixed(0)} ms, ` +
            `${h.concurrency} at once, ${models.length} model(s): ${models.map((m) => m.name).join(", ") || "none"}`,
        );
      } catch (err) {
        bad(label, err);
      } finally {
        await one.close?.();
      }
    }
  } else {
    ok(
      "configuration",
      `${config.client.mode === "hub" ? "hub (TTSHUB_API_BASE)" : "Ollama directly (OLLAMA_URL)"} at ${client.baseUrl}`,
    );
  }
  // What the bot itself needs beyond the CLI: its settings, Telegram, and where it keeps sessions.
  let bot: BotConfig | undefined;
  try {
    bot = loadConfig(io.env, { requireBot: true }).bot;
    const allowed = bot?.allowedUserIds;
    if (bot && bot.warnings.length > 0) {
      // The bot starts with these, but it is not ready: each warning says what to do.
      for (const warning of bot.warnings) {
        failed++;
        out.write(`✗ bot configuration: ${warning}\n`);
      }
    } else {
      ok(
        "bot configuration",
        `token set, ${allowed === "*" ? "everyone allowed" : `${allowed?.size ?? 0} user(s) allowed`}`,
      );
    }
  } catch (err) {
    failed++;
    out.write(`✗ bot configuration: ${(err as Error).message.replace(/\n/g, " ")}\n`);
  }
  if (bot) {
    await checkTelegram(bot, io.signal, ok, (label, text) => {
      failed++;
      out.write(`✗ ${label}: ${text}\n`);
    });
    const where = bot.redisUrl ? undefined : await writable(bot.dataDir);
    if (bot.redisUrl) {
      try {
        const processes = await inspectCluster(bot.redisUrl);
        ok("sessions", "in Redis (REDIS_URL), which answers");
        if (bot.webhook) {
          // Several processes: who runs now, with their chats and what waits for them.
          const live = processes.filter((p) => p.leaseLeftMs > 0);
          const ended = processes.length - live.length;
          ok(
            "bot processes",
            (live.length === 0
              ? "none running now (each joins when it starts)"
              : `${live.length} running: ${live
                  .map((p) => `${p.id} (${p.chats} chat(s), ${p.waiting} waiting)`)
                  .join(", ")}`) +
              (ended > 0 ? `; ${ended} whose lease ended (the next process takes its chats)` : ""),
          );
        }
      } catch (err) {
        failed++;
        out.write(
          `✗ sessions: Redis (REDIS_URL) does not answer (${(err as Error).message}); is it running?\n`,
        );
      }
    } else if (where === undefined) ok("sessions", `DATA_DIR ${bot.dataDir} is writable`);
    else {
      failed++;
      out.write(
        `✗ sessions: DATA_DIR ${bot.dataDir} is not writable (${where}); point DATA_DIR at a folder the bot may write\n`,
      );
    }
  }
  try {
    const h = await client.health(io.signal);
    ok("reachable", `answered in ${h.latencyMs.toFixed(0)} ms${h.version ? `, Ollama ${h.version}` : ""}`);
  } catch (err) {
    bad("reachable", err);
    return EXIT_BY_CODE[(err as HubError).code] ?? EXIT.failure;
  }
  let models: ModelSummary[] = [];
  try {
    models = await client.listModels(io.signal);
    if (models.length === 0) {
      failed++;
      out.write(`✗ models: none installed. Pull one: ${name} models pull llama3.2\n`);
    } else {
      ok("models", `${models.length} installed: ${models.map((m) => m.name).join(", ")}`);
    }
  } catch (err) {
    bad("models", err);
  }
  try {
    const running = await client.runningModels(io.signal);
    ok("loaded now", running.length === 0 ? "none" : running.map((m) => m.name).join(", "));
  } catch (err) {
    bad("loaded now", err);
  }
  // A model that chats: the configured default if installed, else the first that can complete text (not an
  // embedding model that happens to be listed first).
  const first = await chatModel(client, models, config.bot?.defaultModel, io.signal);
  if (!first && models.length > 0) {
    failed++;
    out.write(
      `✗ test generation: no installed model can chat (only embedding models?). Pull one: ${name} models pull llama3.2\n`,
    );
  }
  if (first) {
    try {
      const reply = await client.generate(
        { model: first.name, prompt: "Say OK.", options: { num_predict: 1 } },
        io.signal,
      );
      ok(
        "test generation",
        `${first.name} answered ${JSON.stringify(reply.content)} in ${reply.timings.totalMs.toFixed(0)} ms`,
      );
    } catch (err) {
      bad("test generation", err);
    }
  }
  out.write(failed === 0 ? "All checks passed.\n" : `${failed} check(s) failed.\n`);
  return failed === 0 ? EXIT.ok : EXIT.failure;
}

async function chatModel(
  client: OllamaClient,
  models: ModelSummary[],
  preferred: string | undefined,
  signal?: AbortSignal,
): Promise<ModelSummary | undefined> {
  const ordered = [
    ...models.filter((m) => m.name === preferred),
    ...models.filter((m) => m.name !== preferred),
  ];
  for (const m of ordered.slice(0, 10)) {
    const caps = await client.showModel(m.name, signal).then(
      (info) => info.capabilities,
      () => undefined,
    );
    // Older Ollama lists no capabilities: then the name is all there is to go on.
    if (caps ? caps.includes("completion") : !/embed/i.test(m.name)) return m;
  }
  return undefined;
}

/** Why `dir` cannot be written, or undefined when it can (creating it, as the bot would). */
async function writable(dir: string): Promise<string | undefined> {
  try {
    await mkdir(dir, { recursive: true });
    const probe = join(dir, `.doctor-${process.pid}`);
    await writeFile(probe, "ok");
    await rm(probe, { force: true });
    return undefined;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? String(err);
  }
}

/**
 * Telegram as the bot will see it: the token accepted (getMe → the bot's @name), and the webhook: none left set
 * for long polling (it makes polling fail with 409), or WEBHOOK_URL's with no delivery error in webhook mode. Plain HTTP: the CLI knows no grammY; the token never appears in what is shown.
 */
async function checkTelegram(
  bot: BotConfig,
  signal: AbortSignal | undefined,
  ok: (label: string, detail: string) => void,
  bad: (label: string, text: string) => void,
): Promise<void> {
  const root = bot.apiRoot ?? "https://api.telegram.org";
  const call = async (method: string) => {
    const res = await request(`${root}/bot${bot.token}/${method}`, {
      signal: deadline(10_000, signal),
    });
    return (await res.body.json()) as {
      ok: boolean;
      result?: Record<string, unknown>;
      description?: string;
      error_code?: number;
    };
  };
  try {
    const me = await call("getMe");
    if (!me.ok) {
      bad(
        "telegram",
        me.error_code === 401 || me.error_code === 404
          ? "Telegram rejected the bot token: check TELEGRAM_BOT_TOKEN (from @BotFather)"
          : `getMe failed: ${me.description ?? me.error_code}`,
      );
      return;
    }
    ok("telegram", `the token belongs to @${String(me.result?.username ?? "?")} (Bot API at ${root})`);
    const hook = await call("getWebhookInfo");
    const info = hook.result ?? {};
    const url = typeof info.url === "string" ? info.url : "";
    const pending = typeof info.pending_update_count === "number" ? info.pending_update_count : 0;
    const lastError =
      typeof info.last_error_message === "string" && typeof info.last_error_date === "number"
        ? `; Telegram's last delivery error, ${Math.max(0, Math.round(Date.now() / 1000 - info.last_error_date))} s ago: ${info.last_error_message}`
        : "";
    const wanted = bot.webhook?.url;
    if (wanted === undefined) {
      if (url !== "")
        bad(
          "webhook",
          `a webhook is set (${maskUrl(url)}), so polling fails with 409: the bot removes it at start (WEBHOOK_URL is unset)`,
        );
      else ok("webhook", "none set (long polling works)");
    } else if (url === "") {
      ok("webhook", `not set yet: the bot sets ${maskUrl(wanted)} at start (${pending} updates waiting)`);
    } else if (url !== wanted) {
      bad(
        "webhook",
        `Telegram posts to ${maskUrl(url)}, not WEBHOOK_URL (${maskUrl(wanted)}): the bot sets it at start${lastError}`,
      );
    } else if (lastError !== "") {
      bad("webhook", `set to ${maskUrl(url)}, ${pending} updates waiting${lastError}`);
    } else ok("webhook", `set to ${maskUrl(url)}, ${pending} updates waiting`);
  } catch (err) {
    bad(
      "telegram",
      `the Bot API at ${root} does not answer (${(err as Error).name}): check the network and TELEGRAM_API_ROOT`,
    );
  }
}
