/**
 * A fake Telegram Bot API: a real HTTP server on loopback that the real grammY client talks to, built as
 * `new Bot(fake.token, { botInfo: fake.botInfo, client: { apiRoot: fake.apiRoot } })`.
 *
 * A fake is only as good as the rules it enforces, so this one answers with Telegram's own status codes and
 * wordings for the limits a streaming LLM bot runs into: text length after entity parsing (UTF-16), surrounding
 * whitespace trimmed, identical edits, edits that silently drop the inline keyboard, callback data of 1–64
 * bytes, HTML balance and the tag whitelist, per-chat flood control with `retry_after`, expired callback
 * queries, drafts in private chats only, and a 409 when two pollers compete. A test plays the user with
 * `sendText` / `pressButton` and reads what the user would see with `visibleMessages`.
 *
 * Users send media too (`sendPhoto`, `sendAlbum`, `sendDocument`, `sendImageFile`, `sendVoice`, `sendAudio`),
 * in the Bot API's shapes, and the bot fetches them as on Telegram: `getFile`, then
 * `GET /file/bot<token>/<file_path>`, with the cloud's 20 MB ceiling (`declaredSize` makes a big file without its
 * bytes). `localMode` imitates a local Bot API server (`--local`): 2000 MB, an absolute `file_path` to a file the
 * fake wrote on disk, and no download route (the local server serves none: the bot reads the path).
 *
 * The bot sends voice notes and audio (`sendVoice`, `sendAudio`) as an upload or a file_id the fake knows. An
 * upload becomes a file like a user's (`file(fileId)` has its bytes, getFile and the download route serve it), up
 * to the Bot API's 50 MB (2000 MB in `localMode`), and must be audio the method shows: OGG/Opus (checked strictly
 * with src/audio's `oggOpusInfo`), MP3 or M4A for a voice note, and any Ogg stream too for audio. The `duration`
 * parameter is what the user sees; when the file's own length is known (Ogg Opus) and it is more than a second off,
 * the send goes through, as on Telegram, and lands in `voiceProblems` for the test to fail on.
 *
 * After `setWebhook`, updates are POSTed to the bot's URL with the `X-Telegram-Bot-Api-Secret-Token` header
 * instead of waiting for getUpdates (which then answers 409, as on Telegram): in order, up to `max_connections` at
 * once, one per chat at a time, again after a failure or a slow answer (`webhook.timeoutMs`); `redeliver` sends one
 * already answered once more, as Telegram does when it judged the answer too late.
 *
 * Where it deliberately differs from Telegram (so a bug surfaces here first):
 * - parse_mode HTML: a bare `&` that does not start `&lt;` `&gt;` `&amp;` `&quot;` or a numeric reference is an
 *   error (Telegram shows it literally, so `&nbsp;` from a model would reach the user as-is). Turn off with
 *   `html: { strictAmpersand: false }`.
 * - Flood budgets are a model (token buckets), not Telegram's undisclosed algorithm; refused calls cost nothing.
 * - sendMessageDraft's own budget and error wordings for a zero draft_id are guesses.
 * - "20 MB" and "2000 MB" are taken as MiB (20 971 520 and 2 097 152 000 bytes); a file of exactly 20 MiB is
 *   served. The wording for a missing file_id is a guess.
 * - A photo given as bytes keeps them as its largest size; the smaller sizes Telegram would render are
 *   placeholder bytes of a plausible length (pass `{ sizes }` when every size must be a real image).
 * - sendVoice and sendAudio refuse an upload that is not audio of a kind the method shows with "Bad Request:
 *   wrong file type" (Telegram's wording when an upload's content does not fit its kind, as for sticker files).
 *   Telegram itself takes such a file and delivers it without a playable voice bubble ("other formats may be
 *   sent as Audio or Document"), which is a bug the user sees; here the bot hears of it. An Ogg file that fails
 *   the strict Opus check is refused the same way, and `voiceProblems` keeps the reason.
 * - A file_id given to sendVoice or sendAudio must name a file of that very kind ("type of file mismatch", as
 *   Telegram answers for a voice note's id in sendAudio); the mime type of an upload follows its bytes
 *   (audio/ogg, audio/mpeg, audio/mp4), not its file name's extension. M4A is recognised by its `ftyp` brands
 *   alone, and MP3 by its first frame header.
 * - Not modelled: inline mode (`inline_message_id`), sending photos as the bot, videos, sending a file by URL
 *   (sendVoice and sendAudio say so; sendDocument takes any string), webhook certificates and IP addresses, forum topics, the 48-hour
 *   edit/delete window, the one-hour life of a download link, entity nesting restrictions, URL validation of
 *   text links.
 */
import { createHash } from "node:crypto";
import { EventEmitter } from "node:events";
import { mkdir, mkdtemp, rm, truncate, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, extname, join } from "node:path";
import type {
  Audio,
  BotCommand,
  CallbackQuery,
  Chat,
  Document,
  InaccessibleMessage,
  Message,
  MessageEntity,
  PhotoSize,
  File as TelegramFile,
  Update,
  User,
  UserFromGetMe,
  Voice,
} from "grammy/types";
import { isAudioError, oggOpusInfo, readOggStream } from "../../src/audio/index.js";

// Captured at import: a test that installs fake timers for the code under test must not freeze the fake's own
// long-poll timeouts and waitFor deadlines, which are I/O, not logic under test.
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;
const realSetImmediate = globalThis.setImmediate;

// ---------------------------------------------------------------------------------------------------------------
// Error wordings
// ---------------------------------------------------------------------------------------------------------------

/** Telegram's descriptions, exported so other tests compare against the same strings the fake sends. */
export const TELEGRAM_ERRORS = {
  unauthorized: "Unauthorized",
  notFound: "Not Found",
  methodNotFound: "Not Found: method not found",
  cantParseJson: "Bad Request: can't parse JSON object",
  chatIdEmpty: "Bad Request: chat_id is empty",
  chatNotFound: "Bad Request: chat not found",
  botBlocked: "Forbidden: bot was blocked by the user",
  textEmpty: "Bad Request: message text is empty",
  textTooLong: "Bad Request: message is too long",
  /** editMessageText answers an over-long text with the MTProto code, not the sendMessage wording. */
  editTextTooLong: "Bad Request: MESSAGE_TOO_LONG",
  captionTooLong: "Bad Request: message caption is too long",
  unsupportedParseMode: "Bad Request: unsupported parse_mode",
  notModified:
    "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
  messageIdEmpty: "Bad Request: message identifier is not specified",
  messageToEditNotFound: "Bad Request: message to edit not found",
  messageCantBeEdited: "Bad Request: message can't be edited",
  noTextToEdit: "Bad Request: there is no text in the message to edit",
  messageToDeleteNotFound: "Bad Request: message to delete not found",
  messageCantBeDeleted: "Bad Request: message can't be deleted",
  replyNotFound: "Bad Request: message to be replied not found",
  inlineMessagesUnsupported: "Bad Request: inline_message_id is not supported by the fake Telegram server",
  cantParseEntities: (detail: string) => `Bad Request: can't parse entities: ${detail}`,
  cantParseMarkup: "Bad Request: can't parse reply keyboard markup JSON object",
  inlineKeyboardExpected: "Bad Request: inline keyboard expected",
  buttonDataInvalid: "Bad Request: BUTTON_DATA_INVALID",
  buttonTextInvalid: "Bad Request: BUTTON_TEXT_INVALID",
  buttonUrlInvalid: "Bad Request: BUTTON_URL_INVALID",
  textButtonsUnallowed:
    "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
  replyMarkupTooLong: "Bad Request: reply markup is too long",
  tooManyRequests: (retryAfter: number) => `Too Many Requests: retry after ${retryAfter}`,
  queryTooOld: "Bad Request: query is too old and response timeout expired or query ID is invalid",
  callbackAnswerTooLong: "Bad Request: MESSAGE_TOO_LONG",
  draftPeerInvalid: "Bad Request: TEXTDRAFT_PEER_INVALID",
  draftIdInvalid: "Bad Request: draft_id must be non-zero",
  wrongChatAction: "Bad Request: wrong parameter action in request",
  botCommandInvalid: "Bad Request: BOT_COMMAND_INVALID",
  botCommandDescriptionInvalid: "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID",
  botCommandsTooMuch: "Bad Request: BOT_COMMANDS_TOO_MUCH",
  noDocument: "Bad Request: there is no document in the request",
  noVoice: "Bad Request: there is no voice in the request",
  noAudio: "Bad Request: there is no audio in the request",
  /** sendVoice/sendAudio with an upload that is not audio the method shows (see the header: the fake's rule). */
  wrongFileType: "Bad Request: wrong file type",
  /** sendVoice/sendAudio with a file_id that names no file. */
  wrongFileIdentifier: "Bad Request: wrong file identifier/HTTP URL specified",
  /** A file_id of another kind of file, e.g. a voice note's in sendAudio. */
  fileTypeMismatch: "Bad Request: type of file mismatch",
  /** HTTP 413, from Telegram's front end, for an upload over 50 MB: the Bot API never sees the request. */
  requestEntityTooLarge: "Request Entity Too Large",
  urlFilesUnsupported: "Bad Request: sending a file by URL is not supported by the fake Telegram server",
  emptyFile: "Bad Request: file must be non-empty",
  fileIdEmpty: "Bad Request: file_id not specified",
  invalidFileId: "Bad Request: invalid file_id",
  /** getFile for a file over the download ceiling (20 MB on the cloud Bot API). */
  fileTooBig: "Bad Request: file is too big",
  getUpdatesConflict:
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
  getUpdatesWhileWebhook:
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
  webhookUrlInvalid: "Bad Request: bad webhook: Failed to resolve host: Name or service not known",
  secretTokenInvalid: "Bad Request: secret token contains unallowed characters",
  internal: "Internal Server Error",
} as const;

/** Body of a failed Bot API call, exactly as it goes over the wire. */
export interface ApiErrorBody {
  ok: false;
  error_code: number;
  description: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

/** Thrown by a method handler (also by handlers added with `addMethod`) to answer `{ ok: false, ... }`. */
export class TelegramApiError extends Error {
  readonly code = "FAKE_TELEGRAM_API_ERROR";
  constructor(
    readonly errorCode: number,
    readonly description: string,
    readonly parameters?: ApiErrorBody["parameters"],
  ) {
    super(`${errorCode}: ${description}`);
    this.name = "TelegramApiError";
  }

  toBody(): ApiErrorBody {
    const body: ApiErrorBody = { ok: false, error_code: this.errorCode, description: this.description };
    if (this.parameters) body.parameters = this.parameters;
    return body;
  }
}

const badRequest = (description: string) => new TelegramApiError(400, description);

// ---------------------------------------------------------------------------------------------------------------
// Text: parse modes, measured the way Telegram measures
// ---------------------------------------------------------------------------------------------------------------

/** Outcome of parsing formatted text; `error` is the detail after "can't parse entities: ". */
export type ParseResult =
  | { ok: true; text: string; entities: MessageEntity[] }
  | { ok: false; error: string };

export interface HtmlParseOptions {
  /** Reject a bare `&` (Telegram keeps it literally). Default true: an unescaped `&` is always a bot bug. */
  strictAmpersand?: boolean;
}

// Telegram's parser works on UTF-8 bytes and reports byte offsets; JS strings index UTF-16 units.
function byteOffset(src: string, index: number): number {
  return Buffer.byteLength(src.slice(0, index), "utf8");
}

// tdlib's is_space; "\0" doubles as the end-of-input sentinel returned by the `at` helpers below.
function isSpace(c: string): boolean {
  return c === " " || c === "\t" || c === "\r" || c === "\n" || c === "\0" || c === "\v" || c === "\f";
}

function charAtOrEnd(src: string): (i: number) => string {
  return (i) => (i < src.length ? src.charAt(i) : "\0");
}

/** Decodes `&lt;` `&gt;` `&amp;` `&quot;` and numeric references at `pos` (the `;` is optional, as in tdlib). */
function decodeHtmlEntity(src: string, pos: number): { char: string; end: number } | undefined {
  const at = charAtOrEnd(src);
  let end = pos + 1;
  let char: string;
  if (at(end) === "#") {
    end++;
    let code = 0;
    const hex = at(end) === "x";
    if (hex) end++;
    const digits = hex ? /[0-9a-fA-F]/ : /[0-9]/;
    while (digits.test(at(end))) {
      code = code * (hex ? 16 : 10) + Number.parseInt(at(end), 16);
      end++;
      if (code >= 0x10ffff) break;
    }
    if (code === 0 || code >= 0x10ffff || end - pos >= 10) return undefined;
    char = String.fromCodePoint(code);
  } else {
    while (/[A-Za-z]/.test(at(end))) end++;
    const name = src.slice(pos + 1, end);
    const named: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };
    const decoded = named[name];
    if (decoded === undefined) return undefined;
    char = decoded;
  }
  if (at(end) === ";") end++;
  return { char, end };
}

const HTML_TAGS = new Set([
  "a",
  "b",
  "strong",
  "i",
  "em",
  "u",
  "ins",
  "s",
  "strike",
  "del",
  "code",
  "pre",
  "blockquote",
  "tg-spoiler",
  "span",
  "tg-emoji",
]);

interface OpenHtmlTag {
  tag: string;
  argument: string;
  expandable: boolean;
  offset: number;
}

function sortEntities(entities: MessageEntity[]): MessageEntity[] {
  return entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
}

/**
 * Parses Telegram-flavoured HTML the way tdlib's parse_html does: the tag whitelist, attributes, balance and
 * nesting, and its error wordings with UTF-8 byte offsets.
 */
export function parseTelegramHtml(src: string, options: HtmlParseOptions = {}): ParseResult {
  const strictAmpersand = options.strictAmpersand ?? true;
  const at = charAtOrEnd(src);
  const n = src.length;
  const fail = (error: string): ParseResult => ({ ok: false, error });
  let out = "";
  const entities: MessageEntity[] = [];
  // A code entity directly inside pre carries the language until pre closes and absorbs it.
  const codeLanguages = new Map<MessageEntity, string>();
  const open: OpenHtmlTag[] = [];
  let i = 0;
  while (i < n) {
    const c = src.charAt(i);
    if (c === "&") {
      const decoded = decodeHtmlEntity(src, i);
      if (decoded) {
        out += decoded.char;
        i = decoded.end;
        continue;
      }
      if (strictAmpersand) {
        return fail(
          `Character '&' is reserved and must be escaped as "&amp;" at byte offset ${byteOffset(src, i)}`,
        );
      }
    }
    if (c !== "<") {
      out += c;
      i++;
      continue;
    }
    const begin = i;
    i++;
    if (at(i) !== "/") {
      while (!isSpace(at(i)) && at(i) !== ">") i++;
      if (i >= n) return fail(`Unclosed start tag at byte offset ${byteOffset(src, begin)}`);
      const tag = src.slice(begin + 1, i).toLowerCase();
      if (!HTML_TAGS.has(tag)) {
        return fail(`Unsupported start tag "${tag}" at byte offset ${byteOffset(src, begin)}`);
      }
      let argument = "";
      let expandable = false;
      while (at(i) !== ">") {
        while (i < n && isSpace(at(i))) i++;
        if (i >= n) return fail(`Unclosed start tag at byte offset ${byteOffset(src, begin)}`);
        if (at(i) === ">") break;
        const nameBegin = i;
        while (!isSpace(at(i)) && at(i) !== "=" && at(i) !== ">") i++;
        const name = src.slice(nameBegin, i).toLowerCase();
        if (name === "") {
          return fail(`Empty attribute name in the tag "${tag}" at byte offset ${byteOffset(src, begin)}`);
        }
        while (i < n && isSpace(at(i))) i++;
        if (at(i) !== "=") {
          // A valueless attribute; only blockquote's `expandable` means anything.
          if (tag === "blockquote" && name === "expandable") expandable = true;
          continue;
        }
        i++;
        while (i < n && isSpace(at(i))) i++;
        if (i >= n) return fail(`Unclosed start tag at byte offset ${byteOffset(src, begin)}`);
        let value = "";
        const quote = at(i);
        if (quote !== '"' && quote !== "'") {
          const tokenBegin = i;
          while (/[A-Za-z0-9.-]/.test(at(i))) i++;
          value = src.slice(tokenBegin, i).toLowerCase();
          if (!isSpace(at(i)) && at(i) !== ">") {
            return fail(`Unexpected end of name token at byte offset ${byteOffset(src, tokenBegin)}`);
          }
        } else {
          i++;
          while (i < n && at(i) !== quote) {
            const decoded = at(i) === "&" ? decodeHtmlEntity(src, i) : undefined;
            if (decoded) {
              value += decoded.char;
              i = decoded.end;
            } else {
              value += at(i);
              i++;
            }
          }
          if (i >= n) return fail(`Unclosed start tag at byte offset ${byteOffset(src, begin)}`);
          i++;
        }
        if (tag === "a" && name === "href") argument = value;
        else if (tag === "code" && name === "class" && value.startsWith("language-"))
          argument = value.slice(9);
        else if (tag === "span" && name === "class" && value.startsWith("tg-")) argument = value.slice(3);
        else if (tag === "tg-emoji" && name === "emoji-id") argument = value;
        else if (tag === "blockquote" && name === "expandable") expandable = true;
      }
      if (tag === "span" && argument !== "spoiler") {
        return fail(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(src, begin)}`);
      }
      i++;
      open.push({ tag, argument, expandable, offset: out.length });
      continue;
    }
    if (open.length === 0) return fail(`Unexpected end tag at byte offset ${byteOffset(src, begin)}`);
    i++;
    const nameBegin = i;
    while (!isSpace(at(i)) && at(i) !== ">") i++;
    const endTag = src.slice(nameBegin, i).toLowerCase();
    while (i < n && isSpace(at(i))) i++;
    if (at(i) !== ">") return fail(`Unclosed end tag at byte offset ${byteOffset(src, begin)}`);
    i++;
    const top = open.pop()!;
    if (endTag !== "" && endTag !== top.tag) {
      return fail(
        `Unmatched end tag at byte offset ${byteOffset(src, begin)}, expected "</${top.tag}>", found "</${endTag}>"`,
      );
    }
    const offset = top.offset;
    const length = out.length - offset;
    if (length === 0) continue;
    switch (top.tag) {
      case "b":
      case "strong":
        entities.push({ type: "bold", offset, length });
        break;
      case "i":
      case "em":
        entities.push({ type: "italic", offset, length });
        break;
      case "u":
      case "ins":
        entities.push({ type: "underline", offset, length });
        break;
      case "s":
      case "strike":
      case "del":
        entities.push({ type: "strikethrough", offset, length });
        break;
      case "tg-spoiler":
      case "span":
        entities.push({ type: "spoiler", offset, length });
        break;
      case "blockquote":
        entities.push({ type: top.expandable ? "expandable_blockquote" : "blockquote", offset, length });
        break;
      case "a":
        entities.push({ type: "text_link", offset, length, url: top.argument || out.slice(offset) });
        break;
      case "tg-emoji":
        if (!/^[1-9][0-9]*$/.test(top.argument)) return fail("Invalid custom emoji identifier specified");
        entities.push({ type: "custom_emoji", offset, length, custom_emoji_id: top.argument });
        break;
      case "code": {
        const code: MessageEntity = { type: "code", offset, length };
        entities.push(code);
        if (top.argument && open.at(-1)?.tag === "pre") codeLanguages.set(code, top.argument);
        break;
      }
      case "pre": {
        const last = entities.at(-1);
        const inner =
          last?.type === "code" && last.offset === offset && last.length === length ? last : undefined;
        // <pre><code class="language-x"> is one pre entity with a language, as Telegram reports it.
        if (inner) entities.pop();
        const language = inner ? codeLanguages.get(inner) : undefined;
        entities.push(language ? { type: "pre", offset, length, language } : { type: "pre", offset, length });
        break;
      }
    }
  }
  const unclosed = open.at(-1);
  if (unclosed) return fail(`Can't find end tag corresponding to start tag "${unclosed.tag}"`);
  return { ok: true, text: out, entities: sortEntities(entities) };
}

const MARKDOWN_V2_RESERVED = "_*[]()~`>#+-=|{}.!";

type MarkdownV2Entity =
  | "Bold"
  | "Italic"
  | "Underline"
  | "Strikethrough"
  | "Spoiler"
  | "Code"
  | "Pre"
  | "PreCode"
  | "TextUrl"
  | "CustomEmoji";

/**
 * Parses MarkdownV2 like tdlib's parse_markdown_v2: every reserved character outside an entity must be escaped,
 * every entity closed; errors use Telegram's wordings. Blockquotes (`>` at a line start) are accepted but
 * simplified: consecutive quoted lines become one blockquote entity, `**>` expandable quotes are not recognised.
 */
export function parseTelegramMarkdownV2(src: string): ParseResult {
  const at = charAtOrEnd(src);
  const n = src.length;
  const fail = (error: string): ParseResult => ({ ok: false, error });
  const reserved = (c: string) =>
    fail(`Character '${c}' is reserved and must be escaped with the preceding '\\'`);
  let out = "";
  const entities: MessageEntity[] = [];
  const open: { type: MarkdownV2Entity; argument: string; offset: number; byteBegin: number }[] = [];
  let quoteStart: number | undefined;
  for (let i = 0; i < n; i++) {
    const c = src.charAt(i);
    if (c === "\\" && i + 1 < n && at(i + 1).charCodeAt(0) <= 126) {
      out += at(i + 1);
      i++;
      continue;
    }
    const top = open.at(-1);
    const inCode = top?.type === "Code" || top?.type === "Pre" || top?.type === "PreCode";
    if (inCode && c !== "`") {
      out += c;
      continue;
    }
    if (c === ">" && (i === 0 || at(i - 1) === "\n")) {
      quoteStart ??= out.length;
      continue;
    }
    if (c === "\n" && quoteStart !== undefined && at(i + 1) !== ">") {
      if (out.length > quoteStart) {
        entities.push({ type: "blockquote", offset: quoteStart, length: out.length - quoteStart });
      }
      quoteStart = undefined;
    }
    if (!MARKDOWN_V2_RESERVED.includes(c)) {
      out += c;
      continue;
    }
    let isEnd = false;
    switch (top?.type) {
      case "Bold":
        isEnd = c === "*";
        break;
      case "Italic":
        isEnd = c === "_" && at(i + 1) !== "_";
        break;
      case "Code":
        isEnd = c === "`";
        break;
      case "Pre":
      case "PreCode":
        isEnd = c === "`" && at(i + 1) === "`" && at(i + 2) === "`";
        break;
      case "TextUrl":
      case "CustomEmoji":
        isEnd = c === "]";
        break;
      case "Underline":
        isEnd = c === "_" && at(i + 1) === "_";
        break;
      case "Strikethrough":
        isEnd = c === "~";
        break;
      case "Spoiler":
        isEnd = c === "|" && at(i + 1) === "|";
        break;
      case undefined:
        break;
    }
    if (!isEnd) {
      const byteBegin = byteOffset(src, i);
      let type: MarkdownV2Entity;
      let argument = "";
      switch (c) {
        case "_":
          if (at(i + 1) === "_") {
            type = "Underline";
            i++;
          } else {
            type = "Italic";
          }
          break;
        case "*":
          type = "Bold";
          break;
        case "~":
          type = "Strikethrough";
          break;
        case "|":
          if (at(i + 1) !== "|") return reserved(c);
          type = "Spoiler";
          i++;
          break;
        case "[":
          type = "TextUrl";
          break;
        case "`":
          if (at(i + 1) === "`" && at(i + 2) === "`") {
            i += 3;
            type = "Pre";
            let languageEnd = i;
            while (!isSpace(at(languageEnd)) && at(languageEnd) !== "`") languageEnd++;
            if (i !== languageEnd && languageEnd < n && at(languageEnd) !== "`") {
              type = "PreCode";
              argument = src.slice(i, languageEnd);
              i = languageEnd;
            }
            // One line break after the opening fence belongs to the syntax, not the text.
            if (at(i) === "\n" || at(i) === "\r") {
              i += (at(i + 1) === "\n" || at(i + 1) === "\r") && at(i) !== at(i + 1) ? 2 : 1;
            }
            i--;
          } else {
            type = "Code";
          }
          break;
        case "!":
          if (at(i + 1) !== "[") return reserved(c);
          type = "CustomEmoji";
          i++;
          break;
        default:
          return reserved(c);
      }
      open.push({ type, argument, offset: out.length, byteBegin });
      continue;
    }
    const entry = open.pop()!;
    const offset = entry.offset;
    let url = "";
    switch (entry.type) {
      case "Underline":
      case "Spoiler":
        i++;
        break;
      case "Pre":
      case "PreCode":
        i += 2;
        break;
      case "TextUrl":
      case "CustomEmoji":
        if (at(i + 1) !== "(") {
          if (entry.type === "CustomEmoji") return fail("Custom emoji entity must contain a tg://emoji URL");
          url = out.slice(offset);
          break;
        }
        i += 2;
        {
          const urlBegin = i;
          while (i < n && at(i) !== ")") {
            if (at(i) === "\\" && i + 1 < n && at(i + 1).charCodeAt(0) <= 126) {
              url += at(i + 1);
              i += 2;
              continue;
            }
            url += at(i);
            i++;
          }
          if (at(i) !== ")")
            return fail(`Can't find end of a URL at byte offset ${byteOffset(src, urlBegin)}`);
        }
        break;
      default:
        break;
    }
    const length = out.length - offset;
    if (length === 0) continue;
    switch (entry.type) {
      case "Bold":
        entities.push({ type: "bold", offset, length });
        break;
      case "Italic":
        entities.push({ type: "italic", offset, length });
        break;
      case "Underline":
        entities.push({ type: "underline", offset, length });
        break;
      case "Strikethrough":
        entities.push({ type: "strikethrough", offset, length });
        break;
      case "Spoiler":
        entities.push({ type: "spoiler", offset, length });
        break;
      case "Code":
        entities.push({ type: "code", offset, length });
        break;
      case "Pre":
        entities.push({ type: "pre", offset, length });
        break;
      case "PreCode":
        entities.push({ type: "pre", offset, length, language: entry.argument });
        break;
      case "TextUrl":
        if (url) entities.push({ type: "text_link", offset, length, url });
        break;
      case "CustomEmoji": {
        const id = /^tg:\/\/emoji\?id=([1-9][0-9]*)$/.exec(url)?.[1];
        if (!id) return fail("Invalid custom emoji identifier specified");
        entities.push({ type: "custom_emoji", offset, length, custom_emoji_id: id });
        break;
      }
    }
  }
  if (quoteStart !== undefined && out.length > quoteStart) {
    entities.push({ type: "blockquote", offset: quoteStart, length: out.length - quoteStart });
  }
  const unclosed = open.at(-1);
  if (unclosed) return fail(`Can't find end of ${unclosed.type} entity at byte offset ${unclosed.byteBegin}`);
  return { ok: true, text: out, entities: sortEntities(entities) };
}

/** Parses legacy Markdown like tdlib's parse_markdown: `*bold*`, `_italic_`, `` `code` ``, fences, `[text](url)`. */
export function parseTelegramMarkdown(src: string): ParseResult {
  const at = charAtOrEnd(src);
  const n = src.length;
  let out = "";
  const entities: MessageEntity[] = [];
  for (let i = 0; i < n; i++) {
    const c = src.charAt(i);
    if (c === "\\" && "_*`[".includes(at(i + 1)) && i + 1 < n) {
      out += at(i + 1);
      i++;
      continue;
    }
    if (c !== "_" && c !== "*" && c !== "`" && c !== "[") {
      out += c;
      continue;
    }
    const begin = i;
    const endChar = c === "[" ? "]" : c;
    let isPre = false;
    let language = "";
    i++;
    if (c === "`" && at(i) === "`" && at(i + 1) === "`") {
      i += 2;
      isPre = true;
      let languageEnd = i;
      while (!isSpace(at(languageEnd)) && at(languageEnd) !== "`") languageEnd++;
      if (i !== languageEnd && languageEnd < n && at(languageEnd) !== "`") {
        language = src.slice(i, languageEnd);
        i = languageEnd;
      }
      if (at(i) === "\n" || at(i) === "\r") {
        i += (at(i + 1) === "\n" || at(i + 1) === "\r") && at(i) !== at(i + 1) ? 2 : 1;
      }
    }
    const offset = out.length;
    while (i < n && (at(i) !== endChar || (isPre && !(at(i + 1) === "`" && at(i + 2) === "`")))) {
      out += at(i);
      i++;
    }
    if (i >= n) {
      return {
        ok: false,
        error: `Can't find end of the entity starting at byte offset ${byteOffset(src, begin)}`,
      };
    }
    const length = out.length - offset;
    if (c === "[") {
      let url = out.slice(offset);
      if (at(i + 1) === "(") {
        i += 2;
        url = "";
        while (i < n && at(i) !== ")") {
          url += at(i);
          i++;
        }
      }
      if (length > 0 && url) entities.push({ type: "text_link", offset, length, url });
    } else if (length > 0) {
      if (c === "_") entities.push({ type: "italic", offset, length });
      else if (c === "*") entities.push({ type: "bold", offset, length });
      else if (!isPre) entities.push({ type: "code", offset, length });
      else
        entities.push(language ? { type: "pre", offset, length, language } : { type: "pre", offset, length });
    }
    if (isPre) i += 2;
  }
  return { ok: true, text: out, entities: sortEntities(entities) };
}

/**
 * What the user gets from `text` + `parse_mode`: the parsed text with surrounding whitespace trimmed (Telegram
 * trims it, so "  hi " is "hi" and " " is empty) and entities shifted to match. Lengths are UTF-16 units
 * (`text.length`), as Telegram counts them.
 */
export function parseTelegramText(
  text: string,
  parseMode: string | undefined,
  options: HtmlParseOptions = {},
): ParseResult {
  let parsed: ParseResult;
  switch (parseMode?.toLowerCase()) {
    case undefined:
    case "":
      parsed = { ok: true, text, entities: [] };
      break;
    case "html":
      parsed = parseTelegramHtml(text, options);
      break;
    case "markdownv2":
      parsed = parseTelegramMarkdownV2(text);
      break;
    case "markdown":
      parsed = parseTelegramMarkdown(text);
      break;
    default:
      return { ok: false, error: "unsupported parse_mode" };
  }
  if (!parsed.ok) return parsed;
  return trimFormatted(parsed.text, parsed.entities);
}

function trimFormatted(text: string, entities: MessageEntity[]): ParseResult {
  const start = text.length - text.trimStart().length;
  const trimmed = text.trim();
  const kept: MessageEntity[] = [];
  for (const entity of entities) {
    const from = Math.max(entity.offset - start, 0);
    const to = Math.min(entity.offset + entity.length - start, trimmed.length);
    if (to > from) kept.push({ ...entity, offset: from, length: to - from });
  }
  return { ok: true, text: trimmed, entities: kept };
}

// ---------------------------------------------------------------------------------------------------------------
// Reply markup
// ---------------------------------------------------------------------------------------------------------------

/** A button as the user sees it. */
export interface VisibleButton {
  text: string;
  /** callback_data, for callback buttons */
  data?: string;
  url?: string;
}

const BUTTON_ACTIONS = [
  "url",
  "callback_data",
  "web_app",
  "login_url",
  "switch_inline_query",
  "switch_inline_query_current_chat",
  "switch_inline_query_chosen_chat",
  "copy_text",
  "callback_game",
  "pay",
];

const MAX_INLINE_BUTTONS = 100;
const MAX_MARKUP_BYTES = 10 * 1024;

/** Telegram accepts markup as an object or as a JSON string (multipart uploads always send a string). */
function readJsonParam(value: unknown): { ok: true; value: unknown } | { ok: false } {
  if (typeof value !== "string") return { ok: true, value };
  try {
    return { ok: true, value: JSON.parse(value) };
  } catch {
    return { ok: false };
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Validates reply_markup; returns it parsed (undefined when absent). */
function validateReplyMarkup(raw: unknown, inlineOnly: boolean): Record<string, unknown> | undefined {
  if (raw === undefined || raw === null || raw === "") return undefined;
  const parsed = readJsonParam(raw);
  if (!parsed.ok || !isRecord(parsed.value)) throw badRequest(TELEGRAM_ERRORS.cantParseMarkup);
  const markup = parsed.value;
  if (!("inline_keyboard" in markup)) {
    if (inlineOnly) throw badRequest(TELEGRAM_ERRORS.inlineKeyboardExpected);
    if (!("keyboard" in markup || "remove_keyboard" in markup || "force_reply" in markup)) {
      throw badRequest(TELEGRAM_ERRORS.cantParseMarkup);
    }
    return markup;
  }
  const rows = markup.inline_keyboard;
  if (!Array.isArray(rows) || !rows.every(Array.isArray)) throw badRequest(TELEGRAM_ERRORS.cantParseMarkup);
  let count = 0;
  for (const row of rows as unknown[][]) {
    for (const button of row) {
      count++;
      if (!isRecord(button) || typeof button.text !== "string") {
        throw badRequest(TELEGRAM_ERRORS.cantParseMarkup);
      }
      if (button.text.trim() === "") throw badRequest(TELEGRAM_ERRORS.buttonTextInvalid);
      if (!BUTTON_ACTIONS.some((action) => action in button))
        throw badRequest(TELEGRAM_ERRORS.textButtonsUnallowed);
      if ("callback_data" in button) {
        const data = button.callback_data;
        const bytes = typeof data === "string" ? Buffer.byteLength(data, "utf8") : 0;
        if (bytes < 1 || bytes > 64) throw badRequest(TELEGRAM_ERRORS.buttonDataInvalid);
      }
      if ("url" in button) {
        const url = button.url;
        if (typeof url !== "string" || !/^(https?|tg):\/\/\S+$/i.test(url)) {
          throw badRequest(TELEGRAM_ERRORS.buttonUrlInvalid);
        }
      }
    }
  }
  if (count > MAX_INLINE_BUTTONS || Buffer.byteLength(JSON.stringify(markup)) > MAX_MARKUP_BYTES) {
    throw badRequest(TELEGRAM_ERRORS.replyMarkupTooLong);
  }
  return markup;
}

function inlineButtons(markup: Record<string, unknown> | undefined): VisibleButton[][] {
  const rows = markup?.inline_keyboard;
  if (!Array.isArray(rows)) return [];
  return (rows as Record<string, unknown>[][]).map((row) =>
    row.map((button) => {
      const visible: VisibleButton = { text: String(button.text) };
      if (typeof button.callback_data === "string") visible.data = button.callback_data;
      if (typeof button.url === "string") visible.url = button.url;
      return visible;
    }),
  );
}

// Key order and an empty keyboard must not make two equal keyboards look different.
function markupKey(markup: Record<string, unknown> | undefined): string {
  const rows = inlineButtons(markup).filter((row) => row.length > 0);
  if (rows.length === 0) return "";
  const canonical = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(canonical);
    if (!isRecord(value)) return value;
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical(value[key])]),
    );
  };
  return JSON.stringify(canonical(markup?.inline_keyboard));
}

// ---------------------------------------------------------------------------------------------------------------
// Flood control
// ---------------------------------------------------------------------------------------------------------------

/** A token bucket: `burst` calls at once, refilled at `perSecond`. */
export interface FloodBudget {
  burst: number;
  perSecond: number;
}

export interface FloodLimits {
  /** sendMessage, editMessageText/ReplyMarkup, sendDocument, sendVoice and sendAudio in a private chat. */
  private: FloodBudget;
  /** The same in groups and supergroups. */
  group: FloodBudget;
  /** sendMessageDraft per private chat (Telegram publishes no number; this one is a guess). */
  draft: FloodBudget;
  /** All sends and edits across chats (Telegram's ~30/s); off unless set. */
  global?: FloodBudget;
}

/**
 * Default budgets. Private: 3/s sustained with a burst of 5. Telegram publishes no edit limit; bots that stream
 * (the hub's own among them) edit 2-3 times a second in private chats without trouble, while a sustained 5/s is
 * refused here after ~2 s. Groups: Telegram's 20 per minute, with a burst of 3.
 */
export const DEFAULT_FLOOD_LIMITS: Readonly<FloodLimits> = Object.freeze({
  private: { burst: 5, perSecond: 3 },
  group: { burst: 3, perSecond: 20 / 60 },
  draft: { burst: 10, perSecond: 5 },
});

// Float refills (e.g. 1/3 s steps) must not turn "exactly one token" into a refusal.
const EPSILON = 1e-9;

class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly budget: FloodBudget,
    now: number,
  ) {
    this.tokens = budget.burst;
    this.last = now;
  }

  /** Whole seconds until a token is available (at least 1), or 0 when one is available now. */
  wait(now: number): number {
    this.tokens = Math.min(
      this.budget.burst,
      this.tokens + (Math.max(0, now - this.last) / 1000) * this.budget.perSecond,
    );
    this.last = Math.max(this.last, now);
    if (this.tokens >= 1 - EPSILON) return 0;
    return Math.max(1, Math.ceil((1 - this.tokens) / this.budget.perSecond - EPSILON));
  }

  take(): void {
    this.tokens -= 1;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Public state types
// ---------------------------------------------------------------------------------------------------------------

export type FakeChatType = "private" | "group" | "supergroup";

/** One message of a chat's history, as the fake stores it. */
export interface StoredMessage {
  chatId: number;
  messageId: number;
  from: "bot" | "user";
  sender: User;
  /** Unix seconds from the injected clock (at least 1). */
  date: number;
  /**
   * "document" is a document the bot sent; "media" is a photo, document, voice note or audio a user sent, or a
   * voice note or audio the bot sent.
   */
  kind: "text" | "document" | "media";
  /** Text (or caption) as the user reads it: entities parsed, surrounding whitespace trimmed. */
  text: string;
  entities: MessageEntity[];
  /** Text exactly as sent: the raw HTML for parse_mode HTML. */
  source: string;
  parseMode: string | undefined;
  replyMarkup: Record<string, unknown> | undefined;
  replyToMessageId: number | undefined;
  editCount: number;
  editDate: number | undefined;
  deleted: boolean;
  document: DocumentRecord | undefined;
  media: StoredMedia | undefined;
}

/** What a user's media message carries, in the Bot API's shapes; its caption is the message's text. */
export type StoredMedia = (
  | { type: "photo"; photo: PhotoSize[] }
  | { type: "document"; document: Document }
  | { type: "voice"; voice: Voice }
  | { type: "audio"; audio: Audio }
) & { mediaGroupId: string | undefined };

/** What the user sees of a message now. */
export interface VisibleMessage {
  messageId: number;
  from: "bot" | "user";
  text: string;
  /** The raw HTML the bot sent, when it used parse_mode HTML. */
  html?: string;
  parseMode?: string;
  entities: MessageEntity[];
  buttons: VisibleButton[][];
  editCount: number;
  document?: { fileName?: string; size?: number };
  /** A voice note as its bubble shows it: the announced duration, and the file's own length when known. */
  voice?: VisibleSound;
  /** An audio file as the player shows it. */
  audio?: VisibleSound & { fileName?: string; title?: string; performer?: string };
  /** A user's photo (its largest size), document, voice note or audio file; the bot's voice note or audio. */
  media?: {
    type: StoredMedia["type"];
    fileId: string;
    fileName?: string;
    size?: number;
    mediaGroupId?: string;
  };
}

/** What the user sees of a voice note or audio file (its caption is the message's text). */
export interface VisibleSound {
  /** Seconds, as the sender announced them: what the user reads on the message. */
  duration: number;
  /** Bytes. */
  size: number;
  /** Seconds the file really plays, when the fake can tell (a valid Ogg Opus file); unrounded. */
  realDuration?: number;
  mimeType?: string;
}

/**
 * A voice note or audio the bot sent that a user would find wrong: "duration mismatch" (sent, with an announced
 * duration more than a second away from the file's rounded length, which Telegram shows as given) or "wrong file
 * type" (refused: not audio the method shows, or a broken Ogg file).
 */
export interface VoiceProblem {
  kind: "duration mismatch" | "wrong file type";
  method: "sendVoice" | "sendAudio";
  chatId: number;
  /** The message sent; undefined for a refused upload. */
  messageId: number | undefined;
  fileId: string | undefined;
  /** The `duration` parameter as Telegram reads it (0 when left out). */
  announced: number;
  /** The file's own length in seconds, when the fake could read it. */
  realDuration: number | undefined;
  /** Which rule broke, in words, for the test's failure message. */
  detail: string;
  /** Injected clock. */
  at: number;
}

export interface DocumentRecord {
  chatId: number;
  messageId: number;
  fileId: string;
  fileName?: string;
  /** The uploaded bytes; absent when the bot sent a file_id or URL. */
  content?: Buffer;
  caption: string;
  at: number;
}

export type FileKind = "photo" | "thumbnail" | "document" | "voice" | "audio";

/** A file the fake holds: every photo size, thumbnail, document, voice note and audio, and the bot's uploads. */
export interface FileRecord {
  fileId: string;
  fileUniqueId: string;
  kind: FileKind;
  /** Size in bytes: the content's length, or the `declaredSize` (the bytes past the content read as zeros). */
  size: number;
  content: Buffer;
  fileName: string | undefined;
  mimeType: string | undefined;
  /** Voice notes and audio: seconds the file plays, when its bytes are a valid Ogg Opus file; else undefined. */
  realDuration: number | undefined;
  /** Relative path given out by the first getFile, e.g. "photos/file_0.jpg"; undefined before. */
  filePath: string | undefined;
  /** Local mode: the absolute path getFile wrote the file to. */
  localPath: string | undefined;
}

/** One request to the download route, `GET /file/bot<token>/<file_path>`. */
export interface DownloadRecord {
  /** The file served; undefined when the token or path named none. */
  fileId: string | undefined;
  /** The requested path after the token. */
  filePath: string;
  /** HTTP status sent; 0 while none was (a delay, a hang, or a drop before the headers). */
  status: number;
  /** Body bytes written. */
  bytes: number;
  /** Injected clock at receipt. */
  at: number;
  outcome: "in progress" | "complete" | "refused" | "aborted" | "hung" | "dropped";
}

/**
 * An injected failure for the next download(s): `{ code, description? }` answers an error; `{ hang: true }` sends
 * nothing until the client gives up or the fake closes; `{ dropConnection: true }` destroys the socket. With
 * `afterBytes`, a hang or a drop comes after the headers and that many bytes of body.
 */
export type DownloadFault =
  | { code: number; description?: string }
  | { hang: true; afterBytes?: number }
  | { dropConnection: true; afterBytes?: number };

export interface DraftRecord {
  chatId: number;
  draftId: number;
  /** Latest text as the user sees it. */
  text: string;
  source: string;
  parseMode: string | undefined;
  canStop: boolean;
  keepOnStop: boolean;
  updates: number;
  updatedAt: number;
  /** The bot sent a message in the chat after this draft, which removes it. */
  cleared: boolean;
}

export interface ChatActionRecord {
  chatId: number;
  action: string;
  at: number;
}

export interface CallbackAnswer {
  queryId: string;
  chatId: number;
  messageId: number;
  data: string | undefined;
  text?: string;
  showAlert: boolean;
  url?: string;
  cacheTime?: number;
  at: number;
  /** Injected-clock milliseconds between the press and the answer. */
  latencyMs: number;
}

export interface ChatStats {
  sends: number;
  edits: number;
  deletes: number;
  drafts: number;
  chatActions: number;
  /** Every 429 the bot got for this chat: flood control and injected faults. */
  tooManyRequests: number;
  /** Every failed call naming this chat, 429s included. */
  errors: number;
}

/** One Bot API call as the fake saw it. */
export interface ApiCall {
  /** As requested (grammY sends camelCase). */
  method: string;
  /** Parsed parameters; an uploaded file appears as `{ filename, size }`. */
  params: Record<string, unknown>;
  /** Injected clock at receipt. */
  at: number;
  ok: boolean;
  result?: unknown;
  error?: ApiErrorBody;
  /** How the response failed to arrive, when it did not. */
  transport?: "dropped" | "hung" | "aborted";
}

/**
 * An injected failure for the next matching call(s), applied before the method runs unless noted:
 * `{ code: 429, retryAfter }`, any `{ code, description? }`, `{ dropConnection: true }` (the socket is destroyed;
 * with `afterApplying` the call takes effect first, as when a response is lost), or `{ hang: true }` (no answer
 * until the client gives up or the fake closes).
 */
export type Fault =
  | { code: number; description?: string; retryAfter?: number }
  | { dropConnection: true; afterApplying?: boolean }
  | { hang: true };

export type Params = Record<string, unknown>;

export interface UploadedFile {
  filename: string;
  content: Buffer;
}

export interface MethodContext {
  signal: AbortSignal;
  /** Multipart file parts by field name. */
  files: ReadonlyMap<string, UploadedFile>;
  fake: FakeTelegram;
}

/** Implements one Bot API method; returns the result or throws TelegramApiError. */
export type MethodHandler = (params: Params, context: MethodContext) => unknown;

export interface FakeTelegramOptions {
  /** Bot token; the bot id is its part before ":". Default "7000001:AAFakeTelegramTokenForTestsOnly0000". */
  token?: string;
  /** Overrides for getMe; default username "test_ollama_bot", privacy mode on. */
  botInfo?: Partial<UserFromGetMe>;
  /** Clock in ms for flood control, dates, callback expiry and draft expiry. Default Date.now. */
  now?: () => number;
  /** Flood budgets merged over DEFAULT_FLOOD_LIMITS; `false` turns flood control off. */
  limits?: Partial<FloodLimits> | false;
  /** How long after a press answerCallbackQuery is accepted. Default 15 000 ms (injected clock). */
  callbackQueryTimeoutMs?: number;
  /** How long a draft stays visible without updates. Default 30 000 ms (injected clock). */
  draftLifetimeMs?: number;
  /** Group privacy mode; default `!botInfo.can_read_all_group_messages` (on). */
  privacyMode?: boolean;
  html?: HtmlParseOptions;
  /**
   * Imitate a local Bot API server (`--local`): getFile serves files up to 2000 MB and answers an absolute
   * file_path to a copy in a temporary directory (`localDir`, removed at close); the download route answers 404.
   * Default false (the cloud Bot API).
   */
  localMode?: boolean;
  /** Real milliseconds every download waits before its headers (client aborts still end it). Default 0. */
  downloadDelayMs?: number;
  /**
   * Webhook delivery (after the bot's setWebhook): how long a POST may take before it counts as failed and the
   * update is delivered again (Telegram's own deadline is undisclosed, about a minute), and how long after a
   * failed delivery the next try starts (Telegram backs off; the fake retries at a fixed pace). Real ms. Defaults
   * 10 000 and 200.
   */
  webhook?: { timeoutMs?: number; retryMs?: number };
}

/** One POST of an update to the bot's webhook, as the fake made it. */
export interface WebhookDelivery {
  updateId: number;
  /** HTTP status the bot answered, or 0 when the request failed or timed out. */
  status: number;
  /** Real ms from the POST to the bot's answer. */
  ms: number;
}

export interface SendTextOptions {
  /** Sender overrides; in a private chat the id is always the chat id. */
  from?: Partial<User>;
  /** Default: private for positive ids, supergroup for -100… ids, group otherwise. */
  chatType?: FakeChatType;
  title?: string;
  /** message_id the user replies to. */
  replyTo?: number;
}

export interface SendMediaOptions extends SendTextOptions {
  caption?: string;
  /** Default: the bot_command and mention entities Telegram finds in the caption. */
  caption_entities?: MessageEntity[];
  /** Makes the message one of an album: several messages sharing this id, one update each. */
  mediaGroupId?: string;
}

export interface SendFileOptions extends SendMediaOptions {
  /**
   * The size Telegram reports and enforces, when larger than the bytes given (the rest reads as zeros): tests
   * the 20 MB rule without holding 20 MB.
   */
  declaredSize?: number;
}

export interface SendDocumentOptions extends SendFileOptions {
  fileName: string;
  mimeType: string;
}

export interface SendImageFileOptions extends SendFileOptions {
  /** Default "image.png" or "image.jpg", after the bytes. */
  fileName?: string;
  /** Default image/png or image/jpeg, after the bytes. */
  mimeType?: string;
}

/** Voice notes are never part of an album. */
export interface SendVoiceOptions extends Omit<SendFileOptions, "mediaGroupId"> {
  /** Seconds. */
  duration: number;
  /** Default "audio/ogg", what Telegram's clients record. */
  mimeType?: string;
}

export interface SendAudioOptions extends SendFileOptions {
  fileName: string;
  mimeType: string;
  /** Seconds. */
  duration: number;
  performer?: string;
  title?: string;
}

/** A photo as bytes (the fake derives Telegram's smaller sizes) or as every size explicitly. */
export type PhotoInput = Uint8Array | { sizes: Array<{ width: number; height: number; bytes: Uint8Array }> };

export interface UserMessage {
  messageId: number;
  message: Message;
  /** False when group privacy mode kept the message from the bot. */
  delivered: boolean;
  updateId?: number;
}

export interface PressButtonOptions {
  from?: Partial<User>;
  /** Send the data even if no such button is visible (stale or hand-crafted callback data). */
  forged?: boolean;
}

export interface AddChatOptions {
  type?: FakeChatType;
  title?: string;
  /** In groups, lets the bot delete users' messages and, under privacy mode, see every message. */
  botIsAdmin?: boolean;
  /** For private chats: the user's names. */
  user?: Partial<User>;
}

export interface WaitForOptions {
  /** Real milliseconds. Default 3000. */
  timeoutMs?: number;
  /** Named in the timeout error. */
  description?: string;
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP plumbing
// ---------------------------------------------------------------------------------------------------------------

interface ParsedRequest {
  params: Params;
  files: Map<string, UploadedFile>;
  logged: Params;
}

function parseMultipart(
  body: Buffer,
  boundary: string,
): { fields: Params; files: Map<string, UploadedFile> } {
  const fields: Params = {};
  const files = new Map<string, UploadedFile>();
  const delimiter = Buffer.from(`--${boundary}`);
  const nextDelimiter = Buffer.from(`\r\n--${boundary}`);
  const first = body.indexOf(delimiter);
  if (first === -1) return { fields, files };
  let pos = first + delimiter.length;
  while (pos < body.length) {
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) break;
    if (body[pos] === 0x0d && body[pos + 1] === 0x0a) pos += 2;
    const end = body.indexOf(nextDelimiter, pos);
    if (end === -1) break;
    const part = body.subarray(pos, end);
    pos = end + nextDelimiter.length;
    const headerEnd = part.indexOf("\r\n\r\n");
    if (headerEnd === -1) continue;
    const headers = part.subarray(0, headerEnd).toString("utf8");
    const content = part.subarray(headerEnd + 4);
    // grammY writes `content-disposition:form-data;name="x";filename=y` (no spaces, filename unquoted).
    const disposition = /content-disposition:([^\r\n]*)/i.exec(headers)?.[1] ?? "";
    const name = /(?:^|;)\s*name="([^"]*)"/i.exec(disposition)?.[1];
    if (name === undefined) continue;
    const filenameMatch = /;\s*filename=(?:"([^"]*)"|([^\r\n]*))/i.exec(disposition);
    if (filenameMatch) {
      files.set(name, {
        filename: filenameMatch[1] ?? filenameMatch[2] ?? "",
        content: Buffer.from(content),
      });
    } else {
      fields[name] = content.toString("utf8");
    }
  }
  return { fields, files };
}

async function readRequest(req: IncomingMessage, url: URL): Promise<ParsedRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const params: Params = Object.fromEntries(url.searchParams);
  const files = new Map<string, UploadedFile>();
  const contentType = req.headers["content-type"] ?? "";
  if (body.length > 0) {
    if (/^application\/json/i.test(contentType)) {
      let json: unknown;
      try {
        json = JSON.parse(body.toString("utf8"));
      } catch {
        throw badRequest(TELEGRAM_ERRORS.cantParseJson);
      }
      if (!isRecord(json)) throw badRequest(TELEGRAM_ERRORS.cantParseJson);
      Object.assign(params, json);
    } else if (/^multipart\/form-data/i.test(contentType)) {
      const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
      const parsed = parseMultipart(body, boundary?.[1] ?? boundary?.[2] ?? "");
      Object.assign(params, parsed.fields);
      for (const [name, file] of parsed.files) files.set(name, file);
    } else {
      Object.assign(params, Object.fromEntries(new URLSearchParams(body.toString("utf8"))));
    }
  }
  const logged: Params = { ...params };
  for (const [name, file] of files) logged[name] = { filename: file.filename, size: file.content.length };
  return { params, files, logged };
}

/** The chat an update belongs to, when it has one. */
function updateChatId(update: Update): number | undefined {
  return (
    update.message?.chat.id ??
    update.callback_query?.message?.chat.id ??
    update.stopped_message_generation?.chat.id ??
    undefined
  );
}

function readInt(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "string" && /^-?\d+$/.test(value.trim())) return Number(value);
  return undefined;
}

function readString(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  return undefined;
}

function readBool(value: unknown): boolean {
  return value === true || value === "true" || value === 1 || value === "1";
}

// ---------------------------------------------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------------------------------------------

/** getFile's ceiling on the cloud Bot API ("up to 20 MB"). */
export const MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024;
/** getFile's ceiling on a local Bot API server ("up to 2000 MB"). */
export const MAX_LOCAL_DOWNLOAD_BYTES = 2000 * 1024 * 1024;
/** The largest upload the cloud Bot API takes ("up to 50 MB"); a local server takes 2000 MB. */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
const MAX_LOCAL_UPLOAD_BYTES = 2000 * 1024 * 1024;

const DOWNLOAD_CHUNK = 64 * 1024;
const ZEROS = Buffer.alloc(DOWNLOAD_CHUNK);

// Real ids start like these, so logs read as Telegram's; nothing may parse them (they are opaque on Telegram).
const FILE_ID_PREFIX: Record<FileKind, string> = {
  photo: "AgACAgIAAxkBAAI",
  thumbnail: "AAMCAgADGQEAAI",
  document: "BQACAgIAAxkBAAI",
  voice: "AwACAgIAAxkBAAI",
  audio: "CQACAgIAAxkBAAI",
};
const UNIQUE_ID_PREFIX: Record<FileKind, string> = {
  photo: "AQAD",
  thumbnail: "AQAD",
  document: "AgAD",
  voice: "AgAD",
  audio: "AgAD",
};

// getFile's folders and default extensions ("photos/file_0.jpg", "voice/file_1.oga"); documents and audio keep
// the extension of their file name.
const FILE_FOLDERS: Record<FileKind, { folder: string; extension: string }> = {
  photo: { folder: "photos", extension: ".jpg" },
  thumbnail: { folder: "thumbnails", extension: ".jpg" },
  document: { folder: "documents", extension: "" },
  voice: { folder: "voice", extension: ".oga" },
  audio: { folder: "music", extension: ".mp3" },
};

// The boxes Telegram renders a photo into (the sizes a message.photo lists), smallest first.
const PHOTO_BOXES = [90, 320, 800, 1280, 2560];
const THUMBNAIL_BOX = 320;

/** Width and height of PNG or JPEG bytes; undefined for anything else. */
function imageSize(bytes: Buffer): { width: number; height: number } | undefined {
  if (
    bytes.length >= 24 &&
    bytes.readUInt32BE(0) === 0x89504e47 &&
    bytes.toString("latin1", 12, 16) === "IHDR"
  ) {
    return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  }
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
  let pos = 2;
  while (pos + 9 <= bytes.length) {
    if (bytes[pos] !== 0xff) return undefined;
    const marker = bytes[pos + 1] ?? 0;
    if (marker === 0xff) {
      pos++;
      continue;
    }
    // Start-of-frame markers carry the size; C4, C8 and CC share the range but are not frames.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: bytes.readUInt16BE(pos + 5), width: bytes.readUInt16BE(pos + 7) };
    }
    pos += 2 + bytes.readUInt16BE(pos + 2);
  }
  return undefined;
}

function imageMimeType(bytes: Buffer): "image/png" | "image/jpeg" | undefined {
  if (bytes.length >= 4 && bytes.readUInt32BE(0) === 0x89504e47) return "image/png";
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return "image/jpeg";
  return undefined;
}

function fitBox(width: number, height: number, box: number): { width: number; height: number } {
  const scale = Math.min(1, box / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** Deterministic stand-in bytes for a rendering the fake cannot make (a smaller photo size, a thumbnail). */
function placeholderBytes(seed: Buffer, label: string, length: number): Buffer {
  const out = Buffer.alloc(length);
  let block = createHash("sha256").update(seed).update(label).digest();
  for (let at = 0; at < length; at += block.length) {
    block.copy(out, at);
    block = createHash("sha256").update(block).digest();
  }
  return out;
}

/** The sizes Telegram lists for a photo sent as bytes: the boxes below its own size, then the photo itself. */
function derivePhotoSizes(bytes: Buffer): { width: number; height: number; bytes: Buffer }[] {
  const { width, height } = imageSize(bytes) ?? { width: 1280, height: 960 };
  const sizes = PHOTO_BOXES.filter((box) => box < Math.max(width, height)).map((box) => {
    const fitted = fitBox(width, height, box);
    const share = (fitted.width * fitted.height) / (width * height);
    const length = Math.max(1, Math.min(bytes.length, Math.round(bytes.length * share)));
    return { ...fitted, bytes: placeholderBytes(bytes, `${fitted.width}x${fitted.height}`, length) };
  });
  sizes.push({ width, height, bytes });
  return sizes;
}

// ---------------------------------------------------------------------------------------------------------------
// Audio uploads
// ---------------------------------------------------------------------------------------------------------------

/** The Bot API clamps `duration` to a day (Client.cpp's MAX_DURATION). */
const MAX_MEDIA_DURATION = 24 * 60 * 60;

/** What an uploaded sound is, from its bytes; "ogg" is an Ogg stream of another codec (Vorbis, FLAC). */
type SoundFormat = "ogg-opus" | "ogg" | "mp3" | "m4a";

interface Sound {
  format: SoundFormat;
  mimeType: string;
  /** Ogg Opus only: the length its granule positions give. */
  realDuration?: number;
}

/** The formats whose upload each method shows as a voice bubble or in the music player. */
const SOUND_FORMATS: Record<"voice" | "audio", readonly SoundFormat[]> = {
  voice: ["ogg-opus", "mp3", "m4a"],
  audio: ["ogg-opus", "ogg", "mp3", "m4a"],
};

// The brands an .m4a carries in its ftyp box: iTunes' own, and the generic ones ffmpeg and others write.
const M4A_BRANDS = new Set(["M4A ", "M4B ", "mp41", "mp42", "isom", "iso2"]);

function startsWithAscii(bytes: Uint8Array, at: number, text: string): boolean {
  return (
    at + text.length <= bytes.length && [...text].every((char, i) => bytes[at + i] === char.charCodeAt(0))
  );
}

/**
 * Where an MP3's audio starts: after an ID3v2 tag (10 bytes, a syncsafe size, a footer when flagged) and the zero
 * padding encoders leave after it; 0 without a tag, -1 for an "ID3" whose size is not syncsafe.
 */
function id3v2End(bytes: Buffer): number {
  if (bytes.length < 10 || !startsWithAscii(bytes, 0, "ID3")) return 0;
  const size = bytes.subarray(6, 10);
  if (size.some((byte) => byte >= 0x80)) return -1;
  let end = 10 + ((size[0]! << 21) | (size[1]! << 14) | (size[2]! << 7) | size[3]!);
  if ((bytes[5]! & 0x10) !== 0) end += 10;
  while (end < bytes.length && bytes[end] === 0) end++;
  return end;
}

/** An MPEG-1, -2 or -2.5 Layer III frame header at `at`: the 11-bit sync and no reserved or invalid field. */
function isMp3FrameHeader(bytes: Buffer, at: number): boolean {
  if (at < 0 || at + 4 > bytes.length) return false;
  const b1 = bytes[at + 1]!;
  const b2 = bytes[at + 2]!;
  const b3 = bytes[at + 3]!;
  return (
    bytes[at] === 0xff &&
    (b1 & 0xe0) === 0xe0 &&
    ((b1 >> 3) & 3) !== 1 && // version 01 is reserved
    ((b1 >> 1) & 3) === 1 && // layer III
    b2 >> 4 !== 0xf && // bitrate index 1111 is invalid
    ((b2 >> 2) & 3) !== 3 && // sample rate index 11 is reserved
    (b3 & 3) !== 2 // emphasis 10 is reserved
  );
}

/** An ISO media file whose leading ftyp box names an .m4a brand. Its tracks are not read: an MP4 video passes. */
function isM4a(bytes: Buffer): boolean {
  if (bytes.length < 16 || !startsWithAscii(bytes, 4, "ftyp")) return false;
  const size = bytes.readUInt32BE(0);
  if (size < 16 || size > bytes.length || size % 4 !== 0) return false;
  for (let at = 8; at + 4 <= size; at += 4) {
    // Offset 12 is the minor version, not a brand.
    if (at !== 12 && M4A_BRANDS.has(bytes.toString("latin1", at, at + 4))) return true;
  }
  return false;
}

/** How a refusal names bytes that are no sound it knows: a common container by name, else the first bytes. */
function describeBytes(bytes: Buffer): string {
  if (startsWithAscii(bytes, 0, "RIFF") && startsWithAscii(bytes, 8, "WAVE")) return "a WAV file";
  if (startsWithAscii(bytes, 0, "fLaC")) return "a FLAC file";
  const head = [...bytes.subarray(0, 8)].map((byte) => byte.toString(16).padStart(2, "0")).join(" ");
  return `bytes starting ${head}`;
}

/**
 * What the bytes are: Ogg Opus when `oggOpusInfo` accepts them, another Ogg stream when only its framing is
 * sound, MP3 or M4A by their headers; else `detail` says why none (a stream that calls itself Opus must be valid
 * Opus).
 */
function identifySound(bytes: Buffer): Sound | { detail: string } {
  if (startsWithAscii(bytes, 0, "OggS")) {
    let opusError: Error;
    try {
      return { format: "ogg-opus", mimeType: "audio/ogg", realDuration: oggOpusInfo(bytes).durationSeconds };
    } catch (err) {
      if (!isAudioError(err)) throw err;
      opusError = err;
    }
    try {
      const first = readOggStream(bytes).packets[0]?.data;
      if (first && !startsWithAscii(first, 0, "OpusHead")) return { format: "ogg", mimeType: "audio/ogg" };
    } catch (err) {
      if (!isAudioError(err)) throw err;
    }
    return { detail: opusError.message };
  }
  if (isMp3FrameHeader(bytes, id3v2End(bytes))) return { format: "mp3", mimeType: "audio/mpeg" };
  if (isM4a(bytes)) return { format: "m4a", mimeType: "audio/mp4" };
  return { detail: `not OGG/Opus, MP3 or M4A: ${describeBytes(bytes)}` };
}

/** The playable length of a user's voice note or audio when its bytes are a valid Ogg Opus file. */
function opusSeconds(content: Buffer, size: number): number | undefined {
  if (size !== content.length || !startsWithAscii(content, 0, "OggS")) return undefined;
  try {
    return oggOpusInfo(content).durationSeconds;
  } catch (err) {
    if (isAudioError(err)) return undefined;
    throw err;
  }
}

/**
 * `duration` as the Bot API reads an integer argument (td::to_integer, then clamped): the leading digits of its
 * text, so 2.7 is 2 and "abc" or nothing is 0, kept within 0 to a day.
 */
function readDuration(value: unknown): number {
  const text = typeof value === "number" || typeof value === "string" ? String(value) : "";
  const digits = /^-?\d+/.exec(text)?.[0];
  return Math.min(MAX_MEDIA_DURATION, Math.max(0, digits === undefined ? 0 : Number(digits)));
}

// ---------------------------------------------------------------------------------------------------------------
// The fake
// ---------------------------------------------------------------------------------------------------------------

// The fake has no channels: bots in channels post, they do not chat.
type NonChannelChat = Exclude<Chat, Chat.ChannelChat>;

interface ChatState {
  chat: NonChannelChat;
  type: FakeChatType;
  user: User;
  messages: Map<number, StoredMessage>;
  nextMessageId: number;
  stats: ChatStats;
  drafts: Map<number, DraftRecord>;
  actions: ChatActionRecord[];
  blocked: boolean;
  botIsAdmin: boolean;
  instance: string;
}

interface PendingQuery {
  id: string;
  chatId: number;
  messageId: number;
  data: string | undefined;
  pressedAt: number;
  answered: boolean;
}

interface PendingPoll {
  wake(): void;
  conflict(): void;
  finish(updates: Update[]): void;
}

const CHAT_ACTIONS = new Set([
  "typing",
  "upload_photo",
  "record_video",
  "upload_video",
  "record_voice",
  "upload_voice",
  "upload_document",
  "choose_sticker",
  "find_location",
  "record_video_note",
  "upload_video_note",
]);

const DEFAULT_TOKEN = "7000001:AAFakeTelegramTokenForTestsOnly0000";
const DEFAULT_GROUP_USER_ID = 1001;
const MAX_TEXT = 4096;
const MAX_CAPTION = 1024;
const MAX_CALLBACK_ANSWER = 200;
const MAX_ALBUM = 10;

function emptyStats(): ChatStats {
  return { sends: 0, edits: 0, deletes: 0, drafts: 0, chatActions: 0, tooManyRequests: 0, errors: 0 };
}

function errorBody(code: number, description: string, parameters?: ApiErrorBody["parameters"]): ApiErrorBody {
  return new TelegramApiError(code, description, parameters).toBody();
}

function defaultDescription(code: number): string {
  if (code === 400) return "Bad Request";
  if (code === 401) return TELEGRAM_ERRORS.unauthorized;
  if (code === 403) return "Forbidden";
  if (code === 404) return TELEGRAM_ERRORS.notFound;
  if (code === 409) return "Conflict";
  if (code === 502) return "Bad Gateway";
  return TELEGRAM_ERRORS.internal;
}

export class FakeTelegram {
  /** `http://127.0.0.1:PORT`, for grammY's `client.apiRoot`. */
  readonly apiRoot: string;
  readonly token: string;
  readonly botInfo: UserFromGetMe;
  /**
   * Fired with "call" (ApiCall) after every API call, "download" (DownloadRecord) when a download ends, and
   * "change" after every state change.
   */
  readonly events = new EventEmitter();
  /** Local mode: the temporary directory getFile writes files to (removed at close); undefined otherwise. */
  readonly localDir: string | undefined;

  private readonly server: Server;
  private readonly now: () => number;
  private readonly handlers = new Map<string, MethodHandler>();
  private readonly chats = new Map<number, ChatState>();
  private readonly users = new Map<number, User>();
  private readonly callLog: ApiCall[] = [];
  private readonly answers: CallbackAnswer[] = [];
  private readonly documentLog: DocumentRecord[] = [];
  private readonly voiceProblemLog: VoiceProblem[] = [];
  private readonly queries = new Map<string, PendingQuery>();
  private readonly faults = new Map<string, Fault[]>();
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly commandSets = new Map<string, BotCommand[]>();
  private readonly hangs = new Set<() => void>();
  private readonly inflight = new Set<ServerResponse>();
  private readonly fileStore = new Map<string, FileRecord>();
  private readonly filesByPath = new Map<string, FileRecord>();
  private readonly downloadLog: DownloadRecord[] = [];
  private readonly downloadFaults: DownloadFault[] = [];
  private readonly localMode: boolean;
  private downloadDelayMs: number;
  private readonly callbackQueryTimeoutMs: number;
  private readonly draftLifetimeMs: number;
  private readonly privacyMode: boolean;
  private readonly htmlOptions: HtmlParseOptions;
  private limits: FloodLimits | undefined;
  private updates: Update[] = [];
  private nextUpdateId = 100_001;
  private nextQueryId = 9_000_001;
  private nextFileId = 1;
  private nextFilePath = 0;
  private nextMediaGroupId = 1n;
  private allowedUpdates: Set<string> | undefined;
  private poll: PendingPoll | undefined;
  private closed = false;
  private webhook:
    | {
        url: string;
        secret: string | undefined;
        maxConnections: number;
        lastError?: { date: number; message: string };
      }
    | undefined;
  /** Updates being POSTed now, and their chats (one delivery per chat at a time: see `pumpWebhook`). */
  private readonly webhookInFlight = new Set<number>();
  private readonly webhookChatsInFlight = new Set<number>();
  private webhookRetry: ReturnType<typeof setTimeout> | undefined;
  private readonly webhookTimeoutMs: number;
  private readonly webhookRetryMs: number;
  /** Updates already delivered, for `redeliver` (the newest 10 000). */
  private readonly delivered = new Map<number, Update>();
  private readonly deliveryLog: WebhookDelivery[] = [];

  /** Use startFakeTelegram(). */
  constructor(server: Server, port: number, options: FakeTelegramOptions, localDir?: string) {
    this.server = server;
    this.localDir = localDir;
    this.webhookTimeoutMs = options.webhook?.timeoutMs ?? 10_000;
    this.webhookRetryMs = options.webhook?.retryMs ?? 200;
    this.apiRoot = `http://127.0.0.1:${port}`;
    this.token = options.token ?? DEFAULT_TOKEN;
    const botId = Number(this.token.split(":")[0]);
    this.botInfo = {
      id: Number.isSafeInteger(botId) && botId > 0 ? botId : 7000001,
      is_bot: true,
      first_name: "Test Ollama Bot",
      username: "test_ollama_bot",
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
      has_topics_enabled: false,
      allows_users_to_create_topics: false,
      can_manage_bots: false,
      supports_join_request_queries: false,
      ...options.botInfo,
    };
    this.now = options.now ?? Date.now;
    this.limits = options.limits === false ? undefined : { ...DEFAULT_FLOOD_LIMITS, ...options.limits };
    this.callbackQueryTimeoutMs = options.callbackQueryTimeoutMs ?? 15_000;
    this.draftLifetimeMs = options.draftLifetimeMs ?? 30_000;
    this.privacyMode = options.privacyMode ?? !this.botInfo.can_read_all_group_messages;
    this.htmlOptions = options.html ?? {};
    this.localMode = options.localMode ?? false;
    if (this.localMode && localDir === undefined)
      throw new Error("localMode needs a localDir: use startFakeTelegram()");
    this.downloadDelayMs = options.downloadDelayMs ?? 0;
    // Many concurrent waitFor calls are normal in a test; the default cap of 10 would only print noise.
    this.events.setMaxListeners(0);
    this.installMethods();
    server.on("request", (req: IncomingMessage, res: ServerResponse) => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent)
          this.respond(res, errorBody(500, `${TELEGRAM_ERRORS.internal}: ${String(err)}`));
      });
    });
  }

  // -- test-facing API: inspection ------------------------------------------------------------------------

  /** Every API call so far, oldest first. */
  get calls(): readonly ApiCall[] {
    return this.callLog;
  }

  /** Calls to one method (case-insensitive). */
  callsTo(method: string): ApiCall[] {
    const key = method.toLowerCase();
    return this.callLog.filter((call) => call.method.toLowerCase() === key);
  }

  /** Every answerCallbackQuery that succeeded. */
  get callbackAnswers(): readonly CallbackAnswer[] {
    return this.answers;
  }

  /** Every document the bot sent, with uploaded bytes. */
  get documents(): readonly DocumentRecord[] {
    return this.documentLog;
  }

  /**
   * Voice notes and audio the bot sent that a user would find wrong, oldest first: a test that sends voice
   * expects this empty (see `VoiceProblem`).
   */
  get voiceProblems(): readonly VoiceProblem[] {
    return this.voiceProblemLog;
  }

  /** A file the fake holds (users' media and the bot's uploads), by file_id; a copy. */
  file(fileId: string): FileRecord | undefined {
    const file = this.fileStore.get(fileId);
    return file ? { ...file } : undefined;
  }

  /** Every request to the download route, oldest first, refused ones included. */
  get downloads(): readonly DownloadRecord[] {
    return this.downloadLog;
  }

  /** The downloads of one file (by file_id), oldest first. */
  downloadsOf(fileId: string): DownloadRecord[] {
    return this.downloadLog.filter((download) => download.fileId === fileId);
  }

  /** Callback queries the bot has not answered yet (the user still sees a spinner). */
  unansweredCallbackQueries(): { id: string; chatId: number; messageId: number; data: string | undefined }[] {
    return [...this.queries.values()]
      .filter((query) => !query.answered)
      .map(({ id, chatId, messageId, data }) => ({ id, chatId, messageId, data }));
  }

  /** A getUpdates call is waiting for updates (its "change" event fires when it starts waiting). */
  hasPendingPoll(): boolean {
    return this.poll !== undefined;
  }

  /** Updates not yet confirmed by a getUpdates offset. */
  pendingUpdates(): readonly Update[] {
    return this.updates;
  }

  /** What the user sees in a chat now: non-deleted messages, oldest first. */
  visibleMessages(chatId: number): VisibleMessage[] {
    const chat = this.chats.get(chatId);
    if (!chat) return [];
    return [...chat.messages.values()].filter((m) => !m.deleted).map((m) => this.toVisible(m));
  }

  /** The newest message from the bot the user can still see. */
  lastBotMessage(chatId: number): VisibleMessage | undefined {
    return this.visibleMessages(chatId)
      .filter((m) => m.from === "bot")
      .at(-1);
  }

  /** Full history of a chat, deleted messages included (copies). */
  history(chatId: number): StoredMessage[] {
    const chat = this.chats.get(chatId);
    return chat ? [...chat.messages.values()].map((m) => ({ ...m, entities: [...m.entities] })) : [];
  }

  /** Every draft of a chat with its latest state. */
  drafts(chatId: number): DraftRecord[] {
    const chat = this.chats.get(chatId);
    return chat ? [...chat.drafts.values()].map((d) => ({ ...d })) : [];
  }

  /** The draft the user sees now: the latest one not cleared by a message and not expired. */
  visibleDraft(chatId: number): DraftRecord | undefined {
    const now = this.now();
    return this.drafts(chatId)
      .filter((d) => !d.cleared && now - d.updatedAt < this.draftLifetimeMs)
      .sort((a, b) => a.updatedAt - b.updatedAt)
      .at(-1);
  }

  chatActions(chatId: number): ChatActionRecord[] {
    return [...(this.chats.get(chatId)?.actions ?? [])];
  }

  stats(chatId: number): ChatStats {
    return { ...(this.chats.get(chatId)?.stats ?? emptyStats()) };
  }

  /** Commands set for a scope and language (default scope, no language when omitted). */
  commands(scope?: Record<string, unknown>, languageCode?: string): BotCommand[] {
    return [...(this.commandSets.get(this.commandKey(scope, languageCode)) ?? [])];
  }

  /**
   * Resolves with the predicate's first truthy value, re-checked after every API call and state change (no
   * polling). Rejects after `timeoutMs` real milliseconds, listing the last calls.
   */
  waitFor<T>(
    predicate: (fake: FakeTelegram) => T | undefined | null | false,
    options: WaitForOptions = {},
  ): Promise<T> {
    const timeoutMs = options.timeoutMs ?? 3000;
    return new Promise<T>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const settle = (fn: () => void) => {
        this.events.off("change", check);
        if (timer !== undefined) realClearTimeout(timer);
        fn();
      };
      const check = () => {
        let value: T | undefined | null | false;
        try {
          value = predicate(this);
        } catch (err) {
          settle(() => reject(err));
          return;
        }
        if (value !== undefined && value !== null && value !== false) settle(() => resolve(value));
      };
      this.events.on("change", check);
      timer = realSetTimeout(() => {
        const recent = this.callLog
          .slice(-8)
          .map((c) => `${c.method} -> ${c.ok ? "ok" : (c.error?.description ?? c.transport)}`)
          .join("; ");
        const what = options.description ? ` for ${options.description}` : "";
        settle(() =>
          reject(new Error(`waitFor${what} timed out after ${timeoutMs} ms; last calls: ${recent}`)),
        );
      }, timeoutMs);
      check();
    });
  }

  /** Resolves with the next call to `method` made after `since` (default: calls already logged). */
  waitForCall(method: string, options: WaitForOptions & { since?: number } = {}): Promise<ApiCall> {
    const since = options.since ?? this.callLog.length;
    const key = method.toLowerCase();
    return this.waitFor(
      (fake) => fake.callLog.slice(since).find((call) => call.method.toLowerCase() === key),
      {
        description: `a call to ${method}`,
        ...options,
      },
    );
  }

  // -- test-facing API: acting as the user -------------------------------------------------------------------

  /** Creates a chat the bot may write to (sendText creates chats too). */
  addChat(chatId: number, options: AddChatOptions = {}): Chat {
    const existing = this.chats.get(chatId);
    if (existing) {
      if (options.botIsAdmin !== undefined) existing.botIsAdmin = options.botIsAdmin;
      return existing.chat;
    }
    const type =
      options.type ?? (chatId > 0 ? "private" : chatId <= -1_000_000_000_000 ? "supergroup" : "group");
    if ((type === "private") !== chatId > 0) {
      throw new Error(
        `addChat: a ${type} chat needs a ${type === "private" ? "positive" : "negative"} id, got ${chatId}`,
      );
    }
    let chat: NonChannelChat;
    let user: User;
    if (type === "private") {
      user = this.user({ id: chatId, ...options.user });
      chat = {
        id: chatId,
        type,
        first_name: user.first_name,
        ...(user.username ? { username: user.username } : {}),
      };
    } else {
      user = this.user({ id: DEFAULT_GROUP_USER_ID });
      const title = options.title ?? `Test group ${-chatId}`;
      chat = type === "group" ? { id: chatId, type, title } : { id: chatId, type, title };
    }
    this.chats.set(chatId, {
      chat,
      type,
      user,
      messages: new Map(),
      nextMessageId: 1,
      stats: emptyStats(),
      drafts: new Map(),
      actions: [],
      blocked: false,
      botIsAdmin: options.botIsAdmin ?? false,
      instance: String(BigInt(chatId) * 7919n + 1_000_000_007n),
    });
    return chat;
  }

  /** The user sends a text message; it becomes a `message` update (bot_command/mention entities included). */
  sendText(chatId: number, text: string, options: SendTextOptions = {}): UserMessage {
    this.addChat(chatId, { type: options.chatType, title: options.title });
    const chat = this.chats.get(chatId)!;
    const sender = this.senderFor(chat, options.from);
    if (options.replyTo !== undefined && !chat.messages.get(options.replyTo)) {
      throw new Error(`sendText: chat ${chatId} has no message ${options.replyTo} to reply to`);
    }
    const stored = this.append(chat, {
      from: "user",
      sender,
      kind: "text",
      text,
      entities: detectEntities(text),
      source: text,
      parseMode: undefined,
      replyMarkup: undefined,
      replyToMessageId: options.replyTo,
      document: undefined,
      media: undefined,
    });
    return this.deliverUserMessage(chat, stored);
  }

  /**
   * The user sends a photo: `message.photo` lists its sizes smallest first, each a file of its own. Bytes become
   * the largest size (its dimensions read from PNG or JPEG bytes, else 1280×960) above placeholder renderings
   * in Telegram's smaller boxes; `{ sizes }` gives every size. A caption mentioning the bot carries the mention
   * entity, which is what lets the photo through group privacy mode.
   */
  sendPhoto(chatId: number, photo: PhotoInput, options: SendMediaOptions = {}): UserMessage {
    const sizes =
      photo instanceof Uint8Array
        ? derivePhotoSizes(Buffer.from(photo))
        : photo.sizes.map((size) => ({ ...size, bytes: Buffer.from(size.bytes) }));
    if (sizes.length === 0) throw new Error("sendPhoto: a photo needs at least one size");
    sizes.sort((a, b) => a.width * a.height - b.width * b.height);
    const photoSizes = sizes.map((size) => this.photoSize("photo", size.bytes, size.width, size.height));
    return this.sendMedia(
      "sendPhoto",
      chatId,
      { type: "photo", photo: photoSizes, mediaGroupId: options.mediaGroupId },
      options,
    );
  }

  /**
   * The user sends an album: one message per photo, all with one media_group_id (`options.mediaGroupId` or a
   * new one), each its own update queued right after the previous one, so a waiting getUpdates may return the
   * first alone. Only the first carries the caption, as Telegram's clients send it.
   */
  sendAlbum(chatId: number, photos: PhotoInput[], options: SendMediaOptions = {}): UserMessage[] {
    if (photos.length < 2 || photos.length > MAX_ALBUM) {
      throw new Error(`sendAlbum: an album has 2 to ${MAX_ALBUM} items, got ${photos.length}`);
    }
    const mediaGroupId = options.mediaGroupId ?? this.newMediaGroupId();
    const { caption: _caption, caption_entities: _entities, ...uncaptioned } = options;
    return photos.map((photo, i) =>
      this.sendPhoto(chatId, photo, { ...(i === 0 ? options : uncaptioned), mediaGroupId }),
    );
  }

  /**
   * The user sends a file (`message.document`). An image mime type with PNG or JPEG bytes gets a thumbnail, as
   * Telegram renders one.
   */
  sendDocument(chatId: number, bytes: Uint8Array, options: SendDocumentOptions): UserMessage {
    const content = Buffer.from(bytes);
    const file = this.registerFile("document", content, {
      fileName: options.fileName,
      mimeType: options.mimeType,
      declaredSize: options.declaredSize,
    });
    const thumbnail = options.mimeType.startsWith("image/") ? this.thumbnail(content) : undefined;
    const document: Document = {
      file_name: options.fileName,
      mime_type: options.mimeType,
      ...(thumbnail ? { thumbnail } : {}),
      file_id: file.fileId,
      file_unique_id: file.fileUniqueId,
      file_size: file.size,
    };
    return this.sendMedia(
      "sendDocument",
      chatId,
      { type: "document", document, mediaGroupId: options.mediaGroupId },
      options,
    );
  }

  /** The user sends an image "as a file" (uncompressed): a document whose mime type and name follow the bytes. */
  sendImageFile(chatId: number, bytes: Uint8Array, options: SendImageFileOptions = {}): UserMessage {
    const mimeType = options.mimeType ?? imageMimeType(Buffer.from(bytes)) ?? "image/png";
    const fileName = options.fileName ?? (mimeType === "image/jpeg" ? "image.jpg" : "image.png");
    return this.sendDocument(chatId, bytes, { ...options, fileName, mimeType });
  }

  /** The user records a voice note (`message.voice`). */
  sendVoice(chatId: number, bytes: Uint8Array, options: SendVoiceOptions): UserMessage {
    const duration = this.duration("sendVoice", options.duration);
    const mimeType = options.mimeType ?? "audio/ogg";
    const content = Buffer.from(bytes);
    const file = this.registerFile("voice", content, {
      mimeType,
      declaredSize: options.declaredSize,
      realDuration: opusSeconds(content, options.declaredSize ?? content.length),
    });
    const voice: Voice = {
      duration,
      mime_type: mimeType,
      file_id: file.fileId,
      file_unique_id: file.fileUniqueId,
      file_size: file.size,
    };
    return this.sendMedia("sendVoice", chatId, { type: "voice", voice, mediaGroupId: undefined }, options);
  }

  /** The user sends a music file (`message.audio`). */
  sendAudio(chatId: number, bytes: Uint8Array, options: SendAudioOptions): UserMessage {
    const duration = this.duration("sendAudio", options.duration);
    const content = Buffer.from(bytes);
    const file = this.registerFile("audio", content, {
      fileName: options.fileName,
      mimeType: options.mimeType,
      declaredSize: options.declaredSize,
      realDuration: opusSeconds(content, options.declaredSize ?? content.length),
    });
    const audio: Audio = {
      duration,
      ...(options.performer !== undefined ? { performer: options.performer } : {}),
      ...(options.title !== undefined ? { title: options.title } : {}),
      file_name: options.fileName,
      mime_type: options.mimeType,
      file_id: file.fileId,
      file_unique_id: file.fileUniqueId,
      file_size: file.size,
    };
    return this.sendMedia(
      "sendAudio",
      chatId,
      { type: "audio", audio, mediaGroupId: options.mediaGroupId },
      options,
    );
  }

  /**
   * The user sends a sticker (a message without text, as photos and voice notes are): the bot receives a
   * message update with `sticker` and no `text`.
   */
  sendSticker(chatId: number, emoji = "👍", options: Omit<SendTextOptions, "replyTo"> = {}): UserMessage {
    this.addChat(chatId, { type: options.chatType, title: options.title });
    const chat = this.chats.get(chatId)!;
    const sender = this.senderFor(chat, options.from);
    const stored = this.append(chat, {
      from: "user",
      sender,
      kind: "text",
      text: emoji,
      entities: [],
      source: emoji,
      parseMode: undefined,
      replyMarkup: undefined,
      replyToMessageId: undefined,
      document: undefined,
      media: undefined,
    });
    const {
      text: _text,
      entities: _entities,
      ...rest
    } = this.toApiMessage(stored) as Message & { text?: string };
    const message = {
      ...rest,
      sticker: {
        file_id: `sticker-${stored.messageId}`,
        file_unique_id: `u-sticker-${stored.messageId}`,
        type: "regular",
        width: 512,
        height: 512,
        is_animated: false,
        is_video: false,
        emoji,
      },
    } as unknown as Message;
    const delivered = chat.type === "private";
    const updateId = delivered
      ? this.enqueue({ message: { ...message, chat: chat.chat, from: sender } })
      : undefined;
    this.changed();
    return { messageId: stored.messageId, message, delivered, ...(updateId ? { updateId } : {}) };
  }

  /**
   * The user presses the callback button carrying `data` on a message; returns the callback query id.
   * Throws (a test bug) when no visible button carries that data, unless `forged`.
   */
  pressButton(chatId: number, messageId: number, data: string, options: PressButtonOptions = {}): string {
    const chat = this.chats.get(chatId);
    if (!chat) throw new Error(`pressButton: no chat ${chatId}`);
    const stored = chat.messages.get(messageId);
    const visible = stored && !stored.deleted ? stored : undefined;
    if (!options.forged) {
      if (!visible) throw new Error(`pressButton: message ${messageId} in chat ${chatId} is not visible`);
      const buttons = inlineButtons(visible.replyMarkup).flat();
      if (!buttons.some((b) => b.data === data)) {
        const have = buttons.map((b) => JSON.stringify(b.data ?? b.url)).join(", ") || "no buttons";
        throw new Error(
          `pressButton: message ${messageId} has no button with data ${JSON.stringify(data)} (${have})`,
        );
      }
    }
    const id = String(this.nextQueryId++);
    const message = visible
      ? this.toApiMessage(visible)
      : ({ chat: chat.chat, message_id: messageId, date: 0 } satisfies InaccessibleMessage);
    const query: CallbackQuery = {
      id,
      from: this.senderFor(chat, options.from),
      message,
      chat_instance: chat.instance,
      data,
    };
    this.queries.set(id, { id, chatId, messageId, data, pressedAt: this.now(), answered: false });
    this.enqueue({ callback_query: query });
    this.changed();
    return id;
  }

  /** Presses the button labelled `text`; returns the callback query id. */
  pressButtonLabeled(
    chatId: number,
    messageId: number,
    text: string,
    options: PressButtonOptions = {},
  ): string {
    const msg = this.chats.get(chatId)?.messages.get(messageId);
    const button = inlineButtons(msg?.replyMarkup)
      .flat()
      .find((b) => b.text === text);
    if (button?.data === undefined) {
      throw new Error(
        `pressButtonLabeled: message ${messageId} in chat ${chatId} has no callback button "${text}"`,
      );
    }
    return this.pressButton(chatId, messageId, button.data, options);
  }

  /** The user presses the stop button of a draft sent with can_stop; queues `stopped_message_generation`. */
  stopDraft(chatId: number, draftId: number): number {
    const chat = this.chats.get(chatId);
    const draft = chat?.drafts.get(draftId);
    if (!chat || !draft) throw new Error(`stopDraft: chat ${chatId} has no draft ${draftId}`);
    if (!draft.canStop) throw new Error(`stopDraft: draft ${draftId} was sent without can_stop`);
    const updateId = this.enqueue({
      stopped_message_generation: { chat: chat.chat as Chat.PrivateChat, draft_id: draftId },
    });
    this.changed();
    return updateId;
  }

  /** The user blocks (or unblocks) the bot: sends then fail with 403. */
  blockBot(chatId: number, blocked = true): void {
    this.addChat(chatId);
    this.chats.get(chatId)!.blocked = blocked;
    this.changed();
  }

  // -- test-facing API: faults and limits -----------------------------------------------------------------------

  /** Fails the next `count` calls to `method` (case-insensitive; "*" matches any method) with `fault`. */
  failNext(method: string, fault: Fault, count = 1): void {
    const key = method.toLowerCase();
    const queue = this.faults.get(key) ?? [];
    for (let i = 0; i < count; i++) queue.push(fault);
    this.faults.set(key, queue);
  }

  /** Fails the next `count` downloads (any file) with `fault`. */
  failNextDownload(fault: DownloadFault, count = 1): void {
    for (let i = 0; i < count; i++) this.downloadFaults.push(fault);
  }

  /** Real milliseconds every download waits from now on before its headers; 0 turns the delay off. */
  setDownloadDelay(ms: number): void {
    this.downloadDelayMs = Math.max(0, ms);
  }

  clearFaults(): void {
    this.faults.clear();
    this.downloadFaults.length = 0;
  }

  /** Replaces the flood budgets (merged over the defaults) and refills every bucket; `false` turns limits off. */
  setFloodLimits(limits: Partial<FloodLimits> | false): void {
    this.limits = limits === false ? undefined : { ...DEFAULT_FLOOD_LIMITS, ...limits };
    this.buckets.clear();
  }

  /** Adds or replaces a method; the name is case-insensitive, as in the Bot API. */
  addMethod(name: string, handler: MethodHandler): void {
    this.handlers.set(name.toLowerCase(), handler);
  }

  /** Stops the server: a pending getUpdates returns [] at once, hung calls are cut, sockets are closed. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.poll?.finish([]);
    realClearTimeout(this.webhookRetry);
    for (const release of this.hangs) release();
    // Let the answers just written (the pending poll's []) reach the client before the sockets are cut.
    let grace: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      Promise.all([...this.inflight].map((res) => new Promise((resolve) => res.once("close", resolve)))),
      new Promise((resolve) => {
        grace = realSetTimeout(resolve, 1000);
      }),
    ]);
    realClearTimeout(grace);
    const closing = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // grammY keeps sockets alive; without this, close() would wait for them to time out.
    this.server.closeAllConnections();
    await closing;
    if (this.localDir !== undefined) await rm(this.localDir, { recursive: true, force: true });
  }

  // -- request handling ---------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const controller = new AbortController();
    this.inflight.add(res);
    res.on("finish", () => this.inflight.delete(res));
    res.on("close", () => {
      this.inflight.delete(res);
      if (!res.writableFinished) controller.abort();
    });
    const at = this.now();
    const url = new URL(req.url ?? "/", this.apiRoot);
    const download = /^\/file\/bot([^/]*)\/(.+)$/.exec(url.pathname);
    if (download) {
      await this.download(res, decodeURIComponent(download[1] ?? ""), download[2] ?? "", controller.signal);
      return;
    }
    const match = /^\/bot([^/]*)\/([^/]+)$/.exec(url.pathname);
    if (!match) {
      this.respond(res, errorBody(404, TELEGRAM_ERRORS.notFound));
      return;
    }
    const token = decodeURIComponent(match[1] ?? "");
    const method = match[2] ?? "";
    const call: ApiCall = { method, params: {}, at, ok: false };
    let request: ParsedRequest;
    try {
      request = await readRequest(req, url);
    } catch (err) {
      this.finish(call, res, err instanceof TelegramApiError ? err.toBody() : errorBody(400, "Bad Request"));
      return;
    }
    call.params = request.logged;
    if (token !== this.token) {
      this.finish(call, res, errorBody(401, TELEGRAM_ERRORS.unauthorized));
      return;
    }
    const key = method.toLowerCase();
    const fault = this.takeFault(key);
    if (fault && "hang" in fault) {
      await new Promise<void>((resolve) => {
        const release = () => {
          this.hangs.delete(release);
          resolve();
        };
        this.hangs.add(release);
        controller.signal.addEventListener("abort", release, { once: true });
      });
      call.transport = "hung";
      this.record(call);
      res.destroy();
      return;
    }
    if (fault && "dropConnection" in fault && !fault.afterApplying) {
      call.transport = "dropped";
      this.record(call);
      res.destroy();
      return;
    }
    if (fault && "code" in fault) {
      const code = fault.code;
      const retryAfter = code === 429 ? Math.max(1, fault.retryAfter ?? 1) : undefined;
      const description =
        fault.description ??
        (retryAfter !== undefined ? TELEGRAM_ERRORS.tooManyRequests(retryAfter) : defaultDescription(code));
      this.finish(
        call,
        res,
        errorBody(code, description, retryAfter ? { retry_after: retryAfter } : undefined),
      );
      return;
    }
    const handler = this.handlers.get(key);
    if (!handler) {
      this.finish(call, res, errorBody(404, TELEGRAM_ERRORS.methodNotFound));
      return;
    }
    let body: { ok: true; result: unknown } | ApiErrorBody;
    try {
      const result = await handler(request.params, {
        signal: controller.signal,
        files: request.files,
        fake: this,
      });
      body = { ok: true, result };
    } catch (err) {
      // A crash in the fake (or in a handler a test added) still reaches the log, where the test can see it.
      body =
        err instanceof TelegramApiError
          ? err.toBody()
          : errorBody(500, `${TELEGRAM_ERRORS.internal}: ${err}`);
    }
    if (controller.signal.aborted) {
      call.transport = "aborted";
      this.record(call, body);
      return;
    }
    if (fault && "dropConnection" in fault) {
      call.transport = "dropped";
      this.record(call, body);
      res.destroy();
      return;
    }
    this.finish(call, res, body);
  }

  // -- files ----------------------------------------------------------------------------------------------------

  private async download(
    res: ServerResponse,
    token: string,
    rawPath: string,
    signal: AbortSignal,
  ): Promise<void> {
    let filePath = rawPath;
    try {
      filePath = decodeURIComponent(rawPath);
    } catch {
      // A malformed escape names no file; the raw path is looked up and not found.
    }
    const record: DownloadRecord = {
      fileId: undefined,
      filePath,
      status: 0,
      bytes: 0,
      at: this.now(),
      outcome: "in progress",
    };
    this.downloadLog.push(record);
    this.changed();
    // A local server serves no files at all: the bot must read the absolute file_path from disk.
    const file = !this.localMode && token === this.token ? this.filesByPath.get(filePath) : undefined;
    if (!file) {
      const code = !this.localMode && token !== this.token ? 401 : 404;
      this.respond(
        res,
        errorBody(code, code === 401 ? TELEGRAM_ERRORS.unauthorized : TELEGRAM_ERRORS.notFound),
      );
      this.endDownload(record, "refused", code);
      return;
    }
    record.fileId = file.fileId;
    const fault = this.downloadFaults.shift();
    if (this.downloadDelayMs > 0) await this.pause(signal, this.downloadDelayMs);
    if (signal.aborted || this.closed) {
      res.destroy();
      this.endDownload(record, "aborted");
      return;
    }
    if (fault && "code" in fault) {
      this.respond(res, errorBody(fault.code, fault.description ?? defaultDescription(fault.code)));
      this.endDownload(record, "refused", fault.code);
      return;
    }
    if (fault && fault.afterBytes === undefined) {
      if ("hang" in fault) await this.pause(signal);
      res.destroy();
      this.endDownload(record, "hang" in fault ? "hung" : "dropped");
      return;
    }
    res.writeHead(200, {
      "content-type": file.mimeType ?? "application/octet-stream",
      "content-length": String(file.size),
    });
    record.status = 200;
    // An interruption needs a byte left to withhold: with them all sent, the client has the whole body.
    const limit = fault ? Math.min(fault.afterBytes ?? 0, file.size - 1) : file.size;
    await this.writeBody(res, file, limit, record, signal);
    if (fault) {
      if ("hang" in fault) await this.pause(signal);
      res.destroy();
      this.endDownload(record, "hang" in fault ? "hung" : "dropped");
      return;
    }
    if (!signal.aborted && !res.destroyed) {
      res.end();
      await new Promise<void>((resolve) => {
        if (res.writableFinished) resolve();
        res.once("finish", () => resolve());
        res.once("close", () => resolve());
      });
    }
    this.endDownload(record, res.writableFinished ? "complete" : "aborted");
  }

  /** Writes the body up to `limit` bytes, the bytes past the content as zeros, minding backpressure. */
  private async writeBody(
    res: ServerResponse,
    file: FileRecord,
    limit: number,
    record: DownloadRecord,
    signal: AbortSignal,
  ): Promise<void> {
    while (record.bytes < limit && !signal.aborted && !res.destroyed) {
      const end = Math.min(limit, record.bytes + DOWNLOAD_CHUNK);
      const chunk =
        record.bytes < file.content.length
          ? file.content.subarray(record.bytes, Math.min(end, file.content.length))
          : ZEROS.subarray(0, end - record.bytes);
      record.bytes += chunk.length;
      if (!res.write(chunk)) {
        await new Promise<void>((resolve) => {
          const done = () => {
            res.off("drain", done);
            res.off("close", done);
            resolve();
          };
          res.on("drain", done);
          res.on("close", done);
        });
      }
    }
  }

  private endDownload(record: DownloadRecord, outcome: DownloadRecord["outcome"], status?: number): void {
    record.outcome = outcome;
    if (status !== undefined) record.status = status;
    this.events.emit("download", record);
    this.changed();
  }

  /** Resolves after `ms` real milliseconds (never, without `ms`), when `signal` aborts, or when the fake closes. */
  private pause(signal: AbortSignal, ms?: number): Promise<void> {
    return new Promise<void>((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const release = () => {
        if (timer !== undefined) realClearTimeout(timer);
        signal.removeEventListener("abort", release);
        this.hangs.delete(release);
        resolve();
      };
      if (signal.aborted || this.closed) {
        resolve();
        return;
      }
      if (ms !== undefined) timer = realSetTimeout(release, ms);
      this.hangs.add(release);
      signal.addEventListener("abort", release, { once: true });
    });
  }

  private registerFile(
    kind: FileKind,
    content: Buffer,
    meta: {
      fileName?: string | undefined;
      mimeType?: string;
      declaredSize?: number | undefined;
      variant?: string;
      realDuration?: number | undefined;
    },
  ): FileRecord {
    const size = meta.declaredSize ?? content.length;
    if (!Number.isSafeInteger(size) || size < content.length) {
      throw new Error(
        `declaredSize must be a whole number no smaller than the ${content.length} bytes, got ${size}`,
      );
    }
    if (size === 0) throw new Error("Telegram's clients send no empty files: give the file some bytes");
    const n = this.nextFileId++;
    const digest = (...parts: (string | Buffer)[]) => {
      const hash = createHash("sha256");
      for (const part of parts) hash.update(part);
      return hash.digest("base64url");
    };
    const file: FileRecord = {
      // Long and opaque like Telegram's, and different for every file sent, even with the same bytes.
      fileId: `${FILE_ID_PREFIX[kind]}${digest(`${this.botInfo.id}:${n}`)}${digest(`${n}`).slice(0, 20)}`,
      // The same bytes of the same kind always get the same unique id.
      fileUniqueId: `${UNIQUE_ID_PREFIX[kind]}${digest(kind, meta.variant ?? "", content, `:${size}`).slice(0, 12)}`,
      kind,
      size,
      content,
      fileName: meta.fileName,
      mimeType: meta.mimeType,
      realDuration: meta.realDuration,
      filePath: undefined,
      localPath: undefined,
    };
    this.fileStore.set(file.fileId, file);
    return file;
  }

  private photoSize(kind: "photo" | "thumbnail", bytes: Buffer, width: number, height: number): PhotoSize {
    const file = this.registerFile(kind, bytes, { mimeType: "image/jpeg", variant: `${width}x${height}` });
    return { file_id: file.fileId, file_unique_id: file.fileUniqueId, width, height, file_size: file.size };
  }

  /** The thumbnail Telegram renders for an image sent as a file, when the bytes are an image it could decode. */
  private thumbnail(content: Buffer): PhotoSize | undefined {
    const size = imageSize(content);
    if (!size || size.width === 0 || size.height === 0) return undefined;
    const { width, height } = fitBox(size.width, size.height, THUMBNAIL_BOX);
    const share = (width * height) / (size.width * size.height);
    const length = Math.max(1, Math.min(content.length, Math.round(content.length * share)));
    return this.photoSize("thumbnail", placeholderBytes(content, "thumbnail", length), width, height);
  }

  private duration(helper: string, seconds: number): number {
    if (!Number.isInteger(seconds) || seconds < 0) {
      throw new Error(`${helper}: duration is whole seconds, got ${seconds}`);
    }
    return seconds;
  }

  private newMediaGroupId(): string {
    // Digits like Telegram's (which exceed 2^53, hence a string).
    return String(13_600_000_000_000_000n + this.nextMediaGroupId++);
  }

  private sendMedia(
    helper: string,
    chatId: number,
    media: StoredMedia,
    options: SendMediaOptions,
  ): UserMessage {
    this.addChat(chatId, { type: options.chatType, title: options.title });
    const chat = this.chats.get(chatId)!;
    const sender = this.senderFor(chat, options.from);
    if (options.replyTo !== undefined && !chat.messages.get(options.replyTo)) {
      throw new Error(`${helper}: chat ${chatId} has no message ${options.replyTo} to reply to`);
    }
    const caption = options.caption ?? "";
    const stored = this.append(chat, {
      from: "user",
      sender,
      kind: "media",
      text: caption,
      entities: options.caption_entities ?? detectEntities(caption),
      source: caption,
      parseMode: undefined,
      replyMarkup: undefined,
      replyToMessageId: options.replyTo,
      document: undefined,
      media,
    });
    return this.deliverUserMessage(chat, stored);
  }

  private deliverUserMessage(chat: ChatState, stored: StoredMessage): UserMessage {
    // Writing to a bot unblocks it.
    if (chat.blocked && chat.type === "private") chat.blocked = false;
    const message = this.toApiMessage(stored);
    const delivered = this.deliversToBot(chat, stored);
    const updateId = delivered
      ? this.enqueue({ message: { ...message, chat: chat.chat, from: stored.sender } })
      : undefined;
    this.changed();
    return { messageId: stored.messageId, message, delivered, ...(updateId ? { updateId } : {}) };
  }

  private takeFault(key: string): Fault | undefined {
    for (const name of [key, "*"]) {
      const queue = this.faults.get(name);
      const fault = queue?.shift();
      if (queue && queue.length === 0) this.faults.delete(name);
      if (fault) return fault;
    }
    return undefined;
  }

  private respond(res: ServerResponse, body: { ok: true; result: unknown } | ApiErrorBody): void {
    const status = body.ok ? 200 : body.error_code;
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  }

  private finish(
    call: ApiCall,
    res: ServerResponse,
    body: { ok: true; result: unknown } | ApiErrorBody,
  ): void {
    this.respond(res, body);
    this.record(call, body);
  }

  private record(call: ApiCall, body?: { ok: true; result: unknown } | ApiErrorBody): void {
    if (body?.ok) {
      call.ok = true;
      call.result = body.result;
    } else if (body) {
      call.error = body;
      const chat = this.chats.get(readInt(call.params.chat_id) ?? Number.NaN);
      if (chat) {
        chat.stats.errors++;
        if (body.error_code === 429) chat.stats.tooManyRequests++;
      }
    }
    this.callLog.push(call);
    this.events.emit("call", call);
    this.changed();
  }

  private changed(): void {
    this.events.emit("change");
  }

  // -- state helpers ------------------------------------------------------------------------------------------

  private user(overrides: Partial<User> & { id: number }): User {
    const known = this.users.get(overrides.id);
    const user: User = {
      ...(known ?? {
        id: overrides.id,
        is_bot: false,
        first_name: "Test",
        last_name: "User",
        username: `test_user_${overrides.id}`,
        language_code: "en",
      }),
      ...overrides,
    };
    this.users.set(user.id, user);
    return user;
  }

  private senderFor(chat: ChatState, from: Partial<User> | undefined): User {
    if (chat.type === "private") {
      if (from?.id !== undefined && from.id !== chat.chat.id) {
        throw new Error(`In a private chat the user id is the chat id (${chat.chat.id}), got ${from.id}`);
      }
      return this.user({ ...from, id: chat.chat.id });
    }
    return this.user({ ...from, id: from?.id ?? DEFAULT_GROUP_USER_ID });
  }

  private botUser(): User {
    const { id, is_bot, first_name, username } = this.botInfo;
    return { id, is_bot, first_name, username };
  }

  private date(): number {
    // Message dates are positive by contract; a test clock starting at 0 must not produce date 0, which marks
    // an inaccessible message.
    return Math.max(1, Math.floor(this.now() / 1000));
  }

  private append(
    chat: ChatState,
    fields: Omit<StoredMessage, "chatId" | "messageId" | "date" | "editCount" | "editDate" | "deleted">,
  ): StoredMessage {
    const stored: StoredMessage = {
      ...fields,
      chatId: chat.chat.id,
      messageId: chat.nextMessageId++,
      date: this.date(),
      editCount: 0,
      editDate: undefined,
      deleted: false,
    };
    chat.messages.set(stored.messageId, stored);
    return stored;
  }

  private enqueue(update: Omit<Update, "update_id">): number {
    const update_id = this.nextUpdateId++;
    this.updates.push({ update_id, ...update });
    this.poll?.wake();
    this.pumpWebhook();
    return update_id;
  }

  // -- webhook ------------------------------------------------------------------------------------------------

  /** The webhook's deliveries so far, oldest first (each POST, re-deliveries included). */
  webhookDeliveries(): readonly WebhookDelivery[] {
    return this.deliveryLog;
  }

  /** The webhook the bot set, if any. */
  webhookInfo(): { url: string; secret: string | undefined; maxConnections: number } | undefined {
    return (
      this.webhook && {
        url: this.webhook.url,
        secret: this.webhook.secret,
        maxConnections: this.webhook.maxConnections,
      }
    );
  }

  /**
   * Delivers an update the bot already answered once more, as Telegram does when it judged the answer too late
   * (or its connection broke after the bot had taken the update). Resolves with the bot's status code (0: failed).
   */
  async redeliver(updateId: number): Promise<number> {
    const update = this.delivered.get(updateId);
    if (!update) throw new Error(`update ${updateId} was never delivered to the webhook`);
    return this.post(update);
  }

  /**
   * Starts deliveries while there are connections free: pending updates in order, at most `max_connections` at
   * once, and never two of one chat at a time, so a chat's updates reach the bot in their order. (Telegram's
   * exact policy is undisclosed; it keeps a chat's order in practice.) A failed delivery is tried again after
   * `webhook.retryMs`, and the ones behind it in its chat wait for it.
   */
  private pumpWebhook(): void {
    const hook = this.webhook;
    if (!hook || this.closed) return;
    const allowed = this.allowedUpdates;
    if (allowed) {
      this.updates = this.updates.filter((u) =>
        Object.keys(u).some((k) => k !== "update_id" && allowed.has(k)),
      );
    }
    const blocked = new Set(this.webhookChatsInFlight);
    for (const update of this.updates) {
      if (this.webhookInFlight.size >= hook.maxConnections) break;
      const chat = updateChatId(update);
      if (this.webhookInFlight.has(update.update_id)) {
        if (chat !== undefined) blocked.add(chat);
        continue;
      }
      if (chat !== undefined && blocked.has(chat)) continue;
      if (chat !== undefined) {
        blocked.add(chat);
        this.webhookChatsInFlight.add(chat);
      }
      this.webhookInFlight.add(update.update_id);
      void this.post(update).then((status) => {
        this.webhookInFlight.delete(update.update_id);
        if (chat !== undefined) this.webhookChatsInFlight.delete(chat);
        if (status >= 200 && status < 300) {
          this.updates = this.updates.filter((u) => u.update_id !== update.update_id);
          this.delivered.set(update.update_id, update);
          if (this.delivered.size > 10_000) this.delivered.delete(this.delivered.keys().next().value!);
          this.pumpWebhook();
        } else if (!this.closed && this.webhookRetry === undefined) {
          this.webhookRetry = realSetTimeout(() => {
            this.webhookRetry = undefined;
            this.pumpWebhook();
          }, this.webhookRetryMs);
        }
      });
    }
  }

  /** One POST of `update` to the webhook, with the secret header; resolves with the status (0: no answer). */
  private async post(update: Update): Promise<number> {
    const hook = this.webhook;
    if (!hook) return 0;
    const started = performance.now();
    let status = 0;
    try {
      const res = await fetch(hook.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(hook.secret === undefined ? {} : { "x-telegram-bot-api-secret-token": hook.secret }),
        },
        body: JSON.stringify(update),
        signal: AbortSignal.timeout(this.webhookTimeoutMs),
      });
      status = res.status;
      await res.arrayBuffer().catch(() => undefined);
      if (status < 200 || status >= 300)
        hook.lastError = { date: this.date(), message: `Wrong response from the webhook: ${status}` };
    } catch (err) {
      hook.lastError = { date: this.date(), message: `Connection failed: ${(err as Error).message}` };
    }
    this.deliveryLog.push({ updateId: update.update_id, status, ms: performance.now() - started });
    this.changed();
    return status;
  }

  private setWebhook(p: Params): true {
    const url = readString(p.url) ?? "";
    if (url === "") {
      this.webhook = undefined;
      return true;
    }
    if (!/^https?:\/\//.test(url) || !URL.canParse(url))
      throw new TelegramApiError(400, TELEGRAM_ERRORS.webhookUrlInvalid);
    const secret = readString(p.secret_token);
    if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) {
      throw new TelegramApiError(400, TELEGRAM_ERRORS.secretTokenInvalid);
    }
    const allowed = readJsonParam(p.allowed_updates);
    if (allowed.ok && Array.isArray(allowed.value)) {
      this.allowedUpdates = allowed.value.length > 0 ? new Set(allowed.value.map(String)) : undefined;
    }
    if (readBool(p.drop_pending_updates)) this.updates = [];
    const max = readInt(p.max_connections) ?? 40;
    this.webhook = { url, secret, maxConnections: Math.min(100, Math.max(1, max)) };
    // A webhook ends long polling, as on Telegram.
    this.poll?.conflict();
    this.pumpWebhook();
    return true;
  }

  private deliversToBot(chat: ChatState, message: StoredMessage): boolean {
    if (chat.type === "private" || !this.privacyMode || chat.botIsAdmin) return true;
    const username = this.botInfo.username.toLowerCase();
    const replyTo =
      message.replyToMessageId !== undefined ? chat.messages.get(message.replyToMessageId) : undefined;
    if (replyTo?.from === "bot") return true;
    return message.entities.some((entity) => {
      const part = message.text.slice(entity.offset, entity.offset + entity.length).toLowerCase();
      if (entity.type === "mention") return part === `@${username}`;
      if (entity.type === "bot_command") return !part.includes("@") || part.endsWith(`@${username}`);
      return false;
    });
  }

  private toApiMessage(stored: StoredMessage, withReply = true): Message {
    const chat = this.chats.get(stored.chatId)!;
    const message: Message = {
      message_id: stored.messageId,
      from: stored.sender,
      chat: chat.chat,
      date: stored.date,
    };
    if (stored.kind === "text") {
      message.text = stored.text;
      if (stored.entities.length > 0) message.entities = stored.entities;
    } else if (stored.media) {
      const media = stored.media;
      if (media.type === "photo") message.photo = media.photo;
      else if (media.type === "document") message.document = media.document;
      else if (media.type === "voice") message.voice = media.voice;
      else message.audio = media.audio;
      if (media.mediaGroupId !== undefined) message.media_group_id = media.mediaGroupId;
      if (stored.text) message.caption = stored.text;
      if (stored.entities.length > 0) message.caption_entities = stored.entities;
    } else if (stored.document) {
      message.document = {
        file_id: stored.document.fileId,
        file_unique_id:
          this.fileStore.get(stored.document.fileId)?.fileUniqueId ?? `u${stored.document.fileId}`,
        ...(stored.document.fileName ? { file_name: stored.document.fileName } : {}),
        ...(stored.document.content ? { file_size: stored.document.content.length } : {}),
      };
      if (stored.text) message.caption = stored.text;
      if (stored.entities.length > 0) message.caption_entities = stored.entities;
    }
    if (stored.editDate !== undefined) message.edit_date = stored.editDate;
    if (markupKey(stored.replyMarkup) !== "") {
      message.reply_markup = { inline_keyboard: stored.replyMarkup?.inline_keyboard as never };
    }
    const replied =
      stored.replyToMessageId !== undefined ? chat.messages.get(stored.replyToMessageId) : undefined;
    if (withReply && replied && !replied.deleted) {
      message.reply_to_message = { ...this.toApiMessage(replied, false), reply_to_message: undefined };
    }
    return message;
  }

  private toVisible(stored: StoredMessage): VisibleMessage {
    const visible: VisibleMessage = {
      messageId: stored.messageId,
      from: stored.from,
      text: stored.text,
      entities: [...stored.entities],
      buttons: inlineButtons(stored.replyMarkup),
      editCount: stored.editCount,
    };
    if (stored.parseMode) visible.parseMode = stored.parseMode;
    if (stored.parseMode?.toLowerCase() === "html") visible.html = stored.source;
    if (stored.document) {
      visible.document = {
        ...(stored.document.fileName ? { fileName: stored.document.fileName } : {}),
        ...(stored.document.content ? { size: stored.document.content.length } : {}),
      };
    }
    if (stored.media) visible.media = visibleMedia(stored.media);
    if (stored.media?.type === "voice") visible.voice = this.visibleSound(stored.media.voice);
    if (stored.media?.type === "audio") {
      const { audio } = stored.media;
      visible.audio = {
        ...this.visibleSound(audio),
        ...(audio.file_name !== undefined ? { fileName: audio.file_name } : {}),
        ...(audio.title !== undefined ? { title: audio.title } : {}),
        ...(audio.performer !== undefined ? { performer: audio.performer } : {}),
      };
    }
    return visible;
  }

  private visibleSound(sound: Voice | Audio): VisibleSound {
    const realDuration = this.fileStore.get(sound.file_id)?.realDuration;
    return {
      duration: sound.duration,
      size: sound.file_size ?? 0,
      ...(realDuration !== undefined ? { realDuration } : {}),
      ...(sound.mime_type !== undefined ? { mimeType: sound.mime_type } : {}),
    };
  }

  private requireChat(params: Params): ChatState {
    const raw = params.chat_id;
    if (raw === undefined || raw === "") throw badRequest(TELEGRAM_ERRORS.chatIdEmpty);
    const chat = this.chats.get(readInt(raw) ?? Number.NaN);
    if (!chat) throw badRequest(TELEGRAM_ERRORS.chatNotFound);
    if (chat.blocked) throw new TelegramApiError(403, TELEGRAM_ERRORS.botBlocked);
    return chat;
  }

  /** Parses text + parse_mode (or explicit entities) and applies the length rule. */
  private formatted(
    params: Params,
    textKey: "text" | "caption",
    limits: { min: number; max: number; tooLong: string },
  ): { text: string; entities: MessageEntity[]; source: string; parseMode: string | undefined } {
    const source = readString(params[textKey]) ?? "";
    const parseMode = readString(params.parse_mode) || undefined;
    const explicit = readJsonParam(params[textKey === "text" ? "entities" : "caption_entities"]);
    let parsed: ParseResult;
    if (parseMode === undefined && explicit.ok && Array.isArray(explicit.value)) {
      parsed = trimFormatted(source, explicit.value as MessageEntity[]);
    } else {
      parsed = parseTelegramText(source, parseMode, this.htmlOptions);
    }
    if (!parsed.ok) {
      throw badRequest(
        parsed.error === "unsupported parse_mode"
          ? TELEGRAM_ERRORS.unsupportedParseMode
          : TELEGRAM_ERRORS.cantParseEntities(parsed.error),
      );
    }
    if (parsed.text.length < limits.min) throw badRequest(TELEGRAM_ERRORS.textEmpty);
    if (parsed.text.length > limits.max) throw badRequest(limits.tooLong);
    return { text: parsed.text, entities: parsed.entities, source, parseMode };
  }

  /** Takes a token from the chat's bucket (and the global one) or throws Telegram's 429. */
  private spend(chat: ChatState, kind: "message" | "draft"): void {
    const limits = this.limits;
    if (!limits) return;
    const now = this.now();
    const budget = kind === "draft" ? limits.draft : chat.type === "private" ? limits.private : limits.group;
    const bucket = this.bucket(`${kind}:${chat.chat.id}`, budget, now);
    const global =
      kind === "message" && limits.global ? this.bucket("global", limits.global, now) : undefined;
    const retryAfter = Math.max(bucket.wait(now), global?.wait(now) ?? 0);
    if (retryAfter > 0) {
      throw new TelegramApiError(429, TELEGRAM_ERRORS.tooManyRequests(retryAfter), {
        retry_after: retryAfter,
      });
    }
    bucket.take();
    global?.take();
  }

  private bucket(key: string, budget: FloodBudget, now: number): TokenBucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(budget, now);
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  private editable(chat: ChatState, params: Params): StoredMessage {
    if (params.inline_message_id !== undefined) throw badRequest(TELEGRAM_ERRORS.inlineMessagesUnsupported);
    const messageId = readInt(params.message_id);
    if (messageId === undefined) throw badRequest(TELEGRAM_ERRORS.messageIdEmpty);
    const stored = chat.messages.get(messageId);
    if (!stored || stored.deleted) throw badRequest(TELEGRAM_ERRORS.messageToEditNotFound);
    if (stored.from !== "bot") throw badRequest(TELEGRAM_ERRORS.messageCantBeEdited);
    return stored;
  }

  private replyTarget(chat: ChatState, params: Params): number | undefined {
    const parameters = readJsonParam(params.reply_parameters);
    const reply = parameters.ok && isRecord(parameters.value) ? parameters.value : {};
    const messageId = readInt(reply.message_id) ?? readInt(params.reply_to_message_id);
    if (messageId === undefined) return undefined;
    const target = chat.messages.get(messageId);
    if (target && !target.deleted) return messageId;
    if (readBool(reply.allow_sending_without_reply) || readBool(params.allow_sending_without_reply))
      return undefined;
    throw badRequest(TELEGRAM_ERRORS.replyNotFound);
  }

  private clearDrafts(chat: ChatState): void {
    for (const draft of chat.drafts.values()) draft.cleared = true;
  }

  private commandKey(scope: unknown, languageCode: unknown): string {
    const parsed = readJsonParam(scope);
    const value = parsed.ok && isRecord(parsed.value) ? parsed.value : { type: "default" };
    const canonical = Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)));
    return `${JSON.stringify(canonical)}|${readString(languageCode) ?? ""}`;
  }

  private confirmUpdates(offset: number): void {
    if (offset < 0) this.updates = this.updates.slice(offset);
    else this.updates = this.updates.filter((u) => u.update_id >= offset);
  }

  private deliverable(limit: number): Update[] {
    const allowed = this.allowedUpdates;
    if (allowed) {
      // Telegram never stores updates of types the bot opted out of.
      this.updates = this.updates.filter((u) =>
        Object.keys(u).some((k) => k !== "update_id" && allowed.has(k)),
      );
    }
    return this.updates.slice(0, limit);
  }

  // -- methods ------------------------------------------------------------------------------------------------

  private installMethods(): void {
    const methods: Record<string, MethodHandler> = {
      getMe: () => this.botInfo,
      getUpdates: (p, ctx) => this.getUpdates(p, ctx.signal),
      setWebhook: (p) => this.setWebhook(p),
      deleteWebhook: (p) => {
        if (readBool(p.drop_pending_updates)) this.updates = [];
        this.webhook = undefined;
        return true;
      },
      getWebhookInfo: () => ({
        url: this.webhook?.url ?? "",
        has_custom_certificate: false,
        pending_update_count: this.updates.length,
        ...(this.webhook
          ? {
              max_connections: this.webhook.maxConnections,
              ...(this.allowedUpdates ? { allowed_updates: [...this.allowedUpdates] } : {}),
              ...(this.webhook.lastError
                ? {
                    last_error_date: this.webhook.lastError.date,
                    last_error_message: this.webhook.lastError.message,
                  }
                : {}),
            }
          : {}),
      }),
      sendMessage: (p) => this.sendMessage(p),
      editMessageText: (p) => this.editMessageText(p),
      editMessageReplyMarkup: (p) => this.editMessageReplyMarkup(p),
      deleteMessage: (p) => this.deleteMessage(p),
      sendChatAction: (p) => this.sendChatAction(p),
      answerCallbackQuery: (p) => this.answerCallbackQuery(p),
      setMyCommands: (p) => this.setMyCommands(p),
      getMyCommands: (p) => [...(this.commandSets.get(this.commandKey(p.scope, p.language_code)) ?? [])],
      deleteMyCommands: (p) => {
        this.commandSets.delete(this.commandKey(p.scope, p.language_code));
        return true;
      },
      sendDocument: (p, ctx) => this.botSendDocument(p, ctx.files),
      sendVoice: (p, ctx) => this.botSendSound("voice", p, ctx.files),
      sendAudio: (p, ctx) => this.botSendSound("audio", p, ctx.files),
      getFile: (p) => this.getFile(p),
      sendMessageDraft: (p) => this.sendMessageDraft(p),
    };
    for (const [name, handler] of Object.entries(methods)) this.addMethod(name, handler);
  }

  private getUpdates(params: Params, signal: AbortSignal): Promise<Update[]> | Update[] {
    const offset = readInt(params.offset);
    const limit = Math.min(100, Math.max(1, readInt(params.limit) ?? 100));
    const timeoutSeconds = Math.max(0, readInt(params.timeout) ?? 0);
    const allowed = readJsonParam(params.allowed_updates);
    if (allowed.ok && Array.isArray(allowed.value)) {
      this.allowedUpdates = allowed.value.length > 0 ? new Set(allowed.value.map(String)) : undefined;
    }
    if (this.webhook) throw new TelegramApiError(409, TELEGRAM_ERRORS.getUpdatesWhileWebhook);
    if (offset !== undefined) this.confirmUpdates(offset);
    // A newer getUpdates ends the older one, as on Telegram, so two bot instances show up as a 409. Deferred a
    // turn so that a poll its client just aborted (grammY's bot.stop() aborts, then confirms the offset at once)
    // is seen as aborted rather than answered with a 409 nobody reads.
    const older = this.poll;
    if (older) realSetImmediate(() => older.conflict());
    const ready = this.deliverable(limit);
    if (ready.length > 0 || timeoutSeconds === 0 || this.closed) return ready;
    return new Promise<Update[]>((resolve, reject) => {
      let settled = false;
      const done = (): boolean => {
        if (settled) return false;
        settled = true;
        realClearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        if (this.poll === poll) this.poll = undefined;
        return true;
      };
      const poll: PendingPoll = {
        wake: () => {
          const updates = this.deliverable(limit);
          if (updates.length > 0 && done()) resolve(updates);
        },
        conflict: () => {
          if (done()) reject(new TelegramApiError(409, TELEGRAM_ERRORS.getUpdatesConflict));
        },
        finish: (updates) => {
          if (done()) resolve(updates);
        },
      };
      const onAbort = () => poll.finish([]);
      const timer = realSetTimeout(() => poll.finish(this.deliverable(limit)), timeoutSeconds * 1000);
      signal.addEventListener("abort", onAbort, { once: true });
      this.poll = poll;
      this.changed();
    });
  }

  private sendMessage(p: Params): Message {
    const chat = this.requireChat(p);
    const text = this.formatted(p, "text", { min: 1, max: MAX_TEXT, tooLong: TELEGRAM_ERRORS.textTooLong });
    const replyMarkup = validateReplyMarkup(p.reply_markup, false);
    const replyToMessageId = this.replyTarget(chat, p);
    this.spend(chat, "message");
    const stored = this.append(chat, {
      from: "bot",
      sender: this.botUser(),
      kind: "text",
      ...text,
      replyMarkup,
      replyToMessageId,
      document: undefined,
      media: undefined,
    });
    chat.stats.sends++;
    this.clearDrafts(chat);
    return this.toApiMessage(stored);
  }

  private editMessageText(p: Params): Message {
    const chat = this.requireChat(p);
    const stored = this.editable(chat, p);
    if (stored.kind !== "text") throw badRequest(TELEGRAM_ERRORS.noTextToEdit);
    const text = this.formatted(p, "text", {
      min: 1,
      max: MAX_TEXT,
      tooLong: TELEGRAM_ERRORS.editTextTooLong,
    });
    // Omitting reply_markup removes the inline keyboard: an edit that forgets it is a real change.
    const replyMarkup = validateReplyMarkup(p.reply_markup, true);
    const sameContent =
      text.text === stored.text && JSON.stringify(text.entities) === JSON.stringify(stored.entities);
    if (sameContent && markupKey(replyMarkup) === markupKey(stored.replyMarkup)) {
      throw badRequest(TELEGRAM_ERRORS.notModified);
    }
    this.spend(chat, "message");
    Object.assign(stored, text, { replyMarkup, editCount: stored.editCount + 1, editDate: this.date() });
    chat.stats.edits++;
    return this.toApiMessage(stored);
  }

  private editMessageReplyMarkup(p: Params): Message {
    const chat = this.requireChat(p);
    const stored = this.editable(chat, p);
    const replyMarkup = validateReplyMarkup(p.reply_markup, true);
    if (markupKey(replyMarkup) === markupKey(stored.replyMarkup))
      throw badRequest(TELEGRAM_ERRORS.notModified);
    this.spend(chat, "message");
    Object.assign(stored, { replyMarkup, editCount: stored.editCount + 1, editDate: this.date() });
    chat.stats.edits++;
    return this.toApiMessage(stored);
  }

  private deleteMessage(p: Params): true {
    const chat = this.requireChat(p);
    const messageId = readInt(p.message_id);
    if (messageId === undefined) throw badRequest(TELEGRAM_ERRORS.messageIdEmpty);
    const stored = chat.messages.get(messageId);
    if (!stored || stored.deleted) throw badRequest(TELEGRAM_ERRORS.messageToDeleteNotFound);
    // Bots may delete anything in private chats, but others' messages in groups only as admins.
    if (stored.from === "user" && chat.type !== "private" && !chat.botIsAdmin) {
      throw badRequest(TELEGRAM_ERRORS.messageCantBeDeleted);
    }
    stored.deleted = true;
    chat.stats.deletes++;
    return true;
  }

  private sendChatAction(p: Params): true {
    const chat = this.requireChat(p);
    const action = readString(p.action) ?? "";
    if (!CHAT_ACTIONS.has(action)) throw badRequest(TELEGRAM_ERRORS.wrongChatAction);
    chat.actions.push({ chatId: chat.chat.id, action, at: this.now() });
    chat.stats.chatActions++;
    return true;
  }

  private answerCallbackQuery(p: Params): true {
    const id = readString(p.callback_query_id) ?? "";
    const query = this.queries.get(id);
    const now = this.now();
    // Telegram gives the same answer for unknown, already answered and expired queries.
    if (!query || query.answered || now - query.pressedAt > this.callbackQueryTimeoutMs) {
      throw badRequest(TELEGRAM_ERRORS.queryTooOld);
    }
    const text = readString(p.text);
    if (text !== undefined && text.length > MAX_CALLBACK_ANSWER) {
      throw badRequest(TELEGRAM_ERRORS.callbackAnswerTooLong);
    }
    query.answered = true;
    const answer: CallbackAnswer = {
      queryId: id,
      chatId: query.chatId,
      messageId: query.messageId,
      data: query.data,
      showAlert: readBool(p.show_alert),
      at: now,
      latencyMs: now - query.pressedAt,
    };
    if (text !== undefined) answer.text = text;
    const url = readString(p.url);
    if (url !== undefined) answer.url = url;
    const cacheTime = readInt(p.cache_time);
    if (cacheTime !== undefined) answer.cacheTime = cacheTime;
    this.answers.push(answer);
    return true;
  }

  private setMyCommands(p: Params): true {
    const parsed = readJsonParam(p.commands);
    const commands = parsed.ok && Array.isArray(parsed.value) ? parsed.value : [];
    if (commands.length > 100) throw badRequest(TELEGRAM_ERRORS.botCommandsTooMuch);
    const valid: BotCommand[] = [];
    for (const command of commands) {
      if (!isRecord(command)) throw badRequest(TELEGRAM_ERRORS.botCommandInvalid);
      const name = readString(command.command) ?? "";
      if (!/^[a-z0-9_]{1,32}$/.test(name)) throw badRequest(TELEGRAM_ERRORS.botCommandInvalid);
      const description = readString(command.description) ?? "";
      if (description.trim().length === 0 || description.length > 256) {
        throw badRequest(TELEGRAM_ERRORS.botCommandDescriptionInvalid);
      }
      valid.push({ command: name, description });
    }
    this.commandSets.set(this.commandKey(p.scope, p.language_code), valid);
    return true;
  }

  private botSendDocument(p: Params, files: ReadonlyMap<string, UploadedFile>): Message {
    const chat = this.requireChat(p);
    const ref = p.document;
    let upload: UploadedFile | undefined;
    let fileRef: string | undefined;
    if (ref === undefined) upload = files.get("document");
    else if (typeof ref === "string" && ref.startsWith("attach://")) upload = files.get(ref.slice(9));
    else if (typeof ref === "string" && ref !== "") fileRef = ref; // a file_id or URL
    if (!upload && fileRef === undefined) throw badRequest(TELEGRAM_ERRORS.noDocument);
    if (upload && upload.content.length === 0) throw badRequest(TELEGRAM_ERRORS.emptyFile);
    const caption = this.formatted(p, "caption", {
      min: 0,
      max: MAX_CAPTION,
      tooLong: TELEGRAM_ERRORS.captionTooLong,
    });
    const replyMarkup = validateReplyMarkup(p.reply_markup, false);
    const replyToMessageId = this.replyTarget(chat, p);
    this.spend(chat, "message");
    // An upload becomes a file like a user's, so getFile and the download route serve it too.
    const fileId = upload
      ? this.registerFile("document", upload.content, { fileName: upload.filename }).fileId
      : fileRef!;
    const stored = this.append(chat, {
      from: "bot",
      sender: this.botUser(),
      kind: "document",
      ...caption,
      replyMarkup,
      replyToMessageId,
      document: undefined,
      media: undefined,
    });
    const record: DocumentRecord = {
      chatId: chat.chat.id,
      messageId: stored.messageId,
      fileId,
      caption: caption.text,
      at: this.now(),
      ...(upload ? { fileName: upload.filename, content: upload.content } : {}),
    };
    stored.document = record;
    this.documentLog.push(record);
    chat.stats.sends++;
    this.clearDrafts(chat);
    return this.toApiMessage(stored);
  }

  /**
   * sendVoice and sendAudio, with the Bot API's order of checks: the size (Telegram's front end), the file
   * parameter, the caption, the markup, the chat, the reply, then the file itself. An upload must be audio the
   * method shows (`identifySound`); a file_id must name a file of the same kind. The message shows the announced
   * duration whatever the file holds, as Telegram does; a mismatch is kept in `voiceProblems`.
   */
  private botSendSound(
    kind: "voice" | "audio",
    p: Params,
    files: ReadonlyMap<string, UploadedFile>,
  ): Message {
    const method = kind === "voice" ? "sendVoice" : "sendAudio";
    const maxUpload = this.localMode ? MAX_LOCAL_UPLOAD_BYTES : MAX_UPLOAD_BYTES;
    for (const file of files.values()) {
      if (file.content.length > maxUpload) {
        throw new TelegramApiError(413, TELEGRAM_ERRORS.requestEntityTooLarge);
      }
    }
    const ref = p[kind];
    let upload: UploadedFile | undefined;
    let fileRef: string | undefined;
    if (ref === undefined) upload = files.get(kind);
    else if (typeof ref === "string" && ref.startsWith("attach://")) upload = files.get(ref.slice(9));
    else if (typeof ref === "string" && ref !== "") fileRef = ref;
    if (!upload && fileRef === undefined) {
      throw badRequest(kind === "voice" ? TELEGRAM_ERRORS.noVoice : TELEGRAM_ERRORS.noAudio);
    }
    const duration = readDuration(p.duration);
    const caption = this.formatted(p, "caption", {
      min: 0,
      max: MAX_CAPTION,
      tooLong: TELEGRAM_ERRORS.captionTooLong,
    });
    const replyMarkup = validateReplyMarkup(p.reply_markup, false);
    const chat = this.requireChat(p);
    const replyToMessageId = this.replyTarget(chat, p);
    const problem = (fields: Omit<VoiceProblem, "method" | "chatId" | "announced" | "at">) =>
      this.voiceProblemLog.push({
        ...fields,
        method,
        chatId: chat.chat.id,
        announced: duration,
        at: this.now(),
      });

    let file: FileRecord;
    if (upload) {
      if (upload.content.length === 0) throw badRequest(TELEGRAM_ERRORS.emptyFile);
      const sound = identifySound(upload.content);
      if (!("format" in sound) || !SOUND_FORMATS[kind].includes(sound.format)) {
        const detail =
          "format" in sound ? `an Ogg stream that is not Opus, which ${method} does not show` : sound.detail;
        problem({
          kind: "wrong file type",
          messageId: undefined,
          fileId: undefined,
          realDuration: undefined,
          detail,
        });
        throw badRequest(TELEGRAM_ERRORS.wrongFileType);
      }
      this.spend(chat, "message");
      // An upload becomes a file like a user's, so getFile and the download route serve it too.
      file = this.registerFile(kind, upload.content, {
        fileName: upload.filename || undefined,
        mimeType: sound.mimeType,
        realDuration: sound.realDuration,
      });
    } else {
      if (/^https?:\/\//i.test(fileRef!)) throw badRequest(TELEGRAM_ERRORS.urlFilesUnsupported);
      const known = this.fileStore.get(fileRef!);
      if (!known) throw badRequest(TELEGRAM_ERRORS.wrongFileIdentifier);
      if (known.kind !== kind) throw badRequest(TELEGRAM_ERRORS.fileTypeMismatch);
      this.spend(chat, "message");
      file = known;
    }

    const common = {
      duration,
      ...(file.mimeType !== undefined ? { mime_type: file.mimeType } : {}),
      file_id: file.fileId,
      file_unique_id: file.fileUniqueId,
      file_size: file.size,
    };
    const performer = readString(p.performer);
    const title = readString(p.title);
    const media: StoredMedia =
      kind === "voice"
        ? { type: "voice", voice: common, mediaGroupId: undefined }
        : {
            type: "audio",
            audio: {
              ...common,
              ...(performer ? { performer } : {}),
              ...(title ? { title } : {}),
              ...(file.fileName !== undefined ? { file_name: file.fileName } : {}),
            },
            mediaGroupId: undefined,
          };
    const stored = this.append(chat, {
      from: "bot",
      sender: this.botUser(),
      kind: "media",
      ...caption,
      replyMarkup,
      replyToMessageId,
      document: undefined,
      media,
    });
    const real = file.realDuration;
    // Against the rounded length, as a bot announces whole seconds: 1.5 s passes as 1 to 3, not as 0 or 4.
    if (real !== undefined && Math.abs(duration - Math.round(real)) > 1) {
      problem({
        kind: "duration mismatch",
        messageId: stored.messageId,
        fileId: file.fileId,
        realDuration: real,
        detail: `duration ${duration} s announced for ${real.toFixed(2)} s of audio`,
      });
    }
    chat.stats.sends++;
    this.clearDrafts(chat);
    return this.toApiMessage(stored);
  }

  private async getFile(p: Params): Promise<TelegramFile> {
    const fileId = (readString(p.file_id) ?? "").trim();
    if (fileId === "") throw badRequest(TELEGRAM_ERRORS.fileIdEmpty);
    const file = this.fileStore.get(fileId);
    if (!file) throw badRequest(TELEGRAM_ERRORS.invalidFileId);
    if (file.size > (this.localMode ? MAX_LOCAL_DOWNLOAD_BYTES : MAX_DOWNLOAD_BYTES)) {
      throw badRequest(TELEGRAM_ERRORS.fileTooBig);
    }
    if (file.filePath === undefined) {
      const { folder, extension } = FILE_FOLDERS[file.kind];
      const own = extname(file.fileName ?? "");
      const keepsOwn =
        (file.kind === "document" || file.kind === "audio") && /^\.[A-Za-z0-9]{1,10}$/.test(own);
      file.filePath = `${folder}/file_${this.nextFilePath++}${keepsOwn ? own : extension}`;
      this.filesByPath.set(file.filePath, file);
    }
    const filePath = this.localMode ? await this.writeLocalCopy(file, file.filePath) : file.filePath;
    return {
      file_id: file.fileId,
      file_unique_id: file.fileUniqueId,
      file_size: file.size,
      file_path: filePath,
    };
  }

  /** Writes the file where a local server keeps it, `<dir>/<token>/<folder>/file_N.ext`, once. */
  private async writeLocalCopy(file: FileRecord, relativePath: string): Promise<string> {
    if (file.localPath !== undefined) return file.localPath;
    const path = join(this.localDir!, this.token, relativePath);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, file.content);
    // The declared size past the bytes becomes a sparse run of zeros: a 1 GB file costs no disk.
    if (file.size > file.content.length) await truncate(path, file.size);
    file.localPath = path;
    return path;
  }

  private sendMessageDraft(p: Params): true {
    const chat = this.requireChat(p);
    if (chat.type !== "private") throw badRequest(TELEGRAM_ERRORS.draftPeerInvalid);
    const draftId = readInt(p.draft_id) ?? 0;
    if (draftId === 0) throw badRequest(TELEGRAM_ERRORS.draftIdInvalid);
    // An empty draft is allowed: Telegram shows a "Thinking…" placeholder.
    const text = this.formatted(p, "text", { min: 0, max: MAX_TEXT, tooLong: TELEGRAM_ERRORS.textTooLong });
    this.spend(chat, "draft");
    const previous = chat.drafts.get(draftId);
    chat.drafts.set(draftId, {
      chatId: chat.chat.id,
      draftId,
      text: text.text,
      source: text.source,
      parseMode: text.parseMode,
      canStop: readBool(p.can_stop),
      keepOnStop: readBool(p.keep_on_stop),
      updates: (previous?.updates ?? 0) + 1,
      updatedAt: this.now(),
      cleared: false,
    });
    chat.stats.drafts++;
    return true;
  }
}

function visibleMedia(media: StoredMedia): NonNullable<VisibleMessage["media"]> {
  let file: { file_id: string; file_size?: number; file_name?: string };
  switch (media.type) {
    case "photo":
      file = media.photo.at(-1)!;
      break;
    case "document":
      file = media.document;
      break;
    case "voice":
      file = media.voice;
      break;
    case "audio":
      file = media.audio;
      break;
  }
  return {
    type: media.type,
    fileId: file.file_id,
    ...(file.file_name !== undefined ? { fileName: file.file_name } : {}),
    ...(file.file_size !== undefined ? { size: file.file_size } : {}),
    ...(media.mediaGroupId !== undefined ? { mediaGroupId: media.mediaGroupId } : {}),
  };
}

/** bot_command and mention entities, as Telegram adds them to what a user types. */
function detectEntities(text: string): MessageEntity[] {
  const entities: MessageEntity[] = [];
  for (const match of text.matchAll(/(^|\s)(\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?)/g)) {
    entities.push({
      type: "bot_command",
      offset: match.index + (match[1]?.length ?? 0),
      length: match[2]?.length ?? 0,
    });
  }
  for (const match of text.matchAll(/(^|\s)(@[A-Za-z0-9_]{4,32})/g)) {
    entities.push({
      type: "mention",
      offset: match.index + (match[1]?.length ?? 0),
      length: match[2]?.length ?? 0,
    });
  }
  return sortEntities(entities);
}

/** Starts a fake Bot API on 127.0.0.1 with an ephemeral port. Call `close()` when done. */
export async function startFakeTelegram(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const localDir = options.localMode ? await mkdtemp(join(tmpdir(), "fake-telegram-local-")) : undefined;
  return new FakeTelegram(server, port, options, localDir);
}
