/**
 * The hub's speech endpoints without I/O: the upload's name and multipart body, voice languages, WAV headers,
 * and what each of the hub's media answers means (see shared/hub-media.md). The client does the HTTP.
 */
import { randomBytes } from "node:crypto";
import {
  AudioNotFoundError,
  FfmpegMissingError,
  type HubError,
  InvalidArgumentError,
  MediaInvalidError,
  MediaUnsupportedError,
  SttFailedError,
  SttUnavailableError,
  TtsUnavailableError,
  VoiceNotFoundError,
} from "./errors.js";
import type { Transcript, Voice, WireTranscribeReply, WireVoice } from "./types.js";

/** Longest file name sent; the hub keeps only its extension. */
const MAX_NAME = 100;

/**
 * The file name to upload under. The hub saves the upload as `source<extension>` (`source.wav` when there is
 * none) and has ffmpeg convert it to `source.wav`: for a `.wav` or extensionless name, input and output are the
 * same file, ffmpeg refuses to overwrite its input, and the hub answers 500 "Media processing failed". ffmpeg
 * reads the format from the content, so any other extension works: a `.wav` becomes `.bin`, a missing one `.ogg`.
 * The name is also cut to its last path part and to ASCII letters, digits, `.`, `_` and `-`, so it needs no
 * quoting in the multipart header; a leading dot goes (`.ogg` alone has no extension for the hub's Python).
 */
export function uploadFilename(name: string): string {
  const last = name.split(/[\\/]/).pop() ?? "";
  let base = last.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^\.+/, "");
  const dot = base.lastIndexOf(".");
  // Python's Path.suffix: a dot that is neither the first nor the last character.
  let ext = dot > 0 && dot < base.length - 1 ? base.slice(dot) : "";
  let stem = ext === "" ? base.replace(/\.+$/, "") : base.slice(0, dot);
  if (ext === "") ext = ".ogg";
  else if (ext.toLowerCase() === ".wav") ext = ".bin";
  if (ext.length > 16) ext = ".ogg";
  if (stem === "") stem = "audio";
  base = stem.slice(0, MAX_NAME - ext.length) + ext;
  return base;
}

const TOKEN_TYPE = /^[A-Za-z0-9!#$&^_.+-]+\/[A-Za-z0-9!#$&^_.+-]+$/;

/**
 * One `multipart/form-data` body with a single file part, built by hand so its bytes and length are exact: the
 * boundary is random and checked not to occur in the audio.
 */
export function multipartBody(
  field: string,
  filename: string,
  contentType: string | undefined,
  bytes: Uint8Array,
): { body: Buffer; contentType: string } {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let boundary: string;
  do boundary = `----ollama-tg-${randomBytes(16).toString("hex")}`;
  while (data.indexOf(boundary, 0, "latin1") !== -1);
  const type =
    contentType !== undefined && TOKEN_TYPE.test(contentType) ? contentType : "application/octet-stream";
  const head =
    `--${boundary}\r\n` +
    `Content-Disposition: form-data; name="${field}"; filename="${filename}"\r\n` +
    `Content-Type: ${type}\r\n\r\n`;
  return {
    body: Buffer.concat([
      Buffer.from(head, "latin1"),
      data,
      Buffer.from(`\r\n--${boundary}--\r\n`, "latin1"),
    ]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

/** Kokoro's voice ids: the first letter is the language (shared/hub-media.md), as the espeak code to send. */
const LANGUAGES: Record<string, { code: string; name: string }> = {
  a: { code: "en-us", name: "American English" },
  b: { code: "en-gb", name: "British English" },
  j: { code: "ja", name: "Japanese" },
  z: { code: "cmn", name: "Mandarin Chinese" },
  e: { code: "es", name: "Spanish" },
  f: { code: "fr-fr", name: "French" },
  h: { code: "hi", name: "Hindi" },
  i: { code: "it", name: "Italian" },
  p: { code: "pt-br", name: "Brazilian Portuguese" },
};

/** The language a Kokoro voice speaks, from its id (`bf_emma` → `en-gb`); undefined outside that scheme. */
export function voiceLanguage(id: string): { code: string; name: string } | undefined {
  const m = /^([a-z])[fm]_/.exec(id);
  return m ? LANGUAGES[m[1]!] : undefined;
}

export function toVoice(w: WireVoice): Voice {
  const lang = voiceLanguage(w.id);
  const fromId = /^[a-z]([fm])_/.exec(w.id)?.[1];
  const gender = w.gender ?? (fromId === "f" ? "female" : fromId === "m" ? "male" : undefined);
  return { id: w.id, label: w.label, gender, language: lang?.code, languageName: lang?.name };
}

/** The transcript of a hub reply, or the error it stands for: the hub's placeholder is not speech. */
export function transcriptOf(w: WireTranscribeReply, label: string): Transcript {
  const t = w.transcript;
  const joined = t.segments.map((s) => s.text).join("");
  if (t.note !== undefined || (t.language === "unknown" && joined.trim() === "(stub transcript)")) {
    const note = t.note === undefined ? undefined : clean(t.note);
    throw new SttUnavailableError(
      `${up(label)} has no speech-to-text engine: it answered with its placeholder transcript${
        note ? ` ("${note}")` : ""
      }. Install faster-whisper on the hub's machine (pip install faster-whisper) and restart the hub.`,
      "placeholder",
      note,
    );
  }
  const result: Transcript = {
    text: joined.trim(),
    language: t.language,
    durationSeconds: t.duration,
    words: t.words.map((x) => ({ text: x.text, start: x.start, end: x.end, confidence: x.confidence })),
    segments: t.segments.map((s) => ({ text: s.text.trim(), start: s.start, end: s.end })),
  };
  if (w.media?.audio_url !== undefined) result.audioPath = w.media.audio_url;
  return result;
}

/** "the hub at …" at the start of a sentence. */
function up(label: string): string {
  return label.charAt(0).toUpperCase() + label.slice(1);
}

/** A server text made fit for a one-line message. */
function clean(text: string, max = 300): string {
  const one = text.replace(/\s+/g, " ").trim();
  return one.length > max ? `${one.slice(0, max)}…` : one;
}

const API_PREFIX_HINT =
  "TTSHUB_API_BASE must end in the hub's API prefix (/api): the hub serves speech-to-text only there.";

/** What an error answer of `POST /media/transcribe` means, or undefined for a generic HTTP error. */
export function transcribeFailure(
  status: number,
  serverError: string | undefined,
  label: string,
  filename: string,
): HubError | undefined {
  const text = serverError ?? "";
  if (status === 404) {
    return new MediaUnsupportedError(
      `${up(label)} has no speech-to-text endpoint (/media/transcribe answered 404). Update the hub, or check TTSHUB_API_BASE.`,
      "stt",
    );
  }
  if (status === 503 && /^STT .* not available/.test(text)) {
    return new SttUnavailableError(
      `${up(label)} has no speech-to-text engine (${clean(text)}). Install faster-whisper on the hub's machine (pip install faster-whisper) and restart the hub.`,
      "not-installed",
      text,
    );
  }
  if (status !== 500) return undefined;
  if (/^405 Method Not Allowed/.test(text)) {
    return new MediaUnsupportedError(`${up(label)} answered "${clean(text, 80)}". ${API_PREFIX_HINT}`, "stt");
  }
  if (/^Media processing failed/.test(text)) {
    return new MediaInvalidError(
      `${up(label)} could not read "${filename}" as audio (its ffmpeg failed). Send a voice message or an audio file (OGG/Opus, MP3, M4A, ...).`,
      text,
    );
  }
  if (/No such file or directory: '?ffmpeg/.test(text)) {
    return new FfmpegMissingError(
      `${up(label)} cannot convert audio: ffmpeg is not installed on the hub's machine (or not on its PATH). Install ffmpeg there and restart the hub.`,
      text,
    );
  }
  if (/^Unexpected error: /.test(text)) {
    return new SttFailedError(
      `The speech-to-text engine of ${label} failed: ${clean(text.replace(/^Unexpected error: /, ""))}. Check the hub's log, then try again.`,
      text,
    );
  }
  return undefined;
}

/** What an error answer of `POST /synthesise` means, or undefined for a generic HTTP error. */
export function synthesiseFailure(
  status: number,
  serverError: string | undefined,
  label: string,
  voice: string,
): HubError | undefined {
  const text = serverError ?? "";
  if (status === 404) {
    return new MediaUnsupportedError(
      `${up(label)} has no text-to-speech endpoint (/synthesise answered 404). Update the hub, or check TTSHUB_API_BASE.`,
      "tts",
    );
  }
  if (status === 503 && /^TTS engine .* is not available/.test(text)) {
    return new TtsUnavailableError(ttsDownText(label, clean(text)), text);
  }
  if (/ not found in available voices/.test(text)) {
    return new VoiceNotFoundError(
      `${up(label)} has no voice "${voice}". Pick one of the voices it lists.`,
      voice,
    );
  }
  if (
    (status === 400 && /^Field '(text|voice|speed)' /.test(text)) ||
    (status === 500 && /^Speed should be between|is not supported by the espeak backend/.test(text))
  ) {
    return new InvalidArgumentError(`${up(label)} refused the speech request: ${clean(text)}`);
  }
  return undefined;
}

export function ttsDownText(label: string, why: string): string {
  return `${up(label)} cannot speak (${why}). Put Kokoro's model and voice files (kokoro-v1.0.onnx, voices-v1.0.bin) where the hub expects them (KOKORO_MODEL, KOKORO_VOICES) and restart the hub.`;
}

/** What an error answer of `GET /audio/...` means, or undefined for a generic HTTP error. */
export function audioFailure(
  status: number,
  serverError: string | undefined,
  label: string,
  path: string,
): HubError | undefined {
  // The hub answers a missing file with 500 "404 Not Found: ..."; a 404 is a path it does not route.
  if (status === 404 || (status === 500 && /^404 Not Found/.test(serverError ?? ""))) {
    return new AudioNotFoundError(
      `${up(label)} has no audio at ${path}: the clip may have been deleted. Make it again.`,
      path,
    );
  }
  return undefined;
}

const AUDIO_PATH = /^\/audio\/(?:[A-Za-z0-9._-]+\/)*[A-Za-z0-9._-]+$/;

/**
 * The address of a clip: `/audio/...` lives at the hub's server root, not under its API prefix, so the trailing
 * `/api` of the base is dropped (`http://host:7860/api` → `http://host:7860/audio/...`). Only `/audio/` paths of
 * plain segments are accepted: the path comes from the hub, and must not lead anywhere else.
 */
export function audioUrl(baseUrl: string, path: string): string {
  if (!AUDIO_PATH.test(path) || path.split("/").some((seg) => seg === "." || seg === "..")) {
    throw new InvalidArgumentError(
      `"${clean(path, 80)}" is not a path of the hub's audio: use the path synthesise or transcribe returned (/audio/...).`,
    );
  }
  return `${baseUrl.replace(/\/api$/, "")}${path}`;
}

export interface WavInfo {
  /** 1 = PCM. */
  format: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  /** Where the samples start (44 for the hub's clips; later when ffmpeg wrote a `LIST` chunk first). */
  dataOffset: number;
  dataBytes: number;
  durationSeconds: number;
}

/** The header of a RIFF/WAVE file, or undefined when the bytes are not one. The hub sends no duration: this is it. */
export function wavInfo(bytes: Uint8Array): WavInfo | undefined {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length < 12 || b.toString("latin1", 0, 4) !== "RIFF" || b.toString("latin1", 8, 12) !== "WAVE") {
    return undefined;
  }
  let fmt: Omit<WavInfo, "dataOffset" | "dataBytes" | "durationSeconds"> | undefined;
  for (let at = 12; at + 8 <= b.length; ) {
    const id = b.toString("latin1", at, at + 4);
    const size = b.readUInt32LE(at + 4);
    const body = at + 8;
    if (id === "fmt " && size >= 16 && body + 16 <= b.length) {
      fmt = {
        format: b.readUInt16LE(body),
        channels: b.readUInt16LE(body + 2),
        sampleRate: b.readUInt32LE(body + 4),
        bitsPerSample: b.readUInt16LE(body + 14),
      };
    } else if (id === "data") {
      if (!fmt) return undefined;
      const dataBytes = Math.min(size, b.length - body);
      const frame = fmt.channels * Math.ceil(fmt.bitsPerSample / 8);
      const durationSeconds = frame > 0 && fmt.sampleRate > 0 ? dataBytes / frame / fmt.sampleRate : 0;
      return { ...fmt, dataOffset: body, dataBytes, durationSeconds };
    }
    at = body + size + (size % 2);
  }
  return undefined;
}
