import { randomBytes, randomInt } from "node:crypto";
import { Composer } from "grammy";
import type { Logger } from "pino";
import { ExpiringMap } from "../../util/expiring.js";
import type { BotContext } from "../context.js";

/** How long the key of an answer that ended here is remembered. */
const RELEASED_KEEP_MS = 10 * 60_000;

interface Active {
  chatId: number;
  controller: AbortController;
  draftId: number;
}

/**
 * The ⏹ Stop buttons of answers being streamed. Each answer gets a short callback key (never more than a few
 * bytes, far under Telegram's 64) bound to its chat; a press from another chat, a forged key, or a key from
 * before a restart stops nothing and says so.
 *
 * Install `stopButtons.composer` before any per-chat sequentialization: a Stop press must not wait in line
 * behind the very answer it is meant to stop.
 */
export class StopButtons {
  private readonly active = new Map<string, Active>();
  /** Keys of answers that ended here lately: a late press on one is not a crash's leftover. */
  private readonly released = new ExpiringMap<string, true>(RELEASED_KEEP_MS);
  /** The key of each answer streaming as a draft, by its draft id: Telegram's own stop names the draft. */
  private readonly byDraft = new Map<number, string>();

  readonly composer = new Composer<BotContext>();

  constructor(private readonly log: Pick<Logger, "debug">) {
    // Telegram's own stop control under a draft (can_stop): the answer of that draft stops, as with ⏹.
    this.composer.on("stopped_message_generation", async (ctx) => {
      const stopped = ctx.update.stopped_message_generation;
      const key = this.byDraft.get(stopped.draft_id);
      const entry = key === undefined ? undefined : this.active.get(key);
      if (!entry || entry.chatId !== stopped.chat.id) {
        this.log.debug(
          { chatId: stopped.chat.id, draftId: stopped.draft_id },
          "a stop for a draft that ended",
        );
        return;
      }
      entry.controller.abort(new Error("stopped from Telegram's draft"));
    });
    this.composer.callbackQuery(/^stop:([0-9a-z]+)$/, async (ctx) => {
      const key = ctx.match[1] ?? "";
      const entry = this.active.get(key);
      if (!entry || entry.chatId !== ctx.chat?.id) {
        await ctx.answerCallbackQuery({ text: ctx.t("stop-finished") });
        // A Stop no answer of this process owns, still on its message: a message a crash left mid-stream (one
        // whose id the bot never got to save). Pressing it is the moment its id is known: the dead button goes,
        // and the text says it was cut instead of looking like it is still being written.
        const msg = ctx.callbackQuery.message;
        const stillShown = msg?.reply_markup?.inline_keyboard
          .flat()
          .some((b) => "callback_data" in b && b.callback_data === ctx.callbackQuery.data);
        // Only a key this process never had (a released one belongs to an answer that finished or failed here,
        // whose message is being finished now), and only while the message still shows that very button.
        if (
          !entry &&
          !this.released.get(key) &&
          stillShown &&
          msg &&
          "text" in msg &&
          typeof msg.text === "string"
        ) {
          const note = ctx.t("note-cut");
          const text = msg.text.endsWith(note) ? msg.text : `${msg.text}\n\n${note}`;
          await ctx
            .editMessageText(text.length <= 4096 ? text : msg.text, {
              reply_markup: { inline_keyboard: [] },
              ...(msg.entities ? { entities: msg.entities } : {}),
            })
            .catch((err: unknown) => this.log.debug({ err }, "could not mark a message with a dead Stop"));
        }
        return;
      }
      await ctx.answerCallbackQuery({ text: ctx.t("stop-stopping") });
      entry.controller.abort(new Error("stopped from Telegram"));
    });
  }

  /**
   * A Stop button for one answer in `chatId`: its callback data, the signal it fires (also fired by `parent`),
   * and `release()` to call when the answer is over.
   */
  create(
    chatId: number,
    parent?: AbortSignal,
  ): { data: string; draftId: number; signal: AbortSignal; release(): void; abort(reason: unknown): void } {
    // Random, not a counter: unguessable, and a button left by a crash never matches an answer of this process.
    const key = randomBytes(6)
      .toString("base64url")
      .toLowerCase()
      .replace(/[^0-9a-z]/g, "0");
    const controller = new AbortController();
    // The answer's draft, if it streams as one: non-zero, as Telegram requires, and unguessable like the key.
    const draftId = randomInt(1, 2 ** 31 - 1);
    this.active.set(key, { chatId, controller, draftId });
    this.byDraft.set(draftId, key);
    const signal = parent ? AbortSignal.any([controller.signal, parent]) : controller.signal;
    return {
      data: `stop:${key}`,
      draftId,
      signal,
      release: () => {
        this.active.delete(key);
        this.byDraft.delete(draftId);
        const now = Date.now();
        this.released.sweep(now);
        this.released.set(key, true, now);
      },
      abort: (reason) => controller.abort(reason),
    };
  }

  /** Stops every answer in `chatId` (the /stop command); returns how many were running. */
  stopChat(chatId: number): number {
    let n = 0;
    for (const entry of this.active.values()) {
      if (entry.chatId === chatId && !entry.controller.signal.aborted) {
        entry.controller.abort(new Error("stopped by /stop"));
        n++;
      }
    }
    return n;
  }
}
