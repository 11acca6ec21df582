/**
 * Photos, voice notes and documents as they arrive, before they become turns: an album's photos are collected
 * into one turn (stored as they come, so a restart in between still answers it); a photo for a model that cannot
 * see waits while the user picks one that can (or an admin pulls one); a voice note where nothing can hear it, or
 * a file over the limit, gets one sentence at once instead of a turn that cannot succeed.
 */
import { InlineKeyboard } from "grammy";
import type { PhotoSize } from "grammy/types";
import type { ChatSession, ImageRef, MediaRef, PendingAlbum } from "../session.js";
import type { T } from "../views/t.js";
import { type Core, chatKey, logFailure, shortToken } from "./core.js";
import { CLOUD_FILE_LIMIT } from "./files.js";
import type { MediaService } from "./media.js";
import type { ModelCatalog } from "./models.js";
import type { PullService } from "./pulls.js";
import { type ChatScope, chatSessions } from "./shown.js";
import type { TurnRequest, TurnService } from "./turns.js";

/** How long an album waits for its next photo: Telegram sends them within a second or so. */
export const ALBUM_WAIT_MS = 1_500;
/** Telegram's own bound on an album. */
const MAX_ALBUM = 10;
/** Photos a chat keeps waiting for a vision model at once. */
const MAX_VISION_WAITING = 5;

export interface MediaMessage {
  chatId: number;
  chatType: string;
  userId: number | undefined;
  messageId: number;
  locale: string;
  /** The caption, the bot's mention taken out; empty when none. */
  caption: string;
}

/** The largest size Telegram offers whose longer edge fits `edge` (else the smallest): no resizing needed. */
export function pickPhotoSize(sizes: readonly PhotoSize[], edge: number): PhotoSize {
  const fit = sizes.filter((s) => Math.max(s.width, s.height) <= edge);
  const pool =
    fit.length > 0 ? fit : [...sizes].sort((a, b) => a.width * a.height - b.width * b.height).slice(0, 1);
  return pool.reduce((best, s) => (s.width * s.height > best.width * best.height ? s : best));
}

export class MediaIntake {
  private readonly albumTimers = new Map<string, () => void>();

  constructor(
    private readonly core: Core,
    private readonly turns: TurnService,
    private readonly models: ModelCatalog,
    private readonly media: MediaService,
    private readonly pulls: PullService,
  ) {}

  private t(locale: string): T {
    return this.core.texts.for(locale);
  }

  private reply(m: MediaMessage, text: string, kb?: InlineKeyboard) {
    return this.core.api
      .sendMessage(m.chatId, text, {
        reply_parameters: { message_id: m.messageId, allow_sending_without_reply: true },
        ...(kb ? { reply_markup: kb } : {}),
      })
      .catch(logFailure(this.core.log, "could not answer a media message", { chatId: m.chatId }));
  }

  private request(m: MediaMessage, prompt: string, media: MediaRef): TurnRequest {
    return {
      chatId: m.chatId,
      chatType: m.chatType,
      userId: m.userId,
      messageId: m.messageId,
      prompt,
      locale: m.locale,
      media,
    };
  }

  /** A photo (or an image sent as a file); with `groupId`, one of an album's. */
  async photo(m: MediaMessage, image: ImageRef, groupId?: string): Promise<void> {
    if (groupId === undefined) {
      await this.images(m, [image]);
      return;
    }
    const key = chatKey(m.chatId);
    await this.core.store.update(key, (s) => {
      const albums = s.albums ?? [];
      let album = albums.find((a) => a.groupId === groupId);
      if (!album) {
        album = {
          groupId,
          chatType: m.chatType,
          userId: m.userId,
          locale: m.locale,
          messageId: m.messageId,
          images: [],
          lastAt: Date.now(),
        };
        albums.push(album);
      }
      if (album.images.length < MAX_ALBUM) album.images.push(image);
      if (m.caption && !album.caption) album.caption = m.caption;
      album.lastAt = Date.now();
      s.albums = albums;
    });
    this.albumTimers.get(groupId)?.();
    this.albumTimers.set(
      groupId,
      this.core.clock.setTimeout(() => {
        this.albumTimers.delete(groupId);
        void this.flushAlbum(m.chatId, groupId).catch(
          logFailure(this.core.log, "could not answer an album", { chatId: m.chatId }),
        );
      }, ALBUM_WAIT_MS),
    );
  }

  private async flushAlbum(chatId: number, groupId: string): Promise<void> {
    let album: PendingAlbum | undefined;
    await this.core.store.update(chatKey(chatId), (s) => {
      album = s.albums?.find((a) => a.groupId === groupId);
      const left = s.albums?.filter((a) => a.groupId !== groupId) ?? [];
      s.albums = left.length > 0 ? left : undefined;
    });
    if (!album) return;
    await this.images(
      {
        chatId,
        chatType: album.chatType,
        userId: album.userId,
        messageId: album.messageId,
        locale: album.locale,
        caption: album.caption ?? "",
      },
      album.images,
    );
  }

  /** At start-up: albums a restart caught while they were collected are answered now. */
  async recover(scope?: ChatScope): Promise<number> {
    let n = 0;
    for await (const { chatId, session: s } of chatSessions(this.core, scope)) {
      for (const a of s.albums ?? []) {
        await this.flushAlbum(chatId, a.groupId);
        n++;
      }
    }
    return n;
  }

  /** Photos become a turn for a model that sees; otherwise the user picks one that does. */
  private async images(m: MediaMessage, images: ImageRef[]): Promise<void> {
    const t = this.t(m.locale);
    const prompt = m.caption || t("photo-default-prompt");
    const media: MediaRef = { kind: "images", images };
    const session = await this.core.store.get(chatKey(m.chatId));
    const model = session.model ?? this.models.defaultModel();
    const facts = model === undefined ? undefined : await this.models.factsWithin(model, 5_000);
    // Unknown facts (`show` failed): tried, and Ollama says so if the model cannot see.
    if (model !== undefined && (facts === undefined || facts.capabilities.has("vision"))) {
      await this.turns.submit(this.request(m, prompt, media));
      return;
    }
    const listed = await this.models.models().catch((err: unknown) => {
      this.core.log.warn({ err, chatId: m.chatId }, "could not list the models to offer one that sees");
      return undefined;
    });
    if (!listed) {
      // The model server is away: said as such, not as "none installed" (which would offer a pull).
      await this.turns.submit(this.request(m, prompt, media));
      return;
    }
    const seeing = listed.filter((x) => x.facts?.capabilities.has("vision"));
    const id = shortToken();
    const names = seeing.map((x) => x.name).slice(0, 8);
    await this.core.store.update(chatKey(m.chatId), (s) => {
      const item = { id, prompt, messageId: m.messageId, media, at: Date.now(), models: names };
      s.visionWaiting = [...(s.visionWaiting ?? []), item].slice(-MAX_VISION_WAITING);
    });
    const head = model === undefined ? t("photo-pick-vision") : t("photo-model-blind", { model });
    if (names.length > 0) {
      const kb = new InlineKeyboard();
      names.forEach((name, i) => {
        kb.text(`👁 ${name}`.slice(0, 60), `vp:${id}:${i}`).row();
      });
      await this.reply(m, `${head}\n${t("photo-pick-one")}`, kb);
      return;
    }
    const pull = this.core.config.media.visionPullModel;
    if (this.core.isAdmin(m.userId)) {
      await this.reply(
        m,
        `${head}\n${t("photo-none-installed-admin", { model: pull })}`,
        new InlineKeyboard().text(t("button-pull", { model: pull }).slice(0, 60), `vl:${id}`),
      );
    } else {
      await this.reply(m, `${head}\n${t("photo-none-installed", { model: pull })}`);
    }
  }

  /** A vision model picked for a waiting photo: the chat switches to it and the photo is answered. */
  async pickVision(
    chatId: number,
    id: string,
    index: number,
    from: { chatType: string; userId: number | undefined; locale: string },
  ): Promise<"ok" | "gone" | "missing"> {
    const waiting = (await this.core.store.get(chatKey(chatId))).visionWaiting?.find((w) => w.id === id);
    const wanted = waiting?.models[index];
    if (!waiting || !wanted) return "gone";
    // Checked before anything changes: a model gone (or a hub away, which throws) leaves the photo waiting.
    if (!(await this.core.client.hasModel(wanted))) return "missing";
    let item: NonNullable<ChatSession["visionWaiting"]>[number] | undefined;
    let name: string | undefined;
    await this.core.store.update(chatKey(chatId), (s) => {
      item = s.visionWaiting?.find((w) => w.id === id);
      name = item?.models[index];
      if (!item || !name) return;
      s.visionWaiting = s.visionWaiting!.filter((w) => w !== item);
      s.model = name;
    });
    if (!item || !name) return "gone";
    await this.turns.submit({
      chatId,
      chatType: from.chatType,
      userId: from.userId,
      messageId: item.messageId,
      prompt: item.prompt,
      locale: from.locale,
      media: item.media,
    });
    return "ok";
  }

  /** An admin pulls the suggested vision model for a waiting photo; then the photo is answered with it. */
  pullVision(
    chatId: number,
    id: string,
    from: { chatType: string; userId: number | undefined; locale: string },
  ): "started" | "busy" {
    const model = this.core.config.media.visionPullModel;
    if (this.pulls.isPulling(model)) return "busy";
    const t = this.t(from.locale);
    void this.pulls
      .pull({
        chatId,
        chatType: from.chatType,
        model,
        t,
        onFailure: new InlineKeyboard().text(t("button-pull-again"), `vl:${id}`),
      })
      .then(async (result) => {
        if (!result.ok) return;
        let item: NonNullable<ChatSession["visionWaiting"]>[number] | undefined;
        await this.core.store.update(chatKey(chatId), (s) => {
          item = s.visionWaiting?.find((w) => w.id === id);
          if (!item) return;
          s.visionWaiting = s.visionWaiting!.filter((w) => w !== item);
          s.model = model;
        });
        if (!item) return;
        await this.turns.submit({
          chatId,
          chatType: from.chatType,
          userId: from.userId,
          messageId: item.messageId,
          prompt: item.prompt,
          locale: from.locale,
          media: item.media,
        });
      })
      .catch((err: unknown) => this.core.log.error({ err, chatId, model }, "vision pull job failed"));
    return "started";
  }

  /** A voice note or audio file: answered when something can understand it, else one sentence why not. */
  async voice(m: MediaMessage, media: Extract<MediaRef, { kind: "voice" }>): Promise<void> {
    const t = this.t(m.locale);
    if (this.tooBig(m, media.size)) return;
    if (this.core.client.mode !== "hub") {
      const session = await this.core.store.get(chatKey(m.chatId));
      const model = session.model ?? this.models.defaultModel();
      const facts = model === undefined ? undefined : await this.models.factsWithin(model, 5_000);
      if (!facts?.capabilities.has("audio") || !(await this.media.hasFfmpeg())) {
        await this.reply(m, `⚠️ ${t("failure-voice-direct")}`);
        return;
      }
    }
    await this.turns.submit(this.request(m, m.caption, media));
  }

  /** A document: answered with its text (read inside the turn); one over the limit is refused at once. */
  async document(m: MediaMessage, media: Extract<MediaRef, { kind: "document" }>): Promise<void> {
    if (this.tooBig(m, media.size)) return;
    const prompt = m.caption || this.t(m.locale)("document-default-prompt");
    await this.turns.submit(this.request(m, prompt, media));
  }

  /** Says a file is over the limit (Telegram's 20 MB, or MEDIA_MAX_MB) before anything is fetched. */
  private tooBig(m: MediaMessage, size: number | undefined): boolean {
    if (size === undefined) return false;
    const local = this.core.config.apiLocal;
    const ours = this.core.config.media.maxFileBytes;
    const limit = local ? ours : Math.min(ours, CLOUD_FILE_LIMIT);
    if (size <= limit) return false;
    const t = this.t(m.locale);
    const mb = Math.round(limit / (1024 * 1024));
    void this.reply(
      m,
      `⚠️ ${t(!local && ours >= CLOUD_FILE_LIMIT ? "failure-file-too-big-telegram" : "failure-file-too-big", { mb })}`,
    );
    return true;
  }
}
