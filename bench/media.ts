/**
 * `npm run bench` (part 5): photos, one after another. The real bot through the test harness (fake Telegram
 * without flood limits, fake hub, fake Ollama with a vision model, `llava:7b`). A user in a private chat sends
 * `BENCH_PHOTOS` (default 100) photos, each listing Telegram's four sizes of random bytes (the 1280-px one, which the
 * bot takes, 150–250 KB), each answered before the next; every `BENCH_TEXT_EVERY` (default 2) photos a plain text
 * message too, in the same chat, for comparison. Measured: from a message sent to the first answer text on screen.
 * Then the image cache (DATA_DIR/images): its bytes after the run with the default IMAGE_CACHE_MB, and with
 * IMAGE_CACHE_MB=5 on a second bot run after the first; and the downloads the fake Telegram served.
 * The bot's clock runs at the harness's default 8x (its edit pacing with it), the same for photo and text.
 * Figures compare photo and text within one bot, and the two bots within this run; no absolute thresholds.
 */
import { createHash, randomBytes } from "node:crypto";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import type { VisibleMessage } from "../test/fakes/telegram.js";
import { type Harness, modelCalls, startHarness, USER } from "../test/support/bot-harness.js";

const PHOTOS = Number(process.env.BENCH_PHOTOS ?? 100);
const TEXT_EVERY = Number(process.env.BENCH_TEXT_EVERY ?? 2);
const SMALL_CACHE_MB = 5;
const VISION = "llava:7b";

/** Telegram's renderings of one photo, smallest first; only the 1280-px one is realistic in size and is sent on. */
function photoSizes() {
  const kb = (min: number, max: number) =>
    randomBytes(Math.round((min + Math.random() * (max - min)) * 1024));
  return [
    { width: 320, height: 240, bytes: kb(12, 20) },
    { width: 800, height: 600, bytes: kb(60, 90) },
    { width: 1280, height: 960, bytes: kb(150, 250) },
    { width: 2560, height: 1920, bytes: kb(450, 650) },
  ];
}

/**
 * Sends a message (by `send`) and resolves with the real ms until a bot message after it shows answer text, then
 * waits until the answer is stored (the turn over), so turns do not overlap.
 */
async function turn(h: Harness, prompt: string, send: () => { messageId: number }): Promise<number> {
  const ms = await new Promise<number>((resolve, reject) => {
    let sent = Number.POSITIVE_INFINITY;
    let t0 = 0;
    // The fake Ollama echoes; any non-empty prefix of the echo is answer text (a status line is not).
    const echo = `You said: ${prompt}`;
    const answered = (m: VisibleMessage) => m.messageId > sent && m.text !== "" && echo.startsWith(m.text);
    // Checked on every state change of the fake, so the time is taken when the message lands, not at a poll.
    const check = () => {
      if (!h.botMessages(USER).some(answered)) return;
      const elapsed = performance.now() - t0;
      settle();
      resolve(elapsed);
    };
    const timer = setTimeout(() => {
      settle();
      reject(new Error(`no answer to "${prompt}" within 30 s`));
    }, 30_000);
    const settle = () => {
      clearTimeout(timer);
      h.tg.events.off("change", check);
    };
    h.tg.events.on("change", check);
    t0 = performance.now();
    sent = send().messageId;
  });
  await h.waitForSession(
    USER,
    (s) =>
      s.turn === undefined &&
      s.history.some((e) => e.role === "assistant" && e.content === `You said: ${prompt}`),
    30_000,
  );
  return ms;
}

/** Bytes of the files under `dir` (what the cache holds on disk), and how many. */
async function folderBytes(dir: string): Promise<{ bytes: number; files: number }> {
  const names = await readdir(dir).catch(() => [] as string[]);
  let bytes = 0;
  for (const name of names) bytes += (await stat(join(dir, name))).size;
  return { bytes, files: names.length };
}

interface Result {
  name: string;
  cacheMb: number;
  photo: number[];
  text: number[];
  cache: { bytes: number; files: number };
  downloads: number;
  completeDownloads: number;
  /** Downloads of a file already fetched once (a cache miss for a past photo). */
  repeatDownloads: number;
  /** Photos whose 1280-px bytes reached the fake Ollama unchanged (by SHA-256). */
  intact: number;
  /** Images the fake Ollama decoded in all (this turn's and past ones sent again), and their bytes. */
  imagesSent: number;
  imageBytesSent: number;
  modelCalls: number;
  /** Bot messages other than answers and the pick (a failure line, a note that history was cut). */
  odd: string[];
}

async function measure(name: string, cacheMb: number | undefined): Promise<Result> {
  const h = await startHarness({
    ollama: {
      models: ["tiny:latest", VISION],
      // A vision model's context (the fake's default of 2048 holds one image and a half).
      modelInfo: { [VISION]: { capabilities: ["completion", "vision"], contextLength: 32_768 } },
    },
    telegramLimits: false,
    env: {
      // A user sending 120 messages in a minute or two is what is measured, not the bot's flood guard.
      RATE_LIMIT_PER_MINUTE: "1000",
      ...(cacheMb === undefined ? {} : { IMAGE_CACHE_MB: String(cacheMb) }),
    },
  });
  const result: Result = {
    name,
    cacheMb: cacheMb ?? h.services.core.config.media.imageCacheBytes / 1024 / 1024,
    photo: [],
    text: [],
    cache: { bytes: 0, files: 0 },
    downloads: 0,
    completeDownloads: 0,
    repeatDownloads: 0,
    intact: 0,
    imagesSent: 0,
    imageBytesSent: 0,
    modelCalls: 0,
    odd: [],
  };
  try {
    await h.pick(USER, VISION);
    const taken: string[] = [];
    for (let i = 1; i <= PHOTOS; i++) {
      const caption = `${name} photo ${i}`;
      const sizes = photoSizes();
      taken.push(createHash("sha256").update(sizes[2]!.bytes).digest("hex"));
      result.photo.push(await turn(h, caption, () => h.tg.sendPhoto(USER, { sizes }, { caption })));
      if (i % TEXT_EVERY === 0) {
        const text = `${name} text after photo ${i}`;
        result.text.push(await turn(h, text, () => h.tg.sendText(USER, text)));
      }
    }
    result.cache = await folderBytes(join(h.dataDir, "images"));
    const atOllama = new Set(h.ollama.images.map((img) => img.sha256));
    result.intact = taken.filter((sha) => atOllama.has(sha)).length;
    result.imagesSent = h.ollama.images.length;
    result.imageBytesSent = h.ollama.images.reduce((n, img) => n + img.bytes, 0);
    result.modelCalls = modelCalls(h).length;
    const downloads = h.tg.downloads;
    result.downloads = downloads.length;
    result.completeDownloads = downloads.filter((d) => d.outcome === "complete").length;
    const seen = new Set<string>();
    for (const d of downloads) {
      if (d.fileId === undefined) continue;
      if (seen.has(d.fileId)) result.repeatDownloads++;
      seen.add(d.fileId);
    }
    result.odd = h
      .botMessages(USER)
      .map((m) => m.text)
      .filter((t) => !t.startsWith("You said: ") && !t.includes("Now chatting with") && !t.startsWith("🦙"));
  } catch (err) {
    console.error(
      `${name}: ${JSON.stringify(
        h
          .botMessages(USER)
          .slice(-5)
          .map((m) => m.text),
      )}`,
    );
    throw err;
  } finally {
    await h.close();
  }
  return result;
}

const t0 = performance.now();
// One bot after the other: the bots, the fakes and the bench share one event loop, and a second bot's base64 and
// JSON work would land inside the first one's timings.
const big = await measure("default", undefined);
const small = await measure("small", SMALL_CACHE_MB);
const wallS = (performance.now() - t0) / 1000;

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? Number.NaN;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;

console.log(
  `photos one after another, private chat, ${PHOTOS} photos (1280 px: 150–250 KB) and a text every ${TEXT_EVERY}; ` +
    `vision model ${VISION}; node ${process.version}\n`,
);
const rows: Array<[string, (r: Result) => string]> = [
  ["IMAGE_CACHE_MB", (r) => String(r.cacheMb)],
  ["photo → first answer text, p50 (ms)", (r) => pct(r.photo, 0.5).toFixed(0)],
  ["photo → first answer text, p95 (ms)", (r) => pct(r.photo, 0.95).toFixed(0)],
  ["text → first answer text, p50 (ms)", (r) => pct(r.text, 0.5).toFixed(0)],
  ["text → first answer text, p95 (ms)", (r) => pct(r.text, 0.95).toFixed(0)],
  ["photo / text, p50", (r) => `${(pct(r.photo, 0.5) / pct(r.text, 0.5)).toFixed(2)}x`],
  ["image cache on disk after the run", (r) => mb(r.cache.bytes)],
  ["files in the image cache", (r) => String(r.cache.files)],
  ["cache within IMAGE_CACHE_MB", (r) => (r.cache.bytes <= r.cacheMb * 1024 * 1024 ? "yes" : "NO")],
  ["downloads at the fake Telegram", (r) => `${r.downloads} (${r.completeDownloads} complete)`],
  ["downloads of a file fetched before", (r) => String(r.repeatDownloads)],
  ["photos that reached Ollama intact", (r) => `${r.intact}/${PHOTOS}`],
  ["images per model call (with past ones)", (r) => (r.imagesSent / r.modelCalls).toFixed(2)],
  ["image bytes sent to Ollama in all", (r) => mb(r.imageBytesSent)],
];
console.log(`${"".padEnd(38)} ${big.name.padStart(16)} ${small.name.padStart(16)}`);
for (const [label, f] of rows)
  console.log(`${label.padEnd(38)} ${f(big).padStart(16)} ${f(small).padStart(16)}`);
for (const r of [big, small]) {
  if (r.odd.length > 0)
    console.log(
      `\n${r.name}: ${r.odd.length} other bot message(s), e.g. ${JSON.stringify(r.odd.slice(0, 3))}`,
    );
  if (r.downloads !== PHOTOS) console.log(`${r.name}: ${r.downloads} downloads for ${PHOTOS} photos`);
}
console.log(`wall time: ${wallS.toFixed(1)} s`);
