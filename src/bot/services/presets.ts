/** System prompt presets: instructions to the model (in English, with the user's language asked for). */
import { LANGUAGE_NAMES } from "../i18n.js";
import type { T } from "../views/t.js";

/** System prompts a tap away; the label of each is `preset-<id>` in the Fluent files. */
export const SYSTEM_PRESETS = [
  { id: "concise", prompt: "You are a concise assistant. Answer briefly and to the point." },
  {
    id: "teacher",
    prompt: "You are a patient teacher. Explain step by step, with simple examples, and check understanding.",
  },
  {
    id: "coder",
    prompt: "You are an expert programmer. Give correct, idiomatic code with short explanations.",
  },
  {
    id: "editor",
    prompt:
      "You are a careful editor. Improve the user's text for clarity and correctness, and list the main changes briefly.",
  },
] as const;

/** A preset written in English, for someone who does not read English: the model is asked to answer in theirs. */
export function withLanguage(prompt: string, locale: string): string {
  const name = LANGUAGE_NAMES[locale];
  return name && locale !== "en" ? `${prompt} Answer in ${name}.` : prompt;
}

/** A system prompt as shown to the user: a preset by its label in their language, anything else as written. */
export function systemShown(t: T, system: string): string {
  const preset = SYSTEM_PRESETS.find(
    (p) => system === p.prompt || system.startsWith(`${p.prompt} Answer in `),
  );
  return preset ? t(`preset-${preset.id}`) : system;
}
