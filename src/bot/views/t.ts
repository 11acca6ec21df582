import type { InlineKeyboard } from "grammy";
import type { TextArgs } from "../i18n.js";

/** A translation function bound to one locale: `ctx.t` in a handler, `texts.t` with the chat's locale elsewhere. */
export type T = (key: string, args?: TextArgs) => string;

/** A message to send: its text and its buttons. */
export interface View {
  text: string;
  keyboard: InlineKeyboard;
}
