import { stat } from "node:fs/promises";
import { isAbsolute } from "node:path";
import { run as runConcurrently } from "@grammyjs/runner";
import { Api, Bot, GrammyError, HttpError, InlineKeyboard, InputFile } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import { afterEach, describe, expect, it } from "vitest";
import { encodeVoice, OggWriter, parseWav, type VoiceNote } from "../../src/audio/index.js";
import { fmt, int16le, riff, tone } from "../audio/signals.js";
import {
  type FakeTelegram,
  type FakeTelegramOptions,
  MAX_DOWNLOAD_BYTES,
  MAX_UPLOAD_BYTES,
  parseTelegramHtml,
  parseTelegramText,
  startFakeTelegram,
  TELEGRAM_ERRORS,
} from "./telegram.js";

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(options: FakeTelegramOptions = {}): Promise<{ fake: FakeTelegram; bot: Bot; api: Api }> {
  const fake = await startFakeTelegram(options);
  cleanups.push(() => fake.close());
  const bot = new Bot(fake.token, { botInfo: fake.botInfo, client: { apiRoot: fake.apiRoot } });
  return { fake, bot, api: bot.api };
}

/** Starts bot.start() and registers a clean stop, so a failing test never leaves a poller behind. */
function run(bot: Bot): void {
  const running = bot.start({ timeout: 30 });
  cleanups.push(async () => {
    if (bot.isRunning()) await bot.stop();
    await running;
  });
}

async function grammyError(promise: Promise<unknown>): Promise<GrammyError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof GrammyError)) throw new Error(`expected a GrammyError, got ${String(err)}`);
  return err;
}

function manualClock(start = 1_700_000_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
  };
}

const button = (text: string, data: string): InlineKeyboardButton => ({ text, callback_data: data });

/** The header of a PNG of that size: what a reader of dimensions looks at (the CRC is not checked). */
function pngHeader(width: number, height: number): Buffer {
  const bytes = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes);
  bytes.writeUInt32BE(13, 8);
  bytes.write("IHDR", 12, "latin1");
  bytes.writeUInt32BE(width, 16);
  bytes.writeUInt32BE(height, 20);
  bytes[24] = 8;
  bytes[25] = 6;
  return bytes;
}

/** SOI, a JFIF segment and a baseline frame header for 640×480. */
const JPEG_640x480 = Buffer.from([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01,
  0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x01, 0xe0, 0x02, 0x80, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01,
  0x03, 0x11, 0x01,
]);

function fileUrl(fake: FakeTelegram, filePath: string, token = fake.token): string {
  return `${fake.apiRoot}/file/bot${token}/${filePath}`;
}

let voiceNote: Promise<VoiceNote> | undefined;

/** What the bot sends: 1.5 s of a 440 Hz tone at 24 kHz (a TTS voice's rate), encoded once by src/audio. */
function oggVoice(): Promise<VoiceNote> {
  voiceNote ??= encodeVoice(tone({ seconds: 1.5, sampleRate: 24_000, hz: 440 }));
  return voiceNote;
}

/** An empty ID3v2.4 tag, then silent MPEG-1 Layer III frames at 128 kb/s, 44.1 kHz (417 bytes each). */
function mp3Bytes(frames = 4): Buffer {
  const frame = Buffer.alloc(417);
  frame.set([0xff, 0xfb, 0x90, 0x64]);
  return Buffer.concat([Buffer.from([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 0]), ...Array(frames).fill(frame)]);
}

/** The ftyp box an .m4a starts with (major brand "M4A ", compatible "M4A " and "isom"), and an empty mdat. */
function m4aBytes(): Buffer {
  const ftyp = Buffer.alloc(24);
  ftyp.writeUInt32BE(24, 0);
  ftyp.write("ftypM4A \0\0\0\0M4A isom", 4, "latin1");
  return Buffer.concat([ftyp, Buffer.from([0, 0, 0, 8, 0x6d, 0x64, 0x61, 0x74])]);
}

/** A well-framed Ogg stream whose first packet is a Vorbis identification header: Ogg, but not Opus. */
function vorbisOgg(): Uint8Array {
  const writer = new OggWriter({ serial: 7 });
  writer.packet(Buffer.from("\x01vorbis-identification", "latin1"), 0, { flush: true });
  writer.packet(Buffer.alloc(100, 1), 4410, { last: true });
  return writer.finish();
}

describe("transport", () => {
  it("answers getMe with a botInfo grammY accepts, also when grammY fetches it itself", async () => {
    const { fake, api } = await setup();
    expect(await api.getMe()).toEqual(fake.botInfo);
    const bot = new Bot(fake.token, { client: { apiRoot: fake.apiRoot } });
    await bot.init();
    expect(bot.botInfo.username).toBe("test_ollama_bot");
    expect(bot.botInfo.is_bot).toBe(true);
  });

  it("refuses a wrong token with 401 Unauthorized", async () => {
    const { fake } = await setup();
    const err = await grammyError(new Api("1:wrong", { apiRoot: fake.apiRoot }).getMe());
    expect(err.error_code).toBe(401);
    expect(err.description).toBe("Unauthorized");
  });

  it("answers an unimplemented method with 404 until a test adds it", async () => {
    const { fake, api } = await setup();
    fake.sendText(42, "hi");
    const err = await grammyError(api.sendDice(42, "🎲"));
    expect(err.error_code).toBe(404);
    expect(err.description).toBe(TELEGRAM_ERRORS.methodNotFound);

    fake.addMethod("sendDice", (params) => ({
      message_id: 99,
      chat: { id: params.chat_id },
      date: 1,
      dice: {},
    }));
    expect((await api.sendDice(42, "🎲")).message_id).toBe(99);
  });

  it("logs every call with its params and outcome", async () => {
    const { fake, api } = await setup();
    fake.sendText(42, "hi");
    await api.sendMessage(42, "one");
    await grammyError(api.sendMessage(42, ""));
    const sends = fake.callsTo("sendMessage");
    expect(sends.map((c) => [c.params.text, c.ok])).toEqual([
      ["one", true],
      ["", false],
    ]);
    expect(sends[1]?.error?.description).toBe(TELEGRAM_ERRORS.textEmpty);
  });
});

describe("long polling", () => {
  it("lets an echo bot answer a user end to end through bot.start(), and stop without a 409", async () => {
    const { fake, bot } = await setup();
    bot.on("message:text", (ctx) => ctx.reply(`echo: ${ctx.message.text}`));
    run(bot);
    fake.sendText(42, "hello");
    const reply = await fake.waitFor((f) => f.lastBotMessage(42));
    expect(reply.text).toBe("echo: hello");
    await bot.stop();
    expect(fake.pendingUpdates()).toHaveLength(0); // stop() confirmed the offset
    expect(fake.calls.filter((c) => c.error?.error_code === 409)).toEqual([]);
  });

  it("serves @grammyjs/runner: concurrent chats are answered and the runner stops cleanly", async () => {
    const { fake, bot } = await setup();
    bot.on("message:text", (ctx) => ctx.reply(`echo: ${ctx.message.text}`));
    const runner = runConcurrently(bot);
    cleanups.push(async () => {
      if (runner.isRunning()) await runner.stop();
    });
    for (const chatId of [1, 2, 3]) fake.sendText(chatId, `from ${chatId}`);
    await fake.waitFor((f) => [1, 2, 3].every((id) => f.lastBotMessage(id)));
    expect(fake.lastBotMessage(2)?.text).toBe("echo: from 2");
    await runner.stop();
    expect(fake.calls.filter((c) => c.error)).toEqual([]);
  });

  it("returns a waiting getUpdates as soon as an update arrives", async () => {
    const { fake, api } = await setup();
    const poll = api.getUpdates({ timeout: 30 });
    await fake.waitFor((f) => f.hasPendingPoll());
    const started = Date.now();
    fake.sendText(7, "wake up");
    const updates = await poll;
    expect(Date.now() - started).toBeLessThan(2000);
    expect(updates.map((u) => u.message?.text)).toEqual(["wake up"]);
    expect(updates[0]?.message?.chat).toMatchObject({ id: 7, type: "private" });
    expect(updates[0]?.message?.from?.id).toBe(7);
  });

  it("confirms updates below offset and keeps the rest", async () => {
    const { fake, api } = await setup();
    fake.sendText(7, "a");
    fake.sendText(7, "b");
    const all = await api.getUpdates();
    expect(all).toHaveLength(2);
    const second = all[1]!.update_id;
    expect((await api.getUpdates({ offset: second })).map((u) => u.message?.text)).toEqual(["b"]);
    expect(await api.getUpdates({ offset: second + 1 })).toEqual([]);
    expect(fake.pendingUpdates()).toHaveLength(0);
  });

  it("ends the older of two concurrent getUpdates with 409 Conflict", async () => {
    const { fake, api } = await setup();
    const first = api.getUpdates({ timeout: 30 });
    await fake.waitFor((f) => f.hasPendingPoll());
    const second = api.getUpdates({ timeout: 0 });
    const err = await grammyError(first);
    expect(err.error_code).toBe(409);
    expect(err.description).toBe(TELEGRAM_ERRORS.getUpdatesConflict);
    expect(await second).toEqual([]);
  });

  it("answers a pending long poll at once on close()", async () => {
    const { fake, api } = await setup();
    const poll = api.getUpdates({ timeout: 30 });
    await fake.waitFor((f) => f.hasPendingPoll());
    const started = Date.now();
    await fake.close();
    expect(await poll).toEqual([]);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it("keeps ordinary group chatter from a bot in privacy mode, but delivers commands and mentions", async () => {
    const { fake } = await setup();
    expect(fake.sendText(-100, "hello all").delivered).toBe(false);
    expect(fake.sendText(-100, "/help").delivered).toBe(true);
    expect(fake.sendText(-100, "/help@other_bot").delivered).toBe(false);
    expect(fake.sendText(-100, "hey @test_ollama_bot what's up").delivered).toBe(true);
    expect(fake.pendingUpdates()).toHaveLength(2);
    const command = fake.pendingUpdates()[0]?.message;
    expect(command?.chat).toMatchObject({ id: -100, type: "group" });
    expect(command?.entities).toEqual([{ type: "bot_command", offset: 0, length: 5 }]);
  });
});

describe("message text rules", () => {
  it("rejects a chat the bot has never seen with 'chat not found'", async () => {
    const { api } = await setup();
    const err = await grammyError(api.sendMessage(12345, "hi"));
    expect([err.error_code, err.description]).toEqual([400, TELEGRAM_ERRORS.chatNotFound]);
  });

  it("rejects empty and whitespace-only text (Telegram trims it) and trims what it keeps", async () => {
    const { fake, api } = await setup();
    fake.sendText(42, "hi");
    for (const text of ["", "   \n "]) {
      expect((await grammyError(api.sendMessage(42, text))).description).toBe(
        "Bad Request: message text is empty",
      );
    }
    await api.sendMessage(42, "  padded \n");
    expect(fake.lastBotMessage(42)?.text).toBe("padded");
  });

  it("allows 4096 characters and refuses 4097 with 'message is too long'", async () => {
    const { fake, api } = await setup({ limits: false });
    fake.sendText(42, "hi");
    await api.sendMessage(42, "x".repeat(4096));
    const err = await grammyError(api.sendMessage(42, "x".repeat(4097)));
    expect([err.error_code, err.description]).toEqual([400, "Bad Request: message is too long"]);
  });

  it("measures length after HTML parsing: tags are free, an entity counts as one character", async () => {
    const { fake, api } = await setup({ limits: false });
    fake.sendText(42, "hi");
    await api.sendMessage(42, `<b>${"x".repeat(4096)}</b>`, { parse_mode: "HTML" });
    await api.sendMessage(42, "&lt;".repeat(4096), { parse_mode: "HTML" });
    const err = await grammyError(api.sendMessage(42, "&lt;".repeat(4097), { parse_mode: "HTML" }));
    expect(err.description).toBe(TELEGRAM_ERRORS.textTooLong);
  });

  it("counts UTF-16 code units, so an emoji costs two", async () => {
    const { fake, api } = await setup({ limits: false });
    fake.sendText(42, "hi");
    await api.sendMessage(42, "😀".repeat(2048));
    const err = await grammyError(api.sendMessage(42, "😀".repeat(2049)));
    expect(err.description).toBe(TELEGRAM_ERRORS.textTooLong);
  });

  it("answers 403 once the user has blocked the bot", async () => {
    const { fake, api } = await setup();
    fake.sendText(42, "hi");
    fake.blockBot(42);
    const err = await grammyError(api.sendMessage(42, "still there?"));
    expect([err.error_code, err.description]).toEqual([403, "Forbidden: bot was blocked by the user"]);
  });

  it("rejects an unknown parse_mode", async () => {
    const { fake, api } = await setup();
    fake.sendText(42, "hi");
    const err = await grammyError(
      api.raw.sendMessage({ chat_id: 42, text: "x", parse_mode: "BBCode" as "HTML" }),
    );
    expect(err.description).toBe(TELEGRAM_ERRORS.unsupportedParseMode);
  });
});

describe("edits and deletes", () => {
  async function withBotMessage(options: FakeTelegramOptions = {}) {
    const ctx = await setup({ limits: false, ...options });
    ctx.fake.sendText(42, "hi");
    const sent = await ctx.api.sendMessage(42, "draft", {
      reply_markup: { inline_keyboard: [[button("Stop", "stop")]] },
    });
    return { ...ctx, id: sent.message_id };
  }

  it("refuses an edit to identical text and keyboard with 'message is not modified'", async () => {
    const { api, id } = await withBotMessage();
    const markup = { inline_keyboard: [[button("Stop", "stop")]] };
    const err = await grammyError(api.editMessageText(42, id, "draft", { reply_markup: markup }));
    expect([err.error_code, err.description]).toEqual([400, TELEGRAM_ERRORS.notModified]);
    // Trailing whitespace is trimmed before comparing, as on Telegram.
    const trailing = await grammyError(api.editMessageText(42, id, "draft \n", { reply_markup: markup }));
    expect(trailing.description).toBe(TELEGRAM_ERRORS.notModified);
  });

  it("treats an edit without reply_markup as removing the keyboard", async () => {
    const { fake, api, id } = await withBotMessage();
    await api.editMessageText(42, id, "draft");
    expect(fake.lastBotMessage(42)?.buttons).toEqual([]);
    expect(fake.lastBotMessage(42)?.editCount).toBe(1);
  });

  it("accepts the same text with a different keyboard", async () => {
    const { fake, api, id } = await withBotMessage();
    await api.editMessageText(42, id, "draft", {
      reply_markup: { inline_keyboard: [[button("Retry", "retry")]] },
    });
    expect(fake.lastBotMessage(42)?.buttons).toEqual([[{ text: "Retry", data: "retry" }]]);
    const err = await grammyError(
      api.editMessageReplyMarkup(42, id, { reply_markup: { inline_keyboard: [[button("Retry", "retry")]] } }),
    );
    expect(err.description).toBe(TELEGRAM_ERRORS.notModified);
  });

  it("refuses to edit a missing, deleted or user-sent message", async () => {
    const { fake, api, id } = await withBotMessage();
    expect((await grammyError(api.editMessageText(42, 999, "x"))).description).toBe(
      "Bad Request: message to edit not found",
    );
    const userMessage = fake.visibleMessages(42).find((m) => m.from === "user")!;
    expect((await grammyError(api.editMessageText(42, userMessage.messageId, "x"))).description).toBe(
      TELEGRAM_ERRORS.messageCantBeEdited,
    );
    await api.deleteMessage(42, id);
    expect((await grammyError(api.editMessageText(42, id, "x"))).description).toBe(
      TELEGRAM_ERRORS.messageToEditNotFound,
    );
    expect((await grammyError(api.deleteMessage(42, id))).description).toBe(
      TELEGRAM_ERRORS.messageToDeleteNotFound,
    );
    expect(fake.visibleMessages(42).map((m) => m.from)).toEqual(["user"]);
    expect(fake.history(42).find((m) => m.messageId === id)?.deleted).toBe(true);
  });

  it("answers an over-long edit with MESSAGE_TOO_LONG, unlike sendMessage", async () => {
    const { api, id } = await withBotMessage();
    const err = await grammyError(api.editMessageText(42, id, "y".repeat(4097)));
    expect(err.description).toBe("Bad Request: MESSAGE_TOO_LONG");
  });
});

describe("HTML parse mode", () => {
  it("surfaces Telegram's error for an unsupported tag through grammY", async () => {
    const { fake, api } = await setup();
    fake.sendText(42, "hi");
    const err = await grammyError(api.sendMessage(42, "<script>x</script>", { parse_mode: "HTML" }));
    expect(err.description).toBe(
      `Bad Request: can't parse entities: Unsupported start tag "script" at byte offset 0`,
    );
  });

  it.each([
    ["<b>bold", `Can't find end tag corresponding to start tag "b"`],
    ["<b><i>x</b></i>", `Unmatched end tag at byte offset 7, expected "</i>", found "</b>"`],
    ["é<b>x</i>", `Unmatched end tag at byte offset 6, expected "</b>", found "</i>"`],
    ["a < b", `Unsupported start tag "" at byte offset 2`],
    ["<h1>Title</h1>", `Unsupported start tag "h1" at byte offset 0`],
    ["x</b>", "Unexpected end tag at byte offset 1"],
    ["tail <b", "Unclosed start tag at byte offset 5"],
    ['<span class="x">s</span>', `Tag "span" must have class "tg-spoiler" at byte offset 0`],
    ["AT&T", `Character '&' is reserved and must be escaped as "&amp;" at byte offset 2`],
  ])("rejects %j with the wording Telegram uses", (html, error) => {
    expect(parseTelegramHtml(html)).toEqual({ ok: false, error });
  });

  it("keeps a bare & literally when strictAmpersand is off, as Telegram does", () => {
    expect(parseTelegramHtml("AT&T &nbsp;", { strictAmpersand: false })).toEqual({
      ok: true,
      text: "AT&T &nbsp;",
      entities: [],
    });
  });

  it("decodes entities and reports entity offsets in UTF-16 units", () => {
    const result = parseTelegramHtml(
      '😀<b>bold</b> <a href="https://x.y/?a=1&amp;b=2">link</a> &lt;&#33;&#x41;&gt;',
    );
    expect(result).toEqual({
      ok: true,
      text: "😀bold link <!A>",
      entities: [
        { type: "bold", offset: 2, length: 4 },
        { type: "text_link", offset: 7, length: 4, url: "https://x.y/?a=1&b=2" },
      ],
    });
  });

  it("accepts every whitelisted tag, case-insensitively, and folds code into pre with a language", () => {
    const result = parseTelegramHtml(
      "<B>b</B><strong>s</strong><i>i</i><em>e</em><u>u</u><ins>n</ins><s>s</s><strike>k</strike><del>d</del>" +
        '<code>c</code><tg-spoiler>p</tg-spoiler><span class="tg-spoiler">q</span>' +
        '<blockquote expandable>x</blockquote><pre><code class="language-python">py</code></pre>',
    );
    if (!result.ok) throw new Error(result.error);
    expect(result.entities.map((e) => e.type)).toEqual([
      "bold",
      "bold",
      "italic",
      "italic",
      "underline",
      "underline",
      "strikethrough",
      "strikethrough",
      "strikethrough",
      "code",
      "spoiler",
      "spoiler",
      "expandable_blockquote",
      "pre",
    ]);
    expect(result.entities.at(-1)).toEqual({ type: "pre", offset: 13, length: 2, language: "python" });
  });

  it("shows the user the parsed text and keeps the raw HTML for inspection", async () => {
    const { fake, api } = await setup();
    fake.sendText(42, "hi");
    await api.sendMessage(42, "<b>Done</b> &amp; dusted", { parse_mode: "HTML" });
    expect(fake.lastBotMessage(42)).toMatchObject({
      text: "Done & dusted",
      html: "<b>Done</b> &amp; dusted",
      entities: [{ type: "bold", offset: 0, length: 4 }],
    });
  });
});

describe("Markdown parse modes", () => {
  it("rejects an unescaped reserved character in MarkdownV2 with Telegram's wording", async () => {
    const { fake, api } = await setup();
    fake.sendText(42, "hi");
    const err = await grammyError(api.sendMessage(42, "Version 1.2 is out", { parse_mode: "MarkdownV2" }));
    expect(err.description).toBe(
      "Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'",
    );
  });

  it("parses valid MarkdownV2 and reports a half-open entity", () => {
    expect(parseTelegramText("*bold* and \\. `a.b`", "MarkdownV2")).toEqual({
      ok: true,
      text: "bold and . a.b",
      entities: [
        { type: "bold", offset: 0, length: 4 },
        { type: "code", offset: 11, length: 3 },
      ],
    });
    expect(parseTelegramText("ok _half", "MarkdownV2")).toEqual({
      ok: false,
      error: "Can't find end of Italic entity at byte offset 3",
    });
  });

  it("reports a half-open legacy Markdown entity", () => {
    expect(parseTelegramText("2 * 3", "Markdown")).toEqual({
      ok: false,
      error: "Can't find end of the entity starting at byte offset 2",
    });
  });
});

describe("inline keyboards", () => {
  it.each([
    ["65 ASCII bytes", "x".repeat(65)],
    ["33 two-byte characters (66 bytes)", "é".repeat(33)],
    ["an empty string", ""],
  ])("rejects callback_data of %s with BUTTON_DATA_INVALID", async (_name, data) => {
    const { fake, api } = await setup();
    fake.sendText(42, "hi");
    const err = await grammyError(
      api.sendMessage(42, "pick", { reply_markup: { inline_keyboard: [[button("A", data)]] } }),
    );
    expect([err.error_code, err.description]).toEqual([400, "Bad Request: BUTTON_DATA_INVALID"]);
  });

  it("accepts exactly 64 bytes of callback_data", async () => {
    const { fake, api } = await setup();
    fake.sendText(42, "hi");
    await api.sendMessage(42, "pick", { reply_markup: { inline_keyboard: [[button("A", "é".repeat(32))]] } });
    expect(fake.lastBotMessage(42)?.buttons[0]?.[0]?.data).toBe("é".repeat(32));
  });

  it("refuses more than 100 buttons with 'reply markup is too long'", async () => {
    const { fake, api } = await setup();
    fake.sendText(42, "hi");
    const rows = (n: number) =>
      Array.from({ length: n / 5 }, (_, r) => Array.from({ length: 5 }, (_, c) => button("b", `${r}:${c}`)));
    await api.sendMessage(42, "ok", { reply_markup: { inline_keyboard: rows(100) } });
    const err = await grammyError(
      api.sendMessage(42, "too many", { reply_markup: { inline_keyboard: rows(105) } }),
    );
    expect(err.description).toBe(TELEGRAM_ERRORS.replyMarkupTooLong);
  });

  it("refuses a button without an action", async () => {
    const { fake, api } = await setup();
    fake.sendText(42, "hi");
    const markup = { inline_keyboard: [[{ text: "bare" } as InlineKeyboardButton]] };
    const err = await grammyError(api.sendMessage(42, "x", { reply_markup: markup }));
    expect(err.description).toBe(TELEGRAM_ERRORS.textButtonsUnallowed);
  });
});

describe("flood control with an injected clock", () => {
  async function privateChat() {
    const clock = manualClock();
    const ctx = await setup({ now: clock.now });
    ctx.fake.sendText(42, "hi");
    const { message_id } = await ctx.api.sendMessage(42, "v0");
    return { ...ctx, clock, id: message_id };
  }

  it("accepts ~3 edits per second for a whole minute in a private chat", async () => {
    const { fake, api, clock, id } = await privateChat();
    for (let k = 1; k <= 180; k++) {
      clock.advance(334);
      await api.editMessageText(42, id, `v${k}`);
    }
    expect(fake.stats(42)).toMatchObject({ sends: 1, edits: 180, tooManyRequests: 0 });
  });

  it("refuses a sustained 5 edits per second with 429 and a retry_after that works", async () => {
    const { fake, api, clock, id } = await privateChat();
    let refused: GrammyError | undefined;
    let edits = 0;
    for (let k = 1; k <= 30 && !refused; k++) {
      clock.advance(200);
      edits = k;
      refused = await api.editMessageText(42, id, `v${k}`).then(
        () => undefined,
        (e: GrammyError) => e,
      );
    }
    expect(refused?.error_code).toBe(429);
    expect(edits).toBe(11); // the burst absorbs the first 2 s
    const retryAfter = refused?.parameters.retry_after ?? 0;
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(refused?.description).toBe(`Too Many Requests: retry after ${retryAfter}`);
    expect(fake.stats(42).tooManyRequests).toBe(1);
    clock.advance(retryAfter * 1000);
    await api.editMessageText(42, id, "after the wait");
    expect(fake.lastBotMessage(42)?.text).toBe("after the wait");
  });

  it("allows a group 3 messages at once and then one per 3 seconds (20 per minute)", async () => {
    const clock = manualClock();
    const { fake, api } = await setup({ now: clock.now });
    fake.sendText(-100, "/start");
    for (let i = 0; i < 3; i++) await api.sendMessage(-100, `m${i}`);
    const err = await grammyError(api.sendMessage(-100, "m3"));
    expect(err.parameters.retry_after).toBe(3);
    clock.advance(3000);
    await api.sendMessage(-100, "m3");
    expect(fake.stats(-100)).toMatchObject({ sends: 4, tooManyRequests: 1 });
  });

  it("can be turned off per instance or at run time", async () => {
    const { fake, api } = await setup({ limits: false });
    fake.sendText(42, "hi");
    for (let i = 0; i < 30; i++) await api.sendMessage(42, `m${i}`);
    fake.setFloodLimits({ private: { burst: 1, perSecond: 0.1 } });
    await api.sendMessage(42, "one");
    expect((await grammyError(api.sendMessage(42, "two"))).parameters.retry_after).toBe(10);
  });
});

describe("fault injection", () => {
  it("injects a 429 with retry_after that grammY surfaces, then recovers", async () => {
    const { fake, api } = await setup();
    fake.sendText(42, "hi");
    fake.failNext("sendMessage", { code: 429, retryAfter: 7 });
    const err = await grammyError(api.sendMessage(42, "x"));
    expect([err.error_code, err.description, err.parameters.retry_after]).toEqual([
      429,
      "Too Many Requests: retry after 7",
      7,
    ]);
    expect(fake.stats(42).tooManyRequests).toBe(1);
    await api.sendMessage(42, "x");
    expect(fake.visibleMessages(42)).toHaveLength(2);
  });

  it("injects server errors a given number of times", async () => {
    const { fake, api } = await setup();
    fake.sendText(42, "hi");
    fake.failNext("sendMessage", { code: 500 }, 2);
    expect((await grammyError(api.sendMessage(42, "x"))).error_code).toBe(500);
    expect((await grammyError(api.sendMessage(42, "x"))).error_code).toBe(500);
    await api.sendMessage(42, "x");
  });

  it("drops the connection before the call takes effect", async () => {
    const { fake, api } = await setup();
    fake.sendText(42, "hi");
    fake.failNext("sendMessage", { dropConnection: true });
    await expect(api.sendMessage(42, "lost")).rejects.toBeInstanceOf(HttpError);
    expect(fake.lastBotMessage(42)).toBeUndefined();
    expect(fake.callsTo("sendMessage")[0]?.transport).toBe("dropped");
  });

  it("hangs a call until the client gives up, and logs it once the client has gone", async () => {
    const { fake } = await setup();
    fake.sendText(42, "hi");
    fake.failNext("sendMessage", { hang: true });
    const logged = fake.waitForCall("sendMessage");
    const impatient = new Api(fake.token, { apiRoot: fake.apiRoot, timeoutSeconds: 0.1 });
    await expect(impatient.sendMessage(42, "stuck")).rejects.toBeInstanceOf(HttpError);
    expect((await logged).transport).toBe("hung");
    expect(fake.lastBotMessage(42)).toBeUndefined();
  });

  it("drops the connection after the call took effect, as when a response is lost", async () => {
    const { fake, api } = await setup();
    fake.sendText(42, "hi");
    fake.failNext("sendMessage", { dropConnection: true, afterApplying: true });
    await expect(api.sendMessage(42, "sent anyway")).rejects.toBeInstanceOf(HttpError);
    expect(fake.lastBotMessage(42)?.text).toBe("sent anyway");
  });
});

describe("callback queries", () => {
  it("delivers a button press the bot answers, and records the answer", async () => {
    const { fake, bot } = await setup();
    bot.command("start", (ctx) =>
      ctx.reply("Pick a model", { reply_markup: new InlineKeyboard().text("Llama", "m:1") }),
    );
    bot.callbackQuery("m:1", (ctx) => ctx.answerCallbackQuery({ text: "Picked Llama" }));
    run(bot);
    fake.sendText(42, "/start");
    const menu = await fake.waitFor((f) => f.lastBotMessage(42));
    fake.pressButtonLabeled(42, menu.messageId, "Llama");
    const [answer] = await fake.waitFor((f) => f.callbackAnswers.length > 0 && f.callbackAnswers);
    expect(answer).toMatchObject({
      chatId: 42,
      messageId: menu.messageId,
      data: "m:1",
      text: "Picked Llama",
    });
    expect(fake.unansweredCallbackQueries()).toEqual([]);
  });

  it("refuses to press a button that is not there, unless the data is forged on purpose", async () => {
    const { fake, api } = await setup();
    fake.sendText(42, "hi");
    const sent = await api.sendMessage(42, "x", { reply_markup: { inline_keyboard: [[button("A", "a")]] } });
    expect(() => fake.pressButton(42, sent.message_id, "gone")).toThrow(/no button with data "gone"/);
    fake.pressButton(42, sent.message_id, "stale:hf.co/model", { forged: true });
    const updates = await api.getUpdates();
    expect(updates.at(-1)?.callback_query?.data).toBe("stale:hf.co/model");
    expect(updates.at(-1)?.callback_query?.message?.message_id).toBe(sent.message_id);
  });

  it("refuses unknown, repeated and late answers with 'query is too old'", async () => {
    const clock = manualClock();
    const { fake, api } = await setup({ now: clock.now });
    fake.sendText(42, "hi");
    const sent = await api.sendMessage(42, "x", { reply_markup: { inline_keyboard: [[button("A", "a")]] } });
    const tooOld = "Bad Request: query is too old and response timeout expired or query ID is invalid";
    expect((await grammyError(api.answerCallbackQuery("nope"))).description).toBe(tooOld);

    const first = fake.pressButton(42, sent.message_id, "a");
    await api.answerCallbackQuery(first);
    expect((await grammyError(api.answerCallbackQuery(first))).description).toBe(tooOld);

    const late = fake.pressButton(42, sent.message_id, "a");
    clock.advance(16_000);
    expect((await grammyError(api.answerCallbackQuery(late))).description).toBe(tooOld);
    expect(fake.unansweredCallbackQueries().map((q) => q.id)).toEqual([late]);
  });

  it("refuses an answer text over 200 characters", async () => {
    const { fake, api } = await setup();
    fake.sendText(42, "hi");
    const sent = await api.sendMessage(42, "x", { reply_markup: { inline_keyboard: [[button("A", "a")]] } });
    const id = fake.pressButton(42, sent.message_id, "a");
    const err = await grammyError(api.answerCallbackQuery(id, { text: "t".repeat(201) }));
    expect(err.description).toBe(TELEGRAM_ERRORS.callbackAnswerTooLong);
  });
});

describe("drafts", () => {
  it("keeps the latest draft per draft_id until the bot sends the message", async () => {
    const { fake, api } = await setup();
    fake.sendText(42, "hi");
    await api.sendMessageDraft(42, 5, "");
    await api.sendMessageDraft(42, 5, "<b>Hel</b>lo", { parse_mode: "HTML" });
    expect(fake.visibleDraft(42)).toMatchObject({ draftId: 5, text: "Hello", updates: 2, cleared: false });
    await api.sendMessage(42, "Hello, world");
    expect(fake.visibleDraft(42)).toBeUndefined();
    expect(fake.drafts(42)[0]?.cleared).toBe(true);
  });

  it("refuses drafts outside private chats and a zero draft_id", async () => {
    const { fake, api } = await setup();
    fake.sendText(-100, "/ask");
    fake.sendText(42, "hi");
    expect((await grammyError(api.sendMessageDraft(-100, 1, "x"))).description).toBe(
      "Bad Request: TEXTDRAFT_PEER_INVALID",
    );
    expect((await grammyError(api.sendMessageDraft(42, 0, "x"))).description).toBe(
      TELEGRAM_ERRORS.draftIdInvalid,
    );
  });

  it("turns the user's stop button into a stopped_message_generation update", async () => {
    const { fake, api } = await setup();
    fake.sendText(42, "hi");
    await api.sendMessageDraft(42, 9, "thinking", { can_stop: true });
    fake.stopDraft(42, 9);
    const updates = await api.getUpdates();
    expect(updates.at(-1)?.stopped_message_generation).toMatchObject({ chat: { id: 42 }, draft_id: 9 });
  });
});

describe("documents, commands and chat actions", () => {
  it("records an uploaded document's name, bytes and parsed caption", async () => {
    const { fake, api } = await setup();
    fake.sendText(42, "hi");
    const sent = await api.sendDocument(42, new InputFile(Buffer.from("hello file"), "notes.txt"), {
      caption: "<b>Notes</b>",
      parse_mode: "HTML",
    });
    expect(sent.document.file_name).toBe("notes.txt");
    const [doc] = fake.documents;
    expect(doc?.fileName).toBe("notes.txt");
    expect(doc?.content?.toString()).toBe("hello file");
    expect(doc?.caption).toBe("Notes");
    expect(fake.lastBotMessage(42)).toMatchObject({
      text: "Notes",
      document: { fileName: "notes.txt", size: 10 },
    });
  });

  it("refuses an empty upload", async () => {
    const { fake, api } = await setup();
    fake.sendText(42, "hi");
    const err = await grammyError(api.sendDocument(42, new InputFile(Buffer.alloc(0), "empty.txt")));
    expect(err.description).toBe(TELEGRAM_ERRORS.emptyFile);
  });

  it("stores commands per scope and refuses invalid command names", async () => {
    const { fake, api } = await setup();
    const commands = [{ command: "model", description: "Pick a model" }];
    await api.setMyCommands(commands);
    await api.setMyCommands([{ command: "admin", description: "Admin" }], {
      scope: { type: "all_group_chats" },
    });
    expect(await api.getMyCommands()).toEqual(commands);
    expect(fake.commands({ type: "all_group_chats" })).toEqual([{ command: "admin", description: "Admin" }]);
    const err = await grammyError(api.setMyCommands([{ command: "pickModel", description: "x" }]));
    expect(err.description).toBe("Bad Request: BOT_COMMAND_INVALID");
  });

  it("records chat actions and refuses unknown ones", async () => {
    const { fake, api } = await setup();
    fake.sendText(42, "hi");
    for (const action of [
      "typing",
      "upload_photo",
      "record_voice",
      "upload_voice",
      "upload_document",
    ] as const) {
      await api.sendChatAction(42, action);
    }
    expect(fake.chatActions(42).map((a) => a.action)).toEqual([
      "typing",
      "upload_photo",
      "record_voice",
      "upload_voice",
      "upload_document",
    ]);
    const err = await grammyError(api.sendChatAction(42, "dancing" as "typing"));
    expect(err.description).toBe(TELEGRAM_ERRORS.wrongChatAction);
  });
});

describe("media from users", () => {
  it("delivers a photo as Telegram's PhotoSize list, smallest first, every size a file of its own", async () => {
    const { fake, api } = await setup();
    const png = pngHeader(1600, 1200);
    fake.sendPhoto(42, png);
    const [update] = await api.getUpdates();
    const photo = update?.message?.photo ?? [];
    expect(photo.map((p) => [p.width, p.height])).toEqual([
      [90, 68],
      [320, 240],
      [800, 600],
      [1280, 960],
      [1600, 1200],
    ]);
    expect(new Set(photo.map((p) => p.file_id)).size).toBe(5);
    expect(new Set(photo.map((p) => p.file_unique_id)).size).toBe(5);
    expect(photo.every((p) => p.file_id.length > 60 && p.file_size !== undefined)).toBe(true);
    expect(photo.at(-1)?.file_size).toBe(png.length);
    expect(fake.file(photo.at(-1)!.file_id)?.content).toEqual(png);
    expect(update?.message?.text).toBeUndefined();
    expect(update?.message?.caption).toBeUndefined();
  });

  it("reads a JPEG's size and takes explicit sizes as given", async () => {
    const { fake, api } = await setup();
    fake.sendPhoto(42, JPEG_640x480);
    fake.sendPhoto(42, {
      sizes: [
        { width: 800, height: 800, bytes: Buffer.from("large") },
        { width: 90, height: 90, bytes: Buffer.from("small") },
      ],
    });
    const [jpeg, explicit] = await api.getUpdates();
    expect(jpeg?.message?.photo?.map((p) => p.width)).toEqual([90, 320, 640]);
    expect(explicit?.message?.photo?.map((p) => [p.width, p.file_size])).toEqual([
      [90, 5],
      [800, 5],
    ]);
  });

  it("marks a mention of the bot in a caption, which lets the photo through group privacy mode", async () => {
    const { fake, api } = await setup();
    expect(fake.sendPhoto(-100, pngHeader(10, 10)).delivered).toBe(false);
    const sent = fake.sendPhoto(-100, pngHeader(10, 10), { caption: "@test_ollama_bot what is this?" });
    expect(sent.delivered).toBe(true);
    const [update] = await api.getUpdates();
    expect(update?.message).toMatchObject({
      caption: "@test_ollama_bot what is this?",
      caption_entities: [{ type: "mention", offset: 0, length: 16 }],
    });
    expect(update?.message?.entities).toBeUndefined();
  });

  it("sends an album as one update per photo with one media_group_id and the caption on the first only", async () => {
    const { fake, api } = await setup();
    const poll = api.getUpdates({ timeout: 30 });
    await fake.waitFor((f) => f.hasPendingPoll());
    const sent = fake.sendAlbum(42, [pngHeader(100, 100), pngHeader(200, 100), pngHeader(100, 200)], {
      caption: "compare these",
    });
    // A poll waiting when the album arrives is woken by its first message alone.
    const first = await poll;
    expect(first.map((u) => u.message?.message_id)).toEqual([sent[0]?.messageId]);
    const updates = [...first, ...(await api.getUpdates({ offset: first[0]!.update_id + 1 }))];
    expect(updates).toHaveLength(3);
    const groupId = updates[0]?.message?.media_group_id;
    expect(groupId).toMatch(/^\d{17}$/);
    expect(updates.map((u) => u.message?.media_group_id)).toEqual([groupId, groupId, groupId]);
    expect(updates.map((u) => u.message?.caption)).toEqual(["compare these", undefined, undefined]);
    expect(new Set(updates.map((u) => u.update_id)).size).toBe(3);
    expect(() => fake.sendAlbum(42, [pngHeader(1, 1)])).toThrow(/2 to 10 items/);
  });

  it("sends documents, images as files, voice notes and audio in shapes grammY's filters recognise", async () => {
    const { fake, bot } = await setup();
    bot.on("message:photo", (ctx) => ctx.reply(`photo ${ctx.message.photo.length}`));
    bot.on("message:voice", (ctx) =>
      ctx.reply(`voice ${ctx.message.voice.duration}s ${ctx.message.voice.mime_type}`),
    );
    bot.on("message:audio", (ctx) =>
      ctx.reply(`audio ${ctx.message.audio.file_name} ${ctx.message.audio.title}`),
    );
    bot.on("message:document", (ctx) =>
      ctx.reply(`document ${ctx.message.document.file_name} ${ctx.message.document.mime_type}`),
    );
    run(bot);
    const replies = async (send: () => void) => {
      const before = fake.visibleMessages(42).length;
      send();
      return (await fake.waitFor((f) => f.visibleMessages(42).length === before + 2 && f.lastBotMessage(42)))
        .text;
    };
    expect(await replies(() => fake.sendPhoto(42, pngHeader(500, 500)))).toBe("photo 3");
    expect(await replies(() => fake.sendVoice(42, Buffer.from("OggS"), { duration: 3 }))).toBe(
      "voice 3s audio/ogg",
    );
    expect(
      await replies(() =>
        fake.sendAudio(42, Buffer.from("ID3"), {
          fileName: "song.mp3",
          mimeType: "audio/mpeg",
          duration: 180,
          title: "Song",
        }),
      ),
    ).toBe("audio song.mp3 Song");
    expect(
      await replies(() =>
        fake.sendDocument(42, Buffer.from("%PDF-1.7"), {
          fileName: "paper.pdf",
          mimeType: "application/pdf",
        }),
      ),
    ).toBe("document paper.pdf application/pdf");
    expect(await replies(() => fake.sendImageFile(42, pngHeader(1000, 500)))).toBe(
      "document image.png image/png",
    );
  });

  it("gives an image sent as a file a thumbnail, and a plain document none", async () => {
    const { fake } = await setup();
    const image = fake.sendImageFile(42, JPEG_640x480, { caption: "uncompressed" }).message.document;
    expect(image).toMatchObject({
      file_name: "image.jpg",
      mime_type: "image/jpeg",
      file_size: JPEG_640x480.length,
    });
    expect(image?.thumbnail).toMatchObject({ width: 320, height: 240 });
    expect(image?.thumbnail?.file_id).not.toBe(image?.file_id);
    const text = fake.sendDocument(42, Buffer.from("notes"), { fileName: "a.txt", mimeType: "text/plain" });
    expect(text.message.document?.thumbnail).toBeUndefined();
    expect(fake.visibleMessages(42).map((m) => [m.text, m.media?.type, m.media?.fileName])).toEqual([
      ["uncompressed", "document", "image.jpg"],
      ["", "document", "a.txt"],
    ]);
  });

  it("keeps file_unique_id per content and gives every file sent a new file_id", async () => {
    const { fake } = await setup();
    const options = { fileName: "a.txt", mimeType: "text/plain" };
    const first = fake.sendDocument(42, Buffer.from("same"), options).message.document!;
    const again = fake.sendDocument(42, Buffer.from("same"), options).message.document!;
    const other = fake.sendDocument(42, Buffer.from("other"), options).message.document!;
    expect(again.file_unique_id).toBe(first.file_unique_id);
    expect(again.file_id).not.toBe(first.file_id);
    expect(other.file_unique_id).not.toBe(first.file_unique_id);
  });
});

describe("voice notes and audio from the bot", () => {
  it("sends an Ogg Opus voice note with its duration and caption, and serves its bytes back", async () => {
    const { fake, api } = await setup();
    fake.sendText(42, "read it to me");
    const note = await oggVoice();
    expect(note.durationSeconds).toBe(1.5);
    const sent = await api.sendVoice(42, new InputFile(note.bytes, "answer.ogg"), {
      duration: 2,
      caption: "<i>Read aloud</i>",
      parse_mode: "HTML",
    });
    expect(sent.voice).toEqual({
      duration: 2,
      mime_type: "audio/ogg",
      file_id: expect.stringMatching(/^AwACAgIAAxkBAAI/),
      file_unique_id: expect.any(String),
      file_size: note.bytes.length,
    });
    expect(sent.caption).toBe("Read aloud");
    expect(fake.lastBotMessage(42)).toMatchObject({
      text: "Read aloud",
      voice: { duration: 2, size: note.bytes.length, realDuration: 1.5, mimeType: "audio/ogg" },
      media: { type: "voice", fileId: sent.voice.file_id },
    });
    expect(fake.file(sent.voice.file_id)?.content).toEqual(Buffer.from(note.bytes));
    const { file_path } = await api.getFile(sent.voice.file_id);
    expect(file_path).toBe("voice/file_0.oga");
    const served = Buffer.from(await (await fetch(fileUrl(fake, file_path!))).arrayBuffer());
    expect(served).toEqual(Buffer.from(note.bytes));
    expect(fake.voiceProblems).toEqual([]);
    expect(fake.stats(42).sends).toBe(1);
  });

  it("shows an announced duration as given, and records one more than a second off the file's", async () => {
    const { fake, api } = await setup({ limits: false });
    fake.sendText(42, "hi");
    const note = await oggVoice();
    const send = (duration?: number) =>
      api.sendVoice(42, new InputFile(note.bytes, "a.ogg"), duration === undefined ? {} : { duration });
    // 1.5 s rounds to 2: 1 and 3 are a second off at most, which a user does not notice.
    await send(1);
    await send(3);
    expect(fake.voiceProblems).toEqual([]);
    const wrong = await send(4);
    await send(); // left out: Telegram reads 0 and shows 0:00
    expect(fake.voiceProblems).toMatchObject([
      {
        kind: "duration mismatch",
        method: "sendVoice",
        chatId: 42,
        messageId: wrong.message_id,
        fileId: wrong.voice.file_id,
        announced: 4,
        realDuration: 1.5,
        detail: "duration 4 s announced for 1.50 s of audio",
      },
      { kind: "duration mismatch", announced: 0, realDuration: 1.5 },
    ]);
    expect(
      fake
        .visibleMessages(42)
        .slice(-2)
        .map((m) => [m.text, m.voice?.duration, m.voice?.realDuration]),
    ).toEqual([
      ["", 4, 1.5],
      ["", 0, 1.5],
    ]);
  });

  it("refuses a WAV, other bytes and a broken Ogg with 'wrong file type', and a missing voice", async () => {
    const { fake, api } = await setup();
    fake.sendText(42, "hi");
    const wav = riff([
      ["fmt ", fmt({ sampleRate: 24_000 })],
      ["data", int16le([0, 1000, -1000, 0])],
    ]);
    expect(parseWav(wav).sampleRate).toBe(24_000); // a sound file, only not one Telegram shows as a voice note
    const noise = Buffer.from(Array.from({ length: 2000 }, (_, i) => (i * 7919 + 13) % 251));
    const broken = Buffer.from((await oggVoice()).bytes);
    broken[broken.length - 1]! ^= 0xff; // the last page's CRC no longer matches
    for (const bytes of [wav, noise, broken]) {
      const err = await grammyError(api.sendVoice(42, new InputFile(bytes, "voice.ogg"), { duration: 2 }));
      expect([err.error_code, err.description]).toEqual([400, TELEGRAM_ERRORS.wrongFileType]);
    }
    expect((await grammyError(api.sendAudio(42, new InputFile(wav, "a.wav")))).description).toBe(
      TELEGRAM_ERRORS.wrongFileType,
    );
    expect(fake.voiceProblems.map((p) => [p.kind, p.method, p.messageId, p.detail])).toEqual([
      ["wrong file type", "sendVoice", undefined, "not OGG/Opus, MP3 or M4A: a WAV file"],
      [
        "wrong file type",
        "sendVoice",
        undefined,
        "not OGG/Opus, MP3 or M4A: bytes starting 0d 97 26 b0 3f c9 58 e2",
      ],
      [
        "wrong file type",
        "sendVoice",
        undefined,
        expect.stringMatching(/Not a valid Ogg Opus file .*wrong CRC/),
      ],
      ["wrong file type", "sendAudio", undefined, "not OGG/Opus, MP3 or M4A: a WAV file"],
    ]);
    const bare = await fetch(`${fake.apiRoot}/bot${fake.token}/sendVoice`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ chat_id: 42, duration: 2 }),
    });
    expect(await bare.json()).toEqual({ ok: false, error_code: 400, description: TELEGRAM_ERRORS.noVoice });
    expect(fake.lastBotMessage(42)).toBeUndefined();
    expect(fake.stats(42)).toMatchObject({ sends: 0, errors: 5 });
  });

  it("sends MP3 and M4A with sendAudio, an MP3 voice note, and other Ogg as audio only", async () => {
    const { fake, api } = await setup({ limits: false });
    fake.sendText(42, "hi");
    const mp3 = mp3Bytes();
    const sent = await api.sendAudio(42, new InputFile(mp3, "song.mp3"), {
      duration: 3,
      title: "Song",
      performer: "Band",
      caption: "your song",
    });
    expect(sent.audio).toEqual({
      duration: 3,
      performer: "Band",
      title: "Song",
      file_name: "song.mp3",
      mime_type: "audio/mpeg",
      file_id: expect.stringMatching(/^CQACAgIAAxkBAAI/),
      file_unique_id: expect.any(String),
      file_size: mp3.length,
    });
    expect(fake.lastBotMessage(42)).toMatchObject({
      text: "your song",
      audio: { duration: 3, size: mp3.length, mimeType: "audio/mpeg", fileName: "song.mp3", title: "Song" },
      media: { type: "audio", fileId: sent.audio.file_id, fileName: "song.mp3" },
    });
    expect(fake.lastBotMessage(42)?.audio?.realDuration).toBeUndefined(); // an MP3's length is not read
    expect((await api.getFile(sent.audio.file_id)).file_path).toBe("music/file_0.mp3");

    expect((await api.sendVoice(42, new InputFile(mp3, "note.mp3"), { duration: 3 })).voice.mime_type).toBe(
      "audio/mpeg",
    );
    const m4a = await api.sendAudio(42, new InputFile(m4aBytes(), "talk.m4a"), { duration: 1 });
    expect(m4a.audio).toMatchObject({ mime_type: "audio/mp4", file_name: "talk.m4a" });
    const vorbis = vorbisOgg();
    expect((await api.sendAudio(42, new InputFile(vorbis, "track.ogg"))).audio.mime_type).toBe("audio/ogg");
    const err = await grammyError(api.sendVoice(42, new InputFile(vorbis, "track.ogg")));
    expect(err.description).toBe(TELEGRAM_ERRORS.wrongFileType);
    await api.sendAudio(42, new InputFile((await oggVoice()).bytes, "voice.ogg"), { duration: 2 });
    expect(fake.lastBotMessage(42)?.audio).toMatchObject({ duration: 2, realDuration: 1.5 });
    expect(fake.voiceProblems.map((p) => [p.method, p.detail])).toEqual([
      ["sendVoice", "an Ogg stream that is not Opus, which sendVoice does not show"],
    ]);
  });

  it("resends a known voice note by file_id, and refuses unknown ids and ids of another kind", async () => {
    const { fake, api } = await setup({ limits: false });
    const note = await oggVoice();
    const users = fake.sendVoice(42, note.bytes, { duration: 2 }).message.voice!;
    const sent = await api.sendVoice(42, new InputFile(note.bytes, "a.ogg"), { duration: 2 });
    expect((await api.sendVoice(42, sent.voice.file_id, { duration: 2 })).voice).toEqual(sent.voice);
    // A user's voice note is the bot's to send on, and its length is known too: a wrong duration is caught.
    await api.sendVoice(42, users.file_id, { duration: 9 });
    expect(fake.lastBotMessage(42)?.voice).toMatchObject({ duration: 9, realDuration: 1.5 });
    expect(fake.voiceProblems).toMatchObject([
      { kind: "duration mismatch", fileId: users.file_id, announced: 9 },
    ]);

    const mismatch = await grammyError(api.sendAudio(42, sent.voice.file_id));
    expect([mismatch.error_code, mismatch.description]).toEqual([400, "Bad Request: type of file mismatch"]);
    const photo = fake.sendPhoto(42, pngHeader(10, 10)).message.photo!.at(-1)!;
    expect((await grammyError(api.sendVoice(42, photo.file_id))).description).toBe(
      TELEGRAM_ERRORS.fileTypeMismatch,
    );
    expect((await grammyError(api.sendVoice(42, "AwACAgIAAxkBAAIBogus"))).description).toBe(
      "Bad Request: wrong file identifier/HTTP URL specified",
    );
    expect((await grammyError(api.sendVoice(42, "https://example.com/a.ogg"))).description).toBe(
      TELEGRAM_ERRORS.urlFilesUnsupported,
    );
  });

  it("keeps reply_parameters and reply_markup on a voice note, whose button the user can press", async () => {
    const { fake, api } = await setup();
    const asked = fake.sendText(42, "read it");
    const note = await oggVoice();
    const sent = await api.sendVoice(42, new InputFile(note.bytes, "a.ogg"), {
      duration: 2,
      reply_parameters: { message_id: asked.messageId },
      reply_markup: new InlineKeyboard().text("Again", "voice:again"),
    });
    expect(sent.reply_to_message?.message_id).toBe(asked.messageId);
    expect(sent.reply_markup?.inline_keyboard).toEqual([[{ text: "Again", callback_data: "voice:again" }]]);
    expect(fake.lastBotMessage(42)?.buttons).toEqual([[{ text: "Again", data: "voice:again" }]]);
    fake.pressButton(42, sent.message_id, "voice:again");
    const updates = await api.getUpdates();
    expect(updates.at(-1)?.callback_query?.message).toMatchObject({ voice: { file_id: sent.voice.file_id } });
    // A voice note has a caption, not text.
    expect((await grammyError(api.editMessageText(42, sent.message_id, "x"))).description).toBe(
      TELEGRAM_ERRORS.noTextToEdit,
    );
    const badMarkup = await grammyError(
      api.sendVoice(42, new InputFile(note.bytes, "a.ogg"), {
        reply_markup: { inline_keyboard: [[{ text: "Empty", callback_data: "" }]] },
      }),
    );
    expect(badMarkup.description).toBe(TELEGRAM_ERRORS.buttonDataInvalid);
    expect(
      (
        await grammyError(
          api.sendVoice(42, new InputFile(note.bytes, "a.ogg"), {
            reply_parameters: { message_id: 999 },
          }),
        )
      ).description,
    ).toBe(TELEGRAM_ERRORS.replyNotFound);
  });

  it("spends the chat's send budget like sendMessage, except on a refused upload", async () => {
    const clock = manualClock();
    const { fake, api } = await setup({ now: clock.now });
    fake.sendText(42, "hi");
    const mp3 = mp3Bytes();
    await grammyError(api.sendVoice(42, new InputFile(Buffer.from("not audio at all"), "x.ogg")));
    await api.sendMessage(42, "one");
    for (let i = 0; i < 3; i++) await api.sendVoice(42, new InputFile(mp3, "n.mp3"), { duration: 3 });
    await api.sendAudio(42, new InputFile(mp3, "s.mp3"), { duration: 3 });
    const err = await grammyError(api.sendVoice(42, new InputFile(mp3, "n.mp3"), { duration: 3 }));
    expect([err.error_code, err.parameters.retry_after]).toEqual([429, 1]);
    clock.advance(1000);
    await api.sendVoice(42, new InputFile(mp3, "n.mp3"), { duration: 3 });
    expect(fake.stats(42)).toMatchObject({ sends: 6, tooManyRequests: 1 });
  });

  it("answers 413 for an upload over 50 MB before it reads anything else", async () => {
    const { api } = await setup();
    const huge = new InputFile(Buffer.alloc(MAX_UPLOAD_BYTES + 1), "huge.ogg");
    const err = await grammyError(api.sendVoice(777, huge, { duration: 1 })); // a chat the fake does not know
    expect([err.error_code, err.description]).toEqual([413, "Request Entity Too Large"]);
  });
});

describe("getFile and downloads", () => {
  it("answers getFile with the file's ids, size and path, and serves the bytes once per download", async () => {
    const { fake, api } = await setup();
    const sent = fake.sendDocument(42, Buffer.from("hello file"), {
      fileName: "notes.txt",
      mimeType: "text/plain",
    });
    const fileId = sent.message.document!.file_id;
    const file = await api.getFile(fileId);
    expect(file).toEqual({
      file_id: fileId,
      file_unique_id: sent.message.document?.file_unique_id,
      file_size: 10,
      file_path: "documents/file_0.txt",
    });
    expect((await api.getFile(fileId)).file_path).toBe(file.file_path); // stable
    const res = await fetch(fileUrl(fake, file.file_path!));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-length")).toBe("10");
    expect(Buffer.from(await res.arrayBuffer()).toString()).toBe("hello file");
    expect(fake.downloadsOf(fileId)).toMatchObject([{ status: 200, bytes: 10, outcome: "complete" }]);
  });

  it("names photos and voice notes as Telegram does", async () => {
    const { fake, api } = await setup();
    const photo = fake.sendPhoto(42, pngHeader(50, 50)).message.photo!.at(-1)!;
    const voice = fake.sendVoice(42, Buffer.from("OggS"), { duration: 1 }).message.voice!;
    expect((await api.getFile(photo.file_id)).file_path).toBe("photos/file_0.jpg");
    expect((await api.getFile(voice.file_id)).file_path).toBe("voice/file_1.oga");
  });

  it("refuses an unknown or missing file_id", async () => {
    const { api } = await setup();
    const unknown = await grammyError(api.getFile("AgACAgIAAxkBAAIBogus"));
    expect([unknown.error_code, unknown.description]).toEqual([400, "Bad Request: invalid file_id"]);
    expect((await grammyError(api.getFile(""))).description).toBe(TELEGRAM_ERRORS.fileIdEmpty);
  });

  it("refuses getFile for a file over 20 MB with 'file is too big', and serves one of exactly 20 MB", async () => {
    const { fake, api } = await setup();
    const doc = (declaredSize: number) =>
      fake.sendDocument(42, Buffer.from("big"), {
        fileName: "big.bin",
        mimeType: "application/zip",
        declaredSize,
      }).message.document!;
    const over = doc(MAX_DOWNLOAD_BYTES + 1);
    expect(over.file_size).toBe(MAX_DOWNLOAD_BYTES + 1);
    const err = await grammyError(api.getFile(over.file_id));
    expect([err.error_code, err.description]).toEqual([400, "Bad Request: file is too big"]);
    expect((await api.getFile(doc(MAX_DOWNLOAD_BYTES).file_id)).file_size).toBe(MAX_DOWNLOAD_BYTES);
  });

  it("pads a declared size past the bytes with zeros when downloaded", async () => {
    const { fake, api } = await setup();
    const doc = fake.sendDocument(42, Buffer.from("abc"), {
      fileName: "a.bin",
      mimeType: "application/octet-stream",
      declaredSize: 200_000,
    }).message.document!;
    const body = Buffer.from(
      await (await fetch(fileUrl(fake, (await api.getFile(doc.file_id)).file_path!))).arrayBuffer(),
    );
    expect(body.length).toBe(200_000);
    expect(body.subarray(0, 3).toString()).toBe("abc");
    expect(body.subarray(3).every((b) => b === 0)).toBe(true);
  });

  it("answers a wrong token with 401 and a path getFile never gave out with 404", async () => {
    const { fake, api } = await setup();
    const doc = fake.sendDocument(42, Buffer.from("x"), { fileName: "x.txt", mimeType: "text/plain" }).message
      .document!;
    const unfetched = await fetch(fileUrl(fake, "documents/file_0.txt"));
    expect([unfetched.status, await unfetched.json()]).toEqual([
      404,
      { ok: false, error_code: 404, description: "Not Found" },
    ]);
    const { file_path } = await api.getFile(doc.file_id);
    const wrongToken = await fetch(fileUrl(fake, file_path!, "1:wrong"));
    expect([wrongToken.status, await wrongToken.json()]).toEqual([
      401,
      { ok: false, error_code: 401, description: "Unauthorized" },
    ]);
    expect(fake.downloads.map((d) => d.outcome)).toEqual(["refused", "refused"]);
  });

  it("serves the bot's own uploads through getFile too", async () => {
    const { fake, api } = await setup();
    fake.sendText(42, "hi");
    const sent = await api.sendDocument(42, new InputFile(Buffer.from("report"), "report.md"));
    const { file_path } = await api.getFile(sent.document.file_id);
    expect(file_path).toBe("documents/file_0.md");
    expect(await (await fetch(fileUrl(fake, file_path!))).text()).toBe("report");
  });

  it("hangs a download until the client gives up, and records it", async () => {
    const { fake, api } = await setup();
    const doc = fake.sendDocument(42, Buffer.from("slow"), { fileName: "s.txt", mimeType: "text/plain" })
      .message.document!;
    const { file_path } = await api.getFile(doc.file_id);
    fake.failNextDownload({ hang: true });
    await expect(fetch(fileUrl(fake, file_path!), { signal: AbortSignal.timeout(100) })).rejects.toThrow();
    await fake.waitFor((f) => f.downloads[0]?.outcome === "hung");
    expect(fake.downloads[0]).toMatchObject({ status: 0, bytes: 0 });
    expect(await (await fetch(fileUrl(fake, file_path!))).text()).toBe("slow"); // the next one is served
  });

  it("stalls or cuts a download mid-body after the bytes asked for", async () => {
    const { fake, api } = await setup();
    const doc = fake.sendDocument(42, Buffer.from("0123456789"), {
      fileName: "d.txt",
      mimeType: "text/plain",
    }).message.document!;
    const url = fileUrl(fake, (await api.getFile(doc.file_id)).file_path!);

    fake.failNextDownload({ hang: true, afterBytes: 4 });
    const controller = new AbortController();
    const stalled = await fetch(url, { signal: controller.signal });
    expect(stalled.status).toBe(200);
    const reader = stalled.body!.getReader();
    expect(Buffer.from((await reader.read()).value!).toString()).toBe("0123");
    controller.abort();
    await fake.waitFor((f) => f.downloads[0]?.outcome === "hung");
    expect(fake.downloads[0]?.bytes).toBe(4);

    fake.failNextDownload({ dropConnection: true, afterBytes: 2 });
    const cut = await fetch(url);
    await expect(cut.arrayBuffer()).rejects.toThrow();
    expect(fake.downloads[1]).toMatchObject({ bytes: 2, outcome: "dropped" });
  });

  it("delays downloads when asked, and records a client that gives up during the delay", async () => {
    const { fake, api } = await setup({ downloadDelayMs: 10_000 });
    const doc = fake.sendDocument(42, Buffer.from("late"), { fileName: "l.txt", mimeType: "text/plain" })
      .message.document!;
    const url = fileUrl(fake, (await api.getFile(doc.file_id)).file_path!);
    await expect(fetch(url, { signal: AbortSignal.timeout(100) })).rejects.toThrow();
    await fake.waitFor((f) => f.downloads[0]?.outcome === "aborted");
    fake.setDownloadDelay(0);
    expect(await (await fetch(url)).text()).toBe("late");
  });

  it("cuts a hung download at close()", async () => {
    const { fake, api } = await setup();
    const doc = fake.sendDocument(42, Buffer.from("x"), { fileName: "x.txt", mimeType: "text/plain" }).message
      .document!;
    const { file_path } = await api.getFile(doc.file_id);
    fake.failNextDownload({ hang: true });
    const pending = fetch(fileUrl(fake, file_path!));
    await fake.waitFor((f) => f.downloads.length === 1);
    const started = Date.now();
    await fake.close();
    await expect(pending).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(1500);
    expect(fake.downloads[0]?.outcome).toBe("hung");
  });
});

describe("getFile in local mode (a local Bot API server)", () => {
  it("answers an absolute path to the file on disk, past 20 MB, and serves nothing over HTTP", async () => {
    const { fake, api } = await setup({ localMode: true });
    const small = fake.sendVoice(42, Buffer.from("OggS voice"), { duration: 2 }).message.voice!;
    const file = await api.getFile(small.file_id);
    expect(isAbsolute(file.file_path!)).toBe(true);
    expect(file.file_path).toBe(`${fake.localDir}/${fake.token}/voice/file_0.oga`);
    expect((await stat(file.file_path!)).size).toBe(10);

    const big = fake.sendDocument(42, Buffer.from("PK"), {
      fileName: "dataset.zip",
      mimeType: "application/zip",
      declaredSize: 25 * 1024 * 1024,
    }).message.document!;
    const bigFile = await api.getFile(big.file_id);
    expect((await stat(bigFile.file_path!)).size).toBe(25 * 1024 * 1024);

    const overHttp = await fetch(fileUrl(fake, "voice/file_0.oga"));
    expect(overHttp.status).toBe(404);
    const tooBig = fake.sendDocument(42, Buffer.from("x"), {
      fileName: "huge.bin",
      mimeType: "application/octet-stream",
      declaredSize: 2000 * 1024 * 1024 + 1,
    }).message.document!;
    expect((await grammyError(api.getFile(tooBig.file_id))).description).toBe(TELEGRAM_ERRORS.fileTooBig);
  });

  it("removes its directory at close()", async () => {
    const { fake, api } = await setup({ localMode: true });
    const doc = fake.sendDocument(42, Buffer.from("x"), { fileName: "x.txt", mimeType: "text/plain" }).message
      .document!;
    const { file_path } = await api.getFile(doc.file_id);
    await fake.close();
    await expect(stat(file_path!)).rejects.toMatchObject({ code: "ENOENT" });
    await expect(stat(fake.localDir!)).rejects.toMatchObject({ code: "ENOENT" });
  });
});

describe("waitFor", () => {
  it("rejects after its timeout, naming what it waited for and the last calls", async () => {
    const { fake, api } = await setup();
    await api.getMe();
    await expect(fake.waitFor(() => false, { timeoutMs: 50, description: "a miracle" })).rejects.toThrow(
      /waitFor for a miracle timed out after 50 ms; last calls: getMe -> ok/,
    );
  });
});
