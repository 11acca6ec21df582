/**
 * `npm run bench` (part 5): how fast a hub clip becomes a Telegram voice note. One 60 s speech-like clip at the hub's
 * format (24 kHz mono 16-bit) through `encodeVoice` (opusscript's libopus in WebAssembly, our Ogg muxer) at a few
 * settings: seconds of audio encoded per second of CPU (process.cpuUsage, user + system), the bitrate reached, and
 * the longest stretch the event loop was held between two yields (what other chats would wait). Then the check
 * (`oggOpusInfo`) and the decoder on the same file. Figures are for this machine and run, to compare settings.
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import { decodeOggOpus, encodeVoice, oggOpusInfo, type Pcm } from "../src/audio/index.js";

const SECONDS = Number(process.env.BENCH_VOICE_SECONDS ?? 60);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const RATE = 24_000;

/**
 * Not silence and not a pure tone, which Opus would code too cheaply: a voiced source whose pitch glides
 * (100–220 Hz, 12 harmonics), syllables at about 4 per second, noise bursts for consonants and short pauses.
 */
function speechLike(seconds: number): Pcm {
  const samples = new Int16Array(Math.round(seconds * RATE));
  let seed = 12345;
  const noise = () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed / 0x80000000 - 1;
  };
  let phase = 0;
  for (let i = 0; i < samples.length; i++) {
    const t = i / RATE;
    const f0 = 160 + 60 * Math.sin(2 * Math.PI * 0.3 * t) + 20 * Math.sin(2 * Math.PI * 2.1 * t);
    phase += (2 * Math.PI * f0) / RATE;
    let voiced = 0;
    for (let h = 1; h <= 12; h++) voiced += Math.sin(h * phase) / h;
    const syllable = Math.max(0, Math.sin(2 * Math.PI * 4 * t));
    const pause = t % 5 > 4.4 ? 0 : 1;
    const consonant = syllable < 0.15 ? noise() * 0.4 : 0;
    samples[i] = Math.round(7000 * pause * (voiced * syllable + consonant));
  }
  return { sampleRate: RATE, channels: 1, samples };
}

interface Run {
  cpuS: number;
  wallMs: number;
  bytes: number;
  maxBlockMs: number;
}

/** Runs `work` while a ticker notes the longest gap between two turns of the event loop. */
async function measured(work: () => Promise<number>): Promise<Run> {
  let running = true;
  let maxBlockMs = 0;
  const ticker = (async () => {
    let last = performance.now();
    while (running) {
      await nextTurn();
      const now = performance.now();
      maxBlockMs = Math.max(maxBlockMs, now - last);
      last = now;
    }
  })();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const bytes = await work();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  running = false;
  await ticker;
  return { cpuS: (cpu.user + cpu.system) / 1e6, wallMs, bytes, maxBlockMs };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

const clip = speechLike(SECONDS);
// The first call loads the WebAssembly module and runs it unoptimised for a while; shown apart, not in the rounds.
const first = await measured(async () => (await encodeVoice(clip)).bytes.length);

const settings: Array<{ label: string; bitrate: number; complexity: number }> = [
  { label: "24 kb/s, complexity 10 (default)", bitrate: 24_000, complexity: 10 },
  { label: "32 kb/s, complexity 10", bitrate: 32_000, complexity: 10 },
  { label: "24 kb/s, complexity 5", bitrate: 24_000, complexity: 5 },
  { label: "24 kb/s, complexity 0", bitrate: 24_000, complexity: 0 },
];
console.log(
  `voice note: ${SECONDS} s of 24 kHz mono speech-like PCM → Ogg Opus, ${ROUNDS} rounds each (median); ` +
    `node ${process.version}\n`,
);
console.log(
  `${"encodeVoice".padEnd(34)} ${"CPU s".padStart(7)} ${"audio s/CPU s".padStart(14)} ${"kb/s".padStart(6)} ` +
    `${"KB".padStart(6)} ${"max block ms".padStart(13)}`,
);
let defaultBytes: Uint8Array | undefined;
for (const setting of settings) {
  const runs: Run[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    runs.push(
      await measured(async () => {
        const note = await encodeVoice(clip, { bitrate: setting.bitrate, complexity: setting.complexity });
        defaultBytes ??= note.bytes;
        return note.bytes.length;
      }),
    );
  }
  const cpuS = median(runs.map((r) => r.cpuS));
  const bytes = runs[0]!.bytes;
  console.log(
    `${setting.label.padEnd(34)} ${cpuS.toFixed(3).padStart(7)} ${(SECONDS / cpuS).toFixed(0).padStart(14)} ` +
      `${((bytes * 8) / SECONDS / 1000).toFixed(1).padStart(6)} ${(bytes / 1024).toFixed(0).padStart(6)} ` +
      `${Math.max(...runs.map((r) => r.maxBlockMs))
        .toFixed(1)
        .padStart(13)}`,
  );
}

const file = defaultBytes!;
const check = await measured(async () => {
  for (let round = 0; round < ROUNDS; round++) oggOpusInfo(file);
  return file.length;
});
const decode = await measured(async () => {
  for (let round = 0; round < ROUNDS; round++) await decodeOggOpus(file);
  return file.length;
});
const info = oggOpusInfo(file);
console.log(
  `\nfirst call (loads the module; libopus runs in V8's baseline tier until it is optimised): ` +
    `${first.wallMs.toFixed(0)} ms wall, ${first.cpuS.toFixed(3)} s CPU, max block ${first.maxBlockMs.toFixed(1)} ms`,
);
console.log(
  `oggOpusInfo (CRCs, headers, granules): ${((check.cpuS / ROUNDS) * 1000).toFixed(1)} ms CPU per file ` +
    `(${info.pages} pages, ${info.packets} packets, ${info.durationSeconds.toFixed(3)} s)`,
);
console.log(
  `decodeOggOpus: ${(SECONDS / (decode.cpuS / ROUNDS)).toFixed(0)} audio s per CPU s, ` +
    `max block ${decode.maxBlockMs.toFixed(1)} ms`,
);
