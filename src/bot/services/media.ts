/**
 * What a turn's photo, voice note or document becomes for the model: images as base64 (`images` in Ollama's
 * chat messages), a voice note as the hub's transcript (or, without one, as audio for a model that hears), a
 * document as its text, cut to what the context can take. Done inside the turn (in the queue, under its Stop),
 * so the live message shows it is working and a failure gets the usual sentence and Retry.
 */

import { spawn } from "node:child_process";
import { extractText } from "../../media/index.js";
import { deadline } from "../../util/deadline.js";
import type { ImageRef, MediaRef } from "../session.js";
import type { Core } from "./core.js";
import { FileTooBigError, type ImageCache, type TelegramFiles } from "./files.js";

/** Thrown when a voice note holds no speech (the hub heard nothing): said, not answered. */
export class NothingHeardError extends Error {
  readonly code = "NOTHING_HEARD";
  constructor() {
    super("the voice note holds no speech");
  }
}

/** Voice cannot be understood here: no hub with speech-to-text, and the model does not hear audio. */
export class VoiceUnsupportedError extends Error {
  readonly code = "VOICE_UNSUPPORTED";
  constructor(readonly why: "direct" | "no-stt") {
    super("voice notes cannot be transcribed here");
  }
}

/** ffmpeg could not turn a voice note into WAV (for a model that hears audio itself). */
export class AudioConvertError extends Error {
  readonly code = "AUDIO_CONVERT_FAILED";
  constructor(readonly exitCode: number | null) {
    super(`ffmpeg could not convert the audio (exit ${exitCode})`);
  }
}

/** What a prepared media turn sends and keeps. */
export interface Prepared {
  /** The user message sent to the model this turn. */
  prompt: string;
  /** What the history keeps of it (the transcript, the document's text with its question). */
  stored: string;
  /** This turn's images (base64), and their references for the history. */
  images?: string[] | undefined;
  refs?: ImageRef[] | undefined;
  /** A line above the answer: the quoted transcript, or what part of a document was read. */
  header?: string | undefined;
  /** The language the hub heard, for the answer (Whisper's code). */
  language?: string | undefined;
}

export interface MediaLimits {
  maxFileBytes: number;
  downloadTimeoutMs: number;
  /** Past images sent with a turn, newest first. */
  historyImages: number;
}

/** How long a turn waits for its earlier photos before it goes on without the missing ones. */
const PAST_IMAGES_WAIT_MS = 10_000;
/** How long ffmpeg may take to turn a voice note into WAV. */
const FFMPEG_TIMEOUT_MS = 30_000;
/** A transcript quoted above the answer is cut here (the whole text goes to the model). */
const QUOTE_MAX = 600;

export class MediaService {
  private ffmpeg: Promise<boolean> | undefined;
  /** Images that could not be had (deleted from Telegram): not asked for again with every turn. Bounded. */
  private readonly unavailable = new Set<string>();

  constructor(
    private readonly core: Core,
    private readonly files: TelegramFiles,
    private readonly cache: ImageCache,
    readonly limits: MediaLimits,
  ) {}

  /** An image's bytes: from the cache, else from Telegram again (and cached). */
  async image(ref: ImageRef, signal?: AbortSignal): Promise<Uint8Array> {
    const cached = await this.cache.get(ref.uniqueId);
    if (cached) return cached;
    const bytes = await this.download(ref.fileId, undefined, signal);
    await this.cache
      .put(ref.uniqueId, bytes)
      .catch((err: unknown) => this.core.log.warn({ err }, "could not cache an image"));
    return bytes;
  }

  /**
   * The images of several messages as base64, newest first up to the bound; older ones are left out. Loaded
   * together within PAST_IMAGES_WAIT_MS; one that cannot be had (deleted, Telegram slow) leaves its message's text
   * alone, and is not asked for again by this process.
   */
  async historyImages(
    refs: Map<number, ImageRef[]>,
    already: number,
    signal?: AbortSignal,
  ): Promise<Map<number, string[]>> {
    let room = this.limits.historyImages - already;
    const wanted: Array<{ index: number; ref: ImageRef }> = [];
    for (const index of [...refs.keys()].sort((a, b) => b - a)) {
      for (const ref of refs.get(index)!) {
        if (room <= 0) break;
        if (this.unavailable.has(ref.uniqueId)) continue;
        wanted.push({ index, ref });
        room--;
      }
    }
    const pastImagesBy = deadline(PAST_IMAGES_WAIT_MS, signal);
    const loaded = await Promise.all(
      wanted.map(({ ref }) =>
        this.image(ref, pastImagesBy).catch((err: unknown) => {
          if (!signal?.aborted) {
            if (this.unavailable.size >= 1_000) this.unavailable.clear();
            this.unavailable.add(ref.uniqueId);
          }
          this.core.log.warn(
            { err, code: (err as { code?: unknown })?.code },
            "an earlier image could not be loaded; its message goes without it",
          );
          return undefined;
        }),
      ),
    );
    const out = new Map<number, string[]>();
    wanted.forEach(({ index }, i) => {
      const bytes = loaded[i];
      if (!bytes) return;
      out.set(index, [...(out.get(index) ?? []), Buffer.from(bytes).toString("base64")]);
    });
    return out;
  }

  private download(fileId: string, declaredSize: number | undefined, signal?: AbortSignal) {
    return this.files.download(fileId, {
      maxBytes: this.limits.maxFileBytes,
      timeoutMs: this.limits.downloadTimeoutMs,
      signal,
      declaredSize,
    });
  }

  /**
   * Turns the media into what the model gets. `prompt` is the caption (or the default question); `maxDocChars`
   * what the context leaves for a document's text; `canHear` whether the model takes audio itself.
   */
  async prepare(
    media: MediaRef,
    prompt: string,
    o: {
      maxDocChars: number;
      canHear: boolean;
      signal: AbortSignal;
      t: (key: string, args?: Record<string, string | number>) => string;
    },
  ): Promise<Prepared> {
    switch (media.kind) {
      case "images": {
        const images: string[] = [];
        for (const ref of media.images) {
          images.push(Buffer.from(await this.image(ref, o.signal)).toString("base64"));
        }
        return { prompt, stored: prompt, images, refs: media.images };
      }
      case "voice":
        return this.voice(media, prompt, o);
      case "document": {
        const bytes = await this.download(media.fileId, media.size, o.signal);
        const doc = await extractText(
          bytes,
          { fileName: media.fileName, mimeType: media.mimeType },
          { maxChars: Math.max(500, o.maxDocChars), signal: o.signal, timeoutMs: 30_000 },
        );
        const body = `[${o.t("document-label", { name: media.fileName })}]\n\n${doc.text}\n\n${prompt}`;
        const header = doc.truncated
          ? o.t("document-cut", { name: media.fileName, used: doc.text.length, total: doc.chars })
          : undefined;
        return { prompt: body, stored: body, header };
      }
    }
  }

  private async voice(
    media: Extract<MediaRef, { kind: "voice" }>,
    prompt: string,
    o: {
      canHear: boolean;
      signal: AbortSignal;
      t: (key: string, args?: Record<string, string | number>) => string;
    },
  ): Promise<Prepared> {
    const client = this.core.client;
    const hearsItself = async () => {
      if (!o.canHear) return undefined;
      if (!(await this.hasFfmpeg())) return undefined;
      const bytes = await this.download(media.fileId, media.size, o.signal);
      const wav = await toWav(bytes, o.signal);
      const ask = prompt || o.t("voice-default-prompt");
      return { prompt: ask, stored: `🎙 ${ask}`, images: [Buffer.from(wav).toString("base64")] };
    };
    if (client.mode !== "hub") {
      const own = await hearsItself();
      if (own) return own;
      throw new VoiceUnsupportedError("direct");
    }
    const bytes = await this.download(media.fileId, media.size, o.signal);
    let heard: Awaited<ReturnType<typeof client.transcribe>>;
    try {
      // Telegram's voice notes are OGG/Opus; the hub needs a real audio extension in the upload's name.
      heard = await client.transcribe(
        bytes,
        { filename: audioName(media.fileName, media.mimeType), contentType: media.mimeType ?? "audio/ogg" },
        o.signal,
      );
    } catch (err) {
      const code = (err as { code?: unknown })?.code;
      if (code === "STT_UNAVAILABLE" || code === "MEDIA_UNSUPPORTED") {
        const own = await hearsItself();
        if (own) return own;
        throw new VoiceUnsupportedError("no-stt");
      }
      throw err;
    }
    const text = heard.text.trim();
    if (text === "") throw new NothingHeardError();
    const quoted = text.length > QUOTE_MAX ? `${text.slice(0, QUOTE_MAX)}…` : text;
    // The caption (an audio file may have one) goes with what was said.
    const full = prompt ? `${text}\n\n${prompt}` : text;
    return {
      prompt: full,
      stored: full,
      header: `🎙 “${quoted}”`,
      language: heard.language && heard.language !== "unknown" ? heard.language : undefined,
    };
  }

  /** Whether `ffmpeg` runs here (looked for once). */
  hasFfmpeg(): Promise<boolean> {
    this.ffmpeg ??= new Promise<boolean>((resolve) => {
      const p = spawn("ffmpeg", ["-version"], { stdio: "ignore" });
      p.on("error", () => resolve(false));
      p.on("exit", (code) => resolve(code === 0));
    });
    return this.ffmpeg;
  }
}

/** A name the hub accepts: it must end in a real audio extension other than .wav (see hub-media.md). */
function audioName(name: string | undefined, mime: string | undefined): string {
  const ext = /\.([a-z0-9]{2,5})$/i.exec(name ?? "")?.[1]?.toLowerCase();
  if (ext && ext !== "wav") return `voice.${ext}`;
  if (mime === "audio/mpeg") return "voice.mp3";
  if (mime === "audio/mp4" || mime === "audio/m4a") return "voice.m4a";
  return ext === "wav" ? "voice.bin" : "voice.ogg";
}

/** OGG/Opus (or any audio ffmpeg reads) → 16 kHz mono WAV, which Ollama's audio models take. */
function toWav(input: Uint8Array, signal: AbortSignal): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const p = spawn(
      "ffmpeg",
      [
        "-hide_banner",
        "-loglevel",
        "error",
        "-i",
        "pipe:0",
        "-ac",
        "1",
        "-ar",
        "16000",
        "-f",
        "wav",
        "pipe:1",
      ],
      {
        stdio: ["pipe", "pipe", "pipe"],
        signal: deadline(FFMPEG_TIMEOUT_MS, signal),
      },
    );
    const out: Buffer[] = [];
    let size = 0;
    p.stdout.on("data", (c: Buffer) => {
      size += c.length;
      if (size > 64 * 1024 * 1024) p.kill();
      else out.push(c);
    });
    p.on("error", reject);
    p.on("close", (code) =>
      code === 0 ? resolve(new Uint8Array(Buffer.concat(out))) : reject(new AudioConvertError(code)),
    );
    p.stdin.on("error", () => undefined);
    p.stdin.end(Buffer.from(input));
  });
}

export { FileTooBigError };
