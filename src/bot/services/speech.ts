/**
 * Answers read aloud (🔊 under an answer, /say): the text made speakable (Markdown stripped, code skipped with a
 * short note), synthesised by the hub sentence by sentence, the clips joined (bounded length, the rest said to be
 * omitted), encoded as Ogg/Opus (src/audio) and sent as a Telegram voice message with its duration. A status with
 * ⏹ shows while it is made; Stop cancels it. Only offered when the hub can speak (probed at start-up).
 */

import { InlineKeyboard, InputFile } from "grammy";
import { durationOf, encodeVoice, joinClips, type Pcm, parseWav } from "../../audio/index.js";
import { type Voice, type VoiceGender, voiceLanguage } from "../../hub/index.js";
import { deadline } from "../../util/deadline.js";
import type { Persona } from "../session.js";
import type { T } from "../views/t.js";
import { type Core, logFailure } from "./core.js";
import { describeFailure, failureText } from "./failure.js";
import { type ChatScope, noteShown, recoverShown, type ShownItem } from "./shown.js";
import type { StopButtons } from "./stops.js";

/** A piece of text synthesised at once: a few sentences (Kokoro renders long text in 510-phoneme pieces anyway). */
const PIECE_CHARS = 400;
/** Text read aloud at most; beyond it the voice message says the rest is omitted. */
const MAX_SPOKEN_CHARS = 6_000;
/** libopus's effort: 5 halves the CPU of 10 (the default) at the same size for speech (`npm run bench`). */
const OPUS_COMPLEXITY = 5;
const PAUSE_SECONDS = 0.25;
/** Between two speakers of an episode. */
const TURN_PAUSE_SECONDS = 0.8;
/** An episode at most: 15 minutes of 24 kHz audio is 43 MB in memory while it is joined and encoded. */
const EPISODE_MAX_SECONDS = 15 * 60;
const EPISODE_STATUS_EVERY_MS = 5_000;
/** How long an AI↔AI line waits for the voice messages of other chats before it goes on without its own. */
const LINE_WAIT_MS = 20_000;
const ACTION_EVERY_MS = 4_500;

/** The language letter of Kokoro's voice ids for each of the bot's languages (none for German and Russian). */
const VOICE_LETTER: Record<string, string> = { en: "a", es: "e", fr: "f", "pt-BR": "p" };

/** Kokoro's two English letters: American and British. */
const ENGLISH: ReadonlySet<string> = new Set(["a", "b"]);

/** Each language letter of Kokoro's voice ids as a flag: the voice menu's language row needs no translation. */
export const VOICE_FLAGS: Readonly<Record<string, string>> = {
  a: "🇺🇸",
  b: "🇬🇧",
  e: "🇪🇸",
  f: "🇫🇷",
  h: "🇮🇳",
  i: "🇮🇹",
  j: "🇯🇵",
  p: "🇧🇷",
  z: "🇨🇳",
};

/** The language letter of a voice id (`bf_emma` → `b`), or undefined outside Kokoro's scheme. */
export const letterOf = (id: string): string | undefined => /^([a-z])[fm]_/.exec(id)?.[1];

/** A sample is a few seconds: the hub renders it once and caches it, so this bound is for a hub that hangs. */
const PREVIEW_TIMEOUT_MS = 30_000;

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
  /** Chats whose voice sample is being fetched: presses meanwhile do not queue more. */
  private readonly previewing = new Map<
    number,
    { chatId: number; locale: string; voice: Voice } | undefined
  >();
  /** Lines of AI↔AI waiting for a place among the voice messages being made. */
  private readonly waiters = new Set<() => void>();
  private readonly idle: Array<() => void> = [];
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
      // Ids go into callback data: a hub's odd id (too long, other characters) is not offered.
      this.voices = list.available ? list.voices.filter((v) => /^[a-z0-9_-]{1,32}$/.test(v.id)) : [];
      this.core.log.info({ voices: this.voices.length }, "the hub can read answers aloud");
    } catch (err) {
      this.voices = [];
      this.core.log.warn({ err }, "the hub's text-to-speech did not answer; answers are not read aloud");
    } finally {
      this.probing = false;
    }
  }

  /** The language letters the hub has voices for, in its order (ids are sorted, so American English first). */
  languages(): string[] {
    const letters = (this.voices ?? []).map((v) => letterOf(v.id)).filter((l) => l !== undefined);
    return [...new Set(letters)];
  }

  /** The language the voice menu opens on: the chat's own where the hub has voices for it, else English. */
  defaultLetter(locale: string): string {
    const mine = VOICE_LETTER[locale];
    const have = this.languages();
    return mine && have.includes(mine) ? mine : (have[0] ?? "a");
  }

  /** The voices of one language letter, of one gender or both. */
  voicesOf(letter: string, gender?: "female" | "male"): Voice[] {
    return (this.voices ?? []).filter(
      (v) => letterOf(v.id) === letter && (gender === undefined || v.gender === gender),
    );
  }

  /** A voice the hub has, by id. */
  byId(id: string): Voice | undefined {
    return this.voices?.find((v) => v.id === id);
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

  /**
   * Sends a voice's short sample (the hub's fixed sentence, in the voice's language) as a voice message, after a
   * voice was picked. One at a time per chat: presses meanwhile are not queued. Never throws; a failure is said.
   */
  async preview(req: { chatId: number; locale: string; voice: Voice }): Promise<void> {
    const { chatId } = req;
    // One at a time per chat; a voice picked meanwhile is played next (the newest only), as the chat was told.
    if (this.previewing.has(chatId)) {
      this.previewing.set(chatId, req);
      return;
    }
    this.previewing.set(chatId, undefined);
    try {
      let next: typeof req | undefined = req;
      while (next) {
        await this.playSample(next);
        next = this.previewing.get(chatId);
        this.previewing.set(chatId, undefined);
      }
    } finally {
      this.previewing.delete(chatId);
    }
  }

  private async playSample(req: { chatId: number; locale: string; voice: Voice }): Promise<void> {
    const { core } = this;
    const { chatId } = req;
    // As the chat will hear it: in its own language (an English voice picked in a French chat reads French).
    const voice = this.inChatLanguage(req.voice, req.locale);
    const log = core.log.child({ chatId, voice: voice.id });
    const signal = deadline(PREVIEW_TIMEOUT_MS, core.shutdown);
    try {
      const sample = await core.client.previewVoice(voice.id, voice.language, signal);
      const audio = await core.client.fetchAudio(sample.path, signal);
      const encoded = await encodeVoice(parseWav(audio.bytes), { signal, complexity: OPUS_COMPLEXITY });
      await core.api.sendVoice(chatId, new InputFile(encoded.bytes, `${voice.id}.ogg`), {
        duration: Math.max(1, Math.round(encoded.durationSeconds)),
        caption: `🗣 ${voice.label}`,
      });
    } catch (err) {
      if (core.shutdown.aborted) return;
      log.warn({ err, code: (err as { code?: unknown })?.code }, "could not play a voice's sample");
      const t = core.texts.for(req.locale);
      await core.api
        .sendMessage(chatId, `⚠️ ${t("voice-sample-failed", { reason: voiceFailure(t, err, core) })}`)
        .catch(logFailure(log, "could not say that a voice's sample failed"));
    }
  }

  /** Whether a voice message can start now in `chatId` (one per chat, a few in all). */
  busy(chatId: number): boolean {
    return this.making.has(chatId) || this.making.size >= MAX_AT_ONCE;
  }

  /**
   * A place among the voice messages being made, for `chatId`: at once (`undefined` when busy), or with `wait`,
   * in line until one is free or `signal` aborts. The returned function gives it back.
   */
  private async slot(chatId: number, wait?: AbortSignal): Promise<(() => void) | undefined> {
    while (this.busy(chatId)) {
      if (!wait || wait.aborted) return undefined;
      await new Promise<void>((resolve) => {
        const done = () => {
          wait.removeEventListener("abort", done);
          this.waiters.delete(done);
          resolve();
        };
        this.waiters.add(done);
        wait.addEventListener("abort", done, { once: true });
      });
    }
    this.making.add(chatId);
    return () => {
      this.making.delete(chatId);
      // Everyone waiting looks again; the first to find a free place takes it.
      for (const w of [...this.waiters]) w();
      if (this.making.size === 0) for (const idle of this.idle.splice(0)) idle();
    };
  }

  /** Resolves when no voice message is being made: a stop gives them its grace period, like answers. */
  drained(): Promise<void> {
    if (this.making.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Reads `text` aloud in the chat as a voice message, replying to `replyTo`. Never throws. */
  async say(req: SayRequest): Promise<void> {
    const release = await this.slot(req.chatId);
    if (!release) return;
    try {
      await this.make(req);
    } finally {
      release();
    }
  }

  /**
   * Speech in pieces of whole sentences, each in its own voice, joined with a short pause between pieces and
   * `pauseAfter` where a part says so (between two speakers), bounded by `maxSeconds`: synthesis stops once it
   * is reached (`omitted`). `onPiece` is told how far along it is.
   */
  private async render(
    parts: readonly SpokenPart[],
    o: { maxSeconds: number; signal: AbortSignal; onPiece?: (done: number, total: number) => void },
  ): Promise<{ clips: Pcm[]; omitted: boolean; pieces: number }> {
    const { client } = this.core;
    const clips: Pcm[] = [];
    let seconds = 0;
    let omitted = false;
    let made = 0;
    const total = parts.reduce((n, p) => n + p.pieces.length, 0);
    for (const part of parts) {
      for (const [k, text] of part.pieces.entries()) {
        if (seconds >= o.maxSeconds) {
          omitted = true;
          break;
        }
        const clip = await client.synthesise(
          {
            text,
            voice: part.voice.id,
            ...(part.voice.language ? { language: part.voice.language } : {}),
            ...(part.speed !== undefined && part.speed !== 1 ? { speed: part.speed } : {}),
          },
          o.signal,
        );
        const pcm = parseWav((await client.fetchAudio(clip.path, o.signal)).bytes);
        const pause = k === part.pieces.length - 1 ? (part.pauseAfter ?? PAUSE_SECONDS) : PAUSE_SECONDS;
        clips.push(pcm, silence(pcm, pause));
        seconds += durationOf(pcm) + pause;
        o.onPiece?.(++made, total);
      }
      if (omitted) break;
    }
    clips.pop(); // no pause after the last piece
    return { clips, omitted, pieces: made };
  }

  /** Clips joined under the bound and encoded as a voice message. */
  private async encode(clips: Pcm[], maxSeconds: number, signal: AbortSignal) {
    const joined = joinClips(clips, { pauseSeconds: 0, maxSeconds });
    const encoded = await encodeVoice(joined, { signal, complexity: OPUS_COMPLEXITY });
    return { encoded, leftOut: joined.clipsLeftOut > 0 || joined.truncated };
  }

  /** A status message with ⏹, edited as the work goes on and when it ends; removed when the voice is there. */
  private async status(
    t: T,
    chatId: number,
    kind: VoiceStatusKind,
    text: string,
    stopData: string,
    replyTo?: number,
  ) {
    const { core } = this;
    const log = core.log.child({ chatId });
    const reply =
      replyTo !== undefined ? { message_id: replyTo, allow_sending_without_reply: true } : undefined;
    const sent = await core.api
      .sendMessage(chatId, text, {
        reply_markup: new InlineKeyboard().text(t("live-stop"), stopData),
        ...(reply ? { reply_parameters: reply } : {}),
      })
      .catch(logFailure(log, "could not show that a voice message is being made"));
    // Noted in the session, so a kill while it shows is said on it at start-up.
    if (sent)
      await this.noteShown(chatId, (list) => [...list, { messageId: sent.message_id, kind, at: Date.now() }]);
    // One edit at a time, in order: a progress edit held up by a 429 must not land after the final one.
    let chain: Promise<unknown> = Promise.resolve();
    const inTurn = <R>(fn: () => Promise<R>): Promise<R> => {
      const next = chain.then(fn, fn);
      chain = next.catch(() => undefined);
      return next;
    };
    return {
      /** Its work ended (sent, stopped or failed): no start-up needs to mark it. */
      forget: async () => {
        if (sent) await this.noteShown(chatId, (list) => list.filter((x) => x.messageId !== sent.message_id));
      },
      /** Edits the status; false when Telegram refused (a stop then leaves it noted for the start-up). */
      tell: async (next: string, keepStop = false): Promise<boolean> => {
        if (!sent) return true;
        return inTurn(() =>
          core.api
            .editMessageText(chatId, sent.message_id, next, {
              reply_markup: keepStop
                ? new InlineKeyboard().text(t("live-stop"), stopData)
                : { inline_keyboard: [] },
            })
            .then(
              () => true,
              (err: unknown) => {
                log.warn({ err }, "could not tell how a voice message is going");
                return false;
              },
            ),
        );
      },
      remove: async () => {
        if (!sent) return;
        await inTurn(() =>
          core.api
            .deleteMessage(chatId, sent.message_id)
            .catch(logFailure(log, "could not remove the voice message's status")),
        );
      },
    };
  }

  private noteShown(chatId: number, change: (list: VoiceShown[]) => VoiceShown[]): Promise<void> {
    return noteShown(this.core, chatId, "voiceShown", MAX_VOICE_SHOWN, change);
  }

  /** At start-up: the status of a voice message or an episode a kill or a restart cut off says so. */
  recover(scope?: ChatScope): Promise<number> {
    return recoverShown(
      this.core,
      "voiceShown",
      (chatId, shown, t) => {
        const text = t(shown.kind === "episode" ? "ai-episode-interrupted" : "voice-interrupted");
        return this.core.api
          .editMessageText(chatId, shown.messageId, `⚠️ ${text}`, { reply_markup: { inline_keyboard: [] } })
          .then(
            () => undefined,
            logFailure(this.core.log, "could not mark a voice message a restart cut off", { chatId }),
          );
      },
      scope,
    );
  }

  /**
   * Work a Stop (⏹, or the process's stop) cut: said on its status. True when it could not be said now and a
   * process stop cut it: the status stays noted, for the start-up to say it.
   */
  private async cutShort(
    status: { tell(text: string): Promise<boolean> },
    t: T,
    interrupted: "voice-interrupted" | "ai-episode-interrupted",
  ): Promise<boolean> {
    const byProcess = this.core.shutdown.aborted;
    const told = await status.tell(byProcess ? `⚠️ ${t(interrupted)}` : t("voice-stopped"));
    return !told && byProcess;
  }

  /** "Recording a voice message…" renewed until the work ends; returns its cancel. */
  private recording(chatId: number): () => void {
    const { core } = this;
    let cancel: (() => void) | undefined;
    let ended = false;
    const act = () => {
      if (ended) return;
      void core.api
        .sendChatAction(chatId, "record_voice")
        .catch((err: unknown) => core.log.debug({ err, chatId }, "record_voice not shown"));
      cancel = core.clock.setTimeout(act, ACTION_EVERY_MS);
    };
    act();
    return () => {
      ended = true;
      cancel?.();
    };
  }

  private async make(req: SayRequest): Promise<void> {
    const { core } = this;
    const { chatId } = req;
    const t = core.texts.for(req.locale);
    const log = core.log.child({ chatId });
    const stop = this.stops.create(chatId, core.shutdown);
    const status = await this.status(t, chatId, "answer", t("voice-making"), stop.data, req.replyTo);
    let noted = false;
    const endRecording = this.recording(chatId);
    try {
      const chosen = this.voiceFor(req.locale, req.voice);
      const voice = chosen ? this.inChatLanguage(chosen, req.locale) : undefined;
      if (!voice) {
        await status.tell(`⚠️ ${t("voice-tts-unavailable")}`);
        return;
      }
      const all = speakable(req.text, t("voice-code-omitted"));
      const spoken = all.slice(0, MAX_SPOKEN_CHARS);
      const maxSeconds = core.config.media.voiceMaxSeconds;
      const made = await this.render([{ pieces: pieces(spoken), voice, speed: req.speed }], {
        maxSeconds,
        signal: stop.signal,
      });
      if (made.clips.length === 0) {
        await status.tell(t("voice-nothing"));
        return;
      }
      const { encoded, leftOut } = await this.encode(made.clips, maxSeconds, stop.signal);
      const omitted = all.length > spoken.length || made.omitted || leftOut;
      await core.api.sendVoice(chatId, new InputFile(encoded.bytes, "answer.ogg"), {
        duration: Math.max(1, Math.round(encoded.durationSeconds)),
        ...(omitted ? { caption: t("voice-omitted") } : {}),
        ...(req.replyTo !== undefined
          ? { reply_parameters: { message_id: req.replyTo, allow_sending_without_reply: true } }
          : {}),
      });
      await status.remove();
      log.info({ seconds: Math.round(encoded.durationSeconds), pieces: made.pieces }, "answer read aloud");
    } catch (err) {
      if (stop.signal.aborted) {
        noted = await this.cutShort(status, t, "voice-interrupted");
        return;
      }
      log.warn({ err, code: (err as { code?: unknown })?.code }, "could not read an answer aloud");
      await status.tell(`⚠️ ${voiceFailure(t, err, this.core)}`);
    } finally {
      endRecording();
      stop.release();
      if (!noted) await status.forget();
    }
  }

  /**
   * The voices of an AI↔AI cast: each side's own where the hub has it, else one matched to its persona (gender,
   * accent) in the chat's language, and never the same as the other side's. Undefined where the hub has none.
   */
  castVoices(locale: string, a?: CastSide, b?: CastSide): { a?: Voice | undefined; b?: Voice | undefined } {
    const va = a ? this.castVoice(locale, a, "female") : undefined;
    const vb = b ? this.castVoice(locale, b, va?.gender === "female" ? "male" : "female", va?.id) : undefined;
    return { a: va, b: vb };
  }

  private castVoice(
    locale: string,
    side: CastSide,
    fallback: VoiceGender,
    taken?: string,
  ): Voice | undefined {
    const own = side.voice !== undefined ? this.byId(side.voice) : undefined;
    if (own && own.id !== taken) return this.inChatLanguage(own, locale);
    const free = (list: Voice[]) => ranked(list).find((v) => v.id !== taken);
    const gender = side.persona.voice?.gender ?? fallback;
    const accent = side.persona.voice?.accent;
    const chat = this.defaultLetter(locale);
    // An English chat hears a British persona with a British voice.
    const english = [...new Set([...(accent ? [accent] : []), "a", "b"])];
    const found =
      // The persona's gender in the chat's language first;
      (ENGLISH.has(chat) ? english : [chat]).map((l) => free(this.voicesOf(l, gender))).find((v) => v) ??
      // where that language has none (French has one woman's voice), an English one of that gender, made to
      // speak the chat's language: a man's voice with an accent fits Einstein better than a woman's;
      english.map((l) => free(this.voicesOf(l, gender))).find((v) => v) ??
      free(this.voicesOf(chat)) ??
      free(this.voices ?? []);
    return found ? this.inChatLanguage(found, locale) : undefined;
  }

  /**
   * The voice made to speak the chat's language where Kokoro speaks it and the voice's own is another (an
   * English voice in a French chat reads French, accented), since the text is in the chat's language.
   */
  inChatLanguage(voice: Voice, locale: string): Voice {
    const chat = VOICE_LETTER[locale];
    const own = letterOf(voice.id);
    if (!chat || !own || own === chat || (ENGLISH.has(chat) && ENGLISH.has(own))) return voice;
    if (!this.languages().includes(chat)) return voice;
    const language = voiceLanguage(`${chat}f_`);
    return language ? { ...voice, language: language.code, languageName: language.name } : voice;
  }

  /**
   * One AI↔AI line read aloud after its text, in its side's voice, replying to its message. Waits in line for a
   * place among the voice messages being made (the exchange waits with it, so lines stay in order); `signal` (the
   * exchange's Stop) ends it. A failure is said under the line, whose text is left as it is. Never throws.
   */
  async sayLine(req: {
    chatId: number;
    locale: string;
    text: string;
    voice: Voice;
    speed?: number | undefined;
    replyTo?: number | undefined;
    signal: AbortSignal;
  }): Promise<"sent" | "stopped" | "failed" | "unavailable"> {
    const { core } = this;
    const { chatId } = req;
    const log = core.log.child({ chatId, voice: req.voice.id });
    const t = core.texts.for(req.locale);
    const reply =
      req.replyTo !== undefined ? { message_id: req.replyTo, allow_sending_without_reply: true } : undefined;
    // The exchange waits with its line (it holds its place in the fair queue), so the wait is bounded.
    const release = await this.slot(chatId, deadline(LINE_WAIT_MS, req.signal));
    if (!release) {
      if (req.signal.aborted) return "stopped";
      log.warn("no voice for an AI↔AI line: other voice messages took too long");
      await core.api
        .sendMessage(chatId, `⚠️ ${t("ai-voice-line-busy")}`, {
          ...(reply ? { reply_parameters: reply } : {}),
        })
        .catch(logFailure(log, "could not say that a line had no voice"));
      return "failed";
    }
    const endRecording = this.recording(chatId);
    try {
      const maxSeconds = core.config.media.voiceMaxSeconds;
      const text = speakable(req.text, t("voice-code-omitted")).slice(0, MAX_SPOKEN_CHARS);
      const made = await this.render([{ pieces: pieces(text), voice: req.voice, speed: req.speed }], {
        maxSeconds,
        signal: req.signal,
      });
      if (made.clips.length === 0) return "sent";
      const { encoded, leftOut } = await this.encode(made.clips, maxSeconds, req.signal);
      const whole = speakable(req.text, t("voice-code-omitted")).length <= MAX_SPOKEN_CHARS;
      await core.api.sendVoice(chatId, new InputFile(encoded.bytes, "line.ogg"), {
        duration: Math.max(1, Math.round(encoded.durationSeconds)),
        ...(made.omitted || leftOut || !whole ? { caption: t("voice-omitted") } : {}),
        ...(reply ? { reply_parameters: reply } : {}),
      });
      return req.signal.aborted ? "stopped" : "sent";
    } catch (err) {
      if (req.signal.aborted) return "stopped";
      const code = (err as { code?: unknown })?.code;
      log.warn({ err, code }, "could not read an AI↔AI line aloud");
      // A hub that cannot speak at all would fail every line: the caller turns the voices off, and it is said.
      const gone = code === "TTS_UNAVAILABLE" || code === "MEDIA_UNSUPPORTED";
      const key = gone ? "ai-voice-line-failed-off" : "ai-voice-line-failed";
      await core.api
        .sendMessage(chatId, `⚠️ ${t(key, { reason: voiceFailure(t, err, core) })}`, {
          ...(reply ? { reply_parameters: reply } : {}),
        })
        .catch(logFailure(log, "could not say that a line had no voice"));
      return gone ? "unavailable" : "failed";
    } finally {
      endRecording();
      release();
    }
  }

  /**
   * A whole AI↔AI conversation as one voice message: the spoken introduction in a third voice (the narrator),
   * then every line in its speaker's voice, a longer pause between speakers, bounded by EPISODE_MAX_SECONDS. A
   * status with ⏹ shows how far along it is. A failure is said on the status, and nothing is sent: the
   * conversation's messages are not touched. Never throws; false when another voice message of the chat is
   * being made (the press is told).
   */
  async episode(req: {
    chatId: number;
    locale: string;
    intro: string;
    caption: string;
    /** A line without a voice (the moderator's) is read by the narrator. */
    lines: ReadonlyArray<{ text: string; voice?: Voice | undefined }>;
    speed?: number | undefined;
  }): Promise<boolean> {
    const release = await this.slot(req.chatId);
    if (!release) return false;
    void this.makeEpisode(req)
      .catch((err: unknown) => this.core.log.error({ err, chatId: req.chatId }, "an episode failed"))
      .finally(release);
    return true;
  }

  private async makeEpisode(req: Parameters<SpeechService["episode"]>[0]): Promise<void> {
    const { core } = this;
    const { chatId } = req;
    const t = core.texts.for(req.locale);
    const log = core.log.child({ chatId });
    const stop = this.stops.create(chatId, core.shutdown);
    const status = await this.status(
      t,
      chatId,
      "episode",
      t("ai-episode-making", { done: 0, total: 1 }),
      stop.data,
    );
    let noted = false;
    const endRecording = this.recording(chatId);
    const code = t("voice-code-omitted");
    const speakers = [...new Set(req.lines.map((l) => l.voice?.id).filter((id) => id !== undefined))];
    // The narrator: a third voice, of the chat's language where there is one, so the introduction is nobody's line.
    const third = [...new Set([this.defaultLetter(req.locale), "a", "b"])]
      .map((l) => ranked(this.voicesOf(l)).find((v) => !speakers.includes(v.id)))
      .find((v) => v !== undefined);
    const narrator = third ? this.inChatLanguage(third, req.locale) : req.lines.find((l) => l.voice)?.voice;
    const parts: SpokenPart[] = [];
    if (narrator) parts.push({ pieces: pieces(req.intro), voice: narrator, pauseAfter: TURN_PAUSE_SECONDS });
    for (const line of req.lines) {
      const text = speakable(line.text, code);
      const voice = line.voice ?? narrator;
      if (text === "" || !voice) continue;
      parts.push({ pieces: pieces(text), voice, speed: req.speed, pauseAfter: TURN_PAUSE_SECONDS });
    }
    // The status follows every few pieces, not every one: each edit is a Telegram call of the chat's budget.
    let shownAt = 0;
    const onPiece = (done: number, total: number) => {
      if (done < total && Date.now() - shownAt < EPISODE_STATUS_EVERY_MS) return;
      shownAt = Date.now();
      void status.tell(t("ai-episode-making", { done, total }), true);
    };
    try {
      const made = await this.render(parts, {
        maxSeconds: EPISODE_MAX_SECONDS,
        signal: stop.signal,
        onPiece,
      });
      if (made.clips.length === 0) {
        await status.tell(t("voice-nothing"));
        return;
      }
      const { encoded, leftOut } = await this.encode(made.clips, EPISODE_MAX_SECONDS, stop.signal);
      const omitted = made.omitted || leftOut;
      await core.api.sendVoice(chatId, new InputFile(encoded.bytes, "episode.ogg"), {
        duration: Math.max(1, Math.round(encoded.durationSeconds)),
        caption: omitted ? `${req.caption}\n${t("ai-episode-omitted")}` : req.caption,
      });
      await status.remove();
      log.info({ seconds: Math.round(encoded.durationSeconds), pieces: made.pieces }, "episode sent");
    } catch (err) {
      if (stop.signal.aborted) {
        noted = await this.cutShort(status, t, "ai-episode-interrupted");
        return;
      }
      log.warn({ err, code: (err as { code?: unknown })?.code }, "could not make an episode");
      await status.tell(`⚠️ ${t("ai-episode-failed", { reason: voiceFailure(t, err, core) })}`);
    } finally {
      endRecording();
      stop.release();
      if (!noted) await status.forget();
    }
  }
}

type VoiceStatusKind = "answer" | "episode";
type VoiceShown = ShownItem<"voiceShown">;
/** Statuses noted per chat at most (one answer and one episode at a time, a few left by errors). */
const MAX_VOICE_SHOWN = 4;

/** A voice's part of a voice message: its pieces of text, and the silence after its last. */
interface SpokenPart {
  pieces: string[];
  voice: Voice;
  speed?: number | undefined;
  pauseAfter?: number | undefined;
}

/** One side of an AI↔AI cast, as far as its voice goes. */
export interface CastSide {
  voice?: string | undefined;
  persona: Persona;
}

/** Kokoro's voices people like best first (its own grades), the rest in the hub's order. */
const PREFERRED = ["af_heart", "am_michael", "bf_emma", "bm_george", "af_bella", "am_fenrir", "bm_fable"];
function ranked(voices: Voice[]): Voice[] {
  const rank = (v: Voice) => {
    const i = PREFERRED.indexOf(v.id);
    return i < 0 ? PREFERRED.length : i;
  };
  return [...voices].sort((x, y) => rank(x) - rank(y));
}

/** `seconds` of silence in the clip's format. */
function silence(like: Pcm, seconds: number): Pcm {
  const frames = Math.round(seconds * like.sampleRate);
  return {
    sampleRate: like.sampleRate,
    channels: like.channels,
    samples: new Int16Array(frames * like.channels),
  };
}

/** What a failed voice message says. */
function voiceFailure(t: T, err: unknown, core: Core): string {
  const code = (err as { code?: unknown })?.code;
  if (code === "TTS_UNAVAILABLE") return t("voice-tts-unavailable");
  if (code === "VOICE_NOT_FOUND") return t("voice-not-found");
  return failureText(t, describeFailure(err), core.client);
}
