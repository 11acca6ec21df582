import { AudioInvalidArgumentError } from "./errors.js";

/** 16-bit PCM in memory: `samples` interleaved (L R L R ... for stereo), `samples.length / channels` frames. */
export interface Pcm {
  readonly sampleRate: number;
  readonly channels: number;
  readonly samples: Int16Array;
}

/** Length in seconds, from the samples themselves. */
export function durationOf(pcm: Pcm): number {
  return pcm.samples.length / pcm.channels / pcm.sampleRate;
}

/**
 * Rejects a `Pcm` that callers built by hand and got wrong, before any arithmetic divides by its fields or cuts a
 * frame in half. `what` names the value in the message ("clip 3", "pcm").
 */
export function checkPcm(pcm: Pcm, what: string): void {
  if (!Number.isInteger(pcm.sampleRate) || pcm.sampleRate <= 0) {
    throw new AudioInvalidArgumentError(
      `${what}: sampleRate must be a positive integer, got ${pcm.sampleRate}.`,
    );
  }
  if (!Number.isInteger(pcm.channels) || pcm.channels <= 0) {
    throw new AudioInvalidArgumentError(`${what}: channels must be a positive integer, got ${pcm.channels}.`);
  }
  if (!(pcm.samples instanceof Int16Array)) {
    throw new AudioInvalidArgumentError(`${what}: samples must be an Int16Array.`);
  }
  if (pcm.samples.length % pcm.channels !== 0) {
    throw new AudioInvalidArgumentError(
      `${what}: ${pcm.samples.length} samples do not make whole frames of ${pcm.channels} channels.`,
    );
  }
}
