/**
 * The model picker as a view: text and keyboard from the session's snapshot and the models' details. Buttons
 * carry a short key (`pk:<token>:<index>`), never a model name (Telegram allows 64 bytes; names can be longer).
 */
import { InlineKeyboard } from "grammy";
import type { ModelSummary } from "../../hub/index.js";
import { formatBytes } from "../../util/format.js";
import type { ModelFacts } from "../model-facts.js";
import type { ChatSession } from "../session.js";
import { ai2aiHeader } from "./ai2ai.js";
import type { T, View } from "./t.js";

export const PAGE_SIZE = 8;
const LABEL_MAX = 40;

/**
 * Fits a label into `max` characters by cutting its middle: model names that differ only at the end
 * (`qwen2.5-coder:7b-instruct-q4_K_M` / `…-q8_0`) stay distinguishable.
 */
export function shortenLabel(label: string, max = LABEL_MAX): string {
  const chars = [...label];
  if (chars.length <= max) return label;
  const tail = Math.max(1, Math.floor((max - 1) * 0.45));
  const head = Math.max(1, max - 1 - tail);
  return `${chars.slice(0, head).join("")}…${chars.slice(chars.length - tail).join("")}`;
}

/** The header line: mode, model and whether streaming is on. */
export function chatHeader(t: T, session: ChatSession, defaultModel: string | undefined): string {
  const model = session.model ?? defaultModel;
  return t("chat-header", {
    model: model ?? t("chat-no-model"),
    streaming: session.stream ? "on" : "off",
    system: session.system ? "set" : "none",
  });
}

/** Small marks for what a model can do, from `show` (the legend says what each means). */
const CAPABILITY_MARKS: Array<[string, string]> = [
  ["vision", "👁"],
  ["thinking", "🧠"],
  ["tools", "🛠"],
  ["audio", "🎧"],
];

export function capabilityMarks(facts: ModelFacts | undefined): string {
  return CAPABILITY_MARKS.filter(([c]) => facts?.capabilities.has(c))
    .map(([, mark]) => mark)
    .join("");
}

function modelLabel(
  m: ModelSummary & { facts?: ModelFacts | undefined },
  current: string | undefined,
  loaded: ReadonlySet<string>,
): string {
  const facts = [m.details.parameter_size, formatBytes(m.size)].filter(Boolean).join(", ");
  const mark = current !== undefined && (m.name === current || m.model === current) ? "✅ " : "";
  const marks = `${loaded.has(m.name) ? "🟢" : ""}${capabilityMarks(m.facts)}`;
  return `${mark}${shortenLabel(m.name, LABEL_MAX - facts.length - 4)} · ${facts}${marks ? ` · ${marks}` : ""}`;
}

/** How many pages `total` items fill: at least one, so an empty list still shows its page. */
export function pageCount(total: number, size = PAGE_SIZE): number {
  return Math.max(1, Math.ceil(total / size));
}

/** `page` moved into the list's pages (a page stored before the list shrank may be past its end). */
export function clampPage(page: number, total: number, size = PAGE_SIZE): number {
  return Math.min(Math.max(0, page), pageCount(total, size) - 1);
}

/**
 * The ◀ n/m ▶ row under a paged list, none when one page holds it; `data(p)` is the callback data that opens
 * page p (the middle button's reopens the page shown).
 */
export function pageRow(
  kb: InlineKeyboard,
  t: T,
  page: number,
  total: number,
  data: (page: number) => string,
  size = PAGE_SIZE,
): void {
  const pages = pageCount(total, size);
  if (pages <= 1) return;
  if (page > 0) kb.text(t("picker-prev"), data(page - 1));
  kb.text(`${page + 1}/${pages}`, data(page));
  if (page < pages - 1) kb.text(t("picker-next"), data(page + 1));
  kb.row();
}

/** The page that shows `model` (0 when it is not in the list). */
export function pageOf(models: readonly string[], model: string | undefined): number {
  const i = model === undefined ? -1 : models.indexOf(model);
  return i < 0 ? 0 : Math.floor(i / PAGE_SIZE);
}

export function renderPicker(
  t: T,
  session: ChatSession,
  models: Array<ModelSummary & { facts?: ModelFacts | undefined }>,
  defaultModel: string | undefined,
  loaded: ReadonlySet<string> = new Set(),
): View {
  const picker = session.picker!;
  const page = clampPage(picker.page, models.length);
  const kb = new InlineKeyboard();
  const ai = session.mode === "ai2ai" ? session.ai2ai : undefined;
  const current = ai ? undefined : (session.model ?? defaultModel);
  for (const m of models.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE)) {
    // The key is the model's place in the stored snapshot: a list that changed since cannot shift it.
    const index = picker.models.indexOf(m.name);
    if (index >= 0) kb.text(modelLabel(m, current, loaded), `pk:${picker.token}:${index}`).row();
  }
  pageRow(kb, t, page, models.length, (p) => `pg:${picker.token}:${p}`);
  kb.text(t("picker-ai2ai", { on: ai ? "on" : "off" }), `ai:${picker.token}`);
  if (ai?.a && ai.b) kb.text(t("ai-start"), `x:cont:${ai.token}`).text(t("ai-options"), `x:opt:${ai.token}`);
  kb.row();
  kb.text(t("picker-streaming", { on: session.stream ? "on" : "off" }), `ps:${picker.token}`)
    .text(t("picker-system"), `sy:${picker.token}`)
    .text(t("picker-settings"), "st:m")
    .row()
    .text(t("picker-clear"), `ch:${picker.token}`)
    .text(t("picker-refresh"), `pr:${picker.token}`)
    .text(t("picker-close"), `px:${picker.token}`);
  const lines = [ai ? ai2aiHeader(t, ai) : chatHeader(t, session, defaultModel)];
  if (models.length === 0) lines.push(`\n${t("picker-empty")}`);
  else if (ai?.a && ai.b) lines.push(`\n${t("picker-ai-both", { side: ai.pickNext.toUpperCase() })}`);
  else if (ai) lines.push(`\n${t("picker-ai-tap", { side: ai.pickNext })}`);
  else lines.push(`\n${t("picker-pick")}`);
  const marked = models.some((m) => loaded.has(m.name) || capabilityMarks(m.facts) !== "");
  if (marked) lines.push(t("picker-legend"));
  return { text: lines.join("\n"), keyboard: kb };
}
