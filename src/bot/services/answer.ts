/** What every streamed answer shows around its text, in the reader's language: the same for turns and AI↔AI. */
import type { ChatKind, LiveOptions } from "../../live/index.js";
import type { T } from "../views/t.js";
import { AnswerTooLong, type Core, ShutdownReason } from "./core.js";
import { describeFailure, failureText } from "./failure.js";
import { liveTexts } from "./live-texts.js";

export function answerOptions(
  core: Core,
  t: T,
  model: string,
): Pick<LiveOptions, "texts" | "describeError" | "describeStop" | "showThinking" | "linkPreviews"> {
  return {
    texts: liveTexts(t),
    showThinking: core.config.showThinking,
    linkPreviews: core.config.linkPreviews,
    describeError: (err) => `⚠️ ${failureText(t, describeFailure(err, { model }), core.client)}`,
    describeStop: (reason) =>
      reason instanceof ShutdownReason
        ? t("note-restart")
        : reason instanceof AnswerTooLong
          ? t("note-too-long", { max: reason.maxChars })
          : t("note-stopped"),
  };
}

/**
 * A streamed answer's draft, where the chat streams with drafts (a private chat, LIVE_MODE): its id is the Stop's,
 * so Telegram's own stop control ends it; a refusal is remembered for the chat.
 */
export function liveDraft(
  core: Core,
  chatId: number,
  kind: ChatKind,
  stop: { draftId: number },
): Pick<LiveOptions, "draft" | "onDraftRefused"> {
  if (!core.drafts.usesDrafts(chatId, kind)) return {};
  return {
    draft: { id: stop.draftId, canStop: true },
    onDraftRefused: (err) => core.drafts.refused(chatId, err),
  };
}
