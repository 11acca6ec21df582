/**
 * The picker's snapshot: which models its buttons' indexes mean. Stored in the chat's session under a token, so
 * a button from an old picker, from before a restart, or forged, is recognised as out of date.
 */
import type { ModelSummary } from "../../hub/index.js";
import type { ChatSession } from "../session.js";
import { pageOf } from "../views/picker.js";
import { type Core, chatKey, shortToken } from "./core.js";
import type { ModelCatalog } from "./models.js";

export interface PickerData {
  session: ChatSession;
  models: ModelSummary[];
}

export class PickerService {
  constructor(
    private readonly core: Core,
    private readonly catalog: ModelCatalog,
  ) {}

  /** Loads the models and stores a fresh snapshot, on `page` or on the page of the chat's current model. */
  async fresh(chatId: number, page?: number): Promise<PickerData> {
    const models = await this.core.client.listModels();
    const names = models.map((m) => m.name);
    const session = await this.core.store.update(chatKey(chatId), (s) => {
      const current = s.mode === "ai2ai" ? undefined : (s.model ?? this.catalog.defaultModel());
      s.picker = { token: shortToken(), models: names, page: page ?? pageOf(names, current) };
    });
    return { session, models };
  }

  /** The models again for a redraw of the current snapshot (the list may have changed since). */
  async current(chatId: number): Promise<PickerData> {
    const models = await this.core.client.listModels();
    return { session: await this.core.store.get(chatKey(chatId)), models };
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
