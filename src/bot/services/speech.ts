/**
 * Answers read aloud (🔊 under an answer, /say): the text made speakable (Markdown stripped, code skipped with a
 * short note), synthesised by the hub sentence by sentence, the clips joined (bounded length, the rest said to be
 * omitted), encoded as Ogg/Opus (src/audio) and sent as a Telegram voice message with its duration. A status with
 * ⏹ shows while it is made; Stop cancels it. Only offered when the hub can speak (probed at start-up).
 */
import { InlineKeyboard, InputFile } from "grammy";
import { durationOf, encodeVoice, joinClips, type Pcm, parseWav } from "../../audio/index.js";
import type { Voice } from "../../hub/index.js";
import type { T } from "../views/t.js";
import { type Core, logFailure } from "./core.js";
import { describeFailure, failureText } from "./failure.js";
import type { StopButtons } from "./stops.js";

/** A piece of text synthesised at once: a few sentences (Kokoro renders long text in 510-phoneme pieces anyway). */
const PIECE_CHARS = 400;
/** Text read aloud at most; beyond it the voice message says the rest is omitted. */
const MAX_SPOKEN_CHARS = 6_000;
/** libopus's effort: 5 halves the CPU of 10 (the default) at the same size for speech (`npm run bench`). */
const OPUS_COMPLEXITY = 5;
const PAUSE_SECONDS = 0.25;
const ACTION_EVERY_MS = 4_500;

/** The language letter of Kokoro's voice ids for each of the bot's languages (none for German and Russian). */
const VOICE_LETTER: Record<string, string> = { en: "a", es: "e", fr: "f", "pt-BR": "p" };

/** Text as it should be heard: no Markdown syntax, no links' addresses, code blocks replaced by a short note. */
export function speakable(markdown: string, codeNote: string): string {
  return markdown
    .replace(/```[\s\S]*?(```|$)/g, `\n${codeNote}\n`)
    .replace(/`([^`\n]+)`/g, "$1")
    .replace(/!\[[^\]]*\]\([^)]*\)/g, "")
    .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
    .replace(/https?:\/\/\S+/g, "")
    .replace(/^\s{0,3}#{1,6}\s*/gm, "")
    .replace(/^\s*[-*+]\s+/gm, "")
    .replace(/^\s*>\s?/gm, "")
    .replace(/(\*\*|__|~~|\*|_)(\S(?:[^\n]*?\S)?)\1/g, "$2")
    .replace(/\|/g, " ")
    .replace(/[ \t]+/g, " ")
    .replace(/\n{2,}/g, "\n")
    .trim();
}

/** The text in pieces of whole sentences, each at most `max` characters (a longer sentence is cut at a space). */
export function pieces(text: string, max = PIECE_CHARS): string[] {
  const sentences = text.match(/[^.!?…\n]+(?:[.!?…]+|\n|$)/g) ?? [];
  const out: string[] = [];
  let current = "";
  for (const raw of sentences) {
    let s = raw.trim();
    while (s.length > max) {
      const cut = s.lastIndexOf(" ", max);
      const at = cut > max / 2 ? cut : max;
      if (current) out.push(current);
      current = "";
      out.push(s.slice(0, at).trim());
      s = s.slice(at).trim();
    }
    if (!s) continue;
    if (current && current.length + 1 + s.length > max) {
      out.push(current);
      current = s;
    } else current = current ? `${current} ${s}` : s;
  }
  if (current) out.push(current);
  return out;
}

/** How old a "no TTS" answer must be before the hub is asked again. */
const REPROBE_MS = 5 * 60_000;
/** Voice messages made at once across chats: the hub renders them on the same machine as the models. */
const MAX_AT_ONCE = 2;

export interface SayRequest {
  chatId: number;
  locale: string;
  text: string;
  replyTo?: number | undefined;
  /** The chat's own voice and speed (/settings). */
  voice?: string | undefined;
  speed?: number | undefined;
}

export class SpeechService {
  private voices: Voice[] | undefined;
  /** Chats whose voice message is being made: one at a time each, and MAX_AT_ONCE in all. */
  private readonly making = new Set<number>();
  private probedAt = 0;
  private probing = false;

  constructor(
    private readonly core: Core,
    private readonly stops: StopButtons,
  ) {}

  /** Whether answers can be read aloud: a hub whose TTS answered the probe with voices. */
  get available(): boolean {
    return this.voices !== undefined && this.voices.length > 0;
  }

  /**
   * Asks again, in the background, when the last answer said no and is a few minutes old: a hub that was away at
   * start-up gets its 🔊 back without a restart of the bot.
   */
  refresh(): void {
    if (this.available || this.core.client.mode !== "hub" || this.probing) return;
    if (Date.now() - this.probedAt < REPROBE_MS) return;
    void this.probe();
  }

  /** Asks the hub for its voices (at start-up); a hub without TTS, or direct mode, leaves it unavailable. */
  async probe(): Promise<void> {
    if (this.core.client.mode !== "hub") return;
    this.probedAt = Date.now();
    this.probing = true;
    try {
      const list = await this.core.client.voices();
      this.voices = list.available ? list.voices : [];
      this.core.log.info({ voices: this.voices.length }, "the hub can read answers aloud");
    } catch (err) {
      this.voices = [];
      this.core.log.warn({ err }, "the hub's text-to-speech did not answer; answers are not read aloud");
    } finally {
      this.probing = false;
    }
  }

  /** The voices offered in a chat: its language's first, then English ones (at most `max`). */
  choices(locale: string, max = 12): Voice[] {
    const all = this.voices ?? [];
    const letter = VOICE_LETTER[locale] ?? "a";
    const mine = all.filter((v) => v.id.startsWith(letter));
    const english = all.filter((v) => v.id.startsWith("a") || v.id.startsWith("b"));
    return [...new Set([...mine, ...english])].slice(0, max);
  }

  /** The chat's voice: its own when the hub still has it, else one for its language, else English. */
  voiceFor(locale: string, preferred?: string): Voice | undefined {
    const all = this.voices ?? [];
    const own = preferred ? all.find((v) => v.id === preferred) : undefined;
    if (own) return own;
    const letter = VOICE_LETTER[locale] ?? "a";
    const mine = all.filter((v) => v.id.startsWith(letter));
    return (
      mine.find((v) => v.id === "af_heart") ??
      mine.find((v) => v.gender === "female") ??
      mine[0] ??
      all.find((v) => v.id === "af_heart") ??
      all[0]
    );
  }

  /** Whether a voice message can start now in `chatId` (one per chat, a few in all). */
  busy(chatId: number): boolean {
    return this.making.has(chatId) || this.making.size >= MAX_AT_ONCE;
  }

  /** Reads `text` aloud in the chat as a voice message, replying to `replyTo`. Never throws. */
  async say(req: SayRequest): Promise<void> {
    if (this.busy(req.chatId)) return;
    this.making.add(req.chatId);
    try {
      await this.make(req);
    } finally {
      this.making.delete(req.chatId);
    }
  }

  private async make(req: SayRequest): Promise<void> {
    const { core } = this;
    const { chatId } = req;
    const t = core.texts.for(req.locale);
    const log = core.log.child({ chatId });
    const stop = this.stops.create(chatId, core.shutdown);
    const reply =
      req.replyTo !== undefined ? { message_id: req.replyTo, allow_sending_without_reply: true } : undefined;
    const status = await core.api
      .sendMessage(chatId, t("voice-making"), {
        reply_markup: new InlineKeyboard().text(t("live-stop"), stop.data),
        ...(reply ? { reply_parameters: reply } : {}),
      })
      .catch(logFailure(log, "could not show that a voice message is being made"));
    const tell = async (text: string) => {
      if (!status) return;
      await core.api
        .editMessageText(chatId, status.message_id, text)
        .catch(logFailure(log, "could not tell how a voice message ended"));
    };
    // "recording a voice message…" renewed until the message is sent; the timer goes with the work.
    let cancelAction: (() => void) | undefined;
    const act = () => {
      void core.api
        .sendChatAction(chatId, "record_voice")
        .catch((err: unknown) => log.debug({ err }, "record_voice not shown"));
      cancelAction = core.clock.setTimeout(act, ACTION_EVERY_MS);
    };
    act();
    try {
      const voice = this.voiceFor(req.locale, req.voice);
      if (!voice) {
        await tell(`⚠️ ${t("voice-tts-unavailable")}`);
        return;
      }
      const all = speakable(req.text, t("voice-code-omitted"));
      const spoken = all.slice(0, MAX_SPOKEN_CHARS);
      const parts = pieces(spoken);
      const clips: Pcm[] = [];
      let seconds = 0;
      let omitted = all.length > spoken.length;
      for (const part of parts) {
        if (seconds >= core.config.media.voiceMaxSeconds) {
          omitted = true;
          break;
        }
        const made = await core.client.synthesise(
          {
            text: part,
            voice: voice.id,
            ...(voice.language ? { language: voice.language } : {}),
            ...(req.speed !== undefined && req.speed !== 1 ? { speed: req.speed } : {}),
          },
          stop.signal,
        );
        const audio = await core.client.fetchAudio(made.path, stop.signal);
        const pcm = parseWav(audio.bytes);
        clips.push(pcm);
        seconds += durationOf(pcm) + PAUSE_SECONDS;
      }
      if (clips.length === 0) {
        await tell(t("voice-nothing"));
        return;
      }
      const joined = joinClips(clips, {
        pauseSeconds: PAUSE_SECONDS,
        maxSeconds: core.config.media.voiceMaxSeconds,
      });
      const encoded = await encodeVoice(joined, { signal: stop.signal, complexity: OPUS_COMPLEXITY });
      await core.api.sendVoice(chatId, new InputFile(encoded.bytes, "answer.ogg"), {
        duration: Math.max(1, Math.round(encoded.durationSeconds)),
        ...(omitted || joined.clipsLeftOut > 0 ? { caption: t("voice-omitted") } : {}),
        ...(reply ? { reply_parameters: reply } : {}),
      });
      if (status) {
        await core.api
          .deleteMessage(chatId, status.message_id)
          .catch(logFailure(log, "could not remove the voice message's status"));
      }
      log.info({ seconds: Math.round(encoded.durationSeconds), pieces: clips.length }, "answer read aloud");
    } catch (err) {
      if (stop.signal.aborted) {
        await tell(t("voice-stopped"));
        return;
      }
      log.warn({ err, code: (err as { code?: unknown })?.code }, "could not read an answer aloud");
      await tell(`⚠️ ${voiceFailure(t, err, this.core)}`);
    } finally {
      cancelAction?.();
      stop.release();
    }
  }
}

/** What a failed voice message says. */
function voiceFailure(t: T, err: unknown, core: Core): string {
  const code = (err as { code?: unknown })?.code;
  if (code === "TTS_UNAVAILABLE") return t("voice-tts-unavailable");
  if (code === "VOICE_NOT_FOUND") return t("voice-not-found");
  return failureText(t, describeFailure(err), core.client);
}
