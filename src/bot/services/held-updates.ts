/**
 * Messages that arrive while the session storage is away (Redis restarting, a full disk). Telegram has already
 * delivered them and will not again, so dropping one loses it. Instead each is answered at once, as a reply, with
 * a note that says so, and kept in memory (bounded) to be handled again when the storage takes a write: the note
 * is then deleted and the message gets its answer as if it had just arrived. Later messages of a chat with held
 * ones wait behind them, so answers keep their order. One that waits too long, or is still held at a stop, has
 * its note changed to say it was not answered and should be sent again: nothing is lost in silence. What is held
 * is also written to a file under DATA_DIR (the storage being away is often Redis, not the disk), so a stop or a
 * kill during the outage keeps it for the next start.
 *
 * Only an update that had sent nothing when the storage failed is held (handling it again must not say things
 * twice); one that had is logged and left as it is.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { Context, MiddlewareFn, Transformer } from "grammy";
import type { Update } from "grammy/types";
import { addressed } from "../access.js";
import { DEFAULT_LOCALE } from "../i18n.js";
import { type Core, chatKey, isStorageOutage } from "./core.js";

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
  /** On the injected clock, for the in-process limits; `heldSince` is the wall clock, for the file. */
  heldAt: number;
  heldSince: number;
  locale: string;
  /** The note's message id once it is sent (undefined when it could not be). */
  note: Promise<number | undefined>;
}

/** One held message as its file keeps it (a JSON line). */
interface SavedHeld {
  update: Update;
  chatId: number;
  heldSince: number;
  locale: string;
  noteId: number | undefined;
}

/** Per update being handled: whether it has sent anything to a chat yet. */
const handling = new AsyncLocalStorage<{ sent: boolean }>();

/**
 * Notes, for the update being handled, that it sent something. Install on every Api the bot sends with (the
 * update's own context and the services' calls run in its async context).
 */
export const noteSends: Transformer = (prev, method, payload, signal) => {
  if (/^(send|copy|forward)/.test(method) && method !== "sendChatAction") {
    const store = handling.getStore();
    if (store) store.sent = true;
  }
  return prev(method, payload, signal);
};

export class HeldUpdates {
  private readonly held: Held[] = [];
  /** The update being handled again now, if any: a failure keeps it held, with no second note. */
  private replayingNow: number | undefined;
  private cancelProbe: (() => void) | undefined;
  private probeMs = FIRST_PROBE_MS;
  private passing = false;
  private stopped = false;

  private saving: Promise<void> = Promise.resolve();

  constructor(
    private readonly core: Core,
    /** Handles an update again through the whole bot (`bot.handleUpdate`). */
    private readonly replay: (update: Update) => Promise<void>,
    /** Where what is held is kept across a restart; undefined: memory only. */
    private readonly file?: string,
  ) {}

  /**
   * At start-up: what the last process held (a stop or a kill during an outage) is held again, to be handled as
   * soon as the storage takes a write; what waited longer than MAX_HOLD_MS is given up, its note saying so.
   */
  async load(): Promise<number> {
    if (!this.file) return 0;
    let text: string;
    try {
      text = await readFile(this.file, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") {
        this.core.log.error({ err, file: this.file }, "could not read the messages held by the last run");
      }
      return 0;
    }
    const now = Date.now();
    let n = 0;
    for (const line of text.split("\n")) {
      if (line.trim() === "") continue;
      let saved: SavedHeld;
      try {
        saved = JSON.parse(line) as SavedHeld;
      } catch (err) {
        this.core.log.error({ err, file: this.file }, "a held message in the file does not parse; skipped");
        continue;
      }
      const entry: Held = {
        update: saved.update,
        chatId: saved.chatId,
        heldSince: saved.heldSince,
        heldAt: this.core.clock.now() - (now - saved.heldSince),
        locale: saved.locale,
        note: Promise.resolve(saved.noteId),
      };
      if (now - saved.heldSince >= MAX_HOLD_MS) void this.release(entry, "held-gave-up");
      else if (this.held.length < MAX_HELD) {
        this.held.push(entry);
        n++;
      }
    }
    await this.save();
    if (n > 0) this.core.log.info({ held: n }, "messages held by the last run wait for the storage");
    this.scheduleProbe();
    return n;
  }

  /** Writes what is held now (whole, temp file and rename), one write at a time. */
  private save(): Promise<void> {
    const file = this.file;
    if (!file) return Promise.resolve();
    this.saving = this.saving.then(async () => {
      const lines = await Promise.all(
        this.held.map(async (h) =>
          JSON.stringify({
            update: h.update,
            chatId: h.chatId,
            heldSince: h.heldSince,
            locale: h.locale,
            noteId: await h.note,
          } satisfies SavedHeld),
        ),
      );
      try {
        if (lines.length === 0) {
          await rm(file, { force: true });
          return;
        }
        await mkdir(dirname(file), { recursive: true });
        await writeFile(`${file}.tmp`, `${lines.join("\n")}\n`);
        await rename(`${file}.tmp`, file);
      } catch (err) {
        this.core.log.error(
          { err, file },
          "could not write the held messages to their file (kept in memory)",
        );
      }
    });
    return this.saving;
  }

  get size(): number {
    return this.held.length;
  }

  /** Install before anything that reads the session (the i18n negotiation does). */
  middleware(): MiddlewareFn<Context> {
    return async (ctx, next) => {
      const replaying = this.replayingNow === ctx.update.update_id;
      // Behind the chat's held messages: this one would be answered first otherwise.
      if (!replaying && ctx.chat && ctx.message && this.held.some((h) => h.chatId === ctx.chat?.id)) {
        if (addressed(ctx)) await this.hold(ctx);
        return;
      }
      const state = { sent: false };
      try {
        await handling.run(state, () => next());
      } catch (err) {
        if (!isStorageOutage(err) || !ctx.chat || replaying) throw err;
        this.core.log.warn(
          { err, chatId: ctx.chat.id, updateId: ctx.update.update_id, sent: state.sent },
          state.sent
            ? "the session storage is away; the update had already answered, so it is not handled again"
            : "the session storage is away; the update is held until it is back",
        );
        if (!state.sent) await this.onOutage(ctx);
      }
    };
  }

  private async onOutage(ctx: Context): Promise<void> {
    if (ctx.callbackQuery) {
      // A press is not kept: its message and buttons stay, to be pressed again.
      await ctx
        .answerCallbackQuery({ text: this.core.texts.t(this.localeOf(ctx), "held-press") })
        .catch((e: unknown) =>
          this.core.log.warn({ err: e, chatId: ctx.chat?.id }, "could not answer a press during the outage"),
        );
      return;
    }
    // Group talk among members (privacy mode off) would have been ignored anyway: no note, nothing kept.
    if (!ctx.message || !addressed(ctx)) return;
    await this.hold(ctx);
  }

  /** The sender's Telegram language: the chat's session, which has the chat's own, cannot be read now. */
  private localeOf(ctx: Context): string {
    return this.core.texts.match(ctx.from?.language_code) ?? DEFAULT_LOCALE;
  }

  private async hold(ctx: Context): Promise<void> {
    const chatId = ctx.chat!.id;
    const locale = this.localeOf(ctx);
    const t = this.core.texts.for(locale);
    const replyTo = {
      reply_parameters: { message_id: ctx.msg!.message_id, allow_sending_without_reply: true },
    };
    const inChat = this.held.filter((h) => h.chatId === chatId).length;
    if (this.stopped || this.held.length >= MAX_HELD || inChat >= MAX_HELD_PER_CHAT) {
      this.core.log.warn({ chatId, held: this.held.length }, "a message could not be held (too many)");
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
    this.held.push({
      update: ctx.update,
      chatId,
      heldAt: this.core.clock.now(),
      heldSince: Date.now(),
      locale,
      note,
    });
    this.scheduleProbe();
    await note;
    await this.save();
  }

  private scheduleProbe(): void {
    if (this.cancelProbe || this.passing || this.stopped || this.held.length === 0) return;
    this.cancelProbe = this.core.clock.setTimeout(() => {
      this.cancelProbe = undefined;
      void this.pass().catch((err: unknown) => this.core.log.error({ err }, "handling held updates failed"));
    }, this.probeMs);
    this.probeMs = Math.min(MAX_PROBE_MS, this.probeMs * 2);
  }

  /**
   * One pass, never two at once: messages held too long are given up; the storage is tried with a write (a
   * storage that reads but cannot write would fail every handling again); when it takes it, every held update is
   * handled again, oldest first, until one finds the storage away again.
   */
  private async pass(): Promise<void> {
    if (this.passing || this.stopped) return;
    this.passing = true;
    try {
      this.giveUpOld();
      const first = this.held[0];
      if (!first) return;
      try {
        await this.core.store.update(chatKey(first.chatId), () => {});
      } catch (err) {
        if (!isStorageOutage(err)) this.core.log.error({ err }, "probing the session storage failed");
        return;
      }
      this.core.log.info(
        { held: this.held.length },
        "the session storage is back; handling the held updates",
      );
      while (this.held.length > 0 && !this.stopped) {
        const entry = this.held[0]!;
        this.replayingNow = entry.update.update_id;
        try {
          await this.replay(entry.update);
        } catch (err) {
          if (isStorageOutage(err)) return; // away again: this one and the rest wait for the next pass
          this.core.log.error({ err, chatId: entry.chatId }, "a held update failed when handled again");
        } finally {
          this.replayingNow = undefined;
        }
        this.held.shift();
        await this.save();
        this.probeMs = FIRST_PROBE_MS;
        const noteId = await entry.note;
        if (noteId !== undefined) {
          await this.core.api
            .deleteMessage(entry.chatId, noteId)
            .catch((e: unknown) => this.core.log.debug({ err: e }, "could not delete a held message's note"));
        }
      }
    } finally {
      this.passing = false;
      this.scheduleProbe();
    }
  }

  private giveUpOld(): void {
    const now = this.core.clock.now();
    let gone = 0;
    while (this.held.length > 0 && now - this.held[0]!.heldAt >= MAX_HOLD_MS) {
      void this.release(this.held.shift()!, "held-gave-up");
      gone++;
    }
    if (gone > 0) void this.save();
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

  /**
   * At a stop: what is still held stays in its file for the next start, where its notes stay true. Without a
   * file (or when it cannot be written) it cannot outlive the process, so each note says to send the message
   * again. The one being handled right now, if any, finishes as usual.
   */
  async stop(): Promise<{ kept: number; dropped: number }> {
    this.stopped = true;
    this.cancelProbe?.();
    this.cancelProbe = undefined;
    await this.save();
    if (this.file && (await this.fileHolds(this.held.length))) return { kept: this.held.length, dropped: 0 };
    const left = this.held.splice(this.replayingNow === undefined ? 0 : 1);
    await Promise.all(left.map((entry) => this.release(entry, "held-stopped")));
    return { kept: 0, dropped: left.length };
  }

  /** Whether the file holds `count` messages (it was written). */
  private async fileHolds(count: number): Promise<boolean> {
    if (!this.file) return false;
    try {
      const text = await readFile(this.file, "utf8");
      return text.split("\n").filter((l) => l.trim() !== "").length === count;
    } catch {
      return count === 0;
    }
  }
}
