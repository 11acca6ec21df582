/**
 * `npm run bench` (part 4): time to the first token of the first answer after a model is picked, cold against
 * preloaded (PRELOAD_ON_PICK). The real bot through the test harness, against the fake Telegram, the fake hub and
 * a fake Ollama whose models start unloaded and take `BENCH_LOAD_MS` (default 3000) real ms before the first byte
 * of a model that is not loaded. A user in a private chat picks a model in /ollama, reads for `BENCH_PAUSE_MS`
 * (default 3500) and sends a message: measured from that message to the first time the chat shows answer text.
 * `BENCH_ROUNDS` (default 5) rounds per mode, switching between two models, every model unloaded before each.
 * Figures compare the two modes within this run.
 *
 * The pause is longer than the load on purpose: the fake Ollama does not join a chat to a load already under way
 * (real Ollama does), so a message sent before the preload ends would wait a whole second load there and measure
 * the fake, not the bot.
 */
import type { VisibleMessage } from "../test/fakes/telegram.js";
import { type Harness, startHarness, USER } from "../test/support/bot-harness.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const LOAD_MS = Number(process.env.BENCH_LOAD_MS ?? 3000);
const PAUSE_MS = Number(process.env.BENCH_PAUSE_MS ?? 3500);
/** Picked in turn, so every pick is a switch (a pick of the current model may rightly do nothing); both echo. */
const MODELS = ["tiny:latest", "small:latest"];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The bot's preloads as the fake Ollama saw them (through the hub): a chat with no messages that is not an unload. */
function preloadRequests(h: Harness): number {
  return h.ollama.requests.filter((r) => {
    if (r.method !== "POST" || r.path !== "/api/chat") return false;
    const body = r.body as { messages?: unknown; keep_alive?: unknown } | undefined;
    return (
      Array.isArray(body?.messages) &&
      body.messages.length === 0 &&
      body.keep_alive !== 0 &&
      body.keep_alive !== "0"
    );
  }).length;
}

/**
 * `h.pick` would return at once from the second round on (the last picker already says "Now chatting with"):
 * this one waits for the edit of the picker this round opened.
 */
async function pick(h: Harness, model: string): Promise<void> {
  const { messageId } = h.tg.sendText(USER, "/ollama");
  await h.press(USER, model);
  await h.waitForBot(USER, (m) => m.messageId > messageId && m.text.includes(`Now chatting with ${model}`));
}

/** Sends `prompt` and resolves with the real ms until a bot message after it shows answer text. */
function firstToken(h: Harness, prompt: string): Promise<number> {
  return new Promise((resolve, reject) => {
    let sent = Number.POSITIVE_INFINITY;
    let t0 = 0;
    // The fake Ollama echoes; any non-empty prefix of the echo is answer text (a status line "⏳ …" is not).
    const echo = `You said: ${prompt}`;
    const answered = (m: VisibleMessage) => m.messageId > sent && m.text !== "" && echo.startsWith(m.text);
    // Checked on every state change of the fake, so the time is taken when the edit lands, not at a poll.
    const check = () => {
      if (!h.botMessages(USER).some(answered)) return;
      const ms = performance.now() - t0;
      settle();
      resolve(ms);
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
    sent = h.tg.sendText(USER, prompt).messageId;
  });
}

interface ModeResult {
  name: string;
  times: number[];
  /** Rounds whose model was loaded when the user's message was sent. */
  loadedAtMessage: number;
  /** Rounds whose pick made a preload reach the fake Ollama. */
  roundsWithPreload: number;
}

async function measure(name: string, preloadOnPick: boolean): Promise<ModeResult> {
  const h = await startHarness({
    env: { PRELOAD_ON_PICK: String(preloadOnPick) },
    ollama: { loadMs: LOAD_MS, running: [], models: MODELS },
    telegramLimits: false,
    // Real time: the bot's pacing and the fake Ollama's load are both in real ms, as a user lives them.
    clockFactor: 1,
  });
  const result: ModeResult = { name, times: [], loadedAtMessage: 0, roundsWithPreload: 0 };
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      const model = MODELS[(round - 1) % MODELS.length]!;
      h.ollama.running = [];
      const preloadsBefore = preloadRequests(h);
      await pick(h, model);
      await sleep(PAUSE_MS);
      if (h.ollama.running.includes(model)) result.loadedAtMessage++;
      const prompt = `${name} round ${round}`;
      result.times.push(await firstToken(h, prompt));
      // The whole answer stored before the next round, so rounds do not overlap.
      await h.waitForSession(
        USER,
        (s) =>
          s.turn === undefined && s.history.some((e) => e.role === "assistant" && e.content.endsWith(prompt)),
        30_000,
      );
      await h.services.models.preloaded();
      if (preloadRequests(h) > preloadsBefore) result.roundsWithPreload++;
    }
  } catch (err) {
    // What the user saw, for a round that went wrong.
    console.error(`${name}: ${JSON.stringify(h.botMessages(USER).map((m) => m.text))}`);
    throw err;
  } finally {
    await h.close();
  }
  return result;
}

const t0 = performance.now();
// Both modes at once, each on its own bot and fakes: they wait far more than they compute, and a slow moment of
// the machine hits both alike.
const [cold, warm] = await Promise.all([measure("cold", false), measure("preloaded", true)]);
const wallS = (performance.now() - t0) / 1000;

const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const max = (xs: number[]) => Math.max(...xs);

console.log(
  `first answer after a pick, private chat, ${ROUNDS} rounds per mode; model load ${LOAD_MS} ms, ` +
    `reading pause ${PAUSE_MS} ms; node ${process.version}\n`,
);
const rows: Array<[string, (r: ModeResult) => string]> = [
  ["message → first answer text, p50 (ms)", (r) => p50(r.times).toFixed(0)],
  ["message → first answer text, max (ms)", (r) => max(r.times).toFixed(0)],
  ["picks that sent a preload (at the fake)", (r) => `${r.roundsWithPreload}/${ROUNDS}`],
  ["model loaded when the user wrote", (r) => `${r.loadedAtMessage}/${ROUNDS}`],
];
console.log(`${"".padEnd(42)} ${cold.name.padStart(10)} ${warm.name.padStart(10)}`);
for (const [label, f] of rows)
  console.log(`${label.padEnd(42)} ${f(cold).padStart(10)} ${f(warm).padStart(10)}`);
console.log(
  `\npreloaded / cold, p50: ${(p50(warm.times) / p50(cold.times)).toFixed(2)}x the cold time ` +
    `(the load is ${((LOAD_MS / p50(cold.times)) * 100).toFixed(0)}% of the cold p50: a working preload removes it)`,
);
if (warm.roundsWithPreload === 0)
  console.log("no preload reached the fake Ollama with PRELOAD_ON_PICK=true: the pick does not preload yet");
if (cold.roundsWithPreload > 0) console.log("a preload reached the fake Ollama with PRELOAD_ON_PICK=false");
console.log(`wall time: ${wallS.toFixed(1)} s`);
