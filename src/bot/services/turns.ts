/**
 * Turns: a message becomes a turn in the fair queue; a turn sends the bounded history to the model, streams the
 * answer through the live message, and writes the prompt and the answer (whole or partial) to the chat's history
 * whatever happens. A failure leaves an offer in the session (Retry, Continue, Pull, Pick another model) that
 * its button can still act on after a restart; each failed message has its own.
 */

import { InlineKeyboard } from "grammy";
import type { HostPlace } from "../../hosts/index.js";
import { chatKindOf, type LiveResult, type PaceRegistry, sleep, streamToChat } from "../../live/index.js";
import { LANGUAGE_NAMES } from "../i18n.js";
import { effective, requestSettings } from "../model-settings.js";
import {
  answerRoom,
  buildMessages,
  type ChatSession,
  calibrate,
  DEFAULT_CHARS_PER_TOKEN,
  type HistoryEntry,
  IMAGE_TOKENS,
  knownIds,
  MAX_OFFERS,
  MAX_WAITING_FOR_PICK,
  type MediaRef,
  type Offer,
  type PendingSend,
  type QueuedTurn,
  trimHistory,
} from "../session.js";
import { renderPicker } from "../views/picker.js";
import type { T } from "../views/t.js";
import { answerOptions, liveDraft } from "./answer.js";
import {
  type Core,
  chatKey,
  checkpointed,
  guardedAnswer,
  isStorageOutage,
  latestOnly,
  logFailure,
  pendingSendOf,
  persist,
  shortToken,
  type TurnQueue,
} from "./core.js";
import { backendName, describeFailure, type Failure, failureText } from "./failure.js";
import type { MediaService } from "./media.js";
import type { ModelCatalog } from "./models.js";
import type { PickerService } from "./pickers.js";
import type { PullService } from "./pulls.js";
import { type ChatScope, chatKeys } from "./shown.js";
import type { SpeechService } from "./speech.js";
import type { StopButtons } from "./stops.js";

export interface TurnRequest {
  chatId: number;
  chatType: string;
  userId: number | undefined;
  /** The user's message this turn answers. */
  messageId: number;
  prompt: string;
  /** The language of whoever asked: the texts of this turn, and the language the model is asked to answer in. */
  locale: string;
  /** A Continue: the prompt asks the model to go on with its cut answer, which stays in the history. */
  continuation?: boolean;
  /** A Regenerate: a new answer to the same prompt; the old one leaves the history. */
  regenerate?: boolean;
  /** A photo, voice note or document the turn is about (`prompt` is then its caption, or the default question). */
  media?: MediaRef;
  /** A retry: the history entry (by its time) this turn replaces. */
  replaces?: number;
  /** Its entry in the session's line (set by `submit`). */
  queueId?: string;
}

/** Turns that may wait in line per chat, and per user across all chats. */
export const MAX_WAITING_PER_CHAT = 5;
export const MAX_WAITING_PER_USER = 3;

/** What the buttons of a turn's offer carry: `<kind>:<offer id>`. */
export const OFFER_BUTTON = /^(rt|ct|pl|pm):([0-9a-z]{6})$/;

interface Waiting {
  token: string;
  req: TurnRequest;
  cancel(): boolean;
  notice: Promise<number | undefined> | undefined;
  /** The chat's model when the turn was queued: with several hosts, where it can run. */
  model?: string | undefined;
  /**
   * Ends the notice's position updates (none is sent after this, the one in flight has landed) and gives its
   * message id: the turn starts, is cancelled or parked, and its notice is deleted or edited a last time.
   */
  settleNotice?: () => Promise<number | undefined>;
}

/**
 * Between two position updates of one queue notice. Every start in the line moves every waiting turn, and a
 * notice per waiting turn edited at each move would spend the chats' Telegram budget (3 edits a second in a
 * private chat) on "you are number 7", and meet 429s that slow the whole bot: updates are coalesced (the latest
 * position only) and paced.
 */
const NOTICE_EDIT_INTERVAL_MS = 3_000;

export class TurnService {
  /** Turns waiting in line, per chat, so /stop and the Cancel button can take them out. */
  private readonly waiting = new Map<number, Waiting[]>();
  /** The edits of the notices of turns a stop took out of the line. */
  private parkedNotices: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly core: Core,
    private readonly queue: TurnQueue,
    private readonly stops: StopButtons,
    private readonly paces: PaceRegistry,
    private readonly pulls: PullService,
    private readonly pickers: PickerService,
    private readonly models: ModelCatalog,
    private readonly media: MediaService,
    private readonly speech: SpeechService,
  ) {}

  private t(locale: string): T {
    return this.core.texts.for(locale);
  }

  /** Puts a turn in the queue and keeps the user informed of its place in line (with a button to cancel it). */
  /**
   * Puts a turn in the line and keeps the user informed of its place (with a button to cancel it). The turn is
   * written to the session first, so a kill at any moment leaves it to be resumed at start-up. Never throws.
   */
  async submit(req: TurnRequest): Promise<void> {
    const { chatId } = req;
    const t = this.t(req.locale);
    const refusal = this.overLimit(req);
    if (refusal) {
      const count = refusal === "queue-full-chat" ? MAX_WAITING_PER_CHAT : MAX_WAITING_PER_USER;
      await this.core.api
        .sendMessage(chatId, t(refusal, { count }), {
          reply_parameters: { message_id: req.messageId, allow_sending_without_reply: true },
        })
        .catch(logFailure(this.core.log, "could not refuse a turn over the limit", { chatId }));
      this.core.log.info({ chatId, userId: req.userId, limit: refusal }, "turn refused: too many waiting");
      return;
    }
    const token = shortToken();
    // Its place is held now, before the store is awaited: two messages at once cannot both pass the limits.
    const entry: Waiting = { token, req: { ...req, queueId: token }, cancel: () => false, notice: undefined };
    const held = this.waiting.get(chatId) ?? [];
    held.push(entry);
    this.waiting.set(chatId, held);
    const item: QueuedTurn = {
      id: token,
      prompt: req.prompt,
      messageId: req.messageId,
      userId: req.userId,
      chatType: req.chatType,
      locale: req.locale,
      continuation: req.continuation,
      regenerate: req.regenerate,
      media: req.media,
      replaces: req.replaces,
      at: Date.now(),
    };
    const durable = await this.core.store
      .update(chatKey(chatId), (s) => {
        entry.model = s.model ?? this.models.defaultModel();
        s.queued = [...(s.queued ?? []), item];
        // A newer message makes the newest answer older: its Regenerate no longer applies.
        if (!req.regenerate) s.lastAnswer = undefined;
      })
      .then(
        () => true,
        (err: unknown) => {
          // The storage is away (Redis restarting): the turn still runs from memory; only a kill now would lose it.
          this.core.log.error(
            { err, chatId },
            "could not write a queued turn to the session; it runs from memory",
          );
          return false;
        },
      );
    if (this.core.draining.aborted) {
      // Stopping: this process starts nothing new; the start-up after this one answers it.
      this.forget(chatId, entry);
      await this.core.api
        .sendMessage(chatId, t(durable ? "queue-restarting" : "failure-internal"), {
          reply_parameters: { message_id: req.messageId, allow_sending_without_reply: true },
        })
        .catch(
          logFailure(this.core.log, "could not tell a chat its message waits for the restart", { chatId }),
        );
      return;
    }
    this.enqueue(entry, durable);
  }

  private enqueue(entry: Waiting, durable: boolean): void {
    const req = entry.req as TurnRequest & { queueId: string };
    const { chatId } = req;
    const t = this.t(req.locale);
    const token = req.queueId;
    const keyboard = new InlineKeyboard().text(t("queue-cancel"), `qx:${token}`);
    // The place to show (it may move again during the pause before an edit), and the text the notice shows: an
    // edit to the same text would be refused ("message is not modified").
    let latest = "";
    let shown = "";
    let settled = false;
    let lastEditAt = Number.NEGATIVE_INFINITY;
    const stopWaiting = new AbortController();
    const say = (text: string) => {
      if (text === latest) return;
      latest = text;
      if (!entry.notice) {
        shown = text;
        const content = { text, reply_markup: keyboard };
        const pending = durable ? pendingSendOf(this.core, chatId, content) : undefined;
        entry.notice = (pending ? this.notePendingNotice(chatId, token, pending) : Promise.resolve())
          .then(() =>
            this.core.api.sendMessage(chatId, text, {
              reply_parameters: { message_id: req.messageId, allow_sending_without_reply: true },
              reply_markup: keyboard,
            }),
          )
          .then(async (m) => {
            if (durable) await this.noteNotice(chatId, token, m.message_id);
            return m.message_id;
          })
          .catch(logFailure(this.core.log, "could not send a queue notice", { chatId }));
      } else {
        edits.push(undefined);
      }
    };
    // A trigger: the edit sends `latest` as it is after its pause, not the text that woke it.
    const edits = latestOnly(async () => {
      const id = await entry.notice;
      const wait = lastEditAt + NOTICE_EDIT_INTERVAL_MS - this.core.clock.now();
      if (wait > 0) await sleep(this.core.clock, wait, stopWaiting.signal).catch(() => undefined);
      const next = latest;
      if (id === undefined || settled || next === shown) return;
      lastEditAt = this.core.clock.now();
      shown = next;
      await this.core.api
        .editMessageText(chatId, id, next, { reply_markup: keyboard })
        .catch(logFailure(this.core.log, "could not update a queue notice", { chatId }));
    });
    entry.settleNotice = async () => {
      settled = true;
      stopWaiting.abort();
      await edits.idle();
      return entry.notice;
    };
    const queued = this.queue.enqueue(
      chatId,
      async (place) => {
        this.forget(chatId, entry);
        if (entry.notice) {
          const id = await entry.settleNotice?.();
          if (id !== undefined) {
            await this.core.api
              .deleteMessage(chatId, id)
              .catch(logFailure(this.core.log, "could not remove a queue notice", { chatId }));
          }
        }
        await this.run(req, place).catch(async (err: unknown) => {
          // Nothing in run() should throw; if something does (the store is down), the user still hears of it.
          this.core.log.error({ err, chatId }, "turn failed outside the answer");
          await this.core.api
            .sendMessage(chatId, t(isStorageOutage(err) ? "failure-storage" : "failure-internal"), {
              reply_parameters: { message_id: req.messageId, allow_sending_without_reply: true },
            })
            .catch(logFailure(this.core.log, "could not tell a chat its turn failed", { chatId }));
        });
      },
      {
        onPosition: (position, behindOwn) =>
          say(
            behindOwn
              ? t("queue-behind-own")
              : position === 1
                ? t("queue-next")
                : t("queue-position", { position }),
          ),
        user: req.userId,
        model: entry.model,
      },
    );
    entry.cancel = queued.cancel;
  }

  private async notePendingNotice(chatId: number, id: string, pending: PendingSend): Promise<void> {
    await this.core.store
      .update(chatKey(chatId), (s) => {
        const q = s.queued?.find((x) => x.id === id);
        if (q) q.pendingNotice = pending;
      })
      .catch(logFailure(this.core.log, "could not note a queue notice about to be sent", { chatId }));
  }

  private async noteNotice(chatId: number, id: string, noticeId: number): Promise<void> {
    await this.core.store
      .update(chatKey(chatId), (s) => {
        const q = s.queued?.find((x) => x.id === id);
        if (!q) return;
        q.noticeId = noticeId;
        q.pendingNotice = undefined;
      })
      .catch(logFailure(this.core.log, "could not note a queue notice", { chatId }));
  }

  /** Takes a turn out of the session's line (cancelled, or started). */
  private async dequeue(chatId: number, id: string): Promise<void> {
    await this.core.store
      .update(chatKey(chatId), (s) => {
        const left = s.queued?.filter((x) => x.id !== id) ?? [];
        s.queued = left.length > 0 ? left : undefined;
      })
      .catch(logFailure(this.core.log, "could not take a turn out of the stored line", { chatId }));
  }

  /**
   * Waiting turns are bounded per chat and per user (across chats): one member, or one user in many groups, cannot
   * fill the line for everyone.
   */
  private overLimit(req: TurnRequest): "queue-full-chat" | "queue-full-user" | undefined {
    if ((this.waiting.get(req.chatId)?.length ?? 0) >= MAX_WAITING_PER_CHAT) return "queue-full-chat";
    if (req.userId === undefined) return undefined;
    let mine = 0;
    for (const list of this.waiting.values()) for (const w of list) if (w.req.userId === req.userId) mine++;
    return mine >= MAX_WAITING_PER_USER ? "queue-full-user" : undefined;
  }

  private forget(chatId: number, entry: Waiting): void {
    const list = this.waiting.get(chatId)?.filter((w) => w !== entry) ?? [];
    if (list.length === 0) this.waiting.delete(chatId);
    else this.waiting.set(chatId, list);
  }

  /** Takes this chat's waiting turns out of the line (/stop); returns how many. Their notices say so. */
  async cancelWaiting(chatId: number, token?: string): Promise<number> {
    const list = [...(this.waiting.get(chatId) ?? [])].filter(
      (w) => token === undefined || w.token === token,
    );
    let n = 0;
    for (const w of list) {
      if (!w.cancel()) continue;
      n++;
      // No position update from here: the notice says "cancelled" next.
      const settled = w.settleNotice?.() ?? w.notice;
      this.forget(chatId, w);
      await this.dequeue(chatId, w.token);
      const id = await settled;
      if (id !== undefined) {
        await this.core.api
          .editMessageText(chatId, id, this.t(w.req.locale)("queue-cancelled"))
          .catch(logFailure(this.core.log, "could not mark a queue notice cancelled", { chatId }));
      }
    }
    return n;
  }

  /**
   * At shutdown: turns still waiting will not run in this process. They stay in the session's line (the
   * start-up after this one answers them, in order); their notices say so.
   */
  async parkWaiting(): Promise<number> {
    // All out of the line first, at once: a notice edit waiting out a 429 must not let the queue start the rest.
    const parked: Array<{ chatId: number; w: Waiting }> = [];
    for (const [chatId, list] of [...this.waiting]) {
      for (const w of [...list]) {
        if (!w.cancel()) continue;
        this.forget(chatId, w);
        parked.push({ chatId, w });
      }
    }
    // Then the notices, together, within the grace period (the stop waits for them with the running answers).
    this.parkedNotices = Promise.all(
      parked.map(async ({ chatId, w }) => {
        const id = await (w.settleNotice?.() ?? w.notice);
        if (id === undefined) return;
        await this.core.api
          .editMessageText(chatId, id, this.t(w.req.locale)("queue-restarting"))
          .catch(
            logFailure(this.core.log, "could not tell a chat its message waits for the restart", { chatId }),
          );
      }),
    );
    return parked.length;
  }

  /** Resolves when the notices of the turns `parkWaiting` took out say so. */
  noticesTold(): Promise<unknown> {
    return this.parkedNotices;
  }

  /** The offer a button refers to, taken out of the session (a second press finds nothing). */
  async takeOffer(chatId: number, id: string): Promise<Offer | undefined> {
    let found: Offer | undefined;
    await this.core.store.update(chatKey(chatId), (s) => {
      found = s.offers?.find((o) => o.id === id);
      if (found) s.offers = s.offers!.filter((o) => o !== found);
    });
    return found;
  }

  /** The newest answer, when `id` is its Regenerate key (taken: a second press finds nothing). */
  async takeLastAnswer(chatId: number, id: string): Promise<ChatSession["lastAnswer"]> {
    let found: ChatSession["lastAnswer"];
    await this.core.store.update(chatKey(chatId), (s) => {
      if (s.lastAnswer?.id !== id) return;
      found = s.lastAnswer;
      s.lastAnswer = undefined;
    });
    return found;
  }

  /** Regenerate: a new answer to the newest answer's prompt (and its photo, voice note or document). */
  async regenerate(
    answer: NonNullable<ChatSession["lastAnswer"]>,
    from: Omit<TurnRequest, "prompt" | "messageId">,
  ): Promise<void> {
    await this.submit({
      ...from,
      prompt: answer.prompt,
      messageId: answer.promptMessageId,
      regenerate: true,
      ...(answer.media ? { media: answer.media } : {}),
      ...(answer.promptAt !== undefined ? { replaces: answer.promptAt } : {}),
    });
  }

  async peekOffer(chatId: number, id: string): Promise<Offer | undefined> {
    return (await this.core.store.get(chatKey(chatId))).offers?.find((o) => o.id === id);
  }

  /** Retry: the offer's message, answered again as the pressing user's turn. */
  async retry(offer: Offer, from: Omit<TurnRequest, "prompt" | "messageId">): Promise<void> {
    await this.submit({
      ...from,
      prompt: offer.prompt,
      messageId: offer.messageId,
      ...(offer.media ? { media: offer.media } : {}),
      ...(offer.promptAt !== undefined ? { replaces: offer.promptAt } : {}),
    });
  }

  /** Continue: the model goes on with its cut answer. */
  async continueAnswer(offer: Offer, from: Omit<TurnRequest, "prompt" | "messageId">): Promise<void> {
    const prompt = this.t(from.locale)("continue-prompt");
    await this.submit({ ...from, prompt, messageId: offer.messageId, continuation: true });
  }

  /** "Pick another model": the offer's message waits for the next pick, which answers it. */
  async answerWithNextPick(chatId: number, offer: Offer): Promise<void> {
    await this.core.store.update(chatKey(chatId), (s) => {
      s.waiting = waitFor(s.waiting, {
        prompt: offer.prompt,
        messageId: offer.messageId,
        ...(offer.media ? { media: offer.media } : {}),
      });
    });
  }

  /** The messages that waited for a model, oldest first: taken (once) when a model is picked. */
  async takeWaiting(chatId: number): Promise<NonNullable<ChatSession["waiting"]>> {
    let waiting: NonNullable<ChatSession["waiting"]> = [];
    await this.core.store.update(chatKey(chatId), (s) => {
      waiting = s.waiting ?? [];
      s.waiting = undefined;
      // Their "Pick another model" offers are answered now.
      const answered = new Set(waiting.map((w) => w.messageId));
      s.offers = s.offers?.filter((o) => !answered.has(o.messageId));
    });
    return waiting;
  }

  /**
   * Pull for an offer (admins): progress in the chat, then the offer's message is answered. A failed pull keeps
   * the offer, and its message carries buttons to try again or pick another model.
   */
  pullFor(offer: Offer, from: Omit<TurnRequest, "prompt" | "messageId">): "started" | "busy" {
    const model = offer.model;
    if (!model || this.pulls.isPulling(model)) return "busy";
    const t = this.t(from.locale);
    const onFailure = new InlineKeyboard()
      .text(t("button-pull-again"), `pl:${offer.id}`)
      .text(t("button-pick"), `pm:${offer.id}`);
    void this.pulls
      .pull({ chatId: from.chatId, chatType: from.chatType, model, t, onFailure })
      .then(async (result) => {
        if (!result.ok) return;
        const taken = await this.takeOffer(from.chatId, offer.id);
        if (taken) await this.retry(taken, from);
      })
      .catch((err: unknown) => this.core.log.error({ err, chatId: from.chatId, model }, "pull job failed"));
    return "started";
  }

  private async run(req: TurnRequest, place: HostPlace | undefined): Promise<void> {
    const { chatId, prompt } = req;
    const key = chatKey(chatId);
    const t = this.t(req.locale);
    const { core } = this;
    const session = await persist(core, "reading the session to start a turn", () => core.store.get(key));
    const model = session.model ?? this.models.defaultModel();
    if (!model) {
      await core.store.update(key, (s) => {
        s.waiting = waitFor(s.waiting, { prompt, messageId: req.messageId, media: req.media });
        const left = s.queued?.filter((x) => x.id !== req.queueId) ?? [];
        s.queued = left.length > 0 ? left : undefined;
      });
      // The picker itself, so one tap answers the message; a button to open it when the models cannot be listed.
      const picker = await this.pickers.fresh(chatId).then(
        ({ session: s, models, loaded }) =>
          renderPicker(t, s, models, this.models.defaultModel(), loaded).keyboard,
        (err: unknown) => {
          core.log.warn({ err, chatId }, "could not list the models for a chat that has none picked");
          return new InlineKeyboard().text(t("button-open-picker"), "po:open");
        },
      );
      await core.api
        .sendMessage(chatId, t("turn-pick-first"), {
          reply_parameters: { message_id: req.messageId, allow_sending_without_reply: true },
          reply_markup: picker,
        })
        .catch(logFailure(core.log, "could not ask a chat to pick a model", { chatId }));
      return;
    }
    const started = Date.now();
    const before = await persist(core, "saving a turn as it starts", () =>
      core.store.update(key, (s) => {
        if (req.regenerate) {
          // The answer being replaced leaves the history with its question (asked again below): exactly that
          // exchange, found by its time, and only while it is still the newest.
          const last = s.history.length - 1;
          const q = s.history[last - 1];
          if (
            s.history[last]?.role === "assistant" &&
            q?.role === "user" &&
            (req.replaces === undefined || q.at === req.replaces)
          ) {
            s.history.splice(last - 1, 2);
          }
        }
        // Only the newest answer may be regenerated: a new turn makes the last one older.
        s.lastAnswer = undefined;
        // A message answered again (Retry, after a pull or a pick) moves to the end of the history: its failed
        // entry, and the cut answer that followed it, give way to this turn, so it is asked once, in order.
        const unanswered = (e: HistoryEntry | undefined) =>
          e !== undefined && e.status !== undefined && e.status !== "ok" && e.status !== "cancelled";
        const i =
          req.replaces !== undefined
            ? s.history.findLastIndex((e) => e.role === "user" && e.at === req.replaces)
            : s.history.findLastIndex(
                (e, at) =>
                  e.role === "user" &&
                  e.content === prompt &&
                  (unanswered(e) ||
                    (s.history[at + 1]?.role === "assistant" && unanswered(s.history[at + 1]))),
              );
        if (i >= 0) {
          const next = s.history[i + 1];
          s.history.splice(
            i,
            next?.role === "assistant" && next.status !== "ok" && !req.continuation ? 2 : 1,
          );
        }
        s.history.push({ role: "user", content: prompt, at: started });
        s.turn = { prompt, messageId: req.messageId, startedAt: started, model, media: req.media };
        s.lastLocale = req.locale;
        if (req.queueId !== undefined) {
          const left = s.queued?.filter((x) => x.id !== req.queueId) ?? [];
          s.queued = left.length > 0 ? left : undefined;
        }
      }),
    );
    // The model's facts (context length, thinking) decide the request; a slow `show` must not hold the turn.
    const facts = await this.models.factsWithin(model, FACTS_WAIT_MS);
    const settings = effective(before.settings, core.config.settings, facts);
    const charsPerToken =
      before.calibration?.model === model ? before.calibration.charsPerToken : DEFAULT_CHARS_PER_TOKEN;
    const budget = settings.numCtx - answerRoom(settings.numCtx);
    const sees = facts?.capabilities.has("vision") === true;
    const stop = this.stops.create(chatId, core.shutdown);
    const build = (text: string, imagesNow: number, language?: string) =>
      buildMessages(
        {
          system: before.system ?? this.languageHint(req.locale, language),
          summary: before.summary,
          history: before.history.slice(0, -1),
        },
        text,
        {
          maxMessages: core.config.historyMaxMessages,
          tokens: budget - imagesNow * IMAGE_TOKENS,
          charsPerToken,
        },
      );
    let built = build(prompt, 0);
    let header: string | undefined;
    const media = req.media;
    // Everything that may wait (a photo, voice note or document made into what the model gets; earlier photos
    // loaded again) happens inside the answer's source: the live message shows the wait with its ⏹, and a failure
    // (a download, the hub's speech-to-text) ends like any failed answer.
    let job: Promise<void> | undefined;
    const ready = () =>
      (job ??= (async () => {
        let imagesNow = 0;
        if (media) {
          const p = await this.media.prepare(media, prompt, {
            maxDocChars: Math.floor(budget * 0.8 * charsPerToken),
            canHear: facts?.capabilities.has("audio") === true,
            signal: stop.signal,
            t,
          });
          header = p.header;
          imagesNow = p.images?.length ?? 0;
          built = build(p.prompt, imagesNow, p.language);
          if (p.images) built.messages[built.messages.length - 1]!.images = p.images;
          await core.store
            .update(key, (s) => {
              const entry = s.history.findLast((e) => e.role === "user" && e.at === started);
              if (!entry) return;
              entry.content = p.stored;
              if (p.refs) entry.images = p.refs;
            })
            .catch(logFailure(core.log, "could not save what a media message said", { chatId }));
        }
        // Earlier photos go again (newest first, bounded) to a model that sees: a follow-up about one works.
        if (sees && built.images.size > 0) {
          const past = await this.media.historyImages(built.images, imagesNow, stop.signal);
          for (const [i, images] of past) built.messages[i] = { ...built.messages[i]!, images };
        }
      })());
    const request = () => ({ model, messages: built.messages, ...requestSettings(settings, facts) });
    const regenerateId = shortToken();
    const lengthOffer: Offer = {
      id: shortToken(),
      prompt,
      messageId: req.messageId,
      model,
      partial: true,
      at: Date.now(),
    };
    const log = core.log.child({ chatId, userId: req.userId, model, ...(place ? { host: place.host } : {}) });
    log.info("turn started");
    this.speech.refresh();
    let noting: Promise<unknown> = Promise.resolve();
    // The checkpoint a crash keeps: while streaming, what the chat shows after each update (so the start-up
    // marks exactly what was read); otherwise the text so far every few seconds.
    const checkpoints = latestOnly((text: string) =>
      core.store
        .update(key, (s) => {
          if (s.turn?.startedAt === started) s.turn.partial = text;
        })
        .then(() => undefined, logFailure(log, "could not checkpoint an answer")),
    );
    const checkpoint = (text: string) => checkpoints.push(text);
    const note = (what: string, change: (turn: NonNullable<ChatSession["turn"]>) => void) => {
      noting = noting.then(() =>
        core.store
          .update(key, (s) => {
            if (s.turn?.startedAt === started) change(s.turn);
          })
          .catch(logFailure(log, what)),
      );
      return noting.then(() => undefined);
    };
    // Several hosts: the placed host's client (which moves to another host if this one fails before the stream).
    const client = place?.client ?? core.client;
    const answer = guardedAnswer(
      core,
      async function* () {
        await ready();
        yield* client.chatStream(request(), stop.signal);
      },
      stop,
      log,
      "the turn",
    );
    let result: LiveResult;
    try {
      result = await streamToChat(
        { api: core.liveApi, paces: this.paces, log, clock: core.clock, budget: core.budget },
        before.stream ? answer : checkpointed(answer, core.clock, checkpoint),
        {
          chatId,
          chatKind: chatKindOf(req.chatType),
          label: model,
          streaming: before.stream,
          replyTo: req.messageId,
          stopData: stop.data,
          signal: stop.signal,
          ...(before.stream ? liveDraft(core, chatId, chatKindOf(req.chatType), stop) : {}),
          ...answerOptions(core, t, model),
          showThinking: settings.showThinking,
          header: () => header,
          ...(before.stream ? { onShown: checkpoint } : {}),
          finalKeyboard: ({ outcome, done }) => {
            if (outcome !== "done") return undefined;
            const row = [{ text: t("button-regenerate"), callback_data: `rg:${regenerateId}` }];
            // Read aloud, where the hub can speak.
            // The key is the question's time in the history: the answer is the entry after it, no state to keep.
            if (this.speech.available) {
              row.push({ text: t("button-speak"), callback_data: `vo:${started.toString(36)}` });
            }
            // Cut at the length limit (num_predict or the context): the model can go on from there.
            if (done?.doneReason === "length") {
              row.unshift({ text: t("button-continue-length"), callback_data: `ct:${lengthOffer.id}` });
            }
            return { inline_keyboard: [row] };
          },
          beforeSend: (content) => {
            const pending = pendingSendOf(core, chatId, content);
            if (!pending) return Promise.resolve();
            return note("could not note a live message about to be sent", (turn) => {
              turn.pendingSend = pending;
            });
          },
          onSendRefused: () => {
            void note("could not note a refused send", (turn) => {
              turn.pendingSend = undefined;
            });
          },
          onMessage: (id) => {
            void note("could not note a live message", (turn) => {
              turn.liveMessageIds = [...(turn.liveMessageIds ?? []), id];
              turn.pendingSend = undefined;
            });
          },
        },
      );
    } finally {
      stop.release();
    }
    await Promise.all([noting, checkpoints.idle()]);
    const interrupted = core.shutdown.aborted && result.outcome !== "done";
    const said = result.text.trim() !== "";
    let offer: Offer | undefined;
    let contextNote: { kind: "near" | "cut"; dropped: number } | undefined;
    // The answer is shown: it must reach the history too, so a storage outage is ridden out here; one that lasts
    // is said as a reply to the prompt (the answer stays on screen, but the next turn will not know it).
    const saved = await persist(core, "saving an answer", () =>
      core.store.update(key, (s) => {
        const status = interrupted ? "interrupted" : result.outcome === "done" ? "ok" : result.outcome;
        if (said) {
          s.history.push({ role: "assistant", content: result.text, at: Date.now(), status, model });
        } else if (status !== "ok") {
          const last = s.history.at(-1);
          if (last?.role === "user" && last.at === started) last.status = status;
        }
        // Kept: what the chat's context can take (a bigger context keeps more), and never less than configured.
        s.history = trimHistory(s.history, {
          maxMessages: core.config.historyMaxMessages,
          maxChars: Math.max(core.config.historyMaxChars, Math.ceil(settings.numCtx * charsPerToken)),
        });
        if (interrupted) {
          // Left for the start-up after this one, which offers Retry as after a crash.
          if (s.turn) {
            s.turn.liveMessageIds = result.messageIds;
            // The live message already shows the answer, marked: nothing for the start-up to rewrite.
            s.turn.partial = undefined;
          }
          return;
        }
        s.turn = undefined;
        const stats = result.done?.stats;
        // Images count in what the model reports but not in the characters: such a turn calibrates nothing.
        if (result.done && !built.messages.some((m) => m.images && m.images.length > 0)) {
          const sent = { chars: built.chars, messages: built.messages.length };
          const next = calibrate(charsPerToken, sent, stats?.promptTokens, settings.numCtx);
          s.calibration = { model, charsPerToken: next };
        }
        if (result.outcome === "done" && said) {
          const answerId = result.messageIds.at(-1);
          if (answerId !== undefined) {
            s.lastAnswer = {
              id: regenerateId,
              messageId: answerId,
              prompt,
              promptMessageId: req.messageId,
              promptAt: started,
              media: req.media,
            };
          }
          if (result.done?.doneReason === "length") addOffer(s, lengthOffer);

          // Told once each: when older messages are about to stop fitting, and when they do not fit.
          if (built.dropped > 0 && s.contextTold !== "cut") {
            s.contextTold = "cut";
            contextNote = { kind: "cut", dropped: built.dropped };
          } else if (built.tokens > budget * NEAR_FULL && s.contextTold === undefined) {
            s.contextTold = "near";
            contextNote = { kind: "near", dropped: 0 };
          }
        }
        if (result.outcome === "failed") {
          offer = {
            id: shortToken(),
            prompt,
            messageId: req.messageId,
            media: req.media,
            promptAt: started,
            model,
            partial: said,
            at: Date.now(),
          };
          addOffer(s, offer);
        }
      }),
    ).then(
      () => true,
      async (err: unknown) => {
        if (!isStorageOutage(err)) throw err;
        log.error({ err }, "an answer could not be saved: the session storage stayed away");
        await core.api
          .sendMessage(chatId, t("failure-not-saved"), {
            reply_parameters: { message_id: req.messageId, allow_sending_without_reply: true },
          })
          .catch(logFailure(log, "could not tell a chat its answer was not saved"));
        return false;
      },
    );
    if (!saved) return;
    log.info(
      {
        outcome: interrupted ? "interrupted" : result.outcome,
        ms: Date.now() - started,
        chars: result.text.length,
        tokensPerSecond: result.done?.stats.tokensPerSecond,
        delivered: result.delivered,
        ...(result.outcome === "failed" ? { code: this.failure(result.error, model).code } : {}),
        ...(core.log.isLevelEnabled("debug") ? { prompt, answer: result.text } : {}),
      },
      "turn finished",
    );
    if (offer) await this.offerFix(req, offer, this.failure(result.error, model), result.messageIds.at(-1));
    // A voice note answered with voice too, when the chat asked for it (/settings) and the hub can speak.
    if (req.media?.kind === "voice" && settings.voiceReplies && result.outcome === "done" && said) {
      if (this.speech.available) {
        void this.speech
          .say({
            chatId,
            locale: req.locale,
            text: result.text,
            replyTo: result.messageIds.at(-1),
            voice: settings.voice,
            speed: settings.voiceSpeed,
          })
          .catch(logFailure(log, "could not answer a voice note with voice"));
      }
    }
    if (contextNote) {
      const kb = new InlineKeyboard().text(t("button-summarize"), "sz");
      const text =
        contextNote.kind === "cut"
          ? t("context-cut", { count: contextNote.dropped, tokens: settings.numCtx })
          : t("context-near", { tokens: settings.numCtx });
      await core.api
        .sendMessage(chatId, text, {
          reply_markup: kb,
          reply_parameters: {
            message_id: result.messageIds.at(-1) ?? req.messageId,
            allow_sending_without_reply: true,
          },
        })
        .catch(logFailure(log, "could not tell a chat its context is full"));
    }
  }

  private failure(err: unknown, model: string): Failure {
    return describeFailure(err, { model });
  }

  /**
   * Without a system prompt, a user who does not write English is answered in their language: the one the hub
   * heard in their voice note, else their Telegram language.
   */
  private languageHint(locale: string, heard?: string): string | undefined {
    const name = heard ? languageName(heard) : LANGUAGE_NAMES[locale];
    const english = heard ? heard === "en" : locale === "en";
    return name && !english ? `Answer in ${name} unless the user asks for another language.` : undefined;
  }

  /**
   * After a failure: the buttons that fix it. With nothing said, the message carrying the failure note becomes one
   * sentence with its buttons; after a partial answer, the buttons go under it (Retry, Continue).
   */
  private async offerFix(
    req: TurnRequest,
    offer: Offer,
    failure: Failure,
    noteMessageId?: number,
  ): Promise<void> {
    const { core } = this;
    const t = this.t(req.locale);
    const kb = new InlineKeyboard();
    const model = offer.model ?? "?";
    let text: string | undefined;
    // Nothing a button can fix (a file too big, a voice note with no speech): the answer's note already says it.
    if (failure.fix === "none" && !offer.partial) return;
    if (offer.partial) {
      kb.text(t("button-retry"), `rt:${offer.id}`).text(t("button-continue"), `ct:${offer.id}`);
    } else if (failure.fix === "pull") {
      if (core.isAdmin(req.userId)) {
        text = t("offer-pull", { model, backend: backendName(t, failure.backend ?? core.client) });
        kb.text(t("button-pull", { model }).slice(0, 60), `pl:${offer.id}`).row();
      } else {
        text = t("offer-ask-admin", { model });
      }
      kb.text(t("button-pick"), `pm:${offer.id}`);
    } else {
      text = `⚠️ ${failureText(t, failure, core.client)}\n\n${t("offer-saved")}`;
      kb.text(t("button-retry"), `rt:${offer.id}`).text(t("button-pick"), `pm:${offer.id}`);
    }
    const log = core.log.child({ chatId: req.chatId });
    if (noteMessageId !== undefined) {
      const edited = await (text === undefined
        ? core.api.editMessageReplyMarkup(req.chatId, noteMessageId, { reply_markup: kb })
        : core.api.editMessageText(req.chatId, noteMessageId, text, { reply_markup: kb })
      ).then(
        () => true,
        (err: unknown) => {
          log.warn({ err }, "could not put the fix buttons on the failed answer; sending them anew");
          return false;
        },
      );
      if (edited) return;
    }
    await core.api
      .sendMessage(req.chatId, text ?? t("offer-partial"), {
        reply_markup: kb,
        reply_parameters: { message_id: req.messageId, allow_sending_without_reply: true },
      })
      .catch(logFailure(log, "could not offer a fix for a failed turn"));
  }

  /**
   * At start-up: turns a crash or a restart cut off. The prompt is marked interrupted (never lost), the cut
   * message loses its dead ⏹ Stop button, and the chat is offered Retry (and Continue when part was said).
   */
  async recover(scope?: ChatScope): Promise<number> {
    const { core } = this;
    let n = 0;
    const lines: Array<{ chatId: number; items: QueuedTurn[]; known: Set<number> }> = [];
    for await (const key of chatKeys(core, scope)) {
      const chatId = Number(key);
      const session = await core.store.get(key);
      // The ids the session names, read before the line is cleared: no lost notice is looked for among them.
      if (session.queued && session.queued.length > 0) {
        lines.push({ chatId, items: session.queued, known: knownIds(session) });
      }
    }
    n += await this.recoverRunning(scope);
    // Then the lines, in the order the messages came: each is queued again (and its old notice removed).
    const all = lines
      .flatMap(({ chatId, items, known }) => items.map((item) => ({ chatId, item, known })))
      .sort((a, b) => a.item.at - b.item.at);
    for (const { chatId } of lines) {
      await core.store.update(chatKey(chatId), (s) => {
        s.queued = undefined;
      });
    }
    for (const { chatId, item, known } of all) {
      if (item.noticeId === undefined && item.pendingNotice) {
        item.noticeId = await core.sends
          .findCopy(chatId, item.pendingNotice.content, item.pendingNotice.floor, known)
          .catch(
            logFailure(core.log, "could not look for a queue notice whose id was not saved", { chatId }),
          );
      }
      if (item.noticeId !== undefined) {
        await core.api
          .deleteMessage(chatId, item.noticeId)
          .catch((err: unknown) =>
            core.log.debug({ err, chatId }, "an old queue notice could not be removed"),
          );
      }
      await this.submit({
        chatId,
        chatType: item.chatType,
        userId: item.userId,
        messageId: item.messageId,
        prompt: item.prompt,
        locale: item.locale,
        ...(item.continuation ? { continuation: true } : {}),
        ...(item.regenerate ? { regenerate: true } : {}),
        ...(item.media ? { media: item.media } : {}),
        ...(item.replaces !== undefined ? { replaces: item.replaces } : {}),
      });
      n++;
    }
    return n;
  }

  /** Turns that were being answered when the process stopped or died. */
  private async recoverRunning(scope: ChatScope): Promise<number> {
    const { core } = this;
    let n = 0;
    for await (const key of chatKeys(core, scope)) {
      const chatId = Number(key);
      const session = await core.store.get(key);
      const turn = session.turn;
      if (!turn) continue;
      // A live message whose id the crash never let the bot save: found by its content, then treated as the others.
      if (turn.pendingSend) {
        const found = await core.sends
          .findCopy(chatId, turn.pendingSend.content, turn.pendingSend.floor, knownIds(session))
          .catch(logFailure(core.log, "could not look for a cut message whose id was not saved", { chatId }));
        if (found !== undefined) turn.liveMessageIds = [...(turn.liveMessageIds ?? []), found];
      }
      let offer: Offer | undefined;
      let finalized = false;
      const checkpoint = turn.partial?.trim() ? turn.partial : undefined;
      await core.store.update(key, (s) => {
        // By time: a media turn's entry holds its transcript or document, not its caption.
        const i = s.history.findLastIndex(
          (e) => e.role === "user" && (e.at === turn.startedAt || e.content === turn.prompt),
        );
        // A graceful stop saved the cut answer and finished its message with the mark: only the buttons are left.
        finalized = i >= 0 && s.history[i + 1]?.role === "assistant";
        if (i >= 0) s.history[i]!.status = "interrupted";
        else
          s.history.push({ role: "user", content: turn.prompt, at: turn.startedAt, status: "interrupted" });
        let answer = i >= 0 ? s.history[i + 1] : undefined;
        // A crash left only the checkpoint of what was said: it becomes the cut answer (Continue goes on from it).
        if (!answer && checkpoint !== undefined) {
          answer = {
            role: "assistant",
            content: checkpoint,
            at: Date.now(),
            status: "interrupted",
            model: turn.model,
          };
          s.history.push(answer);
        }
        const partial = answer?.role === "assistant" && answer.content.trim() !== "";
        if (answer && partial) answer.status = "interrupted";
        offer = {
          id: shortToken(),
          prompt: turn.prompt,
          messageId: turn.messageId,
          media: turn.media,
          promptAt: turn.startedAt,
          model: turn.model,
          partial,
          at: Date.now(),
        };
        addOffer(s, offer);
        s.turn = undefined;
      });
      n++;
      const t = this.t(session.language ?? session.lastLocale ?? "en");
      const kb = new InlineKeyboard().text(t("button-retry"), `rt:${offer!.id}`);
      if (offer!.partial) kb.text(t("button-continue"), `ct:${offer!.id}`);
      // One live message: that message itself gets the mark and the buttons (no dead ⏹), with the checkpoint of
      // what it said, or only the mark when the crash came before the first checkpoint.
      const last = turn.liveMessageIds?.at(-1);
      if (finalized && last !== undefined) {
        const placed = await core.api.editMessageReplyMarkup(chatId, last, { reply_markup: kb }).then(
          () => true,
          (err: unknown) => {
            core.log.debug({ err, chatId }, "could not put the buttons under the cut answer; saying it anew");
            return false;
          },
        );
        if (placed) continue;
      }
      const only = turn.liveMessageIds?.length === 1 ? turn.liveMessageIds[0] : undefined;
      const marked =
        checkpoint === undefined ? t("note-restart") : `${checkpoint.trimEnd()}\n\n${t("note-restart")}`;
      if (!finalized && only !== undefined && marked.length <= 4096) {
        const edited = await core.api
          .editMessageText(chatId, only, marked, {
            reply_markup: kb,
            link_preview_options: { is_disabled: true },
          })
          .then(
            () => true,
            (err: unknown) => {
              core.log.debug({ err, chatId }, "could not mark the cut message; saying it anew");
              return false;
            },
          );
        if (edited) continue;
      }
      for (const id of turn.liveMessageIds ?? []) {
        await core.api
          .editMessageReplyMarkup(chatId, id, { reply_markup: { inline_keyboard: [] } })
          .catch((err: unknown) => core.log.debug({ err, chatId }, "a cut live message kept its buttons"));
      }
      const replyTo = turn.liveMessageIds?.at(-1) ?? turn.messageId;
      // Streamed as a draft (nothing of it stays in the chat): what it had said comes back as a message.
      const drafted = (turn.liveMessageIds ?? []).length === 0 && checkpoint !== undefined;
      const restarted = t(offer!.partial ? "turn-restarted-partial" : "turn-restarted");
      await core.api
        .sendMessage(chatId, drafted && marked.length <= 4096 ? marked : restarted, {
          reply_parameters: { message_id: replyTo, allow_sending_without_reply: true },
          reply_markup: kb,
        })
        .catch(logFailure(core.log, "could not tell a chat about its interrupted turn", { chatId }));
    }
    return n;
  }
}

/** A language code (Whisper's `de`, `pt`) as its English name, for the model; undefined when unknown. */
function languageName(code: string): string | undefined {
  try {
    const name = new Intl.DisplayNames(["en"], { type: "language" }).of(code);
    return name && name !== code ? name : undefined;
  } catch {
    return undefined;
  }
}

/** How long a turn waits for a model's facts (`show`) before it goes on without them. */
const FACTS_WAIT_MS = 5_000;
/** The share of the context budget past which the chat is offered /summarize. */
const NEAR_FULL = 0.85;

/** Adds an offer, keeping the newest MAX_OFFERS. */
export function addOffer(s: ChatSession, offer: Offer): void {
  const offers = [...(s.offers ?? []), offer];
  s.offers = offers.length > MAX_OFFERS ? offers.slice(offers.length - MAX_OFFERS) : offers;
}

/** Adds a message to those waiting for a pick (once per message; the newest MAX_WAITING_FOR_PICK). */
function waitFor(
  list: ChatSession["waiting"],
  item: NonNullable<ChatSession["waiting"]>[number],
): NonNullable<ChatSession["waiting"]> {
  const rest = (list ?? []).filter((w) => w.messageId !== item.messageId);
  return [...rest, item].slice(-MAX_WAITING_FOR_PICK);
}
