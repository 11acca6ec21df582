export { type BudgetOptions, CallBudget, type CallPriority } from "./budget.js";
export { type Clock, sleep, systemClock } from "./clock.js";
export { DraftPolicy, type LiveMode } from "./drafts.js";
export {
  escapeHtml,
  htmlIsBalanced,
  markdownToTelegramHtml,
  TELEGRAM_HTML_TAGS,
  type TelegramHtmlCheck,
  validateTelegramHtml,
} from "./format.js";
export {
  describeStreamError,
  type InlineKeyboard,
  type LiveApi,
  type LiveDeps,
  type LiveOptions,
  type LiveOutcome,
  type LiveResult,
  streamToChat,
} from "./live-message.js";
export { type PacedResult, pacedCall } from "./paced-call.js";
export {
  type ChatKind,
  ChatPace,
  chatKindOf,
  DEFAULT_PACE,
  type PaceOptions,
  PaceRegistry,
} from "./pacing.js";
export {
  ENGLISH_LIVE_TEXTS,
  type FinalOptions,
  finalParts,
  type LivePhase,
  type LiveTexts,
  nextPartStart,
  phaseOf,
  streamingText,
} from "./render.js";
export {
  MIN_FORMATTED_LIMIT,
  type SplitOptions,
  splitForTelegram,
  splitPlain,
  TELEGRAM_MESSAGE_LIMIT,
  type TelegramPart,
} from "./split.js";
export { classifyTelegramError, type TelegramFailure } from "./telegram-errors.js";
