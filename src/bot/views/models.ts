/**
 * The admins' /models menu as views: the installed models, one model's details, the delete confirmation, the
 * loaded models and the default model. Buttons carry `mm:<token>:<verb>[:<n>]`, where n is an index into the
 * snapshot stored under `token` (or a page), and pull buttons `mp:<c|r>:<key>`: never a model name (Telegram
 * allows 64 bytes of callback data; names can be longer).
 */
import { InlineKeyboard } from "grammy";
import type { ModelSummary, RunningModel } from "../../hub/index.js";
import { formatBytes } from "../../util/format.js";
import { clampPage as clampPageOf, pageRow, shortenLabel } from "./picker.js";
import type { T, View } from "./t.js";

export const MENU_PAGE_SIZE = 8;
/** A menu button: the snapshot's token, the verb, and an index or a page. */
export const MENU_BUTTON = /^mm:([0-9a-z]{1,12}):([a-z]{1,2})(?::(\d{1,4}))?$/;
/** A pull's button: ✖ Cancel (`c`) or 🔁 Try again (`r`), with the pull's key. */
export const PULL_BUTTON = /^mp:([cr]):([0-9a-z]{1,12})$/;
/** Any button of the models menu, well-formed or not. */
export const ANY_MODELS_BUTTON = /^m[mp]:/;

const LABEL_MAX = 36;
const PARAMETERS_MAX = 300;
const LICENSE_MAX = 200;
/** An expiry further away than this means "kept loaded" (keep_alive -1 reports a date centuries ahead). */
const FOREVER_MS = 365 * 24 * 3600_000;

/** Who sets the default: the admins' pick, else DEFAULT_MODEL, else none. */
export interface Defaults {
  /** What chats that picked none use now. */
  model: string | undefined;
  /** The admins' pick, when there is one. */
  admins: string | undefined;
  /** DEFAULT_MODEL from the configuration. */
  config: string | undefined;
}

export interface ModelDetails {
  name: string;
  size: number;
  modifiedAt: string;
  parameterSize?: string | undefined;
  quantization?: string | undefined;
  family?: string | undefined;
  contextLength?: number | undefined;
  capabilities?: string[] | undefined;
  /** The Modelfile's parameters (`stop`, `temperature`…), one per line as `show` gives them. */
  parameters?: string | undefined;
  license?: string | undefined;
  /** Why `show` gave no details (a sentence), when it failed. */
  unavailable?: string | undefined;
  loaded: boolean;
  isDefault: boolean;
}

const data = (token: string, verb: string, n?: number) =>
  n === undefined ? `mm:${token}:${verb}` : `mm:${token}:${verb}:${n}`;

/** `2026-11-01T10:00:00Z` → `2026-11-01`; anything else → undefined. */
function dayOf(iso: string | undefined): string | undefined {
  return iso && /^\d{4}-\d{2}-\d{2}/.test(iso) ? iso.slice(0, 10) : undefined;
}

function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

// Paged as the picker is, at the menu's own page size.
export const clampPage = (page: number, total: number) => clampPageOf(page, total, MENU_PAGE_SIZE);
const menuPageRow = (kb: InlineKeyboard, t: T, token: string, page: number, total: number) =>
  pageRow(kb, t, page, total, (p) => data(token, "pg", p), MENU_PAGE_SIZE);

/** Whether two names mean one model (`llama3` is `llama3:latest`, as Ollama resolves it). */
export function sameModel(a: string, b: string | undefined): boolean {
  if (b === undefined) return false;
  const full = (n: string) => (n.includes(":") ? n : `${n}:latest`);
  return full(a) === full(b);
}

function isIn(models: readonly ModelSummary[], name: string | undefined): boolean {
  return models.some((m) => sameModel(m.name, name));
}

function defaultLine(t: T, models: readonly ModelSummary[], defaults: Defaults): string {
  if (defaults.model === undefined) return t("models-default-none");
  return t(isIn(models, defaults.model) ? "models-default-line" : "models-default-missing", {
    model: defaults.model,
  });
}

const withNotice = (notice: string | undefined, lines: string[]) =>
  (notice ? [notice, "", ...lines] : lines).join("\n");

export interface ListInput {
  token: string;
  page: number;
  models: readonly ModelSummary[];
  loaded: ReadonlySet<string>;
  defaults: Defaults;
  /** What the last press did ("✅ … is deleted."), shown above the list. */
  notice?: string | undefined;
}

/** The installed models, a page at a time, with their facts and marks. */
export function renderModelList(t: T, input: ListInput): View {
  const { token, models, loaded, defaults } = input;
  const page = clampPage(input.page, models.length);
  const shown = models.slice(page * MENU_PAGE_SIZE, (page + 1) * MENU_PAGE_SIZE);
  const unknown = t("models-unknown");
  const lines = [t("models-title", { count: models.length }), defaultLine(t, models, defaults), ""];
  const kb = new InlineKeyboard();
  if (models.length === 0) lines.push(t("models-empty"));
  shown.forEach((m, i) => {
    const marks = `${loaded.has(m.name) ? "🟢 " : ""}${sameModel(m.name, defaults.model) ? "⭐ " : ""}`;
    lines.push(
      t("models-line", {
        marks,
        name: m.name,
        size: formatBytes(m.size),
        params: m.details.parameter_size || unknown,
        quant: m.details.quantization_level || unknown,
        date: dayOf(m.modified_at) ?? unknown,
      }),
    );
    kb.text(`${marks}${shortenLabel(m.name, LABEL_MAX)}`, data(token, "m", page * MENU_PAGE_SIZE + i)).row();
  });
  if (models.length > 0) lines.push("", t("models-legend"));
  menuPageRow(kb, t, token, page, models.length);
  kb.text(t("models-button-pull"), data(token, "pl"))
    .text(t("models-button-loaded"), data(token, "ld"))
    .row()
    .text(t("models-button-default"), data(token, "dv"))
    .row()
    .text(t("models-button-refresh"), data(token, "ls"))
    .text(t("models-button-close"), data(token, "x"));
  return { text: withNotice(input.notice, lines), keyboard: kb };
}

/** One model: its facts from the list and from `show`, with what an admin can do to it. */
export function renderModelDetails(
  t: T,
  token: string,
  index: number,
  d: ModelDetails,
  notice?: string,
): View {
  const unknown = t("models-unknown");
  const line = (key: string, value: string | number | undefined) =>
    t(key, { value: value === undefined || value === "" ? unknown : value });
  const parameters = d.parameters
    ?.split("\n")
    .map((l) => l.trim().replace(/\s+/g, " "))
    .filter((l) => l !== "")
    .join(" · ");
  const lines = [
    t("models-details-title", { model: d.name }),
    line("models-details-family", d.family),
    line("models-details-params", d.parameterSize),
    line("models-details-quant", d.quantization),
    line("models-details-size", formatBytes(d.size)),
    line("models-details-context", d.contextLength),
    line("models-details-capabilities", d.capabilities?.join(", ")),
    line("models-details-modified", dayOf(d.modifiedAt)),
    line("models-details-settings", parameters ? clip(parameters, PARAMETERS_MAX) : undefined),
    line("models-details-license", d.license ? clip(d.license, LICENSE_MAX) : undefined),
  ];
  if (d.unavailable) lines.push("", t("models-details-unavailable", { reason: d.unavailable }));
  if (d.loaded || d.isDefault) lines.push("");
  if (d.loaded) lines.push(t("models-details-loaded"));
  if (d.isDefault) lines.push(t("models-details-default"));
  const kb = new InlineKeyboard().text(t("models-button-delete"), data(token, "d", index));
  if (d.loaded) kb.text(t("models-button-unload"), data(token, "u", index));
  kb.row();
  if (!d.isDefault) kb.text(t("models-button-make-default"), data(token, "df", index)).row();
  kb.text(t("models-button-back"), data(token, "ls"));
  return { text: withNotice(notice, lines), keyboard: kb };
}

/** Are you sure? Deleting removes the files; a pull downloads them again. */
export function renderDeleteConfirm(
  t: T,
  token: string,
  index: number,
  model: { name: string; size: number },
): View {
  return {
    text: t("models-delete-confirm", { model: model.name, size: formatBytes(model.size) }),
    keyboard: new InlineKeyboard()
      .text(t("models-button-confirm-delete"), data(token, "dy", index))
      .text(t("models-button-cancel"), data(token, "m", index)),
  };
}

/** A delete that failed: why, and 🔁 Retry (the same snapshot, so the same model), or back to the list. */
export function renderDeleteFailed(t: T, token: string, index: number, notice: string): View {
  return {
    text: notice,
    keyboard: new InlineKeyboard()
      .text(t("button-retry"), data(token, "dy", index))
      .text(t("models-button-back"), data(token, "ls")),
  };
}

/** `2026-11-21T10:00:00Z` → "until 2026-11-21 10:00 UTC"; far ahead → "kept loaded"; unreadable → "–". */
export function expiryText(t: T, expiresAt: string | undefined, now: number): string {
  const at = expiresAt === undefined ? Number.NaN : Date.parse(expiresAt);
  if (!Number.isFinite(at)) return t("models-unknown");
  if (at - now > FOREVER_MS) return t("models-loaded-forever");
  const iso = new Date(at).toISOString();
  return t("models-loaded-until", { time: `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` });
}

export interface LoadedInput {
  token: string;
  running: readonly RunningModel[];
  /** Wall-clock ms, for "kept loaded". */
  now: number;
  /** Why the list could not be read, as a sentence. */
  failure?: string | undefined;
  notice?: string | undefined;
}

/** The models in memory now, each with its VRAM, expiry and ⏏️ Unload. */
export function renderLoaded(t: T, input: LoadedInput): View {
  const { token, running } = input;
  const kb = new InlineKeyboard();
  const lines: string[] = [];
  if (input.failure) lines.push(t("models-loaded-failed", { reason: input.failure }));
  else if (running.length === 0) lines.push(t("models-loaded-none"));
  else {
    lines.push(t("models-loaded-title", { count: running.length }), "");
    running.forEach((m, i) => {
      lines.push(
        t("models-loaded-line", {
          model: m.name,
          vram: formatBytes(m.size_vram ?? m.size),
          until: expiryText(t, m.expires_at, input.now),
        }),
      );
      kb.text(`⏏️ ${shortenLabel(m.name, LABEL_MAX)}`, data(token, "lu", i)).row();
    });
  }
  kb.text(t("models-button-refresh"), data(token, "ld")).text(t("models-button-back"), data(token, "ls"));
  return { text: withNotice(input.notice, lines), keyboard: kb };
}

export interface DefaultInput {
  token: string;
  page: number;
  models: readonly ModelSummary[];
  defaults: Defaults;
  notice?: string | undefined;
}

/** The bot-wide default: the current one, the installed models to pick from, and back to DEFAULT_MODEL. */
export function renderDefaultPicker(t: T, input: DefaultInput): View {
  const { token, models, defaults } = input;
  const page = clampPage(input.page, models.length);
  const none = t("models-default-nothing");
  const lines = [
    defaultLine(t, models, defaults),
    t("models-default-explain", { config: defaults.config ?? none }),
    "",
    t(models.length === 0 ? "models-empty" : "models-default-pick"),
  ];
  const kb = new InlineKeyboard();
  models.slice(page * MENU_PAGE_SIZE, (page + 1) * MENU_PAGE_SIZE).forEach((m, i) => {
    const mark = sameModel(m.name, defaults.model) ? "✅ " : "";
    kb.text(`${mark}${shortenLabel(m.name, LABEL_MAX)}`, data(token, "ds", page * MENU_PAGE_SIZE + i)).row();
  });
  menuPageRow(kb, t, token, page, models.length);
  if (defaults.admins !== undefined) {
    kb.text(
      defaults.config === undefined
        ? t("models-button-no-default")
        : t("models-button-reset-default", { model: shortenLabel(defaults.config, 24) }),
      data(token, "dr"),
    ).row();
  }
  kb.text(t("models-button-back"), data(token, "ls"));
  return { text: withNotice(input.notice, lines), keyboard: kb };
}

/** A pull's buttons: ✖ Cancel while it runs, 🔁 Try again after it failed or was cancelled. */
export function pullKeyboards(
  t: T,
  key: string,
): { whileRunning: InlineKeyboard; onFailure: InlineKeyboard } {
  return {
    whileRunning: new InlineKeyboard().text(t("models-button-cancel-pull"), `mp:c:${key}`),
    onFailure: new InlineKeyboard().text(t("models-button-pull-again"), `mp:r:${key}`),
  };
}
