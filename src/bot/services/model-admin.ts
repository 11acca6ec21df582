/**
 * What the admins' /models menu does: its snapshot in the chat's session (buttons carry an index into it and
 * its token, so an older or forged button is recognised), the reads behind its views, a delete that tells the
 * truth, unload, the bot-wide default, and pulls by name with a ✖ Cancel. Who may use it is the feature's
 * decision (admins only); nothing here checks it.
 */
import type { ModelSummary, RunningModel } from "../../hub/index.js";
import { factsOf } from "../model-facts.js";
import type { ChatSession } from "../session.js";
import { type Defaults, type ModelDetails, pullKeyboards, sameModel } from "../views/models.js";
import type { T } from "../views/t.js";
import { type Core, chatKey, logFailure, shortToken } from "./core.js";
import { describeFailure, type Failure, failureText } from "./failure.js";
import { BOT_SETTINGS_KEY, type ModelCatalog } from "./models.js";
import type { PullService } from "./pulls.js";

export type MenuState = NonNullable<ChatSession["modelMenu"]>;
export type MenuView = MenuState["view"];

/** What a model name may look like: `llama3.2`, `qwen2.5:7b`, `hf.co/org/repo:Q4_K_M`. */
const MODEL_NAME = /^[a-zA-Z0-9][\w.\-/]*(:[\w.-]+)?$/;
export const MODEL_NAME_MAX = 200;
/** Pull keys a chat keeps for its ✖ Cancel and 🔁 Try again buttons, newest last. */
const MAX_PULL_KEYS = 10;

export function isModelName(text: string): boolean {
  return text.length <= MODEL_NAME_MAX && MODEL_NAME.test(text);
}

export type DeleteOutcome =
  /** `hosts`: with several model hosts, the ones it was deleted from. */
  { kind: "deleted"; hosts?: string[] } | { kind: "gone" } | { kind: "failed"; failure: Failure };
export type PullStart = "started" | "busy" | "installed";

export class ModelAdmin {
  constructor(
    private readonly core: Core,
    private readonly catalog: ModelCatalog,
    private readonly pulls: PullService,
  ) {}

  /** Stores a fresh snapshot for `view` (a new token: the buttons of every older menu are out of date). */
  async snapshot(chatId: number, view: MenuView, names: string[], page: number): Promise<MenuState> {
    const token = shortToken();
    const menu: MenuState = { token, view, names, page };
    await this.core.store.update(chatKey(chatId), (s) => {
      s.modelMenu = { ...menu, pulls: s.modelMenu?.pulls };
    });
    return menu;
  }

  /** The chat's menu when `token` is its current one; undefined when the button is out of date (or forged). */
  async current(chatId: number, token: string): Promise<MenuState | undefined> {
    const menu = (await this.core.store.get(chatKey(chatId))).modelMenu;
    return menu && menu.token === token ? menu : undefined;
  }

  async defaults(): Promise<Defaults> {
    const admins = (await this.core.store.get(BOT_SETTINGS_KEY)).model;
    return { model: this.catalog.defaultModel(), admins, config: this.core.config.defaultModel };
  }

  /** The installed models, which are loaded now, and the default. */
  async listing(): Promise<{ models: ModelSummary[]; loaded: Set<string>; defaults: Defaults }> {
    const [models, loaded, defaults] = await Promise.all([
      this.core.client.listModels(),
      this.catalog.loaded(),
      this.defaults(),
    ]);
    return { models, loaded, defaults };
  }

  /** One model's details; undefined when it is not installed. A failed `show` still gives the list's facts. */
  async details(name: string, t: T): Promise<ModelDetails | undefined> {
    const models = await this.core.client.listModels();
    const m = models.find((x) => x.name === name);
    if (!m) return undefined;
    const [info, loaded] = await Promise.all([
      this.core.client.showModel(name).then(
        (value) => ({ ok: true as const, value }),
        (err: unknown) => {
          this.core.log.warn({ err, model: name }, "could not read a model's details");
          return { ok: false as const, failure: describeFailure(err, { model: name }) };
        },
      ),
      this.catalog.loaded(),
    ]);
    const facts = info.ok ? factsOf(info.value, name) : undefined;
    return {
      name,
      size: m.size,
      modifiedAt: m.modified_at,
      parameterSize: m.details.parameter_size,
      quantization: m.details.quantization_level,
      family: facts?.family ?? m.details.family,
      contextLength: facts?.contextLength,
      capabilities: facts ? [...facts.capabilities] : undefined,
      parameters: info.ok ? info.value.parameters : undefined,
      license: facts?.license,
      unavailable: info.ok ? undefined : failureText(t, info.failure, this.core.client),
      loaded: loaded.has(name),
      isDefault: sameModel(name, this.catalog.defaultModel()),
    };
  }

  /** Deletes `name`; the client confirms against the model list, so "deleted" is true and "gone" too. */
  async remove(name: string): Promise<DeleteOutcome> {
    try {
      if (this.core.hosts) {
        // Several hosts: from every host that has it, each named.
        const { hosts } = await this.core.hosts.deleteEverywhere(name);
        this.core.log.info({ model: name, hosts }, "model deleted from the chat");
        return { kind: "deleted", hosts };
      }
      await this.core.client.deleteModel(name);
      this.core.log.info({ model: name }, "model deleted from the chat");
      return { kind: "deleted" };
    } catch (err) {
      const failure = describeFailure(err, { model: name });
      if (failure.code === "MODEL_NOT_FOUND") return { kind: "gone" };
      this.core.log.warn({ err, code: failure.code, model: name }, "could not delete a model");
      return { kind: "failed", failure };
    }
  }

  /** Unloads `name` from memory; the failure when it could not. */
  async unload(name: string): Promise<Failure | undefined> {
    try {
      await this.catalog.unload(name);
      return undefined;
    } catch (err) {
      const failure = describeFailure(err, { model: name });
      this.core.log.warn({ err, code: failure.code, model: name }, "could not unload a model");
      return failure;
    }
  }

  /** The models in memory now, or why they could not be read. */
  async running(): Promise<RunningModel[] | Failure> {
    try {
      return await this.core.client.runningModels();
    } catch (err) {
      const failure = describeFailure(err);
      this.core.log.warn({ err, code: failure.code }, "could not read the loaded models");
      return failure;
    }
  }

  /** Makes `name` the default of chats that picked none; "gone" when it is no longer installed. */
  async setDefault(name: string): Promise<"set" | "gone"> {
    if (!(await this.core.client.hasModel(name))) return "gone";
    await this.catalog.setDefault(name);
    this.core.log.info({ model: name }, "default model set by an admin");
    return "set";
  }

  /** Back to DEFAULT_MODEL from the configuration (or none). */
  async resetDefault(): Promise<void> {
    await this.catalog.setDefault(undefined);
  }

  /**
   * Pulls `model` in the background, its progress in the chat with ✖ Cancel, and 🔁 Try again after a failure.
   * Its key is kept in the chat's session, so Try again works after a restart too.
   */
  async startPull(req: { chatId: number; chatType: string; model: string; t: T }): Promise<PullStart> {
    const { chatId, model } = req;
    if (this.pulls.isPulling(model)) return "busy";
    // Several hosts: installed means on every host; otherwise the pull goes to the first that lacks it.
    const hosts = this.core.hosts;
    const check = hosts
      ? hosts.check().then(() => hosts.holders(model).length === hosts.names.length)
      : this.core.client.hasModel(model);
    const installed = await check.catch((err: unknown) => {
      // The pull itself will say what is wrong (unreachable, …): this check only spares a download.
      this.core.log.debug({ err, model }, "could not check whether a model is installed");
      return false;
    });
    if (installed) return "installed";
    const key = await this.keyFor(chatId, model);
    // Checked again: the model list was read meanwhile and another press may have started it.
    if (this.pulls.isPulling(model)) return "busy";
    void this.pulls
      .pull({ chatId, chatType: req.chatType, model, t: req.t, ...pullKeyboards(req.t, key) })
      .then((result) => {
        if (result.ok) this.core.log.info({ chatId, model }, "model pulled from /models");
      })
      .catch(logFailure(this.core.log, "pull job failed", { chatId, model }));
    return "started";
  }

  /** The model a pull button's key names in this chat, if the chat still knows it. */
  async pullOf(chatId: number, key: string): Promise<string | undefined> {
    const menu = (await this.core.store.get(chatKey(chatId))).modelMenu;
    return menu?.pulls?.find((p) => p.key === key)?.model;
  }

  /** Cancels the pull of `model`; false when it is not running (it ended, or a restart stopped it). */
  cancelPull(model: string): boolean {
    return this.pulls.cancel(model);
  }

  private async keyFor(chatId: number, model: string): Promise<string> {
    const key = shortToken();
    await this.core.store.update(chatKey(chatId), (s) => {
      const menu = s.modelMenu ?? { token: "", view: "list" as const, names: [], page: 0 };
      const pulls = (menu.pulls ?? []).filter((p) => p.model !== model);
      s.modelMenu = { ...menu, pulls: [...pulls, { key, model }].slice(-MAX_PULL_KEYS) };
    });
    return key;
  }
}
