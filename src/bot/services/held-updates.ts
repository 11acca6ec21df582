/**
 * Messages that arrive while the session storage is away (Redis restarting, a full disk). Telegram has already
 * delivered them and will not again, so dropping one loses it. Instead each is answered at once, as a reply, with
 * a note that says so, and kept in memory (bounded) to be handled again when the storage answers: the note is then
 * deleted and the message gets its answer as if it had just arrived. One that waits too long, or is still held at
 * a stop, has its note changed to say it was not answered and should be sent again: nothing is lost in silence.
 */
import type { Context, MiddlewareFn } from "grammy";
import type { Update } from "grammy/types";
import { addressed } from "../access.js";
import { DEFAULT_LOCALE } from "../i18n.js";
import { type Core, chatKey } from "./core.js";

/** Held at most, over all chats, and per chat: memory is bounded whatever the outage. */
const MAX_HELD = 500;
const MAX_HELD_PER_CHAT = 20;
/** A message held this long is given up on (its note says to send it again). */
export const MAX_HOLD_MS = 10 * 60_000;
/** The storage is tried again after this, doubling up to the maximum. */
const FIRST_PROBE_MS = 1_000;
const MAX_PROBE_MS = 15_000;

interface Held {
  update: Update;
  chatId: number;
  heldAt: number;
  locale: string;
  /** The note's message id once it is sent (undefined when it could not be). */
  note: Promise<number | undefined>;
}

export function isStorageOutage(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === "STORAGE_UNAVAILABLE";
}

export class HeldUpdates {
  private readonly held: Held[] = [];
  /** Updates being handled again: a second failure keeps them held, with no second note. */
  private readonly replaying = new Set<number>();
  private cancelProbe: (() => void) | undefined;
  private probeMs = FIRST_PROBE_MS;
  private stopped = false;

  constructor(
    private readonly core: Core,
    /** Handles an update again through the whole bot (`bot.handleUpdate`). */
    private readonly replay: (update: Update) => Promise<void>,
  ) {}

  get size(): number {
    return this.held.length;
  }

  /** Install before anything that reads the session (the i18n negotiation does). */
  middleware(): MiddlewareFn<Context> {
    return async (ctx, next) => {
      try {
        await next();
      } catch (err) {
        if (!isStorageOutage(err) || !ctx.chat) throw err;
        await this.onOutage(ctx, err);
      }
    };
  }

  private async onOutage(ctx: Context, err: unknown): Promise<void> {
    const chatId = ctx.chat!.id;
    const updateId = ctx.update.update_id;
    const locale = this.core.texts.match(ctx.from?.language_code) ?? DEFAULT_LOCALE;
    const t = this.core.texts.for(locale);
    if (this.replaying.has(updateId)) throw err; // still away: the replay keeps it held
    this.core.log.warn(
      { err, chatId, updateId, held: this.held.length },
      "the session storage is away; the update is held until it is back",
    );
    if (ctx.callbackQuery) {
      // A press is not kept: its message and buttons stay, to be pressed again.
      await ctx
        .answerCallbackQuery({ text: t("held-press") })
        .catch((e: unknown) =>
          this.core.log.warn({ err: e, chatId }, "could not answer a press during the outage"),
        );
      return;
    }
    if (!ctx.msg) return;
    // Group talk among members (privacy mode off) would have been ignored anyway: no note, nothing kept.
    if (!addressed(ctx)) return;
    const replyTo = {
      reply_parameters: { message_id: ctx.msg.message_id, allow_sending_without_reply: true },
    };
    const inChat = this.held.filter((h) => h.chatId === chatId).length;
    if (this.stopped || this.held.length >= MAX_HELD || inChat >= MAX_HELD_PER_CHAT) {
      await ctx
        .reply(t("held-full"), replyTo)
        .catch((e: unknown) =>
          this.core.log.warn({ err: e, chatId }, "could not tell a chat its message was not kept"),
        );
      return;
    }
    const note = ctx.reply(t("held-note"), replyTo).then(
      (m) => m.message_id,
      (e: unknown) => {
        this.core.log.warn({ err: e, chatId }, "could not tell a chat its message is held");
        return undefined;
      },
    );
    this.held.push({ update: ctx.update, chatId, heldAt: this.core.clock.now(), locale, note });
    this.scheduleProbe();
    await note;
  }

  private scheduleProbe(): void {
    if (this.cancelProbe || this.stopped || this.held.length === 0) return;
    this.cancelProbe = this.core.clock.setTimeout(() => {
      this.cancelProbe = undefined;
      void this.probe();
    }, this.probeMs);
    this.probeMs = Math.min(MAX_PROBE_MS, this.probeMs * 2);
  }

  /** Tries the storage with the oldest held chat; when it answers, every held update is handled again, in order. */
  private async probe(): Promise<void> {
    const first = this.held[0];
    if (!first || this.stopped) return;
    try {
      await this.core.store.get(chatKey(first.chatId));
    } catch (err) {
      if (!isStorageOutage(err)) this.core.log.error({ err }, "probing the session storage failed");
      this.giveUpOld();
      this.scheduleProbe();
      return;
    }
    this.probeMs = FIRST_PROBE_MS;
    this.core.log.info({ held: this.held.length }, "the session storage is back; handling the held updates");
    while (this.held.length > 0 && !this.stopped) {
      const entry = this.held[0]!;
      this.replaying.add(entry.update.update_id);
      try {
        await this.replay(entry.update);
      } catch (err) {
        if (isStorageOutage(err)) {
          // Away again: this one and the rest wait for the next probe.
          this.replaying.delete(entry.update.update_id);
          this.scheduleProbe();
          return;
        }
        this.core.log.error({ err, chatId: entry.chatId }, "a held update failed when handled again");
      }
      this.replaying.delete(entry.update.update_id);
      this.held.shift();
      const noteId = await entry.note;
      if (noteId !== undefined) {
        await this.core.api
          .deleteMessage(entry.chatId, noteId)
          .catch((e: unknown) => this.core.log.debug({ err: e }, "could not delete a held message's note"));
      }
    }
  }

  private giveUpOld(): void {
    const now = this.core.clock.now();
    while (this.held.length > 0 && now - this.held[0]!.heldAt >= MAX_HOLD_MS) {
      void this.release(this.held.shift()!, "held-gave-up");
    }
  }

  private async release(entry: Held, key: "held-gave-up" | "held-stopped"): Promise<void> {
    this.core.log.warn({ chatId: entry.chatId, reason: key }, "a held message was not answered");
    const noteId = await entry.note;
    if (noteId === undefined) return;
    await this.core.api
      .editMessageText(entry.chatId, noteId, this.core.texts.t(entry.locale, key))
      .catch((e: unknown) =>
        this.core.log.warn(
          { err: e, chatId: entry.chatId },
          "could not tell a chat its held message was dropped",
        ),
      );
  }

  /** At a stop: what is still held cannot outlive the process, so each note says to send the message again. */
  async stop(): Promise<number> {
    this.stopped = true;
    this.cancelProbe?.();
    this.cancelProbe = undefined;
    const left = this.held.splice(0);
    await Promise.all(left.map((entry) => this.release(entry, "held-stopped")));
    return left.length;
  }
}
