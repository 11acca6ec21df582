/**
 * The client's speech calls against the fake hub (which answers like test/fixtures/hub-media, byte for byte) and,
 * for the answers the typed API cannot provoke, against a loopback server replaying the captured bytes.
 */
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  AudioNotFoundError,
  type ClientMode,
  type ClientOptions,
  FfmpegMissingError,
  HubAbortedError,
  HubError,
  HubHttpError,
  HubTimeoutError,
  InvalidArgumentError,
  MediaInvalidError,
  MediaUnsupportedError,
  OllamaClient,
  PayloadTooLargeError,
  SttFailedError,
  SttUnavailableError,
  TtsUnavailableError,
  UploadTooLargeError,
  VoiceNotFoundError,
  wavInfo,
} from "../../src/hub/index.js";
import { DEFAULT_SPEECH, type FakeHub, startFakeHub } from "../fakes/hub.js";
import { type FakeOllama, startFakeOllama } from "../fakes/ollama.js";
import { ManualScheduler } from "../support/manual-scheduler.js";

const MEDIA = new URL("../fixtures/hub-media/", import.meta.url);
const file = (name: string) => new Uint8Array(readFileSync(new URL(name, MEDIA)));
const voiceNote = file("input-voice.ogg");

let ollama: FakeOllama;
let hub: FakeHub;
const clients: OllamaClient[] = [];

beforeAll(async () => {
  ollama = await startFakeOllama();
  hub = await startFakeHub({ ollamaUrl: ollama.url });
});
afterAll(async () => {
  await hub.close();
  await ollama.close();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  hub.setSpeech(DEFAULT_SPEECH);
  hub.uploads.length = 0;
  await hub.setFault(null);
});

function client(extra: Partial<ClientOptions> = {}, mode: ClientMode = "hub"): OllamaClient {
  const c = new OllamaClient({
    mode,
    baseUrl: mode === "hub" ? hub.apiBase : ollama.url,
    retryBaseDelayMs: 1,
    ...extra,
  });
  clients.push(c);
  return c;
}

async function failure(p: Promise<unknown>): Promise<HubError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(HubError);
    return err as HubError;
  }
  throw new Error("expected the call to fail");
}

const mediaRequests = () => hub.requests.filter((r) => !r.path.includes("/ollama/")).length;

describe("transcribe", () => {
  it("turns a voice note into its text, language, duration, words and segments", async () => {
    const t = await client().transcribe(voiceNote, { filename: "voice.oga", contentType: "audio/ogg" });
    expect(t).toEqual({
      text: "Hello from a voice note.",
      language: "en",
      durationSeconds: 2,
      words: [
        { text: "Hello", start: 0.1, end: 0.53, confidence: 0.99 },
        { text: "from", start: 0.53, end: 0.89, confidence: 0.96 },
        { text: "a", start: 0.89, end: 1.04, confidence: 0.93 },
        { text: "voice", start: 1.04, end: 1.47, confidence: 0.9 },
        { text: "note.", start: 1.47, end: 1.9, confidence: 0.99 },
      ],
      segments: [{ text: "Hello from a voice note.", start: 0.1, end: 1.9 }],
      audioPath: expect.stringMatching(/^\/audio\/media_edits\/[0-9a-f]{12}\/source\.wav$/),
    });
    expect(hub.uploads.at(-1)).toMatchObject({ filename: "voice.oga", contentType: "audio/ogg" });
    expect(Buffer.compare(hub.uploads.at(-1)!.bytes, voiceNote)).toBe(0);
  });

  it("reads MP3 too, whatever Content-Type it is given", async () => {
    const t = await client().transcribe(file("input-voice.mp3"), { filename: "song.mp3" });
    expect(t.durationSeconds).toBe(1.5);
    expect(t.text).toBe("Hello from a voice note.");
    expect(hub.uploads.at(-1)?.contentType).toBe("application/octet-stream");
  });

  it("answers silence with an empty text, not an error", async () => {
    const t = await client().transcribe(file("input-silence.ogg"), { filename: "quiet.ogg" });
    expect(t).toMatchObject({ text: "", language: "en", durationSeconds: 1, words: [], segments: [] });
  });

  it.each([
    ["voice.wav", "voice.bin", "input-voice.wav"],
    ["VOICE.WAV", "VOICE.bin", "input-voice.wav"],
    ["blob", "blob.ogg", "input-voice.ogg"],
    ["", "audio.ogg", "input-voice.ogg"],
    ["x.", "x.ogg", "input-voice.ogg"],
    [".ogg", "ogg.ogg", "input-voice.ogg"],
    ["C:\\Users\\me\\Voice Memo (1).m4a", "Voice_Memo__1_.m4a", "input-voice.ogg"],
    ['../"quoted"\r\nname.oga', "_quoted___name.oga", "input-voice.ogg"],
  ])("uploads %j as %j, a name the hub's ffmpeg can convert", async (given, sent, input) => {
    const t = await client().transcribe(file(input), { filename: given });
    expect(hub.uploads.at(-1)?.filename).toBe(sent);
    expect(t.text).toBe("Hello from a voice note.");
  });

  it("refuses the placeholder transcript of a hub without a speech engine, with the hub's note", async () => {
    hub.setSpeech({ stt: "stub" });
    const err = await failure(client().transcribe(voiceNote, { filename: "voice.ogg" }));
    expect(err).toBeInstanceOf(SttUnavailableError);
    expect(err.code).toBe("STT_UNAVAILABLE");
    expect((err as SttUnavailableError).reason).toBe("placeholder");
    expect((err as SttUnavailableError).hubNote).toBe(
      "STT engine unavailable; returning stub for UI development.",
    );
    expect(err.message).not.toMatch(/word1|stub transcript/);
    expect(err.message).toContain("faster-whisper");
    expect(err.message).not.toContain("\n");
  });

  it("says the same for the strict hub's 503", async () => {
    hub.setSpeech({ stt: "strict" });
    const err = await failure(client().transcribe(voiceNote, { filename: "voice.ogg" }));
    expect(err).toBeInstanceOf(SttUnavailableError);
    expect((err as SttUnavailableError).reason).toBe("not-installed");
    expect((err as SttUnavailableError).hubNote).toBe("STT 'faster-whisper' is not available on this host.");
  });

  it("tells a file that is not audio (MEDIA_INVALID) from a hub without ffmpeg (FFMPEG_MISSING)", async () => {
    const notAudio = await failure(client().transcribe(file("input-notes.txt"), { filename: "notes.txt" }));
    expect(notAudio).toBeInstanceOf(MediaInvalidError);
    expect(notAudio.code).toBe("MEDIA_INVALID");
    expect((notAudio as MediaInvalidError).serverError).toMatch(
      /^Media processing failed: Command '\['ffmpeg'/,
    );
    expect(notAudio.message).toContain('"notes.txt"');
    hub.setSpeech({ ffmpeg: false });
    const noFfmpeg = await failure(client().transcribe(voiceNote, { filename: "voice.ogg" }));
    expect(noFfmpeg).toBeInstanceOf(FfmpegMissingError);
    expect(noFfmpeg.code).toBe("FFMPEG_MISSING");
    expect(noFfmpeg.message).toContain("ffmpeg is not installed on the hub's machine");
  });

  it("passes the engine's own failure on with the hub's text (STT_FAILED), without retrying it", async () => {
    hub.setSpeech({ stt: "error", sttError: "model.bin: checksum mismatch" });
    const before = hub.uploads.length;
    const err = await failure(client().transcribe(voiceNote, { filename: "voice.ogg" }));
    expect(err).toBeInstanceOf(SttFailedError);
    expect((err as SttFailedError).serverError).toBe("Unexpected error: model.bin: checksum mismatch");
    expect(err.message).toContain(": model.bin: checksum mismatch.");
    expect(hub.uploads.length - before).toBe(1);
  });

  it("refuses audio over maxUploadBytes, and empty audio, before sending anything", async () => {
    const before = mediaRequests();
    const big = await failure(client({ maxUploadBytes: 1000 }).transcribe(voiceNote, { filename: "v.ogg" }));
    expect(big).toBeInstanceOf(UploadTooLargeError);
    expect(big).toMatchObject({
      code: "UPLOAD_TOO_LARGE",
      sizeBytes: voiceNote.byteLength,
      limitBytes: 1000,
    });
    expect(client().maxUploadBytes).toBe(25 * 1024 * 1024);
    const empty = await failure(client().transcribe(new Uint8Array(0), { filename: "v.ogg" }));
    expect(empty).toBeInstanceOf(InvalidArgumentError);
    expect(mediaRequests()).toBe(before);
  });

  it("stops at once when the caller aborts a long transcription", async () => {
    hub.setSpeech({ transcribeDelayMs: 60_000 });
    const controller = new AbortController();
    const pending = failure(client().transcribe(voiceNote, { filename: "v.ogg" }, controller.signal));
    await vi.waitFor(() => expect(hub.uploads.length).toBe(1));
    controller.abort();
    expect(await pending).toBeInstanceOf(HubAbortedError);
  });

  it("bounds a transcription by transcribeTimeoutMs, named in the message", async () => {
    hub.setSpeech({ transcribeDelayMs: 60_000 });
    const scheduler = new ManualScheduler();
    const pending = failure(
      client({ scheduler, transcribeTimeoutMs: 900_000 }).transcribe(voiceNote, { filename: "v.ogg" }),
    );
    await vi.waitFor(() => expect(hub.uploads.length).toBe(1));
    expect(scheduler.armed("total")?.ms).toBe(900_000);
    scheduler.fire("total");
    const err = await pending;
    expect(err).toBeInstanceOf(HubTimeoutError);
    expect((err as HubTimeoutError).phase).toBe("total");
    expect(err.message).toContain("within 900 s for the transcription");
  });

  it("says the base URL must end in /api, where the hub serves transcription", async () => {
    const err = await failure(
      client({ baseUrl: hub.origin }).transcribe(voiceNote, { filename: "voice.ogg" }),
    );
    expect(err).toBeInstanceOf(MediaUnsupportedError);
    expect(err.message).toContain("must end in the hub's API prefix (/api)");
  });
});

describe("voices", () => {
  it("lists the voices with the language of the id's first letter, not the hub's locale", async () => {
    const list = await client().voices();
    expect(list.available).toBe(true);
    expect(list.engine).toBe("kokoro");
    expect(list.voices).toHaveLength(54);
    const byId = Object.fromEntries(list.voices.map((v) => [v.id, v]));
    expect(byId.af_heart).toEqual({
      id: "af_heart",
      label: "Af Heart",
      gender: "female",
      language: "en-us",
      languageName: "American English",
    });
    // The hub files these under "en-us" (bf, jf) or null (bm): the id tells the truth.
    expect(byId.bf_emma?.language).toBe("en-gb");
    expect(byId.bm_george?.language).toBe("en-gb");
    expect(byId.jf_alpha).toMatchObject({ language: "ja", languageName: "Japanese", gender: "female" });
    expect(byId.zm_yunxi).toMatchObject({ language: "cmn", gender: "male" });
    expect(byId.ff_siwis?.language).toBe("fr-fr");
    expect(byId.pm_alex?.language).toBe("pt-br");
  });

  it("says available:false with no voices when Kokoro's files are missing", async () => {
    hub.setSpeech({ kokoro: "no-model" });
    expect(await client().voices()).toEqual({ engine: "kokoro", available: false, voices: [] });
  });
});

describe("previewVoice", () => {
  it("gets a voice's short sample in its own language, and fetches it", async () => {
    const c = client();
    const preview = await c.previewVoice("ff_siwis");
    expect(preview).toEqual({
      voice: "ff_siwis",
      language: "fr-fr",
      path: "/audio/voice_previews/kokoro/ff_siwis-fr-fr-v1.wav",
    });
    const audio = await c.fetchAudio(preview.path);
    const info = wavInfo(audio.bytes);
    expect(info?.sampleRate).toBe(24_000);
    expect(info!.durationSeconds).toBeGreaterThan(0);
    expect(info!.durationSeconds).toBeLessThanOrEqual(5);
    // The hub now lists it with its sample.
    expect(hub.requests.at(-1)?.path).toBe(preview.path);
  });

  it("names what went wrong: a blank id, an unknown voice, Kokoro missing", async () => {
    const c = client();
    expect((await failure(c.previewVoice("  "))).code).toBe("INVALID_ARGUMENT");
    expect((await failure(c.previewVoice("xx_nobody"))).code).toBe("VOICE_NOT_FOUND");
    hub.setSpeech({ kokoro: "no-model" });
    expect((await failure(c.previewVoice("af_heart"))).code).toBe("TTS_UNAVAILABLE");
  });
});

describe("synthesise and fetchAudio", () => {
  it("makes a clip and fetches its WAV from the server root", async () => {
    const c = client();
    const clip = await c.synthesise({ text: "Hello from the hub.", voice: "af_heart" });
    expect(clip).toEqual({
      id: clip.filename,
      filename: expect.stringMatching(/^\d{10}-[0-9a-f]{10}-af_heart\.wav$/),
      path: `/audio/${clip.filename}`,
      engine: "kokoro",
      voice: "af_heart",
      language: "en-us",
      speed: 1,
      sampleRate: 24000,
      text: "Hello from the hub.",
      trimSilence: true,
    });
    const audio = await c.fetchAudio(clip.path);
    expect(hub.requests.at(-1)?.path).toBe(clip.path);
    expect(audio.contentType).toBe("audio/x-wav");
    const info = wavInfo(audio.bytes)!;
    expect(info).toMatchObject({
      format: 1,
      channels: 1,
      sampleRate: 24000,
      bitsPerSample: 16,
      dataOffset: 44,
    });
    expect(info.durationSeconds).toBeCloseTo((audio.bytes.byteLength - 44) / 48000, 9);
  });

  it("sends the voice's own language unless told otherwise, and the speed", async () => {
    const c = client();
    const uk = await c.synthesise({ text: "Testing one two three.", voice: "bm_george", speed: 1.25 });
    expect(hub.requests.at(-1)?.body).toEqual({
      text: "Testing one two three.",
      voice: "bm_george",
      speed: 1.25,
      language: "en-gb",
    });
    expect(uk).toMatchObject({ language: "en-gb", speed: 1.25, voice: "bm_george" });
    const told = await c.synthesise({ text: "Grüße aus Zürich 😀", voice: "af_heart", language: "DE" });
    expect(told.language).toBe("de");
    expect(told.text).toBe("Grüße aus Zürich 😀");
  });

  it("says which voice does not exist (VOICE_NOT_FOUND)", async () => {
    const err = await failure(client().synthesise({ text: "Hi.", voice: "xx_nobody" }));
    expect(err).toBeInstanceOf(VoiceNotFoundError);
    expect((err as VoiceNotFoundError).voice).toBe("xx_nobody");
  });

  it("refuses a language the hub's phonemizer does not know (INVALID_ARGUMENT)", async () => {
    const err = await failure(client().synthesise({ text: "Hi.", voice: "af_heart", language: "xx-yy" }));
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect(err.message).toContain('language "xx-yy" is not supported by the espeak backend');
  });

  it.each([
    [{ text: "  ", voice: "af_heart" }, /blank/],
    [{ text: "Hi.", voice: " " }, /voice id/],
    [{ text: "Hi.", voice: "af_heart", speed: 3 }, /0\.5 to 2\.0, not 3/],
    [{ text: "Hi.", voice: "af_heart", speed: Number.NaN }, /not NaN/],
  ])("refuses %j before sending it", async (req, why) => {
    const before = mediaRequests();
    const err = await failure(client().synthesise(req));
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect(err.message).toMatch(why);
    expect(mediaRequests()).toBe(before);
  });

  it("says Kokoro is unavailable (TTS_UNAVAILABLE) when its files are missing, without retrying the 503", async () => {
    hub.setSpeech({ kokoro: "no-voices" });
    const before = mediaRequests();
    const err = await failure(client().synthesise({ text: "Hi.", voice: "af_heart" }));
    expect(err).toBeInstanceOf(TtsUnavailableError);
    expect((err as TtsUnavailableError).serverError).toBe("TTS engine 'kokoro' is not available.");
    expect(err.message).toContain("KOKORO_MODEL");
    expect(mediaRequests() - before).toBe(1);
  });

  it("fetches the hub's converted upload too (ffmpeg's WAV, samples after a LIST chunk)", async () => {
    const c = client();
    const t = await c.transcribe(voiceNote, { filename: "voice.ogg" });
    const audio = await c.fetchAudio(t.audioPath!);
    expect(wavInfo(audio.bytes)).toMatchObject({ sampleRate: 24000, dataOffset: 78, durationSeconds: 2 });
  });

  it("says a clip that is gone is gone (AUDIO_NOT_FOUND), though the hub answers 500", async () => {
    const err = await failure(client().fetchAudio("/audio/1700000000-0000000000-af_heart.wav"));
    expect(err).toBeInstanceOf(AudioNotFoundError);
    expect((err as AudioNotFoundError).path).toBe("/audio/1700000000-0000000000-af_heart.wav");
  });

  it.each([
    "/api/audio/x.wav",
    "/audio/../etc/passwd",
    "/audio/a/./b.wav",
    "http://elsewhere/audio/x.wav",
    "/audio/",
  ])("refuses to fetch %j, which is not a path of the hub's audio", async (path) => {
    const before = mediaRequests();
    expect(await failure(client().fetchAudio(path))).toBeInstanceOf(InvalidArgumentError);
    expect(mediaRequests()).toBe(before);
  });

  it("refuses audio over maxAudioBytes without reading it", async () => {
    const c = client({ maxAudioBytes: 1000 });
    const clip = await c.synthesise({ text: "Hello from the hub.", voice: "af_heart" });
    const err = await failure(c.fetchAudio(clip.path));
    expect(err).toBeInstanceOf(PayloadTooLargeError);
    expect((err as PayloadTooLargeError).limitBytes).toBe(1000);
  });
});

describe("speech()", () => {
  it("probes TTS through the voice list; STT is unknown until a transcription succeeded", async () => {
    const c = client();
    expect(await c.speech()).toEqual({ tts: true, stt: "unknown" });
    await c.transcribe(voiceNote, { filename: "voice.ogg" });
    expect(await c.speech()).toEqual({ tts: true, stt: "available" });
    hub.setSpeech({ kokoro: "no-model", stt: "stub" });
    await expect(c.transcribe(voiceNote, { filename: "voice.ogg" })).rejects.toBeInstanceOf(
      SttUnavailableError,
    );
    expect(await c.speech()).toEqual({ tts: false, stt: "unknown" });
  });
});

describe("direct mode", () => {
  it("refuses every speech call with MEDIA_UNSUPPORTED, sending nothing", async () => {
    const c = client({}, "direct");
    const before = ollama.requests.length;
    const calls: Array<[string, Promise<unknown>]> = [
      ["transcribe", c.transcribe(voiceNote, { filename: "v.ogg" })],
      ["voices", c.voices()],
      ["synthesise", c.synthesise({ text: "Hi.", voice: "af_heart" })],
      ["fetchAudio", c.fetchAudio("/audio/x.wav")],
      ["speech", c.speech()],
      ["previewVoice", c.previewVoice("af_heart")],
    ];
    for (const [name, call] of calls) {
      const err = await failure(call);
      expect(err).toBeInstanceOf(MediaUnsupportedError);
      expect(err.code).toBe("MEDIA_UNSUPPORTED");
      expect(err.message).toContain(`${name} needs the hub`);
      expect(err.message).toContain("TTSHUB_API_BASE");
    }
    expect(ollama.requests.length).toBe(before);
  });
});

describe("every captured failure, replayed byte for byte", () => {
  let server: Server;
  let base: string;
  let fixture = "";
  let requests = 0;

  beforeAll(async () => {
    // Reads each request whole, then answers with the captured bytes of `fixture` and closes, as Werkzeug does.
    server = createServer((socket) => {
      let got = Buffer.alloc(0);
      socket.on("data", (chunk: Buffer) => {
        got = Buffer.concat([got, chunk]);
        const end = got.indexOf("\r\n\r\n");
        const length = Number(/^content-length: *(\d+)/im.exec(got.toString("latin1", 0, end))?.[1] ?? 0);
        if (end === -1 || got.length < end + 4 + length) return;
        requests++;
        socket.end(
          Buffer.concat([
            readFileSync(new URL(`${fixture}.headers`, MEDIA)),
            readFileSync(new URL(`${fixture}.body`, MEDIA)),
          ]),
        );
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as { port: number }).port;
    base = `http://127.0.0.1:${port}/api`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const replayClient = () => client({ baseUrl: base });
  const synth = () => replayClient().synthesise({ text: "Hello.", voice: "af_heart" });
  const transcribe = () => replayClient().transcribe(voiceNote, { filename: "voice.ogg" });

  it.each<[string, () => Promise<unknown>, string]>([
    ["synth-unknown-voice", synth, "VOICE_NOT_FOUND"],
    ["synth-bad-speed", synth, "INVALID_ARGUMENT"],
    ["synth-speed-out-of-range", synth, "INVALID_ARGUMENT"],
    ["synth-unknown-language", synth, "INVALID_ARGUMENT"],
    ["synth-empty-text", synth, "INVALID_ARGUMENT"],
    ["synth-missing-voice", synth, "INVALID_ARGUMENT"],
    ["synth-engine-unavailable", synth, "TTS_UNAVAILABLE"],
    ["nomodel-synth", synth, "TTS_UNAVAILABLE"],
    ["synth-not-object", synth, "HUB_HTTP_ERROR"],
    ["nostt-transcribe", transcribe, "STT_UNAVAILABLE"],
    ["nostt-strict-transcribe", transcribe, "STT_UNAVAILABLE"],
    ["transcribe-not-audio", transcribe, "MEDIA_INVALID"],
    ["transcribe-wav", transcribe, "MEDIA_INVALID"],
    ["noffmpeg-transcribe", transcribe, "FFMPEG_MISSING"],
    ["stt-engine-error", transcribe, "STT_FAILED"],
    ["transcribe-no-prefix", transcribe, "MEDIA_UNSUPPORTED"],
    ["transcribe-no-file", transcribe, "HUB_HTTP_ERROR"],
    ["api-health", () => replayClient().voices(), "MEDIA_UNSUPPORTED"],
    ["audio-missing", () => replayClient().fetchAudio("/audio/x.wav"), "AUDIO_NOT_FOUND"],
    ["audio-under-api", () => replayClient().fetchAudio("/audio/x.wav"), "AUDIO_NOT_FOUND"],
    ["voices-preview", () => replayClient().fetchAudio("/audio/x.wav"), "BAD_PAYLOAD"],
    ["synth-ok", () => replayClient().voices(), "BAD_PAYLOAD"],
    ["voices", synth, "BAD_PAYLOAD"],
  ])("%s → %s", async (name, call, code) => {
    fixture = name;
    const err = await failure(call());
    expect(err.code).toBe(code);
    expect(err.message).not.toContain("\n");
    if (err instanceof HubHttpError) expect(err.serverError).toBeDefined();
  });

  it("reads each success exactly as captured, non-ASCII escapes included", async () => {
    fixture = "synth-unicode";
    const clip = await replayClient().synthesise({ text: "Grüße aus Zürich 😀", voice: "ff_siwis" });
    expect(clip).toMatchObject({
      text: "Grüße aus Zürich 😀",
      voice: "ff_siwis",
      language: "fr-fr",
      speed: 1,
    });
    fixture = "transcribe-silence";
    expect((await transcribe()).text).toBe("");
    fixture = "audio-wav";
    const audio = await replayClient().fetchAudio("/audio/x.wav");
    expect(audio.bytes.byteLength).toBe(55964);
    expect(wavInfo(audio.bytes)?.durationSeconds).toBeCloseTo(1.165, 9);
    fixture = "nomodel-voices";
    expect(await replayClient().speech()).toEqual({ tts: false, stt: "unknown" });
    fixture = "voices-preview";
    expect(await replayClient().previewVoice("af_heart")).toEqual({
      voice: "af_heart",
      language: undefined,
      path: "/audio/voice_previews/kokoro/af_heart-en-us-v1.wav",
    });
  });

  it("does not retry a refusal, and retries nothing it should not", async () => {
    fixture = "stt-engine-error";
    const before = requests;
    await failure(transcribe());
    expect(requests - before).toBe(1);
  });
});
