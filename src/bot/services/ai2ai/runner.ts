/**
 * Runs AI↔AI conversations: one exchange (A speaks, then B answers) per Continue, or on their own with Auto.
 * Every exchange goes through the fair queue like a chat turn, so an Auto run cannot starve other chats. The
 * runner owns what is in memory (which chats are busy, the Auto timers) and checks the conversation's token
 * before every write, so a Restart while an exchange runs stops it and it cannot write into the new one. The
 * speaking side is written to the session before each line, so a crash or restart is found at start-up.
 */

import { InputFile } from "grammy";
import type { HostPlace } from "../../../hosts/index.js";
import { chatKindOf, type PaceRegistry, streamToChat } from "../../../live/index.js";
import { LANGUAGE_NAMES, sessionLocale } from "../../i18n.js";
import { effective, requestSettings } from "../../model-settings.js";
import {
  type Ai2AiState,
  answerRoom,
  type ChatSession,
  DEFAULT_CHARS_PER_TOKEN,
  knownIds,
  type Side,
} from "../../session.js";
import {
  ai2aiHeader,
  controls,
  lineHeader,
  optionsView,
  sideVoiceView,
  transcriptMarkdown,
} from "../../views/ai2ai.js";
import type { T, View } from "../../views/t.js";
import { answerOptions, liveDraft } from "../answer.js";
import {
  type Core,
  chatKey,
  guardedAnswer,
  latestOnly,
  logFailure,
  pendingSendOf,
  persist,
  type TurnQueue,
} from "../core.js";
import { describeFailure } from "../failure.js";
import type { ModelCatalog } from "../models.js";
import { type ChatScope, chatKeys } from "../shown.js";
import { letterOf, type SpeechService, VOICE_FLAGS } from "../speech.js";
import type { StopButtons } from "../stops.js";
import * as rules from "./rules.js";

const AUTO_PAUSE_MS = 1_500;
/** Telegram's limit for a message's text. */
const TELEGRAM_LIMIT = 4096;

/** A line as the exchange goes on from it: whether it does, and what the line said (for its voice). */
interface Spoken {
  goOn: boolean;
  text: string;
  messageId?: number | undefined;
}

export type ContinueResult = "queued" | "busy" | rules.ContinueRefusal | "stale";

export class Ai2AiRunner {
  private readonly busy = new Set<number>();
  /** Exchanges waiting in the fair queue, so a Stop can take them out before they start. */
  private readonly waitingJobs = new Map<number, () => boolean>();
  private readonly autoTimers = new Map<number, () => void>();
  /** The Stop of the line being spoken, per chat, so Restart and Stop can end it. */
  private readonly speaking = new Map<number, { token: string; stop: () => void }>();

  constructor(
    private readonly core: Core,
    private readonly queue: TurnQueue,
    private readonly stops: StopButtons,
    private readonly paces: PaceRegistry,
    private readonly models: ModelCatalog,
    private readonly speech: SpeechService,
  ) {}

  private t(locale: string): T {
    return this.core.texts.for(locale);
  }

  private get turnsDefault(): number {
    return this.core.config.ai2aiTurns;
  }

  /** The conversation of a chat, when `token` is its current one. */
  async current(chatId: number, token: string): Promise<Ai2AiState | undefined> {
    const st = (await this.core.store.get(chatKey(chatId))).ai2ai;
    return st && st.token === token ? st : undefined;
  }

  /** Changes the conversation with `fn` (a rule), if it is still the one `token` names. */
  async change(
    chatId: number,
    token: string | undefined,
    fn: (st: Ai2AiState, s: ChatSession) => void,
  ): Promise<Ai2AiState | undefined> {
    let changed = false;
    const s = await this.core.store.update(chatKey(chatId), (d) => {
      if (!d.ai2ai || (token !== undefined && d.ai2ai.token !== token)) return;
      fn(d.ai2ai, d);
      changed = true;
    });
    return changed ? s.ai2ai : undefined;
  }

  /** AI↔AI on or off for the chat (from the picker); a conversation is created the first time. */
  async toggleMode(chatId: number, t: T): Promise<ChatSession> {
    return this.core.store.update(chatKey(chatId), (d) => {
      d.mode = d.mode === "ai2ai" ? "chat" : "ai2ai";
      if (d.mode === "ai2ai") d.ai2ai ??= rules.newAi2Ai(this.turnsDefault, t("ai-default-topic"));
    });
  }

  async backToChat(chatId: number): Promise<void> {
    await this.core.store.update(chatKey(chatId), (d) => {
      d.mode = "chat";
    });
  }

  /** A picker tap in AI↔AI mode: sets the next side's model. */
  async pick(chatId: number, model: string, t: T): Promise<{ session: ChatSession; side: Side }> {
    let side: Side = "a";
    const session = await this.core.store.update(chatKey(chatId), (d) => {
      d.ai2ai ??= rules.newAi2Ai(this.turnsDefault, t("ai-default-topic"));
      side = rules.pickSide(d.ai2ai, model);
    });
    return { session, side };
  }

  /** Queues one exchange for the chat, unless one is queued or running, or the conversation cannot go on. */
  /** `userId`: who pressed; the fair queue gives one user's runs no more than their share. */
  async continueExchange(
    chatId: number,
    chatType: string,
    token: string,
    userId?: number,
  ): Promise<ContinueResult> {
    const st = await this.current(chatId, token);
    if (!st) return "stale";
    const refusal = rules.canContinue(st);
    if (refusal) return refusal;
    if (this.busy.has(chatId)) return "busy";
    // Saved before it is queued (the exchange clears it when it starts) and before the press is answered (and
    // its buttons go): a kill while it waits in line leaves it to the next start, which runs it.
    await this.change(chatId, token, (d) => {
      d.queued = true;
    }).catch(logFailure(this.core.log, "could not save an exchange waiting in line", { chatId }));
    if (this.queueExchange(chatId, chatType, token, userId)) return "queued";
    await this.change(chatId, token, (d) => {
      d.queued = undefined;
    }).catch(logFailure(this.core.log, "could not note an exchange that was not queued", { chatId }));
    return "busy";
  }

  isBusy(chatId: number): boolean {
    return this.busy.has(chatId);
  }

  private cancelAuto(chatId: number): void {
    this.autoTimers.get(chatId)?.();
    this.autoTimers.delete(chatId);
  }

  private queueExchange(chatId: number, chatType: string, token: string, userId?: number): boolean {
    if (this.busy.has(chatId) || this.core.draining.aborted) return false;
    this.busy.add(chatId);
    this.cancelAuto(chatId);
    const job = this.queue.enqueue(
      chatId,
      async (place) => {
        this.waitingJobs.delete(chatId);
        try {
          await this.runExchange(chatId, chatType, token, place);
        } catch (err) {
          this.core.log.error({ err, chatId }, "AI↔AI exchange failed outside the answer");
          const s = await this.core.store
            .get(chatKey(chatId))
            .catch(logFailure(this.core.log, "could not read the session to report a failure", { chatId }));
          await this.core.api
            .sendMessage(chatId, this.t(s ? sessionLocale(s) : "en")("failure-internal"))
            .catch(logFailure(this.core.log, "could not tell a chat its exchange failed", { chatId }));
        } finally {
          this.busy.delete(chatId);
        }
        const st = await this.current(chatId, token).catch(
          logFailure(this.core.log, "could not read the conversation after an exchange; Auto stops here", {
            chatId,
          }),
        );
        if (st?.auto && !st.pausedAt && !rules.canContinue(st) && !this.core.draining.aborted) {
          const fire = () => {
            this.autoTimers.delete(chatId);
            this.queueExchange(chatId, chatType, token, userId);
          };
          this.autoTimers.set(chatId, this.core.clock.setTimeout(fire, AUTO_PAUSE_MS));
        }
      },
      { user: userId },
    );
    this.waitingJobs.set(chatId, () => {
      if (!job.cancel()) return false;
      this.busy.delete(chatId);
      return true;
    });
    return true;
  }

  /**
   * One exchange. With several hosts it holds one slot (`place`); a side whose model is not on that host runs
   * where its model is.
   */
  private async runExchange(
    chatId: number,
    chatType: string,
    token: string,
    place: HostPlace | undefined,
  ): Promise<void> {
    const start = await this.change(chatId, token, (d) => {
      d.queued = undefined;
    });
    if (!start || rules.canContinue(start)) return;
    for (const side of rules.sidesToRun(start)) {
      if (this.core.draining.aborted) {
        // Stopping: this line does not start here; marked so the start-up after this one offers Continue.
        await this.change(chatId, token, (d) => rules.lineStarted(d, side, Date.now()));
        return;
      }
      const spoken = await this.speak(chatId, chatType, token, side, place);
      if (!spoken.goOn) break;
      if (side === "b") await this.change(chatId, token, (st) => rules.exchangeComplete(st));
      // Read aloud before the other side speaks, so each voice message follows its own text.
      if (!(await this.voiceLine(chatId, token, side, spoken))) break;
    }
    // Stopping: the start-up after this one shows the controls (once), with the state the restart left.
    if (this.core.draining.aborted) return;
    const st = await this.current(chatId, token);
    if (st) await this.showControls(chatId, st, true);
  }

  /**
   * A line read aloud after its text, when the conversation has voices on and the hub can speak. Returns whether
   * the exchange goes on: a Stop or a Restart while the voice is made ends it (a failure does not: it is said under
   * the line and the conversation goes on).
   */
  private async voiceLine(chatId: number, token: string, side: Side, spoken: Spoken): Promise<boolean> {
    if (spoken.text.trim() === "" || !this.speech.available) return true;
    const session = await this.core.store.get(chatKey(chatId));
    const st = session.ai2ai;
    if (!st || st.token !== token) return false;
    if (!st.voices) return true;
    const locale = sessionLocale(session);
    const voice = this.speech.castVoices(locale, st.a, st.b)[side];
    if (!voice) return true;
    await this.change(chatId, token, (d) => {
      d.voicing = side;
    });
    const stop = this.stops.create(chatId, this.core.shutdown);
    this.speaking.set(chatId, {
      token,
      stop: () => stop.abort(new Error("stopped from the AI↔AI controls")),
    });
    try {
      const outcome = await this.speech.sayLine({
        chatId,
        locale,
        text: spoken.text,
        voice,
        speed: effective(session.settings, this.core.config.settings, undefined).voiceSpeed,
        replyTo: spoken.messageId,
        signal: stop.signal,
      });
      // Cut by the stop of the process (or the stop began meanwhile): left marked, so the start-up after this one
      // gives the controls back.
      if (this.core.shutdown.aborted || this.core.draining.aborted) return false;
      // A Stop pressed as the voice went out still stops the exchange.
      const stopped = outcome === "stopped" || stop.signal.aborted;
      await this.change(chatId, token, (d) => {
        d.voicing = undefined;
        if (outcome === "unavailable") d.voices = false;
        if (!stopped) return;
        d.auto = false;
        if (d.pausedAt) d.pauseReason = "stopped";
      });
      return !stopped;
    } finally {
      stop.release();
      this.speaking.delete(chatId);
    }
  }

  /** One side speaks, streamed live; its line is saved whatever happens. Returns whether the exchange goes on. */
  private async speak(
    chatId: number,
    chatType: string,
    token: string,
    side: Side,
    place: HostPlace | undefined,
  ): Promise<Spoken> {
    const key = chatKey(chatId);
    const session = await this.core.store.get(key);
    const st = session.ai2ai;
    const nothing: Spoken = { goOn: false, text: "" };
    if (!st || st.token !== token) return nothing;
    const locale = sessionLocale(session);
    const t = this.t(locale);
    const me = st[side]!;
    const started = Date.now();
    await this.change(chatId, token, (d) => rules.lineStarted(d, side, started));
    const stop = this.stops.create(chatId, this.core.shutdown);
    this.speaking.set(chatId, {
      token,
      stop: () => stop.abort(new Error("stopped from the AI↔AI controls")),
    });
    const checkpoints = latestOnly((text: string) =>
      this.change(chatId, token, (d) => {
        if (d.speaking?.startedAt === started) d.speaking.partial = text;
      }).then(() => undefined, logFailure(this.core.log, "could not checkpoint an AI↔AI line", { chatId })),
    );
    const log = this.core.log.child({ chatId, model: me.model, side });
    try {
      // The chat's settings apply to both sides, each within its own model's context.
      const facts = await this.models.factsWithin(me.model, 5_000);
      const settings = effective(session.settings, this.core.config.settings, facts);
      const fits = Math.floor((settings.numCtx - answerRoom(settings.numCtx)) * DEFAULT_CHARS_PER_TOKEN);
      const messages = rules.sideMessages(
        st,
        side,
        {
          maxMessages: this.core.config.historyMaxMessages,
          maxChars: Math.min(this.core.config.historyMaxChars, fits),
        },
        locale === "en" ? undefined : LANGUAGE_NAMES[locale],
      );
      const request = { model: me.model, messages, ...requestSettings(settings, facts) };
      const result = await streamToChat(
        {
          api: this.core.liveApi,
          paces: this.paces,
          log,
          clock: this.core.clock,
          budget: this.core.budget,
        },
        guardedAnswer(
          this.core,
          () => (place?.client ?? this.core.client).chatStream(request, stop.signal),
          stop,
          log,
          "the AI↔AI line",
        ),
        {
          chatId,
          chatKind: chatKindOf(chatType),
          label: me.persona.name,
          header: lineHeader(t, st, side),
          stopData: stop.data,
          signal: stop.signal,
          ...liveDraft(this.core, chatId, chatKindOf(chatType), stop),
          ...answerOptions(this.core, t, me.model),
          showThinking: settings.showThinking,
          // The checkpoint a crash keeps: what the chat shows after each update (the newest only, one at a time).
          onShown: (text) => checkpoints.push(text),
          onSendRefused: () => {
            void this.change(chatId, token, (d) => {
              if (d.speaking?.startedAt === started) d.speaking.pendingSend = undefined;
            }).catch(logFailure(log, "could not note a refused send"));
          },
          beforeSend: async (content) => {
            const pending = pendingSendOf(this.core, chatId, content);
            if (!pending) return;
            await this.change(chatId, token, (d) => {
              if (d.speaking?.startedAt === started) d.speaking.pendingSend = pending;
            }).catch(logFailure(log, "could not note an AI↔AI live message about to be sent"));
          },
          onMessage: (id) => {
            void this.change(chatId, token, (d) => {
              if (d.speaking?.startedAt !== started) return;
              d.speaking.messageId = id;
              d.speaking.pendingSend = undefined;
            }).catch(logFailure(log, "could not note an AI↔AI live message"));
          },
        },
      );
      await checkpoints.idle();
      const interrupted = this.core.shutdown.aborted && result.outcome !== "done";
      const outcome: rules.LineOutcome = interrupted ? "interrupted" : result.outcome;
      log.info({ outcome, chars: result.text.length }, "AI↔AI line finished");
      if (outcome === "failed") {
        const f = describeFailure(result.error, { model: me.model });
        log.warn({ code: f.code }, "AI↔AI line failed");
      }
      let goOn = false;
      // The line is shown: it must reach the conversation too, so a storage outage is ridden out here.
      const changed = await persist(this.core, "saving an AI↔AI line", () =>
        this.change(chatId, token, (d) => {
          goOn = rules.lineFinished(d, side, outcome, result.text, Date.now(), me.model);
        }),
      );
      // A Restart meanwhile: this line belongs to the old conversation; nothing more of it is written.
      // A stop meanwhile is seen by the exchange before the next line (which it marks for the start-up).
      return {
        goOn: changed !== undefined && goOn,
        text: outcome === "done" ? result.text : "",
        messageId: result.messageIds.at(-1),
      };
    } finally {
      stop.release();
      this.speaking.delete(chatId);
    }
  }

  /** Auto on or off; on starts the next exchange. */
  async toggleAuto(
    chatId: number,
    chatType: string,
    token: string,
    userId?: number,
  ): Promise<boolean | undefined> {
    const st = await this.change(chatId, token, (d) => {
      d.auto = !d.auto;
    });
    if (!st) return undefined;
    if (st.auto) this.queueExchange(chatId, chatType, token, userId);
    else this.cancelAuto(chatId);
    return st.auto;
  }

  /** Stops the line being spoken and Auto; returns whether something was running. */
  async stop(chatId: number): Promise<boolean> {
    await this.core.store.update(chatKey(chatId), (d) => {
      if (d.ai2ai) d.ai2ai.auto = false;
    });
    this.cancelAuto(chatId);
    // An exchange still waiting in line is taken out: a Stop means nothing more runs.
    const cancelled = this.waitingJobs.get(chatId)?.() === true;
    if (cancelled) {
      await this.core.store
        .update(chatKey(chatId), (d) => {
          if (d.ai2ai) d.ai2ai.queued = undefined;
        })
        .catch(logFailure(this.core.log, "could not note a cancelled exchange", { chatId }));
    }
    this.waitingJobs.delete(chatId);
    const running = this.speaking.get(chatId);
    running?.stop();
    return running !== undefined || cancelled || this.busy.has(chatId);
  }

  /** Starts the conversation over (same cast, topic, length); a line being spoken is stopped first. */
  async restart(chatId: number, token: string): Promise<Ai2AiState | undefined> {
    const st = await this.change(chatId, token, (_d, s) => {
      s.ai2ai = rules.restarted(s.ai2ai!);
    });
    if (!st) return undefined;
    this.cancelAuto(chatId);
    const running = this.speaking.get(chatId);
    if (running?.token === token) running.stop();
    return (await this.core.store.get(chatKey(chatId))).ai2ai;
  }

  /** Sends (or, when `inPlace` is false and it is on screen, edits) the controls message. */
  async showControls(chatId: number, st: Ai2AiState, fresh: boolean): Promise<void> {
    const session = await this.core.store.get(chatKey(chatId));
    const view = controls(
      this.t(sessionLocale(session)),
      st,
      this.speech.available && st.lines.some((l) => l.text.trim() !== ""),
    );
    if (!fresh && st.controlsMessageId !== undefined) {
      const edited = await this.core.api
        .editMessageText(chatId, st.controlsMessageId, view.text, { reply_markup: view.keyboard })
        .then(
          () => true,
          (err: unknown) => {
            this.core.log.debug({ err, chatId }, "could not edit the AI↔AI controls; sending new ones");
            return false;
          },
        );
      if (edited) return;
    }
    const sent = await this.core.api
      .sendMessage(chatId, view.text, { reply_markup: view.keyboard })
      .catch(logFailure(this.core.log, "could not send the AI↔AI controls", { chatId }));
    if (sent) {
      // Read and replaced in one write: two controls sent at once (an Auto exchange and a press) each clear the
      // one they replace, so only the newest keeps its buttons.
      let previous: number | undefined;
      await this.change(chatId, st.token, (d) => {
        previous = d.controlsMessageId;
        d.controlsMessageId = sent.message_id;
      });
      // One set of live controls per conversation: the older message keeps its text, not its buttons. Not
      // awaited: a press on the new controls must not find the exchange still busy behind this edit (a 429).
      if (previous !== undefined && previous !== sent.message_id) {
        void this.core.api
          .editMessageReplyMarkup(chatId, previous, { reply_markup: { inline_keyboard: [] } })
          .catch((err: unknown) =>
            this.core.log.debug({ err, chatId }, "old AI↔AI controls kept their buttons"),
          );
      }
    }
  }

  optionsView(t: T, st: Ai2AiState, locale: string): View {
    if (!this.speech.available) return optionsView(t, st, rules.PERSONAS);
    const cast = this.speech.castVoices(locale, st.a, st.b);
    return optionsView(t, st, rules.PERSONAS, { on: st.voices === true, a: cast.a?.label, b: cast.b?.label });
  }

  /** The voice menu of one side, on `letter` (default: the language of the side's voice now). */
  sideVoiceView(t: T, st: Ai2AiState, side: Side, locale: string, letter?: string): View {
    const cast = this.speech.castVoices(locale, st.a, st.b);
    const current = cast[side];
    const at = letter ?? (current && letterOf(current.id)) ?? this.speech.defaultLetter(locale);
    return sideVoiceView(t, st, side, {
      languages: this.speech.languages().map((l) => ({ letter: l, flag: VOICE_FLAGS[l] ?? l })),
      letter: at,
      voices: this.speech.voicesOf(at),
      current: st[side]?.voice !== undefined ? current?.id : undefined,
      taken: cast[rules.other(side)]?.id,
    });
  }

  /**
   * Sets a side's voice (`undefined`: back to the one that fits its persona). Refused when the hub has no such
   * voice, or when it is the other side's: the two sides must sound different.
   */
  async setSideVoice(
    chatId: number,
    token: string,
    side: Side,
    voiceId: string | undefined,
    locale: string,
  ): Promise<"set" | "unknown" | "taken" | "stale"> {
    const voice = voiceId !== undefined ? this.speech.byId(voiceId) : undefined;
    if (voiceId !== undefined && !voice) return "unknown";
    let result = "stale" as "set" | "taken" | "stale";
    await this.change(chatId, token, (d) => {
      const me = d[side];
      if (!me) return;
      const theirs = this.speech.castVoices(locale, d.a, d.b)[rules.other(side)];
      if (voiceId !== undefined && theirs?.id === voiceId) {
        result = "taken";
        return;
      }
      me.voice = voiceId;
      result = "set";
    });
    if (result === "set" && voice) void this.speech.preview({ chatId, locale, voice });
    return result;
  }

  /** Voices on or off for the conversation's lines. */
  async toggleVoices(chatId: number, token: string): Promise<Ai2AiState | undefined> {
    return this.change(chatId, token, (d) => {
      d.voices = !d.voices;
    });
  }

  /**
   * 🎧 Episode: the conversation so far as one voice message, each line in its side's voice, the moderator's
   * notes and the introduction in a third. Returns false when a voice message of the chat is already being made.
   */
  async episode(chatId: number, st: Ai2AiState, locale: string): Promise<boolean> {
    const t = this.t(locale);
    const session = await this.core.store.get(chatKey(chatId));
    const cast = this.speech.castVoices(locale, st.a, st.b);
    const lines = st.lines
      .filter((l) => l.text.trim() !== "")
      .map((l) => ({ text: l.text, voice: l.side === "moderator" ? undefined : cast[l.side] }));
    const names = { a: st.a?.persona.name ?? "A", b: st.b?.persona.name ?? "B" };
    return this.speech.episode({
      chatId,
      locale,
      intro: t("ai-episode-intro", { a: names.a, b: names.b, topic: st.topic }),
      caption: t("ai-episode-caption", { a: names.a, b: names.b, topic: st.topic }).slice(0, 900),
      lines,
      speed: effective(session.settings, this.core.config.settings, undefined).voiceSpeed,
    });
  }

  header(t: T, st: Ai2AiState): string {
    return ai2aiHeader(t, st);
  }

  async sendTranscript(chatId: number, st: Ai2AiState, t: T): Promise<void> {
    const file = new InputFile(Buffer.from(transcriptMarkdown(t, st), "utf8"), "ai2ai-transcript.md");
    await this.core.api.sendDocument(chatId, file, {
      caption: t("ai-transcript-caption", { lines: st.lines.length, turns: st.done }),
    });
  }

  /** Sets the topic (creating the conversation if needed); shows the controls when both sides are picked. */
  async setTopic(chatId: number, topic: string, t: T): Promise<Ai2AiState> {
    const s = await this.core.store.update(chatKey(chatId), (d) => {
      d.ai2ai ??= rules.newAi2Ai(this.turnsDefault, t("ai-default-topic"));
      rules.setTopic(d.ai2ai, topic);
    });
    return s.ai2ai!;
  }

  async setPersona(
    chatId: number,
    side: Side,
    name: string,
    description: string,
  ): Promise<Ai2AiState | undefined> {
    return this.change(chatId, undefined, (d) => {
      if (d[side]) d[side]!.persona = rules.customPersona(name, description);
    });
  }

  /** A moderator's note both sides see in the next exchange. */
  async note(chatId: number, text: string): Promise<void> {
    await this.change(chatId, undefined, (d) => rules.addModeratorNote(d, text, Date.now()));
  }

  /**
   * At the start of a stop: Auto pauses are cancelled (the grace period ends when the running lines do), and each
   * of those conversations is marked so the start-up after this one gives it its controls back.
   */
  async pauseAutoForShutdown(): Promise<number> {
    const chats = [...this.autoTimers.keys()];
    for (const chatId of chats) this.cancelAuto(chatId);
    for (const chatId of chats) {
      await this.change(chatId, undefined, (d) => {
        if (d.auto && !d.speaking && !rules.canContinue(d))
          rules.lineStarted(d, rules.sidesToRun(d)[0]!, Date.now());
      }).catch(logFailure(this.core.log, "could not mark an Auto run paused by the stop", { chatId }));
    }
    return chats.length;
  }

  /**
   * At start-up: conversations a crash or a restart cut mid-line get their controls back, paused on the side that
   * was speaking (Continue carries on from the last complete line). The cut line's message is rewritten with what
   * it had said by its last checkpoint and the restart mark, without its dead Stop. A run that was on Auto goes
   * on by itself after the usual pause.
   */
  async recover(scope?: ChatScope): Promise<number> {
    let n = 0;
    for await (const key of chatKeys(this.core, scope)) {
      const chatId = Number(key);
      const session = await this.core.store.get(key);
      const was = session.ai2ai;
      if (!was?.speaking && !was?.auto && !was?.queued && !was?.voicing) continue;
      let recovered = false;
      let cut: NonNullable<Ai2AiState["speaking"]> | undefined;
      const st = await this.change(chatId, undefined, (d) => {
        cut = d.speaking ? { ...d.speaking } : undefined;
        recovered = rules.recoverInterrupted(d, Date.now());
      });
      if (!recovered || !st) continue;
      n++;
      const t = this.t(sessionLocale(session));
      // Its newest live message, sent but its id never saved: found by its content.
      if (cut?.pendingSend) {
        const found = await this.core.sends
          .findCopy(chatId, cut.pendingSend.content, cut.pendingSend.floor, knownIds(session))
          .catch(
            logFailure(this.core.log, "could not look for a cut AI↔AI line whose id was not saved", {
              chatId,
            }),
          );
        if (found !== undefined) cut.messageId = found;
      }
      if (cut?.messageId !== undefined) await this.markCut(chatId, cut.messageId, t, st, cut);
      else if (cut?.partial?.trim()) {
        // Streamed as a draft (a private chat): nothing of it stayed in the chat; what it had said comes back.
        const text = `${lineHeader(t, st, cut.side)}\n\n${cut.partial.trim()}\n\n${t("note-restart")}`;
        await this.core.api
          .sendMessage(
            chatId,
            text.length <= TELEGRAM_LIMIT ? text : `${lineHeader(t, st, cut.side)}\n\n${t("note-restart")}`,
            {
              link_preview_options: { is_disabled: true },
            },
          )
          .catch(logFailure(this.core.log, "could not show a cut AI↔AI line", { chatId }));
      }
      await this.showControls(chatId, st, true);
      if (st.auto || st.queued) {
        const chatType = chatId > 0 ? "private" : "supergroup";
        const fire = () => {
          this.autoTimers.delete(chatId);
          this.queueExchange(chatId, chatType, st.token);
        };
        this.autoTimers.set(chatId, this.core.clock.setTimeout(fire, AUTO_PAUSE_MS));
        this.core.log.info({ chatId, auto: st.auto }, "an AI↔AI run the last stop cut goes on");
      }
    }
    return n;
  }

  /**
   * The cut line's live message: the text it showed (its checkpoint) with the restart mark, no dead Stop. A line
   * long enough to span several messages keeps its text (the checkpoint is the whole line, the message only its
   * last part): it loses its Stop and gets the mark as a reply.
   */
  private async markCut(
    chatId: number,
    messageId: number,
    t: T,
    st: Ai2AiState,
    cut: NonNullable<Ai2AiState["speaking"]>,
  ): Promise<void> {
    const said = cut.partial?.trim() ?? "";
    const note = t("note-restart");
    const text = `${lineHeader(t, st, cut.side)}\n\n${said === "" ? note : `${said}\n\n${note}`}`;
    const noButtons = { reply_markup: { inline_keyboard: [] } };
    if (text.length <= TELEGRAM_LIMIT) {
      const edited = await this.core.api
        .editMessageText(chatId, messageId, text, {
          ...noButtons,
          link_preview_options: { is_disabled: true },
        })
        .then(
          () => true,
          (err: unknown) => {
            this.core.log.debug({ err, chatId }, "could not rewrite a cut AI↔AI line; removing its buttons");
            return false;
          },
        );
      if (edited) return;
    }
    await this.core.api
      .editMessageReplyMarkup(chatId, messageId, noButtons)
      .catch((e: unknown) => this.core.log.debug({ err: e, chatId }, "a cut AI↔AI line kept its buttons"));
    await this.core.api
      .sendMessage(chatId, note, {
        reply_parameters: { message_id: messageId, allow_sending_without_reply: true },
      })
      .catch(logFailure(this.core.log, "could not mark a cut AI↔AI line", { chatId }));
  }
}
