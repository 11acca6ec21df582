export {
  escapeHtml,
  htmlIsBalanced,
  markdownToTelegramHtml,
  TELEGRAM_HTML_TAGS,
  type TelegramHtmlCheck,
  validateTelegramHtml,
} from "./format.js";
export {
  MIN_FORMATTED_LIMIT,
  type SplitOptions,
  splitForTelegram,
  splitPlain,
  TELEGRAM_MESSAGE_LIMIT,
  type TelegramPart,
} from "./split.js";
