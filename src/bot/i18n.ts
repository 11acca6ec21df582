/**
 * Every text a user reads comes from the Fluent files in `locales/` (one per language) through @grammyjs/i18n.
 * Handlers use `ctx.t`; work that runs with no update at hand (a queued turn, a restart) uses `texts.t(locale, …)`
 * with the locale the chat was last spoken to in, kept in its session.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { I18n, type I18nFlavor, TranslateWarnings } from "@grammyjs/i18n";
import type { Context } from "grammy";
import type { ChatSession } from "./session.js";

export type TextArgs = Record<string, string | number>;

/** Translates outside a handler. */
export interface Texts {
  t(locale: string, key: string, args?: TextArgs): string;
  /** `t` bound to one locale (what `ctx.t` is in a handler). */
  for(locale: string): (key: string, args?: TextArgs) => string;
  /** The languages the bot speaks, as their file names say (`en`, `pt-BR`, …). */
  readonly locales: readonly string[];
  /** The best supported locale for a Telegram `language_code` (`pt-br` → `pt-BR`, `de-AT` → `de`), or undefined. */
  match(code: string | undefined): string | undefined;
}

export const DEFAULT_LOCALE = "en";

/** `locales/` beside `src/` and `dist/`: the same path from the sources (tests, tsx) and from the build. */
export function localesDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here, "../../locales"), join(here, "../../../locales")]) {
    if (existsSync(join(candidate, `${DEFAULT_LOCALE}.ftl`))) return candidate;
  }
  throw new Error(`The translations are missing: no ${DEFAULT_LOCALE}.ftl in locales/ next to ${here}.`);
}

export function createI18n<C extends Context>(options: {
  /** The chat's chosen language, if any. */
  chatLanguage(ctx: C): Promise<string | undefined>;
  warn?(msg: string): void;
}): { i18n: I18n<C>; texts: Texts } {
  const i18n = new I18n<C>({
    defaultLocale: DEFAULT_LOCALE,
    // Bidi isolation marks around every placeable look like stray characters in Telegram's plain texts.
    fluentBundleOptions: { useIsolating: false },
    fluentOptions: {
      // A key missing in one language falls back to English (the translations test keeps the files complete);
      // a key missing everywhere is a bug, shown to the user as `{key}`: that one is logged.
      warningHandler: (w) => {
        if (w.type === TranslateWarnings.MISSING_TRANSLATION)
          options.warn?.(`no translation for "${w.path}"`);
      },
    },
    localeNegotiator: async (ctx) =>
      (await options.chatLanguage(ctx)) ?? match(ctx.from?.language_code) ?? DEFAULT_LOCALE,
  });
  i18n.loadLocalesDirSync(localesDir());
  const supported = [...i18n.locales];
  function match(code: string | undefined): string | undefined {
    if (!code) return undefined;
    const lower = code.toLowerCase();
    return (
      supported.find((l) => l.toLowerCase() === lower) ??
      supported.find((l) => l.toLowerCase() === lower.split("-")[0]) ??
      supported.find((l) => l.toLowerCase().split("-")[0] === lower.split("-")[0])
    );
  }
  const texts: Texts = {
    t: (locale, key, args) => i18n.t(locale, key, args),
    for: (locale) => (key, args) => i18n.t(locale, key, args),
    locales: supported,
    match,
  };
  return { i18n, texts };
}

/** The locale for a message the bot sends on its own: the chat's language, else whoever wrote last. */
export function sessionLocale(session: Pick<ChatSession, "language" | "lastLocale">): string {
  return session.language ?? session.lastLocale ?? DEFAULT_LOCALE;
}

export type { I18nFlavor };

/** Language names as a model understands them in an instruction ("Answer in German"). */
export const LANGUAGE_NAMES: Record<string, string> = {
  en: "English",
  de: "German",
  es: "Spanish",
  fr: "French",
  ru: "Russian",
  "pt-BR": "Brazilian Portuguese",
};
