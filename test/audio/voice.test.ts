// encodeVoice end to end: what comes out is an Ogg Opus file a player (and Telegram) accepts, of the right length,
// that decodes back to the sound that went in; and the encoder lets the bot's event loop run and stops when told.
import { setImmediate as nextTurn } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import {
  AudioAbortedError,
  type AudioError,
  buildOpusHead,
  buildOpusTags,
  decodeOggOpus,
  encodeVoice,
  isAudioError,
  joinClips,
  OggWriter,
  OpusDecoder,
  oggOpusInfo,
  opusPacketSamples48,
  type Pcm,
  parseWav,
  readOggOpus,
  readOggStream,
  VOICE_VENDOR,
} from "../../src/audio/index.js";
import { bestCorrelation, channel, fixture, powerAt, rms, tone } from "./signals.js";

/** One 20 ms Opus frame, in seconds: the precision the brief asks of durations. */
const FRAME_S = 0.02;

async function rejection(promise: Promise<unknown>): Promise<AudioError> {
  const err = await promise.then(
    () => {
      throw new Error("expected an AudioError");
    },
    (e: unknown) => e,
  );
  if (!isAudioError(err)) throw err;
  return err;
}

/** Decodes every audio packet with opusscript's decoder directly, pre-skip dropped, as a player would. */
function decodePackets(bytes: Uint8Array): Pcm {
  const stream = readOggOpus(bytes);
  const decoder = new OpusDecoder(48_000, stream.head.channels);
  try {
    const parts = stream.packets.map((packet) => decoder.decode(packet));
    const all = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const part of parts) {
      all.set(part, at);
      at += part.length;
    }
    const channels = stream.head.channels;
    const end = stream.finalGranule * channels;
    return { sampleRate: 48_000, channels, samples: all.slice(stream.head.preSkip * channels, end) };
  } finally {
    decoder.close();
  }
}

/** Every other sample: a 48 kHz decode of band-limited speech lined up with its 24 kHz original. */
function halve(xs: Float64Array): Float64Array {
  return xs.filter((_, i) => i % 2 === 0);
}

/** ±1 ms at 24 kHz, far more than the codec's resampling shift (a few samples) and far less than a 440 Hz period. */
const MAX_LAG = 24;

describe("encodeVoice", () => {
  it("encodes a 2.5 s 24 kHz tone into a valid mono Ogg Opus file of the same length", async () => {
    const input = tone({ seconds: 2.5, sampleRate: 24_000, hz: 440 });
    const note = await encodeVoice(input);
    expect(note.mimeType).toBe("audio/ogg");
    expect(note.durationSeconds).toBe(2.5);

    const info = oggOpusInfo(note.bytes); // every page's CRC, the headers and the granules checked
    expect(info).toMatchObject({ channels: 1, inputSampleRate: 24_000, vendor: VOICE_VENDOR });
    expect(Math.abs(info.durationSeconds - 2.5)).toBeLessThanOrEqual(FRAME_S);
    expect(info.durationSeconds).toBe(2.5); // exact, in fact: the last granule trims the padding
    // 20 ms packets, enough to cover the input and the encoder's delay, and no more.
    expect(info.packets).toBe(Math.ceil((2.5 * 48_000 + info.preSkip) / 960));
    expect(info.preSkip).toBeGreaterThan(0);

    const stream = readOggStream(note.bytes);
    expect(stream.pages[0]).toMatchObject({ bos: true, granule: 0n, packetsEnded: 1 });
    expect(stream.pages[1]).toMatchObject({ granule: 0n, packetsEnded: 1 });
    expect(stream.pages.at(-1)?.eos).toBe(true);
    // A page per second of audio, plus the two header pages.
    expect(stream.pages.length).toBe(2 + Math.ceil(info.packets / 50));
    for (const packet of readOggOpus(note.bytes).packets) expect(opusPacketSamples48(packet)).toBe(960);

    // A speech bitrate: 24 kb/s for 2.5 s is about 7.5 KB, plus headers.
    expect(note.bytes.length).toBeLessThan(12_000);
    expect(note.bytes.length).toBeGreaterThan(1_000);
  });

  it("decodes back (opusscript's decoder) to the same tone: same pitch, same loudness, same waveform", async () => {
    const input = tone({ seconds: 2.5, sampleRate: 24_000, hz: 440 });
    const decoded = decodePackets((await encodeVoice(input)).bytes);
    expect(decoded.samples.length).toBe(2.5 * 48_000);
    const out = halve(channel(decoded, 0));
    const original = channel(input, 0);
    // Away from the edges, where the codec settles in.
    const from = 2_400;
    const to = out.length - 2_400;
    expect(rms(out, from, to) / rms(original, from, to)).toBeGreaterThan(0.8);
    expect(rms(out, from, to) / rms(original, from, to)).toBeLessThan(1.25);
    expect(bestCorrelation(original, out, from, to, MAX_LAG).value).toBeGreaterThan(0.95);
    // Not a coincidence of lag: the same decode against a tone a semitone off does not correlate.
    const other = channel(tone({ seconds: 2.5, sampleRate: 24_000, hz: 466 }), 0);
    expect(bestCorrelation(other, out, from, to, MAX_LAG).value).toBeLessThan(0.2);
    const mid = out.subarray(from, to);
    expect(powerAt(mid, 440, 24_000)).toBeGreaterThan(100 * powerAt(mid, 1000, 24_000));
  });

  it("lines the sound up in time: the pre-skip drops exactly the encoder's delay", async () => {
    // Not periodic, so only one shift matches: a rising chirp (500–3000 Hz) for 50 ms, one second in.
    const sampleRate = 24_000;
    const samples = new Int16Array(2 * sampleRate);
    const start = sampleRate;
    const length = 0.05 * sampleRate;
    for (let i = 0; i < length; i++) {
      const t = i / sampleRate;
      const window = Math.sin((Math.PI * i) / length) ** 2;
      samples[start + i] = Math.round(12_000 * window * Math.sin(2 * Math.PI * (500 * t + 25_000 * t * t)));
    }
    const input: Pcm = { sampleRate, channels: 1, samples };
    const out = channel(await decodeOggOpus((await encodeVoice(input)).bytes), 0);
    // Searched over ±5 ms: a pre-skip off by even 10 samples at 48 kHz would show.
    const best = bestCorrelation(channel(input, 0), out, start - 240, start + length + 240, 120);
    expect(best.value).toBeGreaterThan(0.8);
    expect(Math.abs(best.lag)).toBeLessThanOrEqual(2);
  });

  it("encodes the hub's real clip (LIST WAV, 2 s) to a voice note that decodes to the same signal", async () => {
    const wav = parseWav(fixture("transcribe-ogg-audio.body"));
    const note = await encodeVoice(wav);
    const info = oggOpusInfo(note.bytes);
    expect(info.channels).toBe(1);
    expect(Math.abs(info.durationSeconds - wav.durationSeconds)).toBeLessThanOrEqual(FRAME_S);

    const back = await decodeOggOpus(note.bytes); // at the input rate, 24 kHz
    expect(back).toMatchObject({ sampleRate: 24_000, channels: 1 });
    expect(back.samples.length).toBe(wav.samples.length);
    const a = channel(wav, 0);
    const b = channel(back, 0);
    expect(rms(b)).toBeGreaterThan(0.5 * rms(a));
    expect(bestCorrelation(a, b, 2_400, a.length - 2_400, MAX_LAG).value).toBeGreaterThan(0.95);
  });

  it("encodes joined TTS clips with their pauses: the pauses come out silent, the speech does not", async () => {
    const clip = parseWav(fixture("audio-wav.body"));
    const joined = joinClips([clip, clip], { pauseSeconds: 0.5 });
    const note = await encodeVoice(joined);
    expect(oggOpusInfo(note.bytes).durationSeconds).toBeCloseTo(joined.durationSeconds, 6);
    const back = channel(await decodeOggOpus(note.bytes), 0);
    const pauseStart = clip.samples.length;
    const pause = rms(back, pauseStart + 1_200, pauseStart + 12_000 - 1_200);
    const speech = rms(back, 2_400, pauseStart - 2_400);
    expect(speech).toBeGreaterThan(100 * Math.max(pause, 1));
  });

  it("keeps stereo channels apart at 48 kHz", async () => {
    const input = tone({ seconds: 1, sampleRate: 48_000, hz: [300, 1200] });
    const note = await encodeVoice(input, { bitrate: 64_000 });
    expect(oggOpusInfo(note.bytes)).toMatchObject({
      channels: 2,
      inputSampleRate: 48_000,
      durationSeconds: 1,
    });
    const back = await decodeOggOpus(note.bytes);
    const left = channel(back, 0).subarray(4_800, 43_200);
    const right = channel(back, 1).subarray(4_800, 43_200);
    expect(powerAt(left, 300, 48_000)).toBeGreaterThan(30 * powerAt(left, 1200, 48_000));
    expect(powerAt(right, 1200, 48_000)).toBeGreaterThan(30 * powerAt(right, 300, 48_000));
  });

  it("encodes empty audio as a valid file of zero seconds", async () => {
    const note = await encodeVoice({ sampleRate: 24_000, channels: 1, samples: new Int16Array(0) });
    expect(oggOpusInfo(note.bytes)).toMatchObject({ durationSeconds: 0, packets: 1 });
  });

  it("yields to the event loop while encoding a long clip", async () => {
    const input = tone({ seconds: 30, sampleRate: 24_000, hz: 220 });
    let turns = 0;
    let encoding = true;
    const ticker = (async () => {
      while (encoding) {
        await nextTurn();
        turns++;
      }
    })();
    await encodeVoice(input);
    encoding = false;
    await ticker;
    // 1500 frames cannot all run within one 10 ms slice.
    expect(turns).toBeGreaterThan(3);
  });

  it("stops on the AbortSignal, mid-way, with AUDIO_ABORTED carrying the reason", async () => {
    const input = tone({ seconds: 120, sampleRate: 24_000, hz: 220 });
    const controller = new AbortController();
    const reason = new Error("user pressed Stop");
    const encoding = encodeVoice(input, { signal: controller.signal });
    setImmediate(() => controller.abort(reason));
    const started = performance.now();
    const err = await rejection(encoding);
    expect(err).toBeInstanceOf(AudioAbortedError);
    expect(err.code).toBe("AUDIO_ABORTED");
    expect(err.cause).toBe(reason);
    // Far sooner than 120 s of audio takes to encode (about 2 s here): it stopped at the next yield.
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("does not start when the signal is already aborted", async () => {
    const err = await rejection(
      encodeVoice(tone({ seconds: 1, sampleRate: 24_000, hz: 440 }), {
        signal: AbortSignal.abort("gone"),
      }),
    );
    expect(err).toMatchObject({ code: "AUDIO_ABORTED", cause: "gone" });
  });

  it("refuses a rate Opus lacks or more than two channels with AUDIO_UNSUPPORTED_FORMAT", async () => {
    const cd = tone({ seconds: 0.1, sampleRate: 44_100, hz: 440 });
    expect((await rejection(encodeVoice(cd))).code).toBe("AUDIO_UNSUPPORTED_FORMAT");
    const wav16 = parseWav(fixture("input-voice.wav")); // 16 kHz is an Opus rate: fine
    expect(oggOpusInfo((await encodeVoice(wav16)).bytes).inputSampleRate).toBe(16_000);
    const surround = { sampleRate: 48_000, channels: 3, samples: new Int16Array(3 * 960) };
    expect((await rejection(encodeVoice(surround))).code).toBe("AUDIO_UNSUPPORTED_FORMAT");
  });

  it("rejects impossible options with AUDIO_INVALID_ARGUMENT", async () => {
    const input = tone({ seconds: 0.1, sampleRate: 24_000, hz: 440 });
    for (const options of [{ bitrate: 1 }, { bitrate: 600_000 }, { complexity: 11 }, { complexity: 2.5 }]) {
      expect((await rejection(encodeVoice(input, options))).code).toBe("AUDIO_INVALID_ARGUMENT");
    }
    const ragged = { sampleRate: 24_000, channels: 2, samples: new Int16Array(3) };
    expect((await rejection(encodeVoice(ragged))).code).toBe("AUDIO_INVALID_ARGUMENT");
  });

  it("runs many encoders at once without their buffers meeting", async () => {
    const inputs = [220, 330, 440, 550, 660, 770].map((hz) => tone({ seconds: 3, sampleRate: 24_000, hz }));
    const alone = await encodeVoice(inputs[2]!);
    const together = await Promise.all(inputs.map((input) => encodeVoice(input)));
    // Same input, same packets (only the random serial differs): nothing leaked between concurrent encoders.
    expect(readOggOpus(together[2]!.bytes).packets).toEqual(readOggOpus(alone.bytes).packets);
    together.forEach((note, i) => {
      const back = channel(decodePackets(note.bytes), 0).subarray(9_600, 134_400);
      const hz = [220, 330, 440, 550, 660, 770][i]!;
      expect(powerAt(back, hz, 48_000)).toBeGreaterThan(30 * powerAt(back, hz * 1.5, 48_000));
    });
  });
});

describe("oggOpusInfo", () => {
  it("reads ffmpeg's voice note (libopus, 48 kHz): 1 channel, 2 s, and it decodes to its 440 Hz sine", async () => {
    const bytes = fixture("input-voice.ogg");
    expect(oggOpusInfo(bytes)).toMatchObject({ channels: 1, inputSampleRate: 48_000, durationSeconds: 2 });
    const back = await decodeOggOpus(bytes);
    const mid = channel(back, 0).subarray(9_600, 86_400);
    expect(powerAt(mid, 440, 48_000)).toBeGreaterThan(100 * powerAt(mid, 880, 48_000));
    expect(oggOpusInfo(fixture("input-silence.ogg")).durationSeconds).toBe(1);
  });

  /** A stream from raw packets, for the cases our encoder never writes. */
  function stream(packets: Array<[Uint8Array, number, { flush?: boolean }?]>): Uint8Array {
    const writer = new OggWriter({ serial: 7 });
    packets.forEach(([data, granule, options], i) => {
      writer.packet(data, granule, { ...options, last: i === packets.length - 1 });
    });
    return writer.finish();
  }
  const head = buildOpusHead({ channels: 1, preSkip: 312, inputSampleRate: 24_000 });
  const tags = buildOpusTags("test");
  const silk20 = Uint8Array.of(0x08, 0, 0); // config 1 (SILK NB 20 ms), one frame
  const invalid = (bytes: Uint8Array) => {
    try {
      oggOpusInfo(bytes);
    } catch (err) {
      if (isAudioError(err)) return err;
      throw err;
    }
    throw new Error("expected AUDIO_INVALID");
  };

  it("accepts a minimal well-formed stream", () => {
    const bytes = stream([
      [head, 0, { flush: true }],
      [tags, 0, { flush: true }],
      [silk20, 960],
      [silk20, 1500],
    ]);
    expect(oggOpusInfo(bytes)).toMatchObject({
      channels: 1,
      packets: 2,
      durationSeconds: (1500 - 312) / 48_000,
    });
  });

  it("refuses what a player would choke on, with AUDIO_INVALID", () => {
    const cases: Array<[string, Uint8Array]> = [
      ["a WAV", fixture("audio-wav.body")],
      [
        "no OpusHead",
        stream([
          [tags, 0, { flush: true }],
          [silk20, 960],
        ]),
      ],
      [
        "OpusHead sharing its page",
        stream([
          [head, 0],
          [tags, 0, { flush: true }],
          [silk20, 960],
        ]),
      ],
      [
        "no OpusTags",
        stream([
          [head, 0, { flush: true }],
          [silk20, 960],
        ]),
      ],
      [
        "audio on the OpusTags page",
        stream([
          [head, 0, { flush: true }],
          [tags, 0],
          [silk20, 960],
        ]),
      ],
      [
        "no audio",
        stream([
          [head, 0, { flush: true }],
          [tags, 0],
        ]),
      ],
      [
        "a granule that does not match the packets",
        stream([
          [head, 0, { flush: true }],
          [tags, 0, { flush: true }],
          [silk20, 900, { flush: true }],
          [silk20, 1920],
        ]),
      ],
      [
        "a last granule past the packets",
        stream([
          [head, 0, { flush: true }],
          [tags, 0, { flush: true }],
          [silk20, 961],
        ]),
      ],
      [
        "an end before the pre-skip",
        stream([
          [head, 0, { flush: true }],
          [tags, 0, { flush: true }],
          [silk20, 300],
        ]),
      ],
      [
        "an empty audio packet",
        stream([
          [head, 0, { flush: true }],
          [tags, 0, { flush: true }],
          [new Uint8Array(0), 960],
        ]),
      ],
      [
        "a code 3 packet with no frames",
        stream([
          [head, 0, { flush: true }],
          [tags, 0, { flush: true }],
          [Uint8Array.of(0x0b, 0), 960],
        ]),
      ],
      [
        "OpusHead with 0 channels",
        stream([
          [buildOpusHead({ channels: 0, preSkip: 0, inputSampleRate: 0 }), 0, { flush: true }],
          [tags, 0, { flush: true }],
          [silk20, 960],
        ]),
      ],
      [
        "mapping family 0 with 3 channels",
        stream([
          [buildOpusHead({ channels: 3, preSkip: 0, inputSampleRate: 0 }), 0, { flush: true }],
          [tags, 0, { flush: true }],
          [silk20, 960],
        ]),
      ],
      [
        "OpusTags cut short",
        stream([
          [head, 0, { flush: true }],
          [tags.subarray(0, 14), 0, { flush: true }],
          [silk20, 960],
        ]),
      ],
    ];
    for (const [name, bytes] of cases) expect(invalid(bytes).code, name).toBe("AUDIO_INVALID");
  });

  it("refuses our own voice note with any byte changed or cut short", async () => {
    const good = (await encodeVoice(tone({ seconds: 0.2, sampleRate: 24_000, hz: 440 }))).bytes;
    for (let at = 0; at < good.length; at += 7) {
      const bad = good.slice();
      bad[at]! ^= 0x01;
      expect(invalid(bad).code, `byte ${at}`).toBe("AUDIO_INVALID");
    }
    for (let cut = 0; cut < good.length; cut += 5)
      expect(invalid(good.subarray(0, cut)).code).toBe("AUDIO_INVALID");
  });
});
