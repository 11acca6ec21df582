import type { ConversationFlavor } from "@grammyjs/conversations";
import type { Context } from "grammy";
import type { I18nFlavor } from "./i18n.js";

/** The context inside a conversation: translations, no conversation controls. */
export type InnerContext = Context & I18nFlavor;
/**
 * The context every handler sees: translations, the conversations' controls, and `locale`: the language this
 * update is answered in, negotiated once (work queued for later speaks it too).
 */
export type BotContext = ConversationFlavor<Context & I18nFlavor> & { locale: string };
