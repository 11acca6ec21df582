import { randomBytes } from "node:crypto";
import { setImmediate as nextTurn } from "node:timers/promises";
import { AudioAbortedError, AudioInvalidArgumentError, AudioUnsupportedFormatError } from "./errors.js";
import { OggWriter } from "./ogg.js";
import { buildOpusHead, buildOpusTags, OPUS_GRANULE_RATE, readOggOpus } from "./ogg-opus.js";
import { OPUS_SAMPLE_RATES, OpusDecoder, OpusEncoder } from "./opus.js";
import { checkPcm, durationOf, type Pcm } from "./pcm.js";

/** Default Opus bitrate: clean synthetic speech at 24 kHz sounds clear at 24 kb/s (about 180 KB a minute). */
export const DEFAULT_VOICE_BITRATE = 24_000;
/**
 * Default libopus complexity, libopus's own: the best quality, and still about 55 times faster than real time on one
 * core here (bench/voice.ts); 5 halves the CPU for the same size.
 */
export const DEFAULT_VOICE_COMPLEXITY = 10;
/** The vendor string of our OpusTags header. */
export const VOICE_VENDOR = "ollama-telegram (libopus 1.4 via opusscript)";
/**
 * Longest stretch the encoder runs before it lets the event loop turn, so other chats' messages keep flowing while
 * a long clip encodes. Timed rather than counted in frames: a slow machine then yields as often as it needs to.
 */
const MAX_BLOCK_MS = 10;
/** Close an Ogg page every second of audio (50 packets of 20 ms), as opusenc does, so a player can seek. */
const PACKETS_PER_PAGE = 50;

export interface EncodeVoiceOptions {
  /** Target bitrate in bits per second, 6000–510000. Default `DEFAULT_VOICE_BITRATE` (24000). */
  bitrate?: number;
  /** libopus complexity 0–10. Default `DEFAULT_VOICE_COMPLEXITY` (10). */
  complexity?: number;
  /** Stops the encoding between two frames; the promise rejects with `AudioAbortedError`. */
  signal?: AbortSignal;
}

export interface VoiceNote {
  /** An Ogg Opus file, as Telegram's `sendVoice` wants it to draw a waveform. */
  readonly bytes: Uint8Array;
  /** Playable length, from the samples (equals what the file's granule positions say). */
  readonly durationSeconds: number;
  readonly mimeType: "audio/ogg";
}

/**
 * Encodes 16-bit PCM (mono or stereo, at 8, 12, 16, 24 or 48 kHz: the input's own rate, no resampling) into an Ogg
 * Opus voice note: VOIP mode, 20 ms frames, the last one padded with silence and enough silent frames after it to
 * flush the encoder's delay, pre-skip and final granule set so a player plays exactly the input's samples.
 * Another rate or more channels is an `AudioUnsupportedFormatError`. Yields to the event loop at least every
 * 10 ms of work and checks `signal` each time.
 */
export async function encodeVoice(pcm: Pcm, options: EncodeVoiceOptions = {}): Promise<VoiceNote> {
  const bitrate = options.bitrate ?? DEFAULT_VOICE_BITRATE;
  const complexity = options.complexity ?? DEFAULT_VOICE_COMPLEXITY;
  const signal = options.signal;
  if (!Number.isInteger(bitrate) || bitrate < 6000 || bitrate > 510_000) {
    throw new AudioInvalidArgumentError(`bitrate must be an integer from 6000 to 510000, got ${bitrate}.`);
  }
  if (!Number.isInteger(complexity) || complexity < 0 || complexity > 10) {
    throw new AudioInvalidArgumentError(`complexity must be an integer from 0 to 10, got ${complexity}.`);
  }
  checkPcm(pcm, "pcm");
  if (!OPUS_SAMPLE_RATES.includes(pcm.sampleRate)) {
    throw new AudioUnsupportedFormatError(
      pcm,
      `Opus encodes 8, 12, 16, 24 or 48 kHz only; resample the audio to one of them first.`,
    );
  }
  if (pcm.channels > 2) {
    throw new AudioUnsupportedFormatError(
      pcm,
      "a voice note is mono or stereo; mix the channels down first.",
    );
  }
  throwIfAborted(signal);

  const { sampleRate, channels, samples } = pcm;
  const encoder = new OpusEncoder(sampleRate, channels, { bitrate, complexity });
  try {
    const toGranule = OPUS_GRANULE_RATE / sampleRate;
    const frameSize = encoder.frameSize;
    const inputFrames = samples.length / channels;
    // Enough frames that the encoder's delay is pushed out too, so the last input sample is decodable.
    const packets = Math.max(1, Math.ceil((inputFrames + encoder.lookahead) / frameSize));
    const preSkip = encoder.lookahead * toGranule;
    const finalGranule = preSkip + inputFrames * toGranule;

    const writer = new OggWriter({ serial: randomBytes(4).readUInt32LE(0) });
    writer.packet(buildOpusHead({ channels, preSkip, inputSampleRate: sampleRate }), 0, { flush: true });
    writer.packet(buildOpusTags(VOICE_VENDOR), 0, { flush: true });

    const frame = new Int16Array(frameSize * channels);
    let slice = performance.now();
    for (let k = 0; k < packets; k++) {
      const start = k * frameSize * channels;
      const end = start + frame.length;
      if (end <= samples.length) {
        frame.set(samples.subarray(start, end));
      } else {
        // Past the input: what is left of it, then silence.
        frame.fill(0);
        if (start < samples.length) frame.set(samples.subarray(start));
      }
      const packet = encoder.encode(frame);
      const last = k === packets - 1;
      // The last page's granule is the true end, below the padded packets' sum: that is how Ogg Opus trims.
      const granule = last ? finalGranule : (k + 1) * frameSize * toGranule;
      writer.packet(packet, granule, { last, flush: (k + 1) % PACKETS_PER_PAGE === 0 });
      if (!last && performance.now() - slice >= MAX_BLOCK_MS) {
        await nextTurn();
        throwIfAborted(signal);
        slice = performance.now();
      }
    }
    return { bytes: writer.finish(), durationSeconds: durationOf(pcm), mimeType: "audio/ogg" };
  } finally {
    encoder.close();
  }
}

export interface DecodeOggOpusOptions {
  /** Rate to decode at (an Opus rate). Default: the file's input rate when Opus has it, else 48000. */
  sampleRate?: number;
  signal?: AbortSignal;
}

/**
 * Decodes a checked Ogg Opus file (mono or stereo) back to 16-bit PCM, with pre-skip dropped and the end trimmed to
 * the final granule position, so `encodeVoice` followed by this gives the input's length back. Yields like
 * `encodeVoice`.
 */
export async function decodeOggOpus(bytes: Uint8Array, options: DecodeOggOpusOptions = {}): Promise<Pcm> {
  const stream = readOggOpus(bytes);
  const { channels, inputSampleRate, preSkip } = stream.head;
  const sampleRate =
    options.sampleRate ?? (OPUS_SAMPLE_RATES.includes(inputSampleRate) ? inputSampleRate : OPUS_GRANULE_RATE);
  if (!OPUS_SAMPLE_RATES.includes(sampleRate)) {
    throw new AudioInvalidArgumentError(`sampleRate must be one of ${OPUS_SAMPLE_RATES.join(", ")}.`);
  }
  if (stream.head.mappingFamily !== 0) {
    throw new AudioUnsupportedFormatError(
      { sampleRate, channels },
      `channel mapping family ${stream.head.mappingFamily} (multistream) is not decoded here.`,
    );
  }
  throwIfAborted(options.signal);
  const ratio = sampleRate / OPUS_GRANULE_RATE;
  const skip = Math.round(preSkip * ratio) * channels;
  const keep = Math.round((stream.finalGranule - preSkip) * ratio) * channels;
  const decoder = new OpusDecoder(sampleRate, channels);
  try {
    const out = new Int16Array(keep);
    let decoded = 0;
    let slice = performance.now();
    for (const packet of stream.packets) {
      const pcm = decoder.decode(packet);
      // Decoded position `decoded` maps to output position `decoded - skip`; copy the part that lands in [0, keep).
      const from = Math.max(0, skip - decoded);
      const to = Math.min(pcm.length, keep + skip - decoded);
      if (to > from) out.set(pcm.subarray(from, to), decoded + from - skip);
      decoded += pcm.length;
      if (performance.now() - slice >= MAX_BLOCK_MS) {
        await nextTurn();
        throwIfAborted(options.signal);
        slice = performance.now();
      }
    }
    return { sampleRate, channels, samples: out };
  } finally {
    decoder.close();
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AudioAbortedError({ cause: signal.reason });
}
