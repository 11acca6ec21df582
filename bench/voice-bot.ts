/**
 * `npm run bench` (part 7): an answer read aloud, timed inside the bot. The real bot through the test harness (fake
 * Telegram without flood limits, fake hub whose Kokoro renders at once, `synthesiseDelayMs: 0`, fake Ollama's
 * `long` model answering with about `BENCH_VOICE_CHARS` (default 2000) characters). `BENCH_ROUNDS` (default 5)
 * rounds, each: a message, its finished answer, then 🔊 pressed under it; measured from the press to the moment
 * the fake Telegram holds the voice message (its `change` event, not a poll). VOICE_MAX_SECONDS=600, so nothing
 * is cut. The time is split by wrapping the bot's own hub client (synthesise, fetchAudio) and a transformer on its
 * Bot API (sendVoice and the rest): what is left is the bot's work (parsing, joining, encoding). Then the same WAVs
 * the hub served go through parseWav, joinClips and encodeVoice alone, as the bot calls them, for the encoder's
 * share. The fakes run in this process too. Figures compare parts within this run; no absolute thresholds.
 */
import type { Transformer } from "grammy";
import { encodeVoice, joinClips, parseWav } from "../src/audio/index.js";
import type { AudioFile, Synthesis } from "../src/hub/index.js";
import type { VisibleMessage } from "../test/fakes/telegram.js";
import { finished, type Harness, startHarness, USER } from "../test/support/bot-harness.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CHARS = Number(process.env.BENCH_VOICE_CHARS ?? 2000);
const MAX_SECONDS = 600;
// As src/bot/services/speech.ts calls them.
const PAUSE_SECONDS = 0.25;
const OPUS_COMPLEXITY = 5;

/** The fake Ollama's `long` answer for `n` tokens: "word0", " ", "word1", " ", … */
const filler = (n: number) => Array.from({ length: n }, (_, i) => (i % 2 ? " " : `word${i / 2}`)).join("");
let longTokens = 1;
while (filler(longTokens).length < CHARS) longTokens++;
const ANSWER = filler(longTokens);

interface Span {
  start: number;
  end: number;
}

/** What one round saw, in ms from the press (performance.now()). */
interface Round {
  totalMs: number;
  synth: Span[];
  fetch: Span[];
  /** Bot API calls made during the round, with their method. */
  api: Array<Span & { method: string }>;
  cpuMs: number;
  clipSeconds: number;
  announced: number;
  bytes: number;
  /** The WAVs the hub served this round, in order. */
  wavs: Uint8Array[];
}

let current: Round | undefined;
let t0 = 0;

/** Wraps the bot's hub client and Bot API, so each round records its requests' spans. */
function instrument(h: Harness): void {
  const client = h.services.core.client;
  const synthesise = client.synthesise.bind(client);
  const fetchAudio = client.fetchAudio.bind(client);
  client.synthesise = async (...args): Promise<Synthesis> => {
    const start = performance.now() - t0;
    try {
      return await synthesise(...args);
    } finally {
      current?.synth.push({ start, end: performance.now() - t0 });
    }
  };
  client.fetchAudio = async (...args): Promise<AudioFile> => {
    const start = performance.now() - t0;
    const audio = await fetchAudio(...args);
    current?.fetch.push({ start, end: performance.now() - t0 });
    current?.wavs.push(audio.bytes);
    return audio;
  };
  const timing: Transformer = async (prev, method, payload, signal) => {
    // Noted when sent: the round ends when the message is held, before sendVoice's answer is back.
    const call = { method, start: performance.now() - t0, end: Number.NaN };
    current?.api.push(call);
    try {
      return await prev(method, payload, signal);
    } finally {
      call.end = performance.now() - t0;
    }
  };
  h.services.core.api.config.use(timing);
}

/** Asks, waits for the finished answer with 🔊 and its stored turn; returns the answer message. */
async function answer(h: Harness, round: number): Promise<VisibleMessage> {
  const { messageId } = h.tg.sendText(USER, `read round ${round}`);
  const msg = await h.waitForBot(
    USER,
    (m) => m.messageId > messageId && finished(m) && m.buttons.flat().some((b) => b.text === "🔊"),
    30_000,
  );
  if (msg.text !== ANSWER)
    throw new Error(`unexpected answer (${msg.text.length} chars): ${msg.text.slice(0, 80)}`);
  await h.waitForSession(USER, (s) => s.turn === undefined, 30_000);
  return msg;
}

/** Presses 🔊 under `msg`; resolves with the round once the fake Telegram holds a voice message after it. */
function readAloud(h: Harness, msg: VisibleMessage): Promise<Round> {
  const data = msg.buttons.flat().find((b) => b.text === "🔊")!.data!;
  return new Promise((resolve, reject) => {
    const round: Round = {
      totalMs: 0,
      synth: [],
      fetch: [],
      api: [],
      cpuMs: 0,
      clipSeconds: 0,
      announced: 0,
      bytes: 0,
      wavs: [],
    };
    let cpu0 = process.cpuUsage();
    const check = () => {
      const voice = h.botMessages(USER).find((m) => m.messageId > msg.messageId && m.voice !== undefined);
      if (!voice?.voice) return;
      round.totalMs = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      round.cpuMs = (cpu.user + cpu.system) / 1000;
      round.clipSeconds = voice.voice.realDuration ?? Number.NaN;
      round.announced = voice.voice.duration;
      round.bytes = voice.voice.size;
      if (voice.text !== "") console.log(`caption on the voice message: ${JSON.stringify(voice.text)}`);
      settle();
      resolve(round);
    };
    const timer = setTimeout(() => {
      settle();
      reject(new Error("no voice message within 60 s"));
    }, 60_000);
    const settle = () => {
      clearTimeout(timer);
      h.tg.events.off("change", check);
    };
    h.tg.events.on("change", check);
    current = round;
    cpu0 = process.cpuUsage();
    t0 = performance.now();
    h.tg.pressButton(USER, msg.messageId, data);
  });
}

const wall0 = performance.now();
const h = await startHarness({
  ollama: { longTokens, tokenDelayMs: 0, models: ["long:latest"] },
  telegramLimits: false,
  env: { VOICE_MAX_SECONDS: String(MAX_SECONDS), RATE_LIMIT_PER_MINUTE: "1000" },
  // Real time, as a user lives it (the bot's clock only paces its record_voice action here).
  clockFactor: 1,
});
const rounds: Round[] = [];
try {
  h.hub.setSpeech({ synthesiseDelayMs: 0 });
  instrument(h);
  await h.pick(USER, "long:latest");
  for (let i = 1; i <= ROUNDS; i++) {
    const msg = await answer(h, i);
    const round = await readAloud(h, msg);
    current = undefined;
    rounds.push(round);
    // The status message removed and the chat free again before the next round.
    await h.tg.waitFor(() => !h.botMessages(USER).some((m) => m.text.startsWith("🔊 Making")), {
      timeoutMs: 10_000,
    });
    for (const until = Date.now() + 10_000; h.services.speech.busy(USER); ) {
      if (Date.now() > until) throw new Error("the voice message's making never ended");
      await new Promise((r) => setTimeout(r, 5));
    }
  }
  if (h.tg.voiceProblems.length > 0) console.log(`voice problems: ${JSON.stringify(h.tg.voiceProblems)}`);
} catch (err) {
  console.error(
    JSON.stringify(
      h
        .botMessages(USER)
        .slice(-4)
        .map((m) => m.text.slice(0, 120)),
    ),
  );
  throw err;
} finally {
  await h.close();
}

// The same WAVs through the bot's steps alone: parse, join, encode (warm: the bot's rounds loaded the WebAssembly).
const wavs = rounds.at(-1)!.wavs;
const alone = { parseJoin: [] as number[], encode: [] as number[], bytes: 0, seconds: 0 };
for (let i = 0; i < ROUNDS; i++) {
  const a = performance.now();
  const joined = joinClips(
    wavs.map((w) => parseWav(w)),
    { pauseSeconds: PAUSE_SECONDS, maxSeconds: MAX_SECONDS },
  );
  const b = performance.now();
  const encoded = await encodeVoice(joined, { complexity: OPUS_COMPLEXITY });
  alone.parseJoin.push(b - a);
  alone.encode.push(performance.now() - b);
  alone.bytes = encoded.bytes.length;
  alone.seconds = encoded.durationSeconds;
}
const wallS = (performance.now() - wall0) / 1000;

const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const max = (xs: number[]) => Math.max(...xs);
const sum = (spans: Span[]) => spans.reduce((n, s) => n + (s.end - s.start), 0);
const sendVoice = (r: Round) => r.api.find((c) => c.method === "sendVoice");
/** Press → the first synthesise request: the update's handling and the "Making the voice message" status. */
const beforeHub = (r: Round) => r.synth[0]?.start ?? Number.NaN;
/** Last WAV fetched → sendVoice sent: parsing the last clip, joining, encoding. */
const encodeGap = (r: Round) => (sendVoice(r)?.start ?? Number.NaN) - (r.fetch.at(-1)?.end ?? Number.NaN);
/** sendVoice sent → the fake Telegram holds the message (the multipart upload and the fake's Ogg check). */
const upload = (r: Round) => r.totalMs - (sendVoice(r)?.start ?? Number.NaN);
const between = (r: Round) =>
  r.totalMs - beforeHub(r) - sum(r.synth) - sum(r.fetch) - encodeGap(r) - upload(r);

console.log(
  `🔊 on a ${ANSWER.length}-character answer (long model, ${longTokens} tokens), ${ROUNDS} rounds; fake hub ` +
    `renders at once (0.055 s of clip per character); VOICE_MAX_SECONDS=${MAX_SECONDS}; node ${process.version}\n`,
);
const rows: Array<[string, (r: Round) => number, number]> = [
  ["press → voice message at Telegram", (r) => r.totalMs, 0],
  ["  press → first synthesise (update, status)", beforeHub, 0],
  ["  synthesise requests, sum (hub)", (r) => sum(r.synth), 0],
  ["  WAV fetches, sum", (r) => sum(r.fetch), 0],
  ["  last fetch → sendVoice (parse, join, encode)", encodeGap, 0],
  ["  sendVoice → message held (upload)", upload, 0],
  ["  rest (parses between pieces, gaps)", between, 0],
  ["CPU of the process, press → message", (r) => r.cpuMs, 0],
];
console.log(`${"(ms)".padEnd(48)} ${"p50".padStart(8)} ${"max".padStart(8)}   rounds`);
for (const [label, f, digits] of rows) {
  const xs = rounds.map(f);
  console.log(
    `${label.padEnd(48)} ${p50(xs).toFixed(digits).padStart(8)} ${max(xs).toFixed(digits).padStart(8)}   ` +
      xs.map((x) => x.toFixed(0)).join(" "),
  );
}
const r0 = rounds.at(-1)!;
console.log(
  `\npieces synthesised: ${r0.synth.length}; clip ${r0.clipSeconds.toFixed(1)} s (announced ${r0.announced} s); ` +
    `voice file ${(r0.bytes / 1024).toFixed(1)} KB (${((r0.bytes * 8) / r0.clipSeconds / 1000).toFixed(1)} kb/s)`,
);
console.log(
  `the same ${wavs.length} WAVs alone: parse + join p50 ${p50(alone.parseJoin).toFixed(1)} ms, encodeVoice ` +
    `(complexity ${OPUS_COMPLEXITY}) p50 ${p50(alone.encode).toFixed(0)} ms, max ${max(alone.encode).toFixed(0)} ms ` +
    `(${(alone.seconds / (p50(alone.encode) / 1000)).toFixed(0)}x real time, ${(alone.bytes / 1024).toFixed(1)} KB)`,
);
const total = p50(rounds.map((r) => r.totalMs));
console.log(
  `encoder's share of press → message (p50s): ${((p50(alone.encode) / total) * 100).toFixed(0)}% alone, ` +
    `${((p50(rounds.map(encodeGap)) / total) * 100).toFixed(0)}% for the bot's parse/join/encode step; ` +
    `hub ${((p50(rounds.map((r) => sum(r.synth))) / total) * 100).toFixed(0)}%`,
);
console.log(`wall time: ${wallS.toFixed(1)} s`);
