import type { ConversationFlavor } from "@grammyjs/conversations";
import type { Context } from "grammy";
import type { I18nFlavor } from "./i18n.js";

/** The context inside a conversation: translations, no conversation controls. */
export type InnerContext = Context & I18nFlavor;
/** The context every handler sees: translations and the conversations' controls. */
export type BotContext = ConversationFlavor<Context & I18nFlavor>;
