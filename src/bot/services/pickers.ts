/**
 * The picker's snapshot: which models its buttons' indexes mean. Stored in the chat's session under a token, so
 * a button from an old picker, from before a restart, or forged, is recognised as out of date.
 */

import type { ChatSession } from "../session.js";
import { pageOf } from "../views/picker.js";
import { type Core, chatKey, shortToken } from "./core.js";
import type { CatalogModel } from "./models.js";
import { canChat, type ModelCatalog } from "./models.js";

export interface PickerData {
  session: ChatSession;
  /** The models a chat can talk to (embedding-only ones are left out), with their facts. */
  models: CatalogModel[];
  /** The names of the models loaded now. */
  loaded: ReadonlySet<string>;
}

export class PickerService {
  constructor(
    private readonly core: Core,
    private readonly catalog: ModelCatalog,
  ) {}

  /** Loads the models and stores a fresh snapshot, on `page` or on the page of the chat's current model. */
  async fresh(chatId: number, page?: number): Promise<PickerData> {
    const [models, loaded] = await Promise.all([this.chatModels(), this.catalog.loaded()]);
    const names = models.map((m) => m.name);
    const session = await this.core.store.update(chatKey(chatId), (s) => {
      const current = s.mode === "ai2ai" ? undefined : (s.model ?? this.catalog.defaultModel());
      s.picker = { token: shortToken(), models: names, page: page ?? pageOf(names, current) };
    });
    return { session, models, loaded };
  }

  private async chatModels(): Promise<CatalogModel[]> {
    return (await this.catalog.models()).filter((m) => canChat(m.facts));
  }

  /** The models again for a redraw of the current snapshot (the list may have changed since). */
  async current(chatId: number): Promise<PickerData> {
    const [models, loaded] = await Promise.all([this.chatModels(), this.catalog.loaded()]);
    // The snapshot's indexes stay valid: the models are shown in its order, any new one after them.
    const session = await this.core.store.get(chatKey(chatId));
    const order = session.picker?.models ?? [];
    const rank = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
    return { session, models: [...models].sort((a, b) => rank(a.name) - rank(b.name)), loaded };
  }

  /** The model a button means, when its token is the chat's current picker's; undefined when out of date. */
  async resolve(chatId: number, token: string, index: number): Promise<string | undefined | "stale"> {
    const s = await this.core.store.get(chatKey(chatId));
    if (!s.picker || s.picker.token !== token) return "stale";
    return s.picker.models[index];
  }

  async isCurrent(chatId: number, token: string): Promise<ChatSession | undefined> {
    const s = await this.core.store.get(chatKey(chatId));
    return s.picker?.token === token ? s : undefined;
  }
}
