/**
 * /summarize: the model compresses the older part of the conversation into a note that replaces it, so a long
 * chat keeps its gist within the context. It runs in the fair queue like a turn (it holds a generation slot),
 * keeps the newest exchanges as they are, and removes exactly the entries it summarised (a turn answered
 * meanwhile stays). Its status message is recorded, so a restart in the middle says so instead of "…" forever.
 */

import { InlineKeyboard } from "grammy";
import type { HostPlace } from "../../hosts/index.js";
import { effective, keepAliveValue, thinkValue } from "../model-settings.js";
import { answerRoom, DEFAULT_CHARS_PER_TOKEN, type HistoryEntry } from "../session.js";
import type { T } from "../views/t.js";
import { type Core, chatKey, logFailure, type TurnQueue } from "./core.js";
import { describeFailure, failureText } from "./failure.js";
import type { ModelCatalog } from "./models.js";
import { type ChatScope, chatSessions } from "./shown.js";

/** The newest entries kept as they are (two exchanges): the model still sees the last words verbatim. */
export const KEEP_VERBATIM = 4;
/** The summary's own bound, in characters: a note, not a second history. */
const MAX_SUMMARY_CHARS = 6_000;
/** What the summary message shows of the note. */
const SHOWN_SUMMARY_CHARS = 3_000;

const INSTRUCTION =
  "You compress conversations. Summarise the conversation below into a short note that lets the conversation " +
  "go on without it: the facts, decisions, names, numbers, code identifiers and open questions that matter. " +
  "Write in the language of the conversation. No preamble, no remarks about the task.";

/** What a summary replaces: all but the newest KEEP_VERBATIM entries. */
function olderPart(history: HistoryEntry[]): HistoryEntry[] {
  return history.slice(0, -KEEP_VERBATIM).filter((e) => e.content.trim() !== "");
}

/** The model answered a summary request with nothing. */
export class EmptySummaryError extends Error {
  readonly code = "SUMMARY_EMPTY";
  constructor() {
    super("the model answered with an empty summary");
  }
}

export type SummaryOutcome = "started" | "busy" | "nothing" | "no-model";

export class SummaryService {
  private readonly running = new Set<number>();

  constructor(
    private readonly core: Core,
    private readonly queue: TurnQueue,
    private readonly models: ModelCatalog,
  ) {}

  /** Starts a summary of the chat's older messages (in the queue); what happened is told in the chat. */
  async summarize(chatId: number, locale: string, replyTo?: number): Promise<SummaryOutcome> {
    const { core } = this;
    const t = core.texts.for(locale);
    if (this.running.has(chatId)) return "busy";
    const session = await core.store.get(chatKey(chatId));
    const model = session.model ?? this.models.defaultModel();
    if (!model) return "no-model";
    if (olderPart(session.history).length === 0) return "nothing";
    this.running.add(chatId);
    const status = await core.api
      .sendMessage(chatId, t("summary-working"), {
        ...(replyTo !== undefined
          ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } }
          : {}),
      })
      .catch(logFailure(core.log, "could not show that a summary is being made", { chatId }));
    if (status) {
      await core.store
        .update(chatKey(chatId), (s) => {
          s.summarizing = { messageId: status.message_id, at: Date.now() };
        })
        .catch(logFailure(core.log, "could not note a summary being made", { chatId }));
    }
    // In the chat's line: a turn answering now is saved first, and is part of what is summarised.
    this.queue.enqueue(
      chatId,
      (place) =>
        this.run(chatId, model, t, status?.message_id, place).finally(() => this.running.delete(chatId)),
      { model },
    );
    return "started";
  }

  private async run(
    chatId: number,
    model: string,
    t: T,
    statusId: number | undefined,
    place: HostPlace | undefined,
  ): Promise<void> {
    const { core } = this;
    const key = chatKey(chatId);
    const log = core.log.child({ chatId, model });
    const say = async (text: string, kb?: InlineKeyboard) => {
      if (statusId === undefined) {
        await core.api
          .sendMessage(chatId, text, kb ? { reply_markup: kb } : {})
          .catch(logFailure(log, "could not tell the end of a summary"));
      } else {
        await core.api
          .editMessageText(chatId, statusId, text, kb ? { reply_markup: kb } : {})
          .catch(logFailure(log, "could not tell the end of a summary"));
      }
    };
    try {
      const session = await core.store.get(key);
      const older = olderPart(session.history);
      if (older.length === 0) {
        await core.store.update(key, (s) => {
          s.summarizing = undefined;
        });
        await say(t("summary-nothing"));
        return;
      }
      const facts = await this.models.factsWithin(model, 5_000);
      const settings = effective(session.settings, core.config.settings, facts);
      // What fits the context: the newest part of the older messages, when all of them do not.
      const room = Math.floor((settings.numCtx - answerRoom(settings.numCtx)) * DEFAULT_CHARS_PER_TOKEN);
      const lines = older.map((e) => `${e.role === "user" ? "User" : "Assistant"}: ${e.content}`);
      let transcript = lines.join("\n\n");
      if (session.summary) transcript = `Earlier summary: ${session.summary}\n\n${transcript}`;
      if (transcript.length > room) transcript = transcript.slice(transcript.length - room);
      const think = thinkValue("off", facts);
      const reply = await (place?.client ?? core.client).chat(
        {
          model,
          messages: [
            { role: "system", content: INSTRUCTION },
            { role: "user", content: transcript },
          ],
          options: { num_ctx: settings.numCtx },
          ...(think !== undefined ? { think } : {}),
          keep_alive: keepAliveValue(settings.keepAlive),
        },
        core.shutdown,
      );
      const summary = reply.content.trim().slice(0, MAX_SUMMARY_CHARS);
      if (summary === "") throw new EmptySummaryError();
      // Exactly the entries summarised leave (by time and text): what came meanwhile stays.
      const gone = new Set(older.map((e) => `${e.at}:${e.role}:${e.content.length}`));
      let kept = true;
      await core.store.update(key, (s) => {
        s.summarizing = undefined;
        // A /reset meanwhile cleared what was summarised: the summary must not bring it back.
        const before = s.history.length;
        s.history = s.history.filter((e) => !gone.has(`${e.at}:${e.role}:${e.content.length}`));
        kept = s.history.length < before;
        if (!kept) return;
        s.summary = summary;
        s.contextTold = undefined;
      });
      if (!kept) {
        await say(t("summary-reset"));
        return;
      }
      const shown =
        summary.length > SHOWN_SUMMARY_CHARS ? `${summary.slice(0, SHOWN_SUMMARY_CHARS)}…` : summary;
      await say(`${t("summary-done", { count: older.length, kept: KEEP_VERBATIM })}\n\n${shown}`);
      log.info({ entries: older.length, chars: summary.length }, "history summarised");
    } catch (err) {
      log.warn({ err }, "a summary failed");
      await core.store
        .update(key, (s) => {
          s.summarizing = undefined;
        })
        .catch(logFailure(log, "could not clear a failed summary's note"));
      const interrupted = core.shutdown.aborted;
      await say(
        interrupted
          ? t("summary-interrupted")
          : `⚠️ ${failureText(t, describeFailure(err, { model }), core.client)}\n${t("summary-kept")}`,
        new InlineKeyboard().text(t("button-summarize-again"), "sz"),
      );
    }
  }

  /** At start-up: a summary a restart cut off says so, with a button to make it again. */
  async recover(scope?: ChatScope): Promise<number> {
    let n = 0;
    for await (const { chatId, session } of chatSessions(this.core, scope)) {
      const key = chatKey(chatId);
      if (!session.summarizing) continue;
      const { messageId } = session.summarizing;
      await this.core.store.update(key, (s) => {
        s.summarizing = undefined;
      });
      const t = this.core.texts.for(session.language ?? session.lastLocale ?? "en");
      await this.core.api
        .editMessageText(chatId, messageId, t("summary-interrupted"), {
          reply_markup: new InlineKeyboard().text(t("button-summarize-again"), "sz"),
        })
        .catch(logFailure(this.core.log, "could not mark a summary a restart cut off", { chatId }));
      n++;
    }
    return n;
  }
}
