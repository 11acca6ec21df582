import fc from "fast-check";

/**
 * Run options for every property: a failing property on long strings can shrink for minutes, so runs and
 * shrinking stop after 10 s (inside vitest's 20 s timeout) and report the smallest counterexample so far.
 */
export function runs(numRuns: number): fc.Parameters<unknown> {
  return { numRuns, interruptAfterTimeLimit: 10_000 };
}

/** Pieces a model's Markdown is made of, hostile ones included, plus text that stresses UTF-16 handling. */
const MARKDOWN_PIECES = [
  "\n",
  "\n\n",
  " ",
  "  ",
  "    ",
  "\t",
  "\r\n",
  "\r",
  "```",
  "```python\n",
  "\n```\n",
  "~~~\n",
  "*",
  "**",
  "_",
  "__",
  "`",
  "~~",
  "[",
  "]",
  "(",
  ")",
  "<",
  ">",
  "&",
  '"',
  "#",
  "# ",
  "- ",
  "* ",
  "1. ",
  "> ",
  "|",
  "| a | b |\n|---|---|\n| 1 | 2 |\n",
  "---\n",
  "https://example.com/a?b=1&c=2",
  "[x](javascript:alert(1))",
  "[link](https://example.com)",
  "![img](https://example.com/i.png)",
  "[ref][1]",
  "\n[1]: https://example.com/ref\n",
  "<script>alert(1)</script>",
  "<b>",
  "</b>",
  "&amp;",
  "&#128512;",
  "&nbsp;",
  "\\",
  ". ",
  "! ",
  "😀",
  "👨‍👩‍👧",
  "🇫🇷",
  "e\u0301",
  "中文。",
  "\u00a0",
  "\u0000",
];

const WORDS = ["word", "the", "answer", "function", "x", "Telegram", "code", "1", "42"];

/** One unit of generated Markdown: a piece, a word, or arbitrary graphemes or code points. */
const markdownUnit: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...MARKDOWN_PIECES) },
  { weight: 4, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 6 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 3 }) },
);

/**
 * Well-formed (no lone surrogate) Markdown-ish text of up to `maxUnits` units. `size: "max"` spreads the
 * lengths over the whole range; fast-check's default would keep nearly all of them tiny.
 */
export function markdownText(maxUnits: number): fc.Arbitrary<string> {
  return fc.string({ unit: markdownUnit, maxLength: maxUnits, size: "max" });
}

/** Markdown-ish text of mostly several thousand and up to ~25,000 UTF-16 units. */
export const longMarkdownText: fc.Arbitrary<string> = fc
  .array(markdownText(500), { minLength: 1, maxLength: 10, size: "max" })
  .map((chunks) => chunks.join(""));

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));

/** Any UTF-16 string, lone surrogates included. */
export const anyUtf16Text: fc.Arbitrary<string> = fc.string({
  unit: fc.oneof(markdownUnit, loneSurrogate),
  maxLength: 400,
  size: "max",
});

const language = fc.constantFrom("python", "js", "c++", "", "rust", "bash");
const codeLine = fc.oneof(
  fc.constantFrom(
    "x = 1",
    "if (a < b && c > d) {",
    "  return '<tag>';",
    "}",
    "",
    "    deep  indent",
    "# comment",
  ),
  fc.string({ unit: "grapheme-ascii", maxLength: 80 }).filter((line) => !/^\s*(`{3,}|~{3,})/.test(line)),
);
const prose = fc
  .array(fc.constantFrom(...WORDS, "**bold**", "_it_", "`x`", "end.", "why?", "a & b"), {
    minLength: 1,
    maxLength: 60,
    size: "max",
  })
  .map((words) => words.join(" "));

/** A fenced code block as a model writes it, with its language and content. */
export interface GeneratedFence {
  language: string;
  lines: string[];
}

const fence: fc.Arbitrary<GeneratedFence> = fc.record({
  language,
  lines: fc.array(codeLine, { minLength: 1, maxLength: 80, size: "max" }),
});

/** A structured answer: paragraphs and top-level fenced code blocks separated by blank lines. */
export const structuredAnswer: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      prose,
      fence.map((f) => `\`\`\`${f.language}\n${f.lines.join("\n")}\n\`\`\``),
    ),
    {
      minLength: 1,
      maxLength: 12,
      size: "max",
    },
  )
  .map((blocks) => blocks.join("\n\n"));

export function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

export function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** Offsets at which consecutive parts were cut. */
export function cutOffsets(parts: readonly string[]): number[] {
  const offsets: number[] = [];
  let at = 0;
  for (const part of parts.slice(0, -1)) {
    at += part.length;
    offsets.push(at);
  }
  return offsets;
}

/** Whether some cut falls between the halves of a surrogate pair. */
export function splitsASurrogatePair(text: string, parts: readonly string[]): boolean {
  return cutOffsets(parts).some(
    (at) => isHighSurrogate(text.charCodeAt(at - 1)) && isLowSurrogate(text.charCodeAt(at)),
  );
}

/** Longest run of whitespace characters. */
export function longestWhitespaceRun(text: string): number {
  let longest = 0;
  for (const match of text.matchAll(/\s+/g)) longest = Math.max(longest, match[0].length);
  return longest;
}
