/**
 * The /settings menu as a view: the chat's settings with their values (its own, or the default and where it
 * comes from), and one submenu per setting with the common values as buttons. Buttons carry the setting and the
 * value (`st:v:<name>:<value>`), never state: a press is checked like a typed value, so an old or forged menu can
 * only set an allowed value.
 */
import { InlineKeyboard } from "grammy";
import type { ModelFacts } from "../model-facts.js";
import {
  type Effective,
  MIN_NUM_CTX,
  SETTING_CHOICES,
  type SettingName,
  THINK_CHOICES,
  thinkValue,
} from "../model-settings.js";
import type { ChatSession } from "../session.js";
import type { T, View } from "./t.js";
import { languageRows, type VoiceChoice, voiceRows } from "./voices.js";

/** A keep-alive value as a person reads it. */
export function keepAliveShown(t: T, v: string): string {
  if (v === "-1") return t("settings-keep-forever");
  if (v === "0") return t("settings-keep-unload");
  const m = /^(\d+)([smh])$/.exec(v);
  if (!m) return v;
  return t("settings-keep-duration", { n: Number(m[1]), unit: m[2]! });
}

/** The value of one setting as shown, with "(default)" when the chat has not changed it. */
function valueShown(t: T, name: SettingName, session: ChatSession, e: Effective): string {
  const own = session.settings;
  const mark = (isOwn: boolean, text: string) => (isOwn ? text : `${text} ${t("settings-default-mark")}`);
  switch (name) {
    case "temperature":
      return mark(
        own?.temperature !== undefined,
        e.temperature === undefined ? t("settings-model-default") : String(e.temperature),
      );
    case "top_p":
      return mark(
        own?.topP !== undefined,
        e.topP === undefined ? t("settings-model-default") : String(e.topP),
      );
    case "context":
      return mark(own?.numCtx !== undefined, t("settings-tokens", { n: e.numCtx }));
    case "thinking":
      return mark(own?.think !== undefined, t(`settings-think-${e.think}`));
    case "keep_alive":
      return mark(own?.keepAlive !== undefined, keepAliveShown(t, e.keepAlive));
    case "voice_speed":
      return mark(own?.voiceSpeed !== undefined, `${e.voiceSpeed}×`);
  }
}

/** The settings as lines (for /settings and /model). */
export function settingsLines(
  t: T,
  session: ChatSession,
  e: Effective,
  facts: ModelFacts | undefined,
  /** The system prompt as shown (a preset by its name). */
  system: string | undefined,
): string[] {
  const thinks = facts?.capabilities.has("thinking");
  const lines = [
    t("settings-line-temperature", { value: valueShown(t, "temperature", session, e) }),
    t("settings-line-top-p", { value: valueShown(t, "top_p", session, e) }),
    facts?.contextLength !== undefined
      ? t("settings-line-context", { value: valueShown(t, "context", session, e), max: facts.contextLength })
      : `📏 ${t("settings-name-context")}: ${valueShown(t, "context", session, e)}`,
    t("settings-line-thinking", {
      value: facts && !thinks ? t("settings-think-unsupported") : valueShown(t, "thinking", session, e),
      shown: e.showThinking ? "yes" : "no",
    }),
    t("settings-line-keep-alive", { value: valueShown(t, "keep_alive", session, e) }),
    t("settings-line-streaming", { on: session.stream ? "on" : "off" }),
    t("settings-line-system", {
      value: system ?? t("settings-none"),
    }),
  ];
  return lines;
}

export function renderSettings(
  t: T,
  session: ChatSession,
  model: string | undefined,
  e: Effective,
  facts: ModelFacts | undefined,
  system: string | undefined,
  /** Where the hub can read answers aloud: the chat's voice as shown. */
  voice?: string | undefined,
): View {
  const kb = new InlineKeyboard()
    .text(t("settings-button-temperature"), "st:o:temperature")
    .text(t("settings-button-top-p"), "st:o:top_p")
    .row()
    .text(t("settings-button-context"), "st:o:context")
    .text(t("settings-button-thinking"), "st:o:thinking")
    .row()
    .text(t("settings-button-keep-alive"), "st:o:keep_alive")
    .text(t("settings-button-show-thinking", { on: e.showThinking ? "on" : "off" }), "st:tt")
    .row()
    .text(t("picker-streaming", { on: session.stream ? "on" : "off" }), "st:ts")
    .text(t("picker-system"), "st:sy")
    .row();
  if (voice !== undefined) {
    kb.text(t("settings-button-voice"), "st:vm")
      .text(t("settings-button-voice-speed"), "st:o:voice_speed")
      .row()
      .text(t("settings-button-voice-replies", { on: e.voiceReplies ? "on" : "off" }), "st:vr")
      .row();
  }
  kb.text(t("settings-button-reset"), "st:r").text(t("picker-close"), "st:x");
  const head = t("settings-title", { model: model ?? t("chat-no-model") });
  const lines = [head, "", ...settingsLines(t, session, e, facts, system)];
  if (voice !== undefined) {
    lines.push(
      t("settings-line-voice", { voice, speed: e.voiceSpeed, replies: e.voiceReplies ? "on" : "off" }),
    );
  }
  return { text: lines.join("\n"), keyboard: kb };
}

/** Where the voice menu is: a language (Kokoro's id letter) and a gender, or both genders. */
export interface VoiceFilter {
  letter: string;
  gender: "f" | "m" | "*";
}

/**
 * The voices to pick from for answers read aloud: a row of languages (flags), a row of genders, then the voices of
 * that choice, the current one marked. Every button carries the filter, so a press after a restart still works.
 */
export function renderVoiceMenu(
  t: T,
  menu: {
    languages: ReadonlyArray<{ letter: string; flag: string }>;
    filter: VoiceFilter;
    voices: readonly VoiceChoice[];
    current: string | undefined;
  },
): View {
  const { filter } = menu;
  const kb = new InlineKeyboard();
  languageRows(kb, menu.languages, filter.letter, (letter) => `st:vm:${letter}:${filter.gender}`);
  for (const [g, label] of [
    ["f", "♀"],
    ["m", "♂"],
    ["*", "♀♂"],
  ] as const) {
    kb.text(`${g === filter.gender ? "✅ " : ""}${label}`, `st:vm:${filter.letter}:${g}`);
  }
  kb.row();
  voiceRows(kb, menu.voices, menu.current, (id) => `st:vv:${id}:${filter.gender}`);
  kb.text(t("settings-use-default"), "st:vv:-").text(t("settings-back"), "st:m");
  const text = [t("settings-about-voice"), t("settings-voice-hint")];
  if (menu.voices.length === 0) text.push(t("settings-voice-none"));
  return { text: text.join("\n"), keyboard: kb };
}

/** One setting's submenu: its values as buttons (the current one marked), the default, your own, back. */
export function renderSettingMenu(
  t: T,
  name: SettingName,
  session: ChatSession,
  e: Effective,
  facts: ModelFacts | undefined,
): View {
  const kb = new InlineKeyboard();
  const lines = [
    t(`settings-about-${name}`),
    "",
    t("settings-now", { value: valueShown(t, name, session, e) }),
  ];
  let choices: string[];
  let current: string | undefined;
  if (name === "thinking") {
    if (facts && thinkValue("on", facts) === undefined) {
      lines.push("", t("settings-think-unsupported-long"));
      choices = [];
    } else {
      choices = [...THINK_CHOICES];
      if (facts?.thinkLevelsOnly) lines.push("", t("settings-think-levels-only"));
    }
    current = e.think;
  } else {
    choices = [...SETTING_CHOICES[name]];
    if (name === "context") {
      const max = facts?.contextLength;
      if (max !== undefined) {
        choices = choices.filter((c) => Number(c) <= max);
        if (!choices.includes(String(max))) choices.push(String(max));
        lines.push(t("settings-context-max", { max }));
      }
      lines.push(t("settings-context-min", { min: MIN_NUM_CTX }));
    }
    current =
      name === "temperature"
        ? e.temperature?.toString()
        : name === "top_p"
          ? e.topP?.toString()
          : name === "context"
            ? String(e.numCtx)
            : name === "voice_speed"
              ? String(e.voiceSpeed)
              : e.keepAlive;
  }
  choices.forEach((c, i) => {
    const label =
      name === "thinking"
        ? t(`settings-think-${c}`)
        : name === "keep_alive"
          ? keepAliveShown(t, c)
          : name === "context"
            ? t("settings-tokens", { n: Number(c) })
            : c;
    kb.text(c === current ? `✅ ${label}` : label, `st:v:${name}:${c}`);
    if (i % 3 === 2) kb.row();
  });
  kb.row();
  if (choices.length > 0) {
    kb.text(t("settings-use-default"), `st:d:${name}`);
    if (name !== "thinking") kb.text(t("settings-own-value"), `st:e:${name}`);
    kb.row();
  }
  kb.text(t("settings-back"), "st:m");
  return { text: lines.join("\n"), keyboard: kb };
}
