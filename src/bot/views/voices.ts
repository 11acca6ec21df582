/** The rows both voice menus share (a chat's voice in /settings, an AI↔AI side's in Options). Pure. */
import type { InlineKeyboard } from "grammy";

/** Kokoro has at most 20 voices of one language (American English): all of them fit, in rows of two. */
const MAX_VOICE_BUTTONS = 24;

export interface VoiceChoice {
  id: string;
  label: string;
  gender?: string | undefined;
}

/** The hub's languages as flags, five to a row, the shown one marked; `data` gives each its callback. */
export function languageRows(
  kb: InlineKeyboard,
  languages: ReadonlyArray<{ letter: string; flag: string }>,
  shown: string,
  data: (letter: string) => string,
): void {
  languages.forEach((l, i) => {
    kb.text(`${l.letter === shown ? "✅" : ""}${l.flag}`, data(l.letter));
    if (i % 5 === 4) kb.row();
  });
  kb.row();
}

/** The voices, two to a row, each with its gender's sign, the current one marked. */
export function voiceRows(
  kb: InlineKeyboard,
  voices: readonly VoiceChoice[],
  current: string | undefined,
  data: (id: string) => string,
): void {
  voices.slice(0, MAX_VOICE_BUTTONS).forEach((v, i) => {
    const mark = v.gender === "female" ? "♀" : v.gender === "male" ? "♂" : "";
    kb.text(`${v.id === current ? "✅ " : ""}${v.label} ${mark}`.trim().slice(0, 40), data(v.id));
    if (i % 2 === 1) kb.row();
  });
  kb.row();
}
