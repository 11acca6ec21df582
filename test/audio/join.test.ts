// joinClips: clips end to end with silence between them, capped, one format only.
import { describe, expect, it } from "vitest";
import {
  type AudioError,
  AudioFormatMismatchError,
  isAudioError,
  joinClips,
  type Pcm,
  parseWav,
} from "../../src/audio/index.js";
import { fixture } from "./signals.js";

function clip(values: readonly number[], sampleRate = 10, channels = 1): Pcm {
  return { sampleRate, channels, samples: Int16Array.from(values) };
}

function failure(run: () => unknown): AudioError {
  try {
    run();
  } catch (err) {
    if (isAudioError(err)) return err;
    throw err;
  }
  throw new Error("expected an AudioError");
}

describe("joinClips", () => {
  it("puts pauseSeconds of silence between clips, and none at the ends", () => {
    // 10 Hz makes 0.3 s three samples of silence.
    const joined = joinClips([clip([1, 2]), clip([3]), clip([4, 5, 6])], { pauseSeconds: 0.3 });
    expect(Array.from(joined.samples)).toEqual([1, 2, 0, 0, 0, 3, 0, 0, 0, 4, 5, 6]);
    expect(joined).toMatchObject({
      sampleRate: 10,
      channels: 1,
      clipsUsed: 3,
      clipsLeftOut: 0,
      truncated: false,
    });
    expect(joined.durationSeconds).toBeCloseTo(1.2, 9);
  });

  it("counts a stereo pause in frames: both channels silent", () => {
    const joined = joinClips([clip([1, -1], 10, 2), clip([2, -2], 10, 2)], { pauseSeconds: 0.2 });
    expect(Array.from(joined.samples)).toEqual([1, -1, 0, 0, 0, 0, 2, -2]);
    expect(joined.durationSeconds).toBeCloseTo(0.4, 9);
  });

  it("with no pause is plain concatenation; one clip comes back as it was", () => {
    expect(Array.from(joinClips([clip([1]), clip([2])], { pauseSeconds: 0 }).samples)).toEqual([1, 2]);
    expect(Array.from(joinClips([clip([7, 8])]).samples)).toEqual([7, 8]);
  });

  it("stops adding clips at maxSeconds, pauses included, and says how many were left out", () => {
    const clips = [clip([1, 1, 1]), clip([2, 2, 2]), clip([3]), clip([4])];
    // 0.3 + 0.1 pause + 0.3 = 0.7 fits under 0.8; clip 2 would make it 0.9.
    const joined = joinClips(clips, { pauseSeconds: 0.1, maxSeconds: 0.8 });
    expect(Array.from(joined.samples)).toEqual([1, 1, 1, 0, 2, 2, 2]);
    expect(joined).toMatchObject({ clipsUsed: 2, clipsLeftOut: 2, truncated: false });
    // The clip that does not fit ends the join: the short one after it is not slipped in.
    expect(
      joinClips([clip([1]), clip([2, 2, 2, 2, 2]), clip([3])], { pauseSeconds: 0, maxSeconds: 0.3 }),
    ).toMatchObject({
      clipsUsed: 1,
      clipsLeftOut: 2,
    });
  });

  it("a clip that ends exactly at the cap is kept", () => {
    expect(joinClips([clip([1, 1]), clip([2, 2])], { pauseSeconds: 0.1, maxSeconds: 0.5 })).toMatchObject({
      clipsUsed: 2,
      clipsLeftOut: 0,
    });
  });

  it("cuts a first clip longer than the cap to the cap rather than giving nothing", () => {
    const joined = joinClips([clip([1, 2, 3, 4, 5]), clip([6])], { maxSeconds: 0.3 });
    expect(Array.from(joined.samples)).toEqual([1, 2, 3]);
    expect(joined).toMatchObject({ clipsUsed: 1, clipsLeftOut: 1, truncated: true, durationSeconds: 0.3 });
  });

  it("joins the hub's clips, ready for the encoder", () => {
    const a = parseWav(fixture("audio-wav.body"));
    const b = parseWav(fixture("transcribe-ogg-audio.body"));
    const joined = joinClips([a, b, a], { pauseSeconds: 0.25 });
    expect(joined.samples.length).toBe(a.samples.length * 2 + b.samples.length + 2 * 6000);
    expect(joined.durationSeconds).toBeCloseTo(a.durationSeconds * 2 + b.durationSeconds + 0.5, 9);
    expect(
      Array.from(joined.samples.subarray(a.samples.length, a.samples.length + 6000)).every((s) => s === 0),
    ).toBe(true);
    expect(
      joined.samples.subarray(a.samples.length + 6000, a.samples.length + 6000 + b.samples.length),
    ).toEqual(b.samples);
    // The default cap (30 minutes) leaves a long reply alone.
    expect(joinClips(Array.from({ length: 100 }, () => a)).clipsLeftOut).toBe(0);
  });

  it("refuses clips of another sample rate or channel count with AUDIO_FORMAT_MISMATCH", () => {
    const rate = failure(() => joinClips([clip([1], 24_000), clip([2], 24_000), clip([3], 16_000)]));
    expect(rate).toBeInstanceOf(AudioFormatMismatchError);
    expect(rate).toMatchObject({
      code: "AUDIO_FORMAT_MISMATCH",
      index: 2,
      expected: { sampleRate: 24_000, channels: 1 },
      actual: { sampleRate: 16_000, channels: 1 },
    });
    expect(rate.message).toContain("Resample");
    expect(failure(() => joinClips([clip([1, 1], 10, 2), clip([2])])).code).toBe("AUDIO_FORMAT_MISMATCH");
  });

  it("rejects what cannot work with AUDIO_INVALID_ARGUMENT", () => {
    const bad: Array<() => unknown> = [
      () => joinClips([]),
      () => joinClips([clip([1])], { pauseSeconds: -0.1 }),
      () => joinClips([clip([1])], { pauseSeconds: 300 }),
      () => joinClips([clip([1])], { pauseSeconds: Number.NaN }),
      () => joinClips([clip([1])], { maxSeconds: 0 }),
      () => joinClips([clip([1])], { maxSeconds: Number.NaN }),
      () => joinClips([clip([1, 2, 3], 10, 2)]),
      () => joinClips([clip([1], 0)]),
    ];
    for (const run of bad) expect(failure(run).code).toBe("AUDIO_INVALID_ARGUMENT");
  });
});
