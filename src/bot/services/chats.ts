/** A chat's settings: model, streaming, system prompt, language, history. Small writes, each one update. */
import type { ChatSession } from "../session.js";
import { type Core, chatKey } from "./core.js";

export class ChatService {
  constructor(private readonly core: Core) {}

  get(chatId: number): Promise<ChatSession> {
    return this.core.store.get(chatKey(chatId));
  }

  /** The model the chat talks to: its own, or the configured default. */
  modelOf(s: ChatSession): string | undefined {
    return s.model ?? this.core.config.defaultModel;
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
}
