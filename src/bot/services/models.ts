/**
 * What the bot knows about the installed models: their capabilities and context length (from `show`, cached per
 * model and refreshed when the model list shows a new digest), which are loaded now (`ps`, cached briefly), the
 * preload that makes a first answer skip the load, and the bot-wide default model admins set from the chat.
 */
import type { ChatRequest, ModelSummary } from "../../hub/index.js";
import { factsOf, type ModelFacts } from "../model-facts.js";

export { canChat, type ModelFacts } from "../model-facts.js";

import { type Core, logFailure } from "./core.js";

export interface CatalogModel extends ModelSummary {
  /** Undefined when `show` failed: the model is still offered, without marks. */
  facts: ModelFacts | undefined;
}

/** `show` calls at once when a list is opened: a picker of 40 models must not fire 40 requests together. */
const SHOW_CONCURRENCY = 4;
/** How long `ps` is trusted: the picker and /model are opened in bursts. */
const LOADED_TTL_MS = 3_000;
/** A failed `show` is not asked again for this long. */
const FAILED_FACTS_TTL_MS = 60_000;
/** The session key of the bot-wide settings (not a chat id: every start-up scan skips it). */
export const BOT_SETTINGS_KEY = "bot";

export class ModelCatalog {
  private readonly facts = new Map<
    string,
    { digest: string | undefined; at: number; value: Promise<ModelFacts | undefined> }
  >();
  private loadedCache: { at: number; names: Promise<Set<string>> } | undefined;
  private readonly preloading = new Map<string, Promise<void>>();
  private botDefault: string | undefined;

  constructor(private readonly core: Core) {}

  /** The installed models with their facts (each `show` asked once per digest). */
  async models(signal?: AbortSignal): Promise<CatalogModel[]> {
    const list = await this.core.client.listModels(signal);
    const out: CatalogModel[] = [];
    for (let i = 0; i < list.length; i += SHOW_CONCURRENCY) {
      const batch = list.slice(i, i + SHOW_CONCURRENCY);
      const facts = await Promise.all(batch.map((m) => this.factsFor(m.name, m.digest, signal)));
      for (const [j, m] of batch.entries()) out.push({ ...m, facts: facts[j] });
    }
    return out;
  }

  /** The facts of one model (cached); undefined when `show` fails or the model is not installed. */
  factsFor(name: string, digest?: string, signal?: AbortSignal): Promise<ModelFacts | undefined> {
    const now = Date.now();
    const cached = this.facts.get(name);
    if (cached && (digest === undefined || cached.digest === undefined || cached.digest === digest)) {
      return cached.value.then((v) =>
        v === undefined && now - cached.at > FAILED_FACTS_TTL_MS ? this.askShow(name, digest, signal) : v,
      );
    }
    return this.askShow(name, digest, signal);
  }

  /** The facts, or undefined when `show` takes longer than `ms` (it is still cached when it comes). */
  factsWithin(name: string, ms: number): Promise<ModelFacts | undefined> {
    let cancel: (() => void) | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      cancel = this.core.clock.setTimeout(() => resolve(undefined), ms);
    });
    return Promise.race([this.factsFor(name), timeout]).finally(() => cancel?.());
  }

  private askShow(name: string, digest: string | undefined, signal?: AbortSignal) {
    const value = this.core.client.showModel(name, signal).then(
      (info) => factsOf(info, name),
      (err: unknown) => {
        this.core.log.debug({ err, model: name }, "could not read a model's details; shown without marks");
        return undefined;
      },
    );
    this.facts.set(name, { digest, at: Date.now(), value });
    return value;
  }

  /** The names of the models loaded now; empty when `ps` cannot be read (a mark is missing, nothing fails). */
  loaded(): Promise<Set<string>> {
    const now = Date.now();
    if (this.loadedCache && now - this.loadedCache.at < LOADED_TTL_MS) return this.loadedCache.names;
    const names = this.core.client.runningModels().then(
      (ms) => new Set(ms.flatMap((m) => [m.name, m.model])),
      (err: unknown) => {
        this.core.log.debug({ err }, "could not read the loaded models");
        return new Set<string>();
      },
    );
    this.loadedCache = { at: now, names };
    return names;
  }

  /**
   * Loads `model` in the background (Ollama loads a model on a chat with no messages), so the first message after
   * a pick does not wait for the load. Once per model at a time; a failure is logged, the turn will load it then.
   */
  preload(model: string, settings: Pick<ChatRequest, "options" | "keep_alive">): void {
    if (this.preloading.has(model)) return;
    // The options the chat's turns will send (num_ctx above all): Ollama reloads a model whose context differs,
    // so a preload without them would load it twice.
    const job = this.core.client
      .chat(
        { model, messages: [], options: settings.options, keep_alive: settings.keep_alive },
        this.core.shutdown,
      )
      .then(
        () => this.core.log.info({ model }, "model preloaded"),
        logFailure(this.core.log, "could not preload a model", { model }),
      )
      .finally(() => {
        this.preloading.delete(model);
        this.loadedCache = undefined;
      });
    this.preloading.set(model, job);
  }

  /** Resolves when no preload runs (tests, and the benchmark, wait for the load to be done). */
  async preloaded(): Promise<void> {
    await Promise.all([...this.preloading.values()]);
  }

  /** Unloads `model` from memory now (`keep_alive: 0`). */
  async unload(model: string, signal?: AbortSignal): Promise<void> {
    await this.core.client.chat({ model, messages: [], keep_alive: 0 }, signal);
    this.loadedCache = undefined;
  }

  /** The model of chats that picked none: the admins' choice, else DEFAULT_MODEL. */
  defaultModel(): string | undefined {
    return this.botDefault ?? this.core.config.defaultModel;
  }

  /** Reads the admins' default at start-up. */
  async load(): Promise<void> {
    this.botDefault = (await this.core.store.get(BOT_SETTINGS_KEY)).model;
  }

  /** Sets the bot-wide default (undefined: back to DEFAULT_MODEL). */
  async setDefault(model: string | undefined): Promise<void> {
    await this.core.store.update(BOT_SETTINGS_KEY, (s) => {
      s.model = model;
    });
    this.botDefault = model;
  }
}
