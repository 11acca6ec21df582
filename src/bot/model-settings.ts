/**
 * A chat's model settings: what each may be, how a typed value is checked, and how they become the request's
 * `options`, `think` and `keep_alive`. Unset means the configured default; a default that is unset too means the
 * model's own (its Modelfile), so nothing is sent for it. Pure: the session and the catalog are passed in.
 */
import type { SettingDefaults } from "../config/index.js";
import type { ChatRequest, ThinkSetting } from "../hub/index.js";
import type { ModelFacts } from "./model-facts.js";

export type ThinkChoice = "on" | "off" | "low" | "medium" | "high";
export const THINK_CHOICES: readonly ThinkChoice[] = ["on", "off", "low", "medium", "high"];

/** What a chat changed; every field unset means the default. Stored in the session. */
export interface ChatSettings {
  temperature?: number | undefined;
  topP?: number | undefined;
  numCtx?: number | undefined;
  think?: ThinkChoice | undefined;
  showThinking?: boolean | undefined;
  /** An Ollama duration (`30m`, `2h`), `0` (unload after each answer) or `-1` (keep loaded). */
  keepAlive?: string | undefined;
  /** The hub's voice for answers read aloud (a Kokoro id); unset: one for the chat's language. */
  voice?: string | undefined;
  /** 0.5–2.0 (Kokoro's range). */
  voiceSpeed?: number | undefined;
  /** A voice note from the user gets a voice answer too. */
  voiceReplies?: boolean | undefined;
}

export type { SettingDefaults };

/** The settings a user types or taps: their names in `/settings <name> <value>` and in callback data. */
export const SETTING_NAMES = [
  "temperature",
  "top_p",
  "context",
  "thinking",
  "keep_alive",
  "voice_speed",
] as const;
export type SettingName = (typeof SETTING_NAMES)[number];

export const TEMPERATURE_RANGE = { min: 0, max: 2 } as const;
export const TOP_P_RANGE = { min: 0.01, max: 1 } as const;
/** What Kokoro takes (outside it the hub answers 500). */
export const VOICE_SPEED_RANGE = { min: 0.5, max: 2 } as const;
/** Below this a system prompt and one exchange hardly fit. */
export const MIN_NUM_CTX = 512;
/** When `show` does not say: the largest context in common use. */
export const FALLBACK_MAX_CTX = 131_072;
const MAX_KEEP_ALIVE_HOURS = 24 * 7;

/** The values offered as buttons for each setting (plus ✏️ for one's own, and "default"). */
export const SETTING_CHOICES: Record<Exclude<SettingName, "thinking">, readonly string[]> = {
  temperature: ["0", "0.3", "0.7", "1", "1.3"],
  top_p: ["0.5", "0.8", "0.9", "0.95", "1"],
  context: ["2048", "4096", "8192", "16384", "32768"],
  keep_alive: ["5m", "30m", "2h", "-1", "0"],
  voice_speed: ["0.8", "1", "1.2", "1.5"],
};

export type Parsed<T> =
  | { ok: true; value: T }
  | { ok: false; key: string; args?: Record<string, string | number> };

/** A decimal typed by a person: `0,7` (a comma, as many languages write it) is 0.7. */
function decimal(raw: string): number | undefined {
  const v = raw.trim().replace(",", ".");
  if (!/^-?\d+(\.\d+)?$|^-?\.\d+$/.test(v)) return undefined;
  return Number(v);
}

export function parseTemperature(raw: string): Parsed<number> {
  const v = decimal(raw);
  return v !== undefined && v >= TEMPERATURE_RANGE.min && v <= TEMPERATURE_RANGE.max
    ? { ok: true, value: v }
    : { ok: false, key: "setting-bad-range", args: { ...TEMPERATURE_RANGE, got: raw.slice(0, 20) } };
}

export function parseVoiceSpeed(raw: string): Parsed<number> {
  const v = decimal(raw);
  return v !== undefined && v >= VOICE_SPEED_RANGE.min && v <= VOICE_SPEED_RANGE.max
    ? { ok: true, value: v }
    : { ok: false, key: "setting-bad-range", args: { ...VOICE_SPEED_RANGE, got: raw.slice(0, 20) } };
}

export function parseTopP(raw: string): Parsed<number> {
  const v = decimal(raw);
  return v !== undefined && v >= TOP_P_RANGE.min && v <= TOP_P_RANGE.max
    ? { ok: true, value: v }
    : { ok: false, key: "setting-bad-range", args: { ...TOP_P_RANGE, got: raw.slice(0, 20) } };
}

/** A context length: `8192`, or `8k`/`8K` (×1024), bounded by what the model can take. */
export function parseNumCtx(raw: string, modelMax: number | undefined): Parsed<number> {
  const m = /^(\d{1,7})\s*(k)?$/i.exec(raw.trim());
  const max = modelMax ?? FALLBACK_MAX_CTX;
  const v = m ? Number(m[1]) * (m[2] ? 1024 : 1) : undefined;
  return v !== undefined && v >= MIN_NUM_CTX && v <= max
    ? { ok: true, value: v }
    : { ok: false, key: "setting-bad-range", args: { min: MIN_NUM_CTX, max, got: raw.slice(0, 20) } };
}

export function parseThink(raw: string): Parsed<ThinkChoice> {
  const v = raw.trim().toLowerCase();
  const alias: Record<string, ThinkChoice> = { true: "on", yes: "on", false: "off", no: "off" };
  const choice = (THINK_CHOICES as readonly string[]).includes(v) ? (v as ThinkChoice) : alias[v];
  return choice
    ? { ok: true, value: choice }
    : {
        ok: false,
        key: "setting-bad-choice",
        args: { choices: THINK_CHOICES.join(", "), got: raw.slice(0, 20) },
      };
}

/** `30m`, `2h`, `90s`, `0` (unload after each answer), `-1` or `forever` (stay loaded); at most a week. */
/**
 * A model kept loaded holds the server's memory for every chat: beyond a day (or forever) only an admin may ask.
 */
const MAX_KEEP_ALIVE_HOURS_USER = 24;

export function parseKeepAlive(raw: string, admin = true): Parsed<string> {
  const v = raw.trim().toLowerCase();
  if ((v === "-1" || v === "forever") && !admin) return { ok: false, key: "setting-admin-only-keep-alive" };
  if (v === "-1" || v === "forever") return { ok: true, value: "-1" };
  if (v === "0") return { ok: true, value: "0" };
  const m = /^(\d{1,6})(s|m|h)$/.exec(v);
  const hours = m ? Number(m[1]) / (m[2] === "s" ? 3600 : m[2] === "m" ? 60 : 1) : undefined;
  if (hours !== undefined && hours > MAX_KEEP_ALIVE_HOURS_USER && !admin) {
    return { ok: false, key: "setting-admin-only-keep-alive" };
  }
  return hours !== undefined && hours > 0 && hours <= MAX_KEEP_ALIVE_HOURS
    ? { ok: true, value: v }
    : { ok: false, key: "setting-bad-keep-alive", args: { got: raw.slice(0, 20) } };
}

/** Checks a value for `name`; the settings it would change, or why not. */
/** What the operator allows a chat (MAX_NUM_CTX), and whether the one asking is an admin. */
export interface SettingLimits {
  maxNumCtx: number;
  admin: boolean;
}

export function parseSetting(
  name: SettingName,
  raw: string,
  facts: ModelFacts | undefined,
  limits: SettingLimits = { maxNumCtx: FALLBACK_MAX_CTX, admin: true },
): Parsed<Partial<ChatSettings>> {
  const wrap = <T>(p: Parsed<T>, field: keyof ChatSettings): Parsed<Partial<ChatSettings>> =>
    p.ok ? { ok: true, value: { [field]: p.value } } : p;
  switch (name) {
    case "temperature":
      return wrap(parseTemperature(raw), "temperature");
    case "top_p":
      return wrap(parseTopP(raw), "topP");
    case "context":
      // A bigger context takes more of the server's memory for everyone: bounded by the operator too.
      return wrap(
        parseNumCtx(raw, Math.min(facts?.contextLength ?? FALLBACK_MAX_CTX, limits.maxNumCtx)),
        "numCtx",
      );
    case "thinking":
      return wrap(parseThink(raw), "think");
    case "keep_alive":
      return wrap(parseKeepAlive(raw, limits.admin), "keepAlive");
    case "voice_speed":
      return wrap(parseVoiceSpeed(raw), "voiceSpeed");
  }
}

/** The settings a chat runs with: its own, else the defaults. */
export interface Effective {
  temperature: number | undefined;
  topP: number | undefined;
  /** What is sent as `num_ctx`: the chosen length, never above the model's own. */
  numCtx: number;
  think: ThinkChoice;
  showThinking: boolean;
  keepAlive: string;
  voice: string | undefined;
  voiceSpeed: number;
  voiceReplies: boolean;
}

export function effective(
  own: ChatSettings | undefined,
  defaults: SettingDefaults,
  facts: ModelFacts | undefined,
): Effective {
  const wanted = Math.min(own?.numCtx ?? defaults.numCtx, defaults.maxNumCtx);
  return {
    temperature: own?.temperature ?? defaults.temperature,
    topP: own?.topP ?? defaults.topP,
    numCtx: facts?.contextLength !== undefined ? Math.min(wanted, facts.contextLength) : wanted,
    think: own?.think ?? defaults.think,
    showThinking: own?.showThinking ?? defaults.showThinking,
    keepAlive: own?.keepAlive ?? defaults.keepAlive,
    voice: own?.voice,
    voiceSpeed: own?.voiceSpeed ?? 1,
    voiceReplies: own?.voiceReplies ?? false,
  };
}

/** `keep_alive` as Ollama takes it: a duration string, or a number of seconds (0: unload, -1: forever). */
export function keepAliveValue(v: string): string | number {
  return v === "-1" ? -1 : v === "0" ? 0 : v;
}

/**
 * `think` for this model: sent explicitly whenever the model can think (Ollama turns thinking on by default for
 * those), never for one that cannot (Ollama refuses `think: true` there). A model that takes levels only gets
 * `medium` for on and `low`, its least, for off; a level for a model that takes booleans is on.
 */
export function thinkValue(choice: ThinkChoice, facts: ModelFacts | undefined): ThinkSetting | undefined {
  if (!facts?.capabilities.has("thinking")) return undefined;
  if (facts.thinkLevelsOnly) return choice === "on" ? "medium" : choice === "off" ? "low" : choice;
  return choice !== "off";
}

/** The parts of a chat request the settings decide. */
export function requestSettings(
  e: Effective,
  facts: ModelFacts | undefined,
): Pick<ChatRequest, "options" | "think" | "keep_alive"> {
  const think = thinkValue(e.think, facts);
  return {
    options: {
      num_ctx: e.numCtx,
      ...(e.temperature !== undefined ? { temperature: e.temperature } : {}),
      ...(e.topP !== undefined ? { top_p: e.topP } : {}),
    },
    ...(think !== undefined ? { think } : {}),
    keep_alive: keepAliveValue(e.keepAlive),
  };
}
