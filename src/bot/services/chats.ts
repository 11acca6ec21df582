/** A chat's settings: model, streaming, system prompt, language, history. Small writes, each one update. */

import { type ChatSettings, type Effective, effective } from "../model-settings.js";
import type { ChatSession } from "../session.js";
import { type Core, chatKey } from "./core.js";
import type { ModelCatalog, ModelFacts } from "./models.js";

/** A chat's settings as /settings and /model show them. */
export interface SettingsState {
  session: ChatSession;
  model: string | undefined;
  facts: ModelFacts | undefined;
  effective: Effective;
}

export class ChatService {
  constructor(
    private readonly core: Core,
    private readonly models: ModelCatalog,
  ) {}

  get(chatId: number): Promise<ChatSession> {
    return this.core.store.get(chatKey(chatId));
  }

  /** The model the chat talks to: its own, or the configured default. */
  modelOf(s: ChatSession): string | undefined {
    return s.model ?? this.models.defaultModel();
  }

  async setModel(chatId: number, model: string): Promise<ChatSession> {
    return this.core.store.update(chatKey(chatId), (s) => {
      s.model = model;
    });
  }

  async setSystem(chatId: number, system: string | undefined): Promise<void> {
    await this.core.store.update(chatKey(chatId), (s) => {
      s.system = system;
    });
  }

  async setStream(chatId: number, on: boolean | "toggle"): Promise<boolean> {
    const s = await this.core.store.update(chatKey(chatId), (d) => {
      d.stream = on === "toggle" ? !d.stream : on;
    });
    return s.stream;
  }

  async clearHistory(chatId: number): Promise<void> {
    await this.core.store.update(chatKey(chatId), (s) => {
      s.history = [];
      s.offers = [];
      s.summary = undefined;
      s.contextTold = undefined;
      s.lastAnswer = undefined;
    });
  }

  /** The chat's settings with what they mean for its model now (its context length, whether it thinks). */
  async settings(chatId: number, session?: ChatSession): Promise<SettingsState> {
    const s = session ?? (await this.get(chatId));
    const model = s.mode === "ai2ai" ? (s.ai2ai?.a?.model ?? this.modelOf(s)) : this.modelOf(s);
    const facts = model === undefined ? undefined : await this.models.factsWithin(model, 5_000);
    return { session: s, model, facts, effective: effective(s.settings, this.core.config.settings, facts) };
  }

  /** Changes some settings; a field set to undefined goes back to the default. */
  async changeSettings(chatId: number, patch: Partial<ChatSettings>): Promise<ChatSession> {
    return this.core.store.update(chatKey(chatId), (s) => {
      const next: ChatSettings = { ...s.settings, ...patch };
      for (const k of Object.keys(next) as Array<keyof ChatSettings>)
        if (next[k] === undefined) delete next[k];
      s.settings = Object.keys(next).length > 0 ? next : undefined;
    });
  }

  /** Every model setting and streaming back to the defaults (the system prompt stays: it is the user's text). */
  async resetSettings(chatId: number): Promise<ChatSession> {
    return this.core.store.update(chatKey(chatId), (s) => {
      s.settings = undefined;
      s.stream = this.core.config.streamDefault;
    });
  }

  async setLanguage(chatId: number, language: string | undefined): Promise<void> {
    await this.core.store.update(chatKey(chatId), (s) => {
      s.language = language;
    });
  }

  async closePicker(chatId: number): Promise<void> {
    await this.core.store.update(chatKey(chatId), (s) => {
      s.picker = undefined;
    });
  }

  async setPickerPage(chatId: number, page: number): Promise<ChatSession> {
    return this.core.store.update(chatKey(chatId), (s) => {
      if (s.picker) s.picker.page = page;
    });
  }

  /** Remembers that `messageId` asks `userId` something (bounded: the newest few). */
  async openQuestion(chatId: number, messageId: number, userId: number): Promise<void> {
    await this.core.store.update(chatKey(chatId), (s) => {
      s.questions = [...(s.questions ?? []), { messageId, userId, at: Date.now() }].slice(-MAX_QUESTIONS);
    });
  }

  async closeQuestion(chatId: number, messageId: number): Promise<void> {
    await this.core.store.update(chatKey(chatId), (s) => {
      const left = s.questions?.filter((q) => q.messageId !== messageId) ?? [];
      s.questions = left.length > 0 ? left : undefined;
    });
  }

  /** Who an open question (the bot's message `messageId`) is for, if it is one and has not expired. */
  questionFor(s: ChatSession, messageId: number, maxAgeMs: number): number | undefined {
    const q = s.questions?.find((x) => x.messageId === messageId);
    return q && Date.now() - q.at <= maxAgeMs ? q.userId : undefined;
  }
}

const MAX_QUESTIONS = 10;
