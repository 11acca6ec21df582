// parseWav on the hub's own clips and on every way a WAV can be other than 16-bit PCM.
import { describe, expect, it } from "vitest";
import {
  type AudioError,
  AudioInvalidError,
  AudioTooLongError,
  DEFAULT_MAX_WAV_DATA_BYTES,
  isAudioError,
  parseWav,
} from "../../src/audio/index.js";
import { ascii, fixture, fmt, int16le, riff } from "./signals.js";

function failure(run: () => unknown): AudioError {
  try {
    run();
  } catch (err) {
    if (isAudioError(err)) return err;
    throw err;
  }
  throw new Error("expected an AudioError");
}

/** The samples of a file as the bytes say, read independently of parseWav. */
function samplesAt(bytes: Uint8Array, at: number, count: number): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: count }, (_, i) => view.getInt16(at + 2 * i, true));
}

describe("parseWav on the hub's clips", () => {
  it("reads a TTS clip with the canonical 44-byte header (audio-wav)", () => {
    const bytes = fixture("audio-wav.body");
    const wav = parseWav(bytes);
    expect(wav).toMatchObject({ sampleRate: 24_000, channels: 1, bitsPerSample: 16 });
    // hub-media.md: the duration is the data bytes / 48000.
    expect(wav.samples.length).toBe((bytes.length - 44) / 2);
    expect(wav.durationSeconds).toBeCloseTo((bytes.length - 44) / 48_000, 9);
    expect(Array.from(wav.samples.subarray(0, 64))).toEqual(samplesAt(bytes, 44, 64));
    expect(Array.from(wav.samples.subarray(-64))).toEqual(samplesAt(bytes, bytes.length - 128, 64));
    expect(wav.samples.some((s) => s !== 0)).toBe(true);
  });

  it("skips the LIST chunk ffmpeg puts before data (transcribe-ogg-audio, 78-byte header)", () => {
    const bytes = fixture("transcribe-ogg-audio.body");
    const wav = parseWav(bytes);
    expect(wav).toMatchObject({ sampleRate: 24_000, channels: 1, durationSeconds: 2 });
    expect(wav.samples.length).toBe(48_000);
    expect(Array.from(wav.samples.subarray(0, 32))).toEqual(samplesAt(bytes, 78, 32));
  });

  it("reads the 16 kHz input WAV with its LIST chunk (input-voice.wav)", () => {
    const wav = parseWav(fixture("input-voice.wav"));
    expect(wav).toMatchObject({ sampleRate: 16_000, channels: 1, durationSeconds: 1 });
  });

  it("copies the samples: the input buffer can be reused", () => {
    const bytes = fixture("audio-wav.body");
    const wav = parseWav(bytes);
    const before = wav.samples[100];
    bytes.fill(0x55);
    expect(wav.samples[100]).toBe(before);
  });

  it("refuses the hub's clip cut at any byte of its header or inside its data", () => {
    const bytes = fixture("transcribe-ogg-audio.body");
    for (let cut = 0; cut < 78; cut++) {
      expect(failure(() => parseWav(bytes.subarray(0, cut))).code, `cut at ${cut}`).toBe("AUDIO_INVALID");
    }
    expect(failure(() => parseWav(bytes.subarray(0, bytes.length - 2))).code).toBe("AUDIO_INVALID");
  });
});

describe("parseWav walks the RIFF chunks", () => {
  const data = int16le([1, -2, 3, -32768, 32767]);

  it("skips an odd-sized chunk and its pad byte before data", () => {
    const wav = parseWav(
      riff([
        ["fmt ", fmt({})],
        ["junk", ascii("odd")],
        ["data", data],
      ]),
    );
    expect(Array.from(wav.samples)).toEqual([1, -2, 3, -32768, 32767]);
  });

  it("ignores chunks after data (a LIST at the end)", () => {
    const wav = parseWav(
      riff([
        ["fmt ", fmt({})],
        ["data", data],
        ["LIST", ascii("INFOxxxx")],
      ]),
    );
    expect(wav.samples.length).toBe(5);
  });

  it("reads interleaved stereo and reports frames, not samples, as duration", () => {
    const wav = parseWav(
      riff([
        ["fmt ", fmt({ channels: 2, sampleRate: 8000 })],
        ["data", int16le([1, 2, 3, 4])],
      ]),
    );
    expect(wav).toMatchObject({ channels: 2, sampleRate: 8000, durationSeconds: 2 / 8000 });
    expect(Array.from(wav.samples)).toEqual([1, 2, 3, 4]);
  });

  it("reads WAVE_FORMAT_EXTENSIBLE with the PCM subformat", () => {
    const extra = new Uint8Array(24);
    const view = new DataView(extra.buffer);
    view.setUint16(0, 22, true); // cbSize
    view.setUint16(2, 16, true); // valid bits
    view.setUint32(4, 0x4, true); // channel mask
    extra.set(
      [0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71],
      8,
    );
    const wav = parseWav(
      riff([
        ["fmt ", fmt({ tag: 0xfffe, extra })],
        ["data", data],
      ]),
    );
    expect(wav.samples.length).toBe(5);
    extra[8] = 0x03; // IEEE float subformat
    expect(
      failure(() =>
        parseWav(
          riff([
            ["fmt ", fmt({ tag: 0xfffe, extra })],
            ["data", data],
          ]),
        ),
      ).code,
    ).toBe("AUDIO_INVALID");
  });

  it("accepts an empty data chunk as zero seconds", () => {
    expect(
      parseWav(
        riff([
          ["fmt ", fmt({})],
          ["data", new Uint8Array(0)],
        ]),
      ).durationSeconds,
    ).toBe(0);
  });
});

describe("parseWav refuses what is not 16-bit PCM WAV with AUDIO_INVALID", () => {
  const data = int16le([1, 2, 3, 4]);
  const cases: Array<[string, Uint8Array]> = [
    ["empty bytes", new Uint8Array(0)],
    ["an Ogg file", fixture("input-voice.ogg")],
    ["an MP3 file", fixture("input-voice.mp3")],
    [
      "RIFF but not WAVE",
      (() => {
        const b = riff([
          ["fmt ", fmt({})],
          ["data", data],
        ]);
        b.set(ascii("AVI "), 8);
        return b;
      })(),
    ],
    [
      "IEEE float samples",
      riff([
        ["fmt ", fmt({ tag: 3, bitsPerSample: 32 })],
        ["data", data],
      ]),
    ],
    [
      "8-bit samples",
      riff([
        ["fmt ", fmt({ bitsPerSample: 8 })],
        ["data", data],
      ]),
    ],
    [
      "24-bit samples",
      riff([
        ["fmt ", fmt({ bitsPerSample: 24, blockAlign: 3 })],
        ["data", new Uint8Array(6)],
      ]),
    ],
    [
      "A-law",
      riff([
        ["fmt ", fmt({ tag: 6, bitsPerSample: 8 })],
        ["data", data],
      ]),
    ],
    [
      "zero channels",
      riff([
        ["fmt ", fmt({ channels: 0, blockAlign: 0 })],
        ["data", data],
      ]),
    ],
    [
      "a block align that disagrees",
      riff([
        ["fmt ", fmt({ blockAlign: 4 })],
        ["data", data],
      ]),
    ],
    [
      "a zero sample rate",
      riff([
        ["fmt ", fmt({ sampleRate: 0 })],
        ["data", data],
      ]),
    ],
    [
      "a short fmt chunk",
      riff([
        ["fmt ", new Uint8Array(14)],
        ["data", data],
      ]),
    ],
    [
      "data before fmt",
      riff([
        ["data", data],
        ["fmt ", fmt({})],
      ]),
    ],
    ["no data chunk", riff([["fmt ", fmt({})]])],
    ["no fmt chunk", riff([["LIST", ascii("INFO")]])],
    [
      "data that is not whole frames",
      riff([
        ["fmt ", fmt({ channels: 2 })],
        ["data", int16le([1, 2, 3])],
      ]),
    ],
    [
      "a RIFF size past the end",
      riff(
        [
          ["fmt ", fmt({})],
          ["data", data],
        ],
        { riffSize: 1000 },
      ),
    ],
  ];
  for (const [name, bytes] of cases) {
    it(name, () => {
      const err = failure(() => parseWav(bytes));
      expect(err).toBeInstanceOf(AudioInvalidError);
      expect(err.code).toBe("AUDIO_INVALID");
      expect((err as AudioInvalidError).container).toBe("wav");
    });
  }

  it("a chunk whose size runs past the end", () => {
    const bytes = riff([
      ["fmt ", fmt({})],
      ["data", data],
    ]);
    new DataView(bytes.buffer).setUint32(40, 9999, true);
    expect(failure(() => parseWav(bytes)).code).toBe("AUDIO_INVALID");
  });
});

describe("parseWav is bounded", () => {
  it("refuses data over maxDataBytes with AUDIO_TOO_LONG, before copying", () => {
    const bytes = fixture("audio-wav.body");
    const err = failure(() => parseWav(bytes, { maxDataBytes: 1000 }));
    expect(err).toBeInstanceOf(AudioTooLongError);
    expect(err).toMatchObject({ code: "AUDIO_TOO_LONG", dataBytes: bytes.length - 44, maxDataBytes: 1000 });
    expect(parseWav(bytes, { maxDataBytes: bytes.length - 44 }).samples.length).toBe((bytes.length - 44) / 2);
  });

  it("has a default of 30 minutes at 48 kHz mono", () => {
    expect(DEFAULT_MAX_WAV_DATA_BYTES).toBe(30 * 60 * 48_000 * 2);
  });

  it("rejects a negative maxDataBytes as AUDIO_INVALID_ARGUMENT", () => {
    expect(failure(() => parseWav(fixture("audio-wav.body"), { maxDataBytes: -1 })).code).toBe(
      "AUDIO_INVALID_ARGUMENT",
    );
  });
});
