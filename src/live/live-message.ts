/**
 * The live message: shows a growing answer in a Telegram chat by editing one message, paced within Telegram's
 * limits, and leaves exact, formatted final messages. The decisions (what to show, where to split, how to format,
 * when a call may go out) are pure functions in render.ts, split.ts, format.ts and pacing.ts; this file is the
 * thin I/O shell that asks them and talks to the Bot API.
 */
import type { Logger } from "pino";
import type { StreamEvent } from "../hub/index.js";
import type { CallBudget } from "./budget.js";
import { type Clock, systemClock } from "./clock.js";
import { validateTelegramHtml } from "./format.js";
import { pacedCall } from "./paced-call.js";
import type { ChatKind, ChatPace, PaceRegistry } from "./pacing.js";
import { ENGLISH_LIVE_TEXTS, finalParts, type LiveTexts, nextPartStart, streamingText } from "./render.js";
import { TELEGRAM_MESSAGE_LIMIT, type TelegramPart } from "./split.js";
import { classifyTelegramError } from "./telegram-errors.js";

export interface InlineKeyboard {
  inline_keyboard: Array<Array<{ text: string; callback_data: string }>>;
}

interface SendOptions {
  parse_mode?: "HTML";
  reply_markup?: InlineKeyboard;
  reply_parameters?: { message_id: number; allow_sending_without_reply?: boolean };
  link_preview_options?: { is_disabled: boolean };
}

/** The Bot API calls the live message needs; grammY's `bot.api` has them all. */
export interface LiveApi {
  sendMessage(chatId: number, text: string, other?: SendOptions): Promise<{ message_id: number }>;
  editMessageText(chatId: number, messageId: number, text: string, other?: SendOptions): Promise<unknown>;
  deleteMessage(chatId: number, messageId: number): Promise<unknown>;
  sendChatAction(chatId: number, action: "typing"): Promise<unknown>;
  /** Bot API 9.5: an ephemeral, animated preview of a message being written (private chats only). */
  sendMessageDraft?(
    chatId: number,
    draftId: number,
    text: string,
    other?: { can_stop?: boolean },
  ): Promise<unknown>;
}

export interface LiveDeps {
  api: LiveApi;
  paces: PaceRegistry;
  /** The bot-wide budget of Telegram calls, shared by every chat; none: only the chat's own pace applies. */
  budget?: CallBudget;
  clock?: Clock;
  log?: Pick<Logger, "warn" | "error" | "debug">;
}

export interface LiveOptions {
  chatId: number;
  chatKind: ChatKind;
  /** Who answers, shown while waiting and thinking (e.g. the model's name). Default "The model". */
  label?: string;
  /** Edit the message as the answer grows (default), or show "typing…" and send the answer when complete. */
  streaming?: boolean;
  /** Keep the thinking trace, collapsed, above the final answer. Default true. */
  showThinking?: boolean;
  /** Reply to this message. */
  replyTo?: number;
  /**
   * A message of the bot's already in the chat (a "reading the file…" status) that becomes the answer's first
   * message: it is edited, not sent again, so one message goes from the status to the answer.
   */
  adoptMessageId?: number;
  /** A line above the answer in its first message (e.g. "Einstein (llama3.2) · Turn 1/10"); not part of `text`. */
  header?: string | (() => string | undefined);
  /** Callback data of the ⏹ Stop button shown while streaming; no button when undefined. */
  stopData?: string;
  /** Stops the answer: the text so far stays, marked as stopped. */
  signal?: AbortSignal;
  /** How long the final messages keep being retried through 429s and outages. Default 60 s. */
  finalDeadlineMs?: number;
  /**
   * The note shown under a partial answer when the source failed. The live message knows no error codes: the
   * caller names the failure. Default: a generic sentence.
   */
  describeError?: (err: unknown) => string;
  /**
   * The note under an answer that `signal` stopped, given the signal's reason (a user's Stop, a shutdown).
   * Default: "⏹ Stopped."
   */
  describeStop?: (reason: unknown) => string;
  /** The words of the status lines; default English. */
  texts?: LiveTexts;
  /**
   * Let Telegram preview links in the answer. Default false: a preview makes Telegram fetch the URL at once, so a
   * prompt-injected answer could make it call an attacker's server with no click.
   */
  linkPreviews?: boolean;
  /**
   * Stream through a draft instead of editing a message (private chats): the draft shows the part being written
   * (empty, Telegram's "Thinking…", until the answer starts), finished parts are sent as messages as they
   * complete, and the final messages are sent at the end. `canStop` shows Telegram's own stop control (its
   * `stopped_message_generation` update must end `signal`). A refused draft (not a 429) turns this answer to
   * edits, told through `onDraftRefused`.
   */
  draft?: { id: number; canStop: boolean };
  onDraftRefused?: (err: unknown) => void;
  /** Told each time the answer gets a new message (so a caller can find them after a crash). */
  onMessage?: (messageId: number) => void;
  /**
   * Told, after each update Telegram accepted while streaming, the answer as far as the chat now shows it: a
   * caller that saves it can, after a crash, keep exactly what the user had read.
   */
  onShown?: (content: string) => void;
  /**
   * Awaited before each send that starts a new message, with what it will show: a caller that saves it can find
   * the message after a crash that came before `onMessage` (its id never saved). A failure is logged, not fatal.
   */
  beforeSend?: (content: NewMessageContent) => Promise<void>;
  /** Told when Telegram refused a send announced by `beforeSend`: nothing was posted, nothing to look for. */
  onSendRefused?: () => void;
  /**
   * Buttons for the answer's last message once it is final (Continue, Regenerate), given how it ended: put on in
   * the final edit itself, so they cost no call of their own.
   */
  finalKeyboard?: (end: {
    outcome: LiveOutcome;
    done: Extract<StreamEvent, { type: "done" }> | undefined;
  }) => InlineKeyboard | undefined;
}

/** What a new message of the answer shows (its text, markup and preview setting), as sent. */
export interface NewMessageContent {
  text: string;
  parse_mode?: "HTML" | undefined;
  reply_markup?: InlineKeyboard | undefined;
  link_preview_options?: { is_disabled: boolean } | undefined;
}

export type LiveOutcome = "done" | "stopped" | "failed";

export interface LiveResult {
  /** Every message that now carries the answer, in order. */
  messageIds: number[];
  /** The answer as the model wrote it (what a caller stores in history), partial when stopped or failed. */
  text: string;
  thinking: string;
  outcome: LiveOutcome;
  /** The source's error, when the outcome is "failed". */
  error?: unknown;
  /** The `done` event (metrics), when the model finished. */
  done?: Extract<StreamEvent, { type: "done" }>;
  /** False when the final messages could not be delivered in time (Telegram unreachable); the text is still here. */
  delivered: boolean;
}

const STOPPED_NOTE = "⏹ Stopped.";
/** How long a send waits for `beforeSend` at most. */
const ANNOUNCE_WAIT_MS = 3_000;
const TYPING_EVERY_MS = 4_500;
const TICK_MS = 1_000;
/** A draft lives about 30 s on Telegram: one that has not changed is sent again before that. */
const DRAFT_REFRESH_MS = 20_000;
/** Consecutive refusals (other than 429) after which live updates pause until the final edit. */
const MAX_LIVE_FAILURES = 3;

/** True when a message showing `shown` would look the same after the final edit to `part`. */
function showsAlready(shown: { text: string; keyboard: boolean } | undefined, part: TelegramPart): boolean {
  if (!shown || shown.keyboard || part.html.includes("<")) return false;
  const check = validateTelegramHtml(part.html);
  return check.ok && check.text.trim() === shown.text.trim();
}

/** The note under a failed answer when the caller names none: no internals, which may not be for every reader. */
export function describeStreamError(_err: unknown): string {
  return "⚠️ The answer could not be completed.";
}

/**
 * Streams `source` into the chat and resolves when the final messages are in place (or given up on). Never
 * throws for a source or Telegram failure: the outcome says what happened, and the text is always returned.
 */
export function streamToChat(deps: LiveDeps, source: AsyncIterable<StreamEvent>, options: LiveOptions) {
  return new LiveMessage(deps, options).run(source);
}

interface Step {
  /** Edit this message, or send a new one when undefined. */
  messageId: number | undefined;
  /** Show `text` as the draft (no message is sent or edited). */
  draft?: boolean;
  text: string;
  keyboard: boolean;
  /** Set when this step closes the current message at this offset and the answer continues in a new one. */
  closesAt?: number;
  /** The answer as far as this step shows it (for `onShown`). */
  shows: string;
}

class LiveMessage {
  private readonly clock: Clock;
  private readonly pace: ChatPace;
  private readonly streaming: boolean;
  private readonly label: string;
  private readonly texts: LiveTexts;
  private readonly startedAt: number;
  private content = "";
  private thinking = "";
  /** Every message of this answer, in order; the last one is the live one while streaming. */
  private readonly ids: number[] = [];
  /** Offset in `content` where the live message begins. */
  private partStart = 0;
  /** What the live message shows now, and whether it carries the Stop button. */
  private shown: { text: string; keyboard: boolean } | undefined;
  /** What each message of this answer shows now (plain text, whether it has the Stop button). */
  private readonly display = new Map<number, { text: string; keyboard: boolean }>();
  private writing: Promise<void> | undefined;
  private cancelTimer: (() => void) | undefined;
  /** Waiting for a turn of the bot-wide budget (aborted when the answer ends first). */
  private turn: AbortController | undefined;
  private finishing = false;
  private liveFailures = 0;
  /** Streaming through a draft now (turned off for good when Telegram refuses one). */
  private drafting: boolean;
  /** What the draft shows, and when it was last sent. */
  private draftShown: { text: string; at: number } | undefined;
  /** A message of the bot's to become the answer's first (adoptMessageId), not used yet by a draft's answer. */
  private adopted: number | undefined;

  constructor(
    private readonly deps: LiveDeps,
    private readonly opts: LiveOptions,
  ) {
    this.clock = deps.clock ?? systemClock;
    this.pace = deps.paces.for(opts.chatId, opts.chatKind, this.clock.now());
    this.streaming = opts.streaming ?? true;
    this.label = opts.label ?? "The model";
    this.texts = opts.texts ?? ENGLISH_LIVE_TEXTS;
    this.startedAt = this.clock.now();
    this.drafting =
      opts.draft !== undefined &&
      opts.chatKind === "private" &&
      this.streaming &&
      typeof deps.api.sendMessageDraft === "function";
    if (opts.adoptMessageId !== undefined && this.drafting) {
      // The status stays as it is while the draft animates below; the first finished part replaces it.
      this.ids.push(opts.adoptMessageId);
      this.adopted = opts.adoptMessageId;
      this.display.set(opts.adoptMessageId, { text: "\u0000", keyboard: false });
    } else if (opts.adoptMessageId !== undefined) {
      this.ids.push(opts.adoptMessageId);
      // What it shows is unknown here: the first step edits it whatever it is.
      this.shown = { text: "\u0000", keyboard: false };
      this.display.set(opts.adoptMessageId, { text: "\u0000", keyboard: false });
    }
  }

  async run(source: AsyncIterable<StreamEvent>): Promise<LiveResult> {
    const stopTicker = this.startTicker();
    if (this.streaming) this.kick(); // the placeholder, before the first token
    let error: unknown;
    let done: Extract<StreamEvent, { type: "done" }> | undefined;
    try {
      done = await this.consume(source);
    } catch (err) {
      error = err;
    } finally {
      stopTicker();
    }
    this.finishing = true;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.turn?.abort();
    this.turn = undefined;
    await this.writing;

    const stopped = this.opts.signal?.aborted === true;
    const outcome: LiveOutcome = stopped ? "stopped" : error !== undefined ? "failed" : "done";
    const note =
      outcome === "stopped"
        ? (this.opts.describeStop?.(this.opts.signal?.reason) ?? STOPPED_NOTE)
        : outcome === "failed"
          ? (this.opts.describeError ?? describeStreamError)(error)
          : undefined;
    if (outcome === "failed")
      this.deps.log?.warn({ err: error, chatId: this.opts.chatId }, "answer stream failed");
    const parts = finalParts(this.content, this.thinking, {
      showThinking: this.opts.showThinking ?? true,
      note,
      header: this.headerText(),
      emptyText: this.texts.empty,
    });
    const keyboard = this.opts.finalKeyboard?.({ outcome, done });
    const delivered = await this.deliverFinal(parts, keyboard);
    const result: LiveResult = {
      messageIds: [...this.ids],
      text: this.content,
      thinking: this.thinking,
      outcome,
      delivered,
    };
    if (outcome === "failed") result.error = error;
    if (done) result.done = done;
    return result;
  }

  /** Reads the source until `done`, an error, or Stop; the source is never stalled by Telegram's pacing. */
  private async consume(source: AsyncIterable<StreamEvent>) {
    const signal = this.opts.signal;
    const iterator = source[Symbol.asyncIterator]();
    try {
      for (;;) {
        const next = await nextOrAbort(iterator, signal);
        if (next === "aborted") return undefined;
        if (next.done) return undefined;
        const event = next.value;
        if (event.type === "content") this.content += event.text;
        else if (event.type === "thinking") this.thinking += event.text;
        else return event;
        if (this.streaming) this.kick();
      }
    } finally {
      // Stops the source (and with it the HTTP stream) when we leave early; its own error is not ours to report.
      void Promise.resolve(iterator.return?.()).catch((err: unknown) =>
        this.deps.log?.debug({ err, chatId: this.opts.chatId }, "the answer's source failed while closing"),
      );
    }
  }

  /** Status lines tick every second while waiting or thinking; "typing…" is renewed when not streaming. */
  private startTicker(): () => void {
    let cancel: () => void = () => {};
    const every = this.streaming ? TICK_MS : TYPING_EVERY_MS;
    const tick = () => {
      if (this.streaming) this.kick();
      else {
        void this.deps.api
          .sendChatAction(this.opts.chatId, "typing")
          .catch((err: unknown) =>
            this.deps.log?.debug({ err, chatId: this.opts.chatId }, "typing… not shown"),
          );
      }
      cancel = this.clock.setTimeout(tick, every);
    };
    if (this.streaming) cancel = this.clock.setTimeout(tick, every);
    else tick();
    return () => cancel();
  }

  /** Makes one call when the pace allows; newer text simply replaces what was waiting (skip, never queue). */
  private kick(): void {
    if (this.finishing || this.writing || this.cancelTimer || this.turn) return;
    if (this.liveFailures >= MAX_LIVE_FAILURES) return;
    const wait = this.pace.delay(this.clock.now());
    if (wait > 0) {
      this.cancelTimer = this.clock.setTimeout(() => {
        this.cancelTimer = undefined;
        this.kick();
      }, wait);
      return;
    }
    const { budget } = this.deps;
    if (!budget) {
      this.go();
      return;
    }
    if (!this.nextStep()) return;
    // The bot-wide turn first; what to show is decided when it comes, so it carries the newest text.
    const turn = new AbortController();
    this.turn = turn;
    budget.acquire(this.opts.chatId, "live", turn.signal).then(
      () => {
        if (this.turn === turn) this.turn = undefined;
        if (!this.finishing) this.go();
      },
      () => {
        if (this.turn === turn) this.turn = undefined;
      },
    );
  }

  private go(): void {
    const step = this.nextStep();
    if (!step) return;
    this.writing = this.write(step).finally(() => {
      this.writing = undefined;
      this.kick();
    });
  }

  /** Telegram's answer to a call, told to the bot-wide budget. */
  private told(err?: unknown): void {
    const budget = this.deps.budget;
    if (!budget) return;
    if (err === undefined) budget.succeeded();
    else {
      const failure = classifyTelegramError(err);
      if (failure.kind === "flood") budget.tooMany(failure.retryAfter);
    }
  }

  private nextStep(): Step | undefined {
    if (this.drafting) return this.nextDraftStep();
    const messageId = this.shown === undefined ? undefined : this.ids[this.ids.length - 1];
    // Also for a continuation not sent yet: after a burst (a long 429 wait, a buffering proxy) the text waiting
    // for a new message can itself be past the limit, and is sent a full part at a time.
    const closesAt = nextPartStart(this.content, this.partStart, TELEGRAM_MESSAGE_LIMIT - this.headerRoom());
    if (closesAt !== undefined) {
      const text = `${this.header()}${this.content.slice(this.partStart, closesAt)}`;
      return { messageId, text, keyboard: false, closesAt, shows: this.content.slice(0, closesAt) };
    }
    const view = {
      content: this.content,
      thinking: this.thinking,
      elapsedMs: this.clock.now() - this.startedAt,
      label: this.label,
    };
    const text = `${this.header()}${streamingText(view, this.partStart, this.texts)}`;
    const keyboard = this.opts.stopData !== undefined;
    if (this.shown && this.shown.text === text && this.shown.keyboard === keyboard) return undefined;
    return { messageId, text, keyboard, shows: this.content };
  }

  /**
   * In a draft: the part being written (nothing, "Thinking…", before the answer starts), sent again before
   * Telegram drops an unchanged one; a part that no longer fits is sent as a message of its own.
   */
  private nextDraftStep(): Step | undefined {
    const closesAt = nextPartStart(this.content, this.partStart, TELEGRAM_MESSAGE_LIMIT - this.headerRoom());
    if (closesAt !== undefined) {
      const text = `${this.header()}${this.content.slice(this.partStart, closesAt)}`;
      return {
        messageId: this.adopted,
        text,
        keyboard: false,
        closesAt,
        shows: this.content.slice(0, closesAt),
      };
    }
    const text = draftText(this.content, this.partStart, this.header());
    const shown = this.draftShown;
    if (shown && shown.text === text && this.clock.now() - shown.at < DRAFT_REFRESH_MS) return undefined;
    return { messageId: undefined, draft: true, text, keyboard: false, shows: this.content };
  }

  /** One draft update; a refusal other than a 429 turns the answer to edits for good. */
  private async writeDraft(step: Step): Promise<void> {
    const { chatId, draft } = this.opts;
    this.pace.started(this.clock.now());
    try {
      await this.deps.api.sendMessageDraft!(
        chatId,
        draft!.id,
        step.text,
        draft!.canStop ? { can_stop: true } : {},
      );
      this.pace.succeeded();
      this.told();
      this.liveFailures = 0;
      this.draftShown = { text: step.text, at: this.clock.now() };
      if (step.shows !== "") this.opts.onShown?.(step.shows);
    } catch (err) {
      this.told(err);
      const failure = classifyTelegramError(err);
      if (failure.kind === "flood") {
        this.pace.tooMany(this.clock.now(), failure.retryAfter);
      } else if (failure.kind === "transient") {
        this.liveFailures++;
        this.deps.log?.warn({ err, chatId }, "draft update failed");
      } else {
        // Refused (a group, an old server, a chat Telegram will not show drafts in): edits from here on.
        this.drafting = false;
        this.draftShown = undefined;
        if (this.adopted !== undefined) {
          this.shown = { text: "\u0000", keyboard: false };
          this.adopted = undefined;
        }
        this.opts.onDraftRefused?.(err);
      }
    }
  }

  private async write(step: Step): Promise<void> {
    if (step.draft) return this.writeDraft(step);
    const { chatId } = this.opts;
    const other: SendOptions = {
      ...this.previews(),
      ...(step.keyboard ? { reply_markup: this.stopKeyboard() } : {}),
    };
    this.pace.started(this.clock.now());
    try {
      if (step.messageId === undefined) {
        if (this.opts.replyTo !== undefined && this.ids.length === 0) {
          other.reply_parameters = { message_id: this.opts.replyTo, allow_sending_without_reply: true };
        }
        const sent = await this.sendNew(step.text, other);
        this.ids.push(sent.message_id);
        this.opts.onMessage?.(sent.message_id);
        this.display.set(sent.message_id, { text: step.text, keyboard: step.keyboard });
      } else {
        await this.deps.api.editMessageText(chatId, step.messageId, step.text, other);
        this.display.set(step.messageId, { text: step.text, keyboard: step.keyboard });
      }
      this.pace.succeeded();
      this.told();
      this.liveFailures = 0;
      this.applied(step);
      if (step.shows !== "") this.opts.onShown?.(step.shows);
    } catch (err) {
      this.told(err);
      const failure = classifyTelegramError(err);
      if (failure.kind === "flood") {
        this.pace.tooMany(this.clock.now(), failure.retryAfter);
      } else if (failure.kind === "not-modified") {
        this.applied(step);
      } else if (failure.kind === "gone") {
        // The user deleted the live message: carry on in a new one.
        this.shown = undefined;
        this.ids.pop();
      } else {
        this.liveFailures++;
        this.deps.log?.warn({ err, chatId }, "live message update failed");
      }
    }
  }

  private applied(step: Step): void {
    if (step.closesAt !== undefined) {
      this.partStart = step.closesAt;
      this.adopted = undefined;
      this.draftShown = undefined; // the message sent for the part removed the draft
      this.shown = undefined; // the next step sends the continuation as a new message
    } else {
      this.shown = { text: step.text, keyboard: step.keyboard };
    }
  }

  /** The header goes on the first message only; later parts continue the text. */
  private header(): string {
    const header = this.headerText();
    return this.partStart === 0 && header ? `${header}\n\n` : "";
  }

  /** A header may be known only once the answer is under way (a voice note's transcript). */
  private headerText(): string | undefined {
    const h = this.opts.header;
    return typeof h === "function" ? h() : h;
  }

  private headerRoom(): number {
    return this.header().length;
  }

  /**
   * Sends a new message of the answer, told to the caller before (what it will show) and, when Telegram refused
   * it (nothing was posted), after. A network failure is not told: the message may have been posted.
   */
  private async sendNew(text: string, other: SendOptions): Promise<{ message_id: number }> {
    await this.announce({ text, ...contentOf(other) });
    try {
      return await this.deps.api.sendMessage(this.opts.chatId, text, other);
    } catch (err) {
      const code = (err as { error_code?: unknown })?.error_code;
      if (typeof code === "number" && code < 500) this.opts.onSendRefused?.();
      throw err;
    }
  }

  /** Tells the caller what a new message will show, before it is sent; a slow or failing caller is logged. */
  private async announce(content: NewMessageContent): Promise<void> {
    if (!this.opts.beforeSend) return;
    let cancel: (() => void) | undefined;
    try {
      // Bounded: a slow storage must not hold the answer (the message is then sent unnoted).
      const noted = await Promise.race([
        this.opts.beforeSend(content).then(() => true),
        new Promise<false>((resolve) => {
          cancel = this.clock.setTimeout(() => resolve(false), ANNOUNCE_WAIT_MS);
        }),
      ]);
      if (!noted)
        this.deps.log?.warn({ chatId: this.opts.chatId }, "noting a message about to be sent is slow");
    } catch (err) {
      this.deps.log?.warn({ err, chatId: this.opts.chatId }, "could not note a message about to be sent");
    } finally {
      cancel?.();
    }
  }

  /** Link previews of the model's text: off unless asked for (a previewed link is fetched with no click). */
  private previews(): SendOptions {
    return this.opts.linkPreviews === true ? {} : { link_preview_options: { is_disabled: true } };
  }

  private stopKeyboard(): InlineKeyboard {
    return { inline_keyboard: [[{ text: this.texts.stop, callback_data: this.opts.stopData ?? "stop" }]] };
  }

  /**
   * Puts the final parts in place: edits the messages already shown, sends the rest, deletes any left over.
   * Each call is paced and retried through 429s and transient failures until the deadline.
   */
  private async deliverFinal(parts: TelegramPart[], keyboard?: InlineKeyboard): Promise<boolean> {
    const deadline = this.clock.now() + (this.opts.finalDeadlineMs ?? 60_000);
    const { chatId } = this.opts;
    let delivered = true;
    const existing = this.ids.length;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      const id = i < existing ? this.ids[i] : undefined;
      const markup = i === parts.length - 1 && keyboard ? { reply_markup: keyboard } : {};
      // A message closed while streaming often shows its final form already; an identical edit would be refused.
      if (id !== undefined && !markup.reply_markup && showsAlready(this.display.get(id), part)) continue;
      const send = async (html: boolean) => {
        const other: SendOptions = {
          ...this.previews(),
          ...(html ? { parse_mode: "HTML" } : {}),
          ...markup,
        };
        if (i === 0 && this.opts.replyTo !== undefined) {
          other.reply_parameters = { message_id: this.opts.replyTo, allow_sending_without_reply: true };
        }
        const text = html ? part.html : part.text;
        return (await this.sendNew(text, other)).message_id;
      };
      const sentId = await this.finalCall(deadline, id, async (html) => {
        if (id === undefined) return send(html);
        try {
          await this.deps.api.editMessageText(chatId, id, html ? part.html : part.text, {
            ...this.previews(),
            ...(html ? { parse_mode: "HTML" } : {}),
            ...markup,
          });
          return id;
        } catch (err) {
          // The user deleted that message meanwhile: the answer still has to reach them.
          if (classifyTelegramError(err).kind === "gone") return send(html);
          throw err;
        }
      });
      if (sentId === undefined) {
        delivered = false;
        break;
      }
      if (id === undefined) this.ids.push(sentId);
      else this.ids[i] = sentId;
      if (sentId !== id) this.opts.onMessage?.(sentId);
    }
    // A streamed answer can end up in fewer messages than were shown (the final split differs): remove extras.
    while (delivered && this.ids.length > parts.length) {
      const extra = this.ids.pop()!;
      await this.finalCall(deadline, extra, () =>
        this.deps.api.deleteMessage(chatId, extra).then(() => extra),
      );
    }
    if (!delivered) {
      this.deps.log?.error({ chatId }, "final answer could not be delivered to Telegram before the deadline");
    }
    return delivered;
  }

  /**
   * One final call, as HTML first and as plain text if Telegram rejects the markup. Returns the message id
   * (`current` when Telegram says "not modified", which is success), or undefined when it cannot be delivered.
   */
  private async finalCall(
    deadline: number,
    current: number | undefined,
    call: (html: boolean) => Promise<number>,
  ): Promise<number | undefined> {
    let html = true;
    for (;;) {
      const result = await pacedCall(
        this.pace,
        this.clock,
        deadline,
        () => call(html),
        this.deps.budget
          ? { budget: this.deps.budget, chat: this.opts.chatId, priority: "final" }
          : undefined,
      );
      if (result.ok) return result.value ?? current;
      if (result.failure.kind === "bad-markup" && html) {
        html = false;
        this.deps.log?.warn(
          { err: result.error, chatId: this.opts.chatId },
          "Telegram rejected the formatting; sent as text",
        );
        continue;
      }
      if (result.failure.kind !== "deadline" && result.failure.kind !== "gone") {
        this.deps.log?.error(
          { err: result.error, chatId: this.opts.chatId },
          "final answer refused by Telegram",
        );
      }
      return undefined;
    }
  }
}

function contentOf(other: SendOptions): Omit<NewMessageContent, "text"> {
  return {
    ...(other.parse_mode ? { parse_mode: other.parse_mode } : {}),
    ...(other.reply_markup ? { reply_markup: other.reply_markup } : {}),
    ...(other.link_preview_options ? { link_preview_options: other.link_preview_options } : {}),
  };
}

/** The draft of the part from `from`: its text, or nothing ("Thinking…") before the answer starts. */
function draftText(content: string, from: number, header: string): string {
  const part = content.slice(from);
  return part.trim() === "" ? "" : `${header}${part}`;
}

/**
 * The source's next event, or "aborted" as soon as `signal` fires. Not `Promise.race` with one long-lived abort
 * promise: each race leaves a reaction on it until it settles, so a long answer would keep one per event (400 000
 * for 1,000 chats of 400 events, measured as GC time and RSS in `bench/live-v2.ts`). The listener here lives for
 * one event only.
 */
function nextOrAbort<T>(
  iterator: AsyncIterator<T>,
  signal: AbortSignal | undefined,
): Promise<IteratorResult<T> | "aborted"> {
  if (!signal) return iterator.next();
  if (signal.aborted) return Promise.resolve("aborted");
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve("aborted");
    signal.addEventListener("abort", onAbort, { once: true });
    iterator.next().then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(err);
      },
    );
  });
}
