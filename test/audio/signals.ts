// Test signals and the measures the audio tests judge them by. Every WAV a test feeds in is built here, so each test
// shows the bytes it uses.
import { readFileSync } from "node:fs";
import type { Pcm } from "../../src/audio/index.js";

const FIXTURES = new URL("../fixtures/hub-media/", import.meta.url);

export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(name, FIXTURES)));
}

/** A sine (or one per channel) at `amplitude` of full scale, with 5 ms fades so the ends do not click. */
export function tone(options: {
  seconds: number;
  sampleRate: number;
  hz: number | readonly number[];
  amplitude?: number;
}): Pcm {
  const freqs = typeof options.hz === "number" ? [options.hz] : options.hz;
  const channels = freqs.length;
  const frames = Math.round(options.seconds * options.sampleRate);
  const samples = new Int16Array(frames * channels);
  const peak = (options.amplitude ?? 0.3) * 32767;
  const fade = Math.round(0.005 * options.sampleRate);
  for (let i = 0; i < frames; i++) {
    const gain = Math.min(1, i / fade, (frames - 1 - i) / fade);
    for (let c = 0; c < channels; c++) {
      samples[i * channels + c] = Math.round(
        peak * gain * Math.sin((2 * Math.PI * freqs[c]! * i) / options.sampleRate),
      );
    }
  }
  return { sampleRate: options.sampleRate, channels, samples };
}

/** One channel of an interleaved buffer. */
export function channel(pcm: Pcm, index: number): Float64Array {
  const out = new Float64Array(pcm.samples.length / pcm.channels);
  for (let i = 0; i < out.length; i++) out[i] = pcm.samples[i * pcm.channels + index]!;
  return out;
}

export function rms(xs: ArrayLike<number>, from = 0, to = xs.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += xs[i]! ** 2;
  return Math.sqrt(sum / Math.max(1, to - from));
}

/**
 * The highest normalised correlation (1 for the same waveform, about 0 for unrelated ones) of `b` shifted by up to
 * `maxLag` samples either way against `a`, and the shift that gives it (positive: `b` comes late). A codec's
 * resamplers move the sound by a fraction of a millisecond that the Ogg pre-skip (the encoder's delay) leaves.
 */
export function bestCorrelation(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  from: number,
  to: number,
  maxLag: number,
): { value: number; lag: number } {
  let best = { value: -1, lag: 0 };
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    let ab = 0;
    let aa = 0;
    let bb = 0;
    for (let i = from; i < to; i++) {
      const y = b[i + lag] ?? 0;
      ab += a[i]! * y;
      aa += a[i]! ** 2;
      bb += y ** 2;
    }
    const value = ab / Math.sqrt(aa * bb);
    if (value > best.value) best = { value, lag };
  }
  return best;
}

/** Power of `xs` at `hz` (Goertzel), normalised so a full-length sine of amplitude A gives about A²/4. */
export function powerAt(xs: ArrayLike<number>, hz: number, sampleRate: number): number {
  const k = (2 * Math.PI * hz) / sampleRate;
  const coeff = 2 * Math.cos(k);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < xs.length; i++) {
    const s0 = xs[i]! + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  return power / (xs.length * xs.length);
}

/** A RIFF/WAVE file from chunks given as [id, body]; `riffSize` overrides the header's size field. */
export function riff(
  chunks: ReadonlyArray<readonly [string, Uint8Array]>,
  options: { riffSize?: number } = {},
): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const [id, body] of chunks) {
    const header = new Uint8Array(8);
    header.set(ascii(id), 0);
    new DataView(header.buffer).setUint32(4, body.length, true);
    parts.push(header, body);
    if (body.length % 2 === 1) parts.push(new Uint8Array(1));
  }
  const length = 4 + parts.reduce((sum, part) => sum + part.length, 0);
  const out = new Uint8Array(8 + length);
  out.set(ascii("RIFF"), 0);
  new DataView(out.buffer).setUint32(4, options.riffSize ?? length, true);
  out.set(ascii("WAVE"), 8);
  let at = 12;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** A `fmt ` chunk body: 16 bytes for PCM, `extra` appended (cbSize and the extensible fields). */
export function fmt(fields: {
  tag?: number;
  channels?: number;
  sampleRate?: number;
  bitsPerSample?: number;
  blockAlign?: number;
  extra?: Uint8Array;
}): Uint8Array {
  const channels = fields.channels ?? 1;
  const sampleRate = fields.sampleRate ?? 24_000;
  const bits = fields.bitsPerSample ?? 16;
  const blockAlign = fields.blockAlign ?? (channels * bits) / 8;
  const extra = fields.extra ?? new Uint8Array(0);
  const body = new Uint8Array(16 + extra.length);
  const view = new DataView(body.buffer);
  view.setUint16(0, fields.tag ?? 1, true);
  view.setUint16(2, channels, true);
  view.setUint32(4, sampleRate, true);
  view.setUint32(8, sampleRate * blockAlign, true);
  view.setUint16(12, blockAlign, true);
  view.setUint16(14, bits, true);
  body.set(extra, 16);
  return body;
}

export function int16le(values: readonly number[]): Uint8Array {
  const out = new Uint8Array(values.length * 2);
  const view = new DataView(out.buffer);
  values.forEach((value, i) => {
    view.setInt16(2 * i, value, true);
  });
  return out;
}

export function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (char) => char.charCodeAt(0));
}
