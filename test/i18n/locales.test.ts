/**
 * The translations in `locales/`: every language parses, has exactly the English messages with exactly the English
 * variables, formats without errors for every value the code passes, reads correctly for every count, keeps
 * buttons short and leaves no English sentence untranslated. Plain files and @fluent/bundle only: no bot, no I/O
 * beyond reading the folder.
 */
import { readdirSync, readFileSync } from "node:fs";
import { FluentBundle, FluentResource } from "@fluent/bundle";
import { describe, expect, it } from "vitest";

const LOCALES_DIR = new URL("../../locales/", import.meta.url);
const REFERENCE = "en";

type Pattern = NonNullable<NonNullable<ReturnType<FluentBundle["getMessage"]>>["value"]>;
type Expression = Exclude<Exclude<Pattern, string>[number], string>;
type SelectExpression = Extract<Expression, { type: "select" }>;
type Args = Record<string, string | number>;

/** Variables the code passes as numbers: plural selectors and counts. */
const NUMERIC = new Set([
  "count",
  "n",
  "turns",
  "done",
  "max",
  "left",
  "lines",
  "length",
  "seconds",
  "running",
  "slots",
  "status",
  "turn",
  "position",
]);
const SAMPLE_NUMBERS = [1, 2, 5, 0];
const CLDR_CATEGORIES = new Set(["zero", "one", "two", "few", "many", "other"]);

/** Inline keyboard buttons: Telegram shows them narrow, so their labels stay short. */
const BUTTON_MAX = 24;
const BUTTONS = [
  "button-cancel",
  "button-open-picker",
  "button-retry",
  "button-continue",
  "button-pick",
  "button-pull-again",
  "button-continue-length",
  "button-regenerate",
  "button-summarize",
  "button-summarize-again",
  "picker-settings",
  "settings-button-temperature",
  "settings-button-top-p",
  "settings-button-context",
  "settings-button-thinking",
  "settings-button-keep-alive",
  "settings-button-show-thinking",
  "settings-button-reset",
  "settings-use-default",
  "settings-own-value",
  "settings-back",
  "settings-button-voice",
  "settings-button-voice-speed",
  "settings-button-voice-replies",
  "picker-prev",
  "picker-next",
  "picker-ai2ai",
  "picker-streaming",
  "picker-system",
  "picker-clear",
  "picker-refresh",
  "picker-close",
  "ai-start",
  "ai-continue",
  "ai-retry",
  "ai-auto",
  "ai-auto-on",
  "ai-stop",
  "ai-options",
  "ai-more",
  "ai-restart",
  "ai-transcript",
  "ai-custom",
  "ai-topic-button",
  "ai-n-turns",
  "ai-back-to-chat",
  "queue-cancel",
  "language-auto",
];
/** Telegram's limit for a command's description in the menu. */
const COMMAND_DESCRIPTION_MAX = 256;

/**
 * Messages that may read exactly like the English ones: nothing in them is English prose (placeholders, emoji,
 * product names and punctuation only), so a copy is the right translation.
 */
const SAME_AS_ENGLISH_ALLOWED = new Set(["ai-title", "ai-side", "live-waiting"]);
const UNTRANSLATED_MIN_LENGTH = 25;

interface Locale {
  code: string;
  resource: FluentResource;
  bundle: FluentBundle;
  addResourceErrors: string[];
  /** Each message's source text, from `key =` to the next entry or comment, by id. */
  entries: Map<string, string>;
  /** Every `key =` line's key, in order, duplicates included. */
  declared: string[];
  /** Lines at column 0 that are neither an entry, a comment nor blank: the parser would skip them as junk. */
  stray: string[];
}

const ENTRY_START = /^(-?[a-zA-Z][\w-]*)[ \t]*=/;

function scanEntries(source: string): Pick<Locale, "entries" | "declared" | "stray"> {
  const entries = new Map<string, string>();
  const declared: string[] = [];
  const stray: string[] = [];
  let current: { id: string; lines: string[] } | undefined;
  const close = () => {
    if (current) entries.set(current.id, current.lines.join("\n").trimEnd());
    current = undefined;
  };
  source.split(/\r?\n/).forEach((line, i) => {
    const start = ENTRY_START.exec(line);
    if (start?.[1]) {
      close();
      declared.push(start[1]);
      current = { id: start[1], lines: [line] };
    } else if (line.startsWith("#")) {
      close();
    } else if (line.trim() === "" || /^[ \t]/.test(line)) {
      current?.lines.push(line);
    } else {
      stray.push(`line ${i + 1}: ${line}`);
    }
  });
  close();
  return { entries, declared, stray };
}

function loadLocale(file: string): Locale {
  const code = file.replace(/\.ftl$/, "");
  const source = readFileSync(new URL(file, LOCALES_DIR), "utf8");
  const resource = new FluentResource(source);
  const bundle = new FluentBundle(code, { useIsolating: false });
  const addResourceErrors = bundle.addResource(resource).map((e) => e.message);
  return { code, resource, bundle, addResourceErrors, ...scanEntries(source) };
}

const FILES = readdirSync(LOCALES_DIR)
  .filter((f) => f.endsWith(".ftl"))
  .sort();
const LOCALES = new Map(FILES.map((f) => [f.replace(/\.ftl$/, ""), loadLocale(f)]));
const english: Locale = (() => {
  const l = LOCALES.get(REFERENCE);
  if (!l) throw new Error(`${REFERENCE}.ftl is missing from ${LOCALES_DIR.pathname}`);
  return l;
})();
const CODES = [...LOCALES.keys()];
const TRANSLATIONS = CODES.filter((c) => c !== REFERENCE);

function localeOf(code: string): Locale {
  const l = LOCALES.get(code);
  if (!l) throw new Error(`no locale ${code}`);
  return l;
}

function patternOf(locale: Locale, id: string): Pattern {
  const value = locale.bundle.getMessage(id)?.value;
  if (value == null) throw new Error(`${locale.code}: ${id} has no value`);
  return value;
}

function variablesOf(entrySource: string): string[] {
  return [...new Set([...entrySource.matchAll(/\$([a-zA-Z][\w-]*)/g)].map((m) => m[1] ?? ""))].sort();
}

/** Every select expression in a pattern, nested ones included. */
function selectsOf(pattern: Pattern): SelectExpression[] {
  if (typeof pattern === "string") return [];
  const found: SelectExpression[] = [];
  for (const element of pattern) {
    if (typeof element === "string" || element.type !== "select") continue;
    found.push(element);
    for (const v of element.variants) found.push(...selectsOf(v.value));
  }
  return found;
}

const variableSelected = (s: SelectExpression): string | undefined =>
  s.selector.type === "var" ? s.selector.name : undefined;

/** A selector on a string the code passes literally (`on`/`off`, `set`/`none`, `a`/`b`): not a plural. */
function isStringSelector(s: SelectExpression): boolean {
  return s.variants.every((v) => v.key.type === "str" && !CLDR_CATEGORIES.has(v.key.value));
}

/** The literal values of each string selector in an English message, by variable. */
function stringSelectorValues(id: string): Map<string, string[]> {
  const values = new Map<string, string[]>();
  for (const s of selectsOf(patternOf(english, id))) {
    const name = variableSelected(s);
    if (!name || !isStringSelector(s)) continue;
    const keys = s.variants.map((v) => (v.key.type === "str" ? v.key.value : String(v.key.value)));
    values.set(name, [...new Set([...(values.get(name) ?? []), ...keys])]);
  }
  return values;
}

/** Every combination of sample values for the English message's variables. */
function sampleArgs(id: string, numbers: readonly number[] = SAMPLE_NUMBERS): Args[] {
  const selectors = stringSelectorValues(id);
  const source = english.entries.get(id) ?? "";
  let combos: Args[] = [{}];
  for (const name of variablesOf(source)) {
    const values: (string | number)[] =
      selectors.get(name) ?? (NUMERIC.has(name) ? [...numbers] : [`‹${name}›`]);
    combos = combos.flatMap((args) => values.map((v) => ({ ...args, [name]: v })));
  }
  return combos;
}

function format(locale: Locale, id: string, args: Args): { text: string; errors: string[] } {
  const errors: Error[] = [];
  const text = locale.bundle.formatPattern(patternOf(locale, id), args, errors);
  return { text, errors: errors.map((e) => e.message) };
}

/** The message's value as written, with whitespace collapsed. */
function valueSource(entrySource: string): string {
  return entrySource.replace(ENTRY_START, "").replace(/\s+/g, " ").trim();
}

/** Whether the value has words of its own: letters outside variable names and variant keys. */
function hasLetters(value: string): boolean {
  return /\p{L}/u.test(value.replace(/\$[\w-]+/g, "").replace(/\*?\[[^\]]*\]/g, ""));
}

const ENGLISH_IDS = [...english.entries.keys()].sort();

describe("the translations in locales/", () => {
  it("include English, the reference, and at least one other language", () => {
    expect(CODES).toContain(REFERENCE);
    expect(TRANSLATIONS.length).toBeGreaterThan(0);
  });

  describe.each(CODES)("%s", (code) => {
    const locale = localeOf(code);

    it("parses with no errors, no skipped lines and no duplicate keys", () => {
      expect(locale.addResourceErrors, `${code}: addResource errors`).toEqual([]);
      expect(locale.stray, `${code}: lines the parser would skip as junk`).toEqual([]);
      const duplicates = locale.declared.filter((id, i) => locale.declared.indexOf(id) !== i);
      expect(duplicates, `${code}: keys declared twice`).toEqual([]);
      // FluentResource drops an entry it cannot parse: as many entries parsed as `key =` lines written.
      expect(
        locale.resource.body.map((e) => e.id),
        `${code}: entries the parser dropped`,
      ).toEqual(locale.declared);
    });

    it("has every English message and no others", () => {
      const ids = new Set(locale.entries.keys());
      const missing = ENGLISH_IDS.filter((id) => !ids.has(id));
      const extra = [...ids].filter((id) => !english.entries.has(id)).sort();
      expect({ locale: code, missing, extra }).toEqual({ locale: code, missing: [], extra: [] });
    });

    it("uses exactly the English variables in every message", () => {
      const mismatches = ENGLISH_IDS.filter((id) => locale.entries.has(id)).flatMap((id) => {
        const want = variablesOf(english.entries.get(id) ?? "");
        const got = variablesOf(locale.entries.get(id) ?? "");
        return want.join() === got.join() ? [] : [`${id}: English uses [${want}], ${code} uses [${got}]`];
      });
      expect(mismatches, `${code}: messages whose variables differ from English`).toEqual([]);
    });

    it("keeps the English variant keys of selectors on strings the code passes (on/off, set/none, a/b)", () => {
      const mismatches = ENGLISH_IDS.filter((id) => locale.entries.has(id)).flatMap((id) => {
        const want = stringSelectorValues(id);
        const got = new Map<string, string[]>();
        for (const s of selectsOf(patternOf(locale, id))) {
          const name = variableSelected(s);
          if (name && want.has(name))
            got.set(name, [
              ...(got.get(name) ?? []),
              ...s.variants.map((v) => (v.key.type === "str" ? v.key.value : String(v.key.value))),
            ]);
        }
        return [...want].flatMap(([name, keys]) => {
          const mine = [...new Set(got.get(name) ?? [])].sort();
          return mine.join() === [...keys].sort().join()
            ? []
            : [`${id}: $${name} has variants [${mine}], English has [${keys}]`];
        });
      });
      expect(mismatches, `${code}: string selectors whose variants differ from English`).toEqual([]);
    });

    it("formats every message without errors for the values the code passes", () => {
      const failures = ENGLISH_IDS.filter((id) => locale.entries.has(id)).flatMap((id) =>
        sampleArgs(id).flatMap((args) => {
          const { errors } = format(locale, id, args);
          return errors.length === 0 ? [] : [`${id} ${JSON.stringify(args)}: ${errors.join("; ")}`];
        }),
      );
      expect(failures, `${code}: messages that fail to format`).toEqual([]);
    });

    it("has a plural variant for every category the language uses for whole numbers from 0 to 200", () => {
      const rules = new Intl.PluralRules(code);
      const gaps = [...locale.entries.keys()].flatMap((id) =>
        selectsOf(patternOf(locale, id))
          .filter((s) => !isStringSelector(s))
          .flatMap((s) => {
            const keys = new Set(s.variants.map((v) => String(v.key.value)));
            /** Each category without a variant, with the first count that needs it. */
            const missing = new Map<string, number>();
            for (let n = 0; n <= 200; n++) {
              const category = rules.select(n);
              if (!keys.has(String(n)) && !keys.has(category) && !missing.has(category))
                missing.set(category, n);
            }
            const list = [...missing].map(([category, n]) => `[${category}] (e.g. ${n})`).join(", ");
            return missing.size === 0 ? [] : [`${id}: $${variableSelected(s)} has no variant for ${list}`];
          }),
      );
      expect(gaps, `${code}: plurals that would pick the wrong form`).toEqual([]);
    });

    it(`keeps button labels within ${BUTTON_MAX} characters`, () => {
      const long = BUTTONS.filter((id) => locale.entries.has(id)).flatMap((id) =>
        sampleArgs(id, [1, 2, 5, 20]).flatMap((args) => {
          const { text } = format(locale, id, { ...args, side: "A" });
          const length = [...text].length;
          return length <= BUTTON_MAX ? [] : [`${id}: "${text}" has ${length}`];
        }),
      );
      expect(long, `${code}: button labels too long for Telegram`).toEqual([]);
    });

    it(`keeps command descriptions within Telegram's ${COMMAND_DESCRIPTION_MAX} characters`, () => {
      const bad = [...locale.entries.keys()]
        .filter((id) => id.startsWith("cmd-"))
        .flatMap((id) => {
          const { text } = format(locale, id, {});
          const length = [...text].length;
          return length > 0 && length <= COMMAND_DESCRIPTION_MAX ? [] : [`${id}: ${length} characters`];
        });
      expect(bad, `${code}: command descriptions Telegram would refuse`).toEqual([]);
    });
  });

  describe.each(TRANSLATIONS)("%s", (code) => {
    it("leaves no English sentence untranslated", () => {
      const locale = localeOf(code);
      const same = ENGLISH_IDS.filter((id) => {
        if (SAME_AS_ENGLISH_ALLOWED.has(id)) return false;
        const mine = locale.entries.get(id);
        const theirs = english.entries.get(id);
        if (mine === undefined || theirs === undefined) return false;
        const value = valueSource(theirs);
        return valueSource(mine) === value && value.length > UNTRANSLATED_MIN_LENGTH && hasLetters(value);
      });
      expect(same, `${code}: messages identical to English (untranslated?): ${same.join(", ")}`).toEqual([]);
    });
  });
});
