import { AudioFormatMismatchError, AudioInvalidArgumentError } from "./errors.js";
import { checkPcm, type Pcm } from "./pcm.js";

/** Default silence between two clips: a sentence break, not a paragraph. */
export const DEFAULT_PAUSE_SECONDS = 0.3;
/** Default cap on the joined length: 30 minutes, well past any voice note worth listening to. */
export const DEFAULT_MAX_JOINED_SECONDS = 30 * 60;
/** A pause longer than this is a mistake (milliseconds passed as seconds), not a pause. */
const MAX_PAUSE_SECONDS = 10;

export interface JoinOptions {
  /** Silence between two clips, in seconds (0–10). Default `DEFAULT_PAUSE_SECONDS` (0.3). */
  pauseSeconds?: number;
  /**
   * Cap on the joined length in seconds, pauses included. Clips are added in order while they fit whole; the first
   * that does not, and every one after it, is left out (reported as `clipsLeftOut`), so the speech never skips a
   * part and goes on. Only a first clip longer than the cap is cut, to the cap (`truncated`), rather than giving
   * nothing. Default `DEFAULT_MAX_JOINED_SECONDS` (1800).
   */
  maxSeconds?: number;
}

export interface JoinedAudio extends Pcm {
  readonly durationSeconds: number;
  /** How many clips, from the start, are in `samples`. */
  readonly clipsUsed: number;
  /** How many clips at the end were left out because the cap was reached. */
  readonly clipsLeftOut: number;
  /** The first clip alone was longer than `maxSeconds` and was cut to it. */
  readonly truncated: boolean;
}

/**
 * Puts clips of one format end to end with `pauseSeconds` of silence between them, in one allocation. All clips
 * must share clip 0's sample rate and channel count (`AudioFormatMismatchError`): the hub's are all 24 kHz mono,
 * so there is nothing to resample.
 */
export function joinClips(clips: readonly Pcm[], options: JoinOptions = {}): JoinedAudio {
  const pauseSeconds = options.pauseSeconds ?? DEFAULT_PAUSE_SECONDS;
  const maxSeconds = options.maxSeconds ?? DEFAULT_MAX_JOINED_SECONDS;
  if (!Number.isFinite(pauseSeconds) || pauseSeconds < 0 || pauseSeconds > MAX_PAUSE_SECONDS) {
    throw new AudioInvalidArgumentError(
      `pauseSeconds must be between 0 and ${MAX_PAUSE_SECONDS}, got ${pauseSeconds}.`,
    );
  }
  if (!(maxSeconds > 0)) {
    throw new AudioInvalidArgumentError(`maxSeconds must be a positive number, got ${maxSeconds}.`);
  }
  const first = clips[0];
  if (first === undefined) throw new AudioInvalidArgumentError("joinClips needs at least one clip.");
  clips.forEach((clip, i) => {
    checkPcm(clip, `clip ${i}`);
    if (clip.sampleRate !== first.sampleRate || clip.channels !== first.channels) {
      throw new AudioFormatMismatchError(i, first, clip);
    }
  });

  const { sampleRate, channels } = first;
  // Counted in frames, not seconds, so many clips do not add up rounding errors against the cap.
  const pauseFrames = Math.round(pauseSeconds * sampleRate);
  const maxFrames = Number.isFinite(maxSeconds)
    ? Math.floor(maxSeconds * sampleRate)
    : Number.POSITIVE_INFINITY;
  const firstFrames = first.samples.length / channels;
  const truncated = firstFrames > maxFrames;
  const firstUsedFrames = Math.min(firstFrames, maxFrames);
  let frames = firstUsedFrames;
  let clipsUsed = 1;
  while (clipsUsed < clips.length) {
    const next = frames + pauseFrames + clips[clipsUsed]!.samples.length / channels;
    if (next > maxFrames) break;
    frames = next;
    clipsUsed++;
  }

  // A new Int16Array is all zeros: the pauses need no writing.
  const samples = new Int16Array(frames * channels);
  samples.set(first.samples.subarray(0, firstUsedFrames * channels), 0);
  let at = firstUsedFrames * channels;
  for (let i = 1; i < clipsUsed; i++) {
    at += pauseFrames * channels;
    const clip = clips[i]!;
    samples.set(clip.samples, at);
    at += clip.samples.length;
  }
  return {
    sampleRate,
    channels,
    samples,
    durationSeconds: frames / sampleRate,
    clipsUsed,
    clipsLeftOut: clips.length - clipsUsed,
    truncated,
  };
}
