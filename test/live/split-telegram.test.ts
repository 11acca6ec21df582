import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  markdownToTelegramHtml,
  splitForTelegram,
  TELEGRAM_MESSAGE_LIMIT,
  type TelegramPart,
  validateTelegramHtml,
} from "../../src/live/index.js";
import {
  anyUtf16Text,
  cutOffsets,
  isHighSurrogate,
  isLowSurrogate,
  longestWhitespaceRun,
  longMarkdownText,
  markdownText,
  runs,
  splitsASurrogatePair,
  structuredAnswer,
} from "./arbitraries.js";

function visible(html: string): string {
  const check = validateTelegramHtml(html);
  if (!check.ok) throw new Error(`invalid Telegram HTML (${check.error} at ${check.offset}): ${html}`);
  return check.text;
}

/** What a fake Telegram would check of every message, plus the split's own promises. */
function expectSendableParts(answer: string, parts: TelegramPart[], limit: number): void {
  expect(parts.map((part) => part.text).join("")).toBe(answer);
  for (const { text, html } of parts) {
    expect(text.length).toBeGreaterThan(0);
    expect(text.length).toBeLessThanOrEqual(limit);
    expect(html.length).toBeLessThanOrEqual(limit);
    const shown = visible(html);
    expect(shown.length).toBeLessThanOrEqual(limit);
    if (text.trim() !== "") expect(shown.trim()).not.toBe("");
  }
  expect(
    splitsASurrogatePair(
      answer,
      parts.map((part) => part.text),
    ),
  ).toBe(false);
}

/** The contents of the <pre> blocks of a message, as the user sees them. */
function codeBlocks(html: string, language: string): string[] {
  const open = `<pre><code class="language-${language}">`;
  return html
    .split(open)
    .slice(1)
    .map((rest) => visible(rest.slice(0, rest.indexOf("</code></pre>"))));
}

describe("splitForTelegram basics", () => {
  it("returns no part for an empty answer", () => {
    expect(splitForTelegram("")).toEqual([]);
  });

  it("returns a short answer as one formatted part", () => {
    const answer = "Hello **world**, see `x`.";
    expect(splitForTelegram(answer)).toEqual([{ text: answer, html: markdownToTelegramHtml(answer) }]);
  });

  it.each([15, 0, 100.5, Number.NaN])("rejects the limit %s", (limit) => {
    expect(() => splitForTelegram("text", { limit })).toThrow(RangeError);
  });
});

describe("splitForTelegram code blocks", () => {
  const lines = Array.from(
    { length: 140 },
    (_, i) => `    total_${i} = compute(${i}) if ${i} < limit and ready else None  # step <${i}>`,
  );
  const code = lines.join("\n");
  const answer = `Here is the script you asked for.\n\n\`\`\`python\n${code}\n\`\`\`\n\nRun it with \`python main.py\`.`;

  it("splits a 10,000-character answer with a long code block into sendable parts", () => {
    expect(answer.length).toBeGreaterThan(10_000);
    const parts = splitForTelegram(answer);
    expect(parts.length).toBeGreaterThanOrEqual(3);
    expectSendableParts(answer, parts, TELEGRAM_MESSAGE_LIMIT);
  });

  it("closes the code block in one part and reopens it with its language in the next", () => {
    const parts = splitForTelegram(answer);
    expect(
      parts[0]!.html.startsWith('Here is the script you asked for.\n\n<pre><code class="language-python">'),
    ).toBe(true);
    expect(parts[0]!.html.endsWith("</code></pre>")).toBe(true);
    for (const part of parts.slice(1, -1)) {
      expect(part.html.startsWith('<pre><code class="language-python">')).toBe(true);
      expect(part.html.endsWith("</code></pre>")).toBe(true);
    }
    expect(parts.at(-1)!.html).toMatch(
      /^<pre><code class="language-python">[\s\S]*<\/code><\/pre>\n\nRun it with/,
    );
  });

  it("loses no line of the code across the parts", () => {
    const parts = splitForTelegram(answer);
    expect(parts.flatMap((part) => codeBlocks(part.html, "python")).join("\n")).toBe(code);
  });

  it("cuts at the edge of a code block rather than at later prose line breaks", () => {
    const fence = `\`\`\`js\n${"x = 1;\n".repeat(10)}\`\`\`\n`;
    const parts = splitForTelegram(fence + "line of prose here\n".repeat(10), { limit: 150 });
    expect(parts[0]!.text).toBe(fence);
  });

  it("never cuts right after a fence's opening line, which would leave an empty block", () => {
    const answer = `\`\`\`python\n${"x".repeat(200)}\n\`\`\``;
    const parts = splitForTelegram(answer, { limit: 80 });
    expectSendableParts(answer, parts, 80);
    for (const part of parts) expect(part.html.startsWith('<pre><code class="language-python">x')).toBe(true);
  });

  it("cuts at the start of a code block rather than at an earlier paragraph break", () => {
    const prose = `${"a".repeat(60)}\n\n${"b".repeat(20)}\n`;
    const parts = splitForTelegram(`${prose}\`\`\`js\n${"let x = 1;\n".repeat(20)}\`\`\``, { limit: 100 });
    expect(parts[0]!.text).toBe(prose);
  });

  it("does not take a blank line inside code for a paragraph break", () => {
    // A long info string keeps the HTML shorter than the text, so the first window is cut as chosen.
    const answer = `\`\`\`py ${"z".repeat(60)}\n${"x = 1\n".repeat(20)}\n${"y = 2\n".repeat(20)}\`\`\``;
    const parts = splitForTelegram(answer, { limit: 260 });
    expect(parts[0]!.text).toBe(answer.slice(0, 260));
    expect(parts[0]!.text.endsWith("y = 2\n")).toBe(true);
  });

  it("reopens a code block inside a blockquote inside the quote", () => {
    const answer = `> \`\`\`js\n${"> let x = 1;\n".repeat(20)}> \`\`\``;
    const parts = splitForTelegram(answer, { limit: 120 });
    expect(parts.length).toBeGreaterThan(1);
    expectSendableParts(answer, parts, 120);
    for (const part of parts) {
      expect(part.html.startsWith('<blockquote><pre><code class="language-js">let x = 1;')).toBe(true);
    }
  });

  it("continues the quote when a code block in a blockquote is cut mid-line", () => {
    const answer = `> \`\`\`js\n> ${"let x = 1; ".repeat(40)}\n> \`\`\``;
    const parts = splitForTelegram(answer, { limit: 120 });
    expect(parts.length).toBeGreaterThan(2);
    expectSendableParts(answer, parts, 120);
    for (const part of parts)
      expect(part.html.startsWith('<blockquote><pre><code class="language-js">')).toBe(true);
    expect(parts.flatMap((part) => codeBlocks(part.html, "js")).join("")).toBe("let x = 1; ".repeat(40));
  });

  it("reopens a code block of a list item without starting a new item", () => {
    const answer = `- \`\`\`js\n${"  let x = 1;\n".repeat(30)}  \`\`\``;
    const parts = splitForTelegram(answer, { limit: 120 });
    expect(parts.length).toBeGreaterThan(1);
    expectSendableParts(answer, parts, 120);
    expect(parts[0]!.html.startsWith('• <pre><code class="language-js">let x = 1;')).toBe(true);
    for (const part of parts.slice(1)) {
      expect(part.html.startsWith('<pre><code class="language-js">let x = 1;')).toBe(true);
    }
  });

  it("does not let a part that starts at a closing fence open a new code block", () => {
    // A long info string makes the text longer than its HTML, so the cut lands on the closing fence line.
    const answer = `\`\`\`js ${"x".repeat(80)}\n${"let x = 1;\n".repeat(8)}\`\`\`\nprose words here and more`;
    const parts = splitForTelegram(answer, { limit: 176 });
    expect(parts.map((part) => part.text)).toEqual([answer.slice(0, 175), answer.slice(175)]);
    expect(parts[1]!.html).toBe("prose words here and more");
  });

  it("keeps each part of a single endless code line inside the code block", () => {
    const answer = `\`\`\`text\n${"word ".repeat(1000)}\n\`\`\``;
    const parts = splitForTelegram(answer, { limit: 500 });
    expectSendableParts(answer, parts, 500);
    for (const part of parts)
      expect(part.html.startsWith('<pre><code class="language-text">word')).toBe(true);
  });
});

describe("splitForTelegram other structure", () => {
  it("repeats a table's header in every part of a split table", () => {
    const rows = Array.from({ length: 30 }, (_, i) => `| player ${i} | ${i * 7} |`).join("\n");
    const answer = `| Name | Score |\n|---|---|\n${rows}`;
    const parts = splitForTelegram(answer, { limit: 200 });
    expect(parts.length).toBeGreaterThan(1);
    expectSendableParts(answer, parts, 200);
    for (const part of parts) expect(part.html).toMatch(/^<pre>Name +\| Score\n-+\+-+\nplayer \d+ /);
  });

  it("resolves a reference link whose definition went to another part", () => {
    const answer = `[1]: https://example.com/docs\n\n${"Some filler words here. ".repeat(10)}\n\nSee [the docs][1].`;
    const parts = splitForTelegram(answer, { limit: 120 });
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.at(-1)!.html).toContain('<a href="https://example.com/docs">the docs</a>');
  });

  it("sends the text of a part whose formatting would show nothing", () => {
    const parts = splitForTelegram(`[1]: https://example.com/x\n\n${"b".repeat(30)}`, { limit: 30 });
    expect(parts[0]).toEqual({
      text: "[1]: https://example.com/x\n\n",
      html: "[1]: https://example.com/x\n\n",
    });
  });

  it("cuts parts shorter when escaping makes their HTML too long", () => {
    const answer = "&".repeat(10_000);
    const parts = splitForTelegram(answer);
    expectSendableParts(answer, parts, TELEGRAM_MESSAGE_LIMIT);
    // "&amp;" is 5 characters: about 819 per message, so 13 messages, not dozens.
    expect(parts.length).toBeLessThanOrEqual(14);
  });

  it("leaves the whitespace around a lone character out of its HTML rather than make a blank part", () => {
    expect(splitForTelegram(`&${" ".repeat(12)}`, { limit: 16 })).toEqual([
      { text: `&${" ".repeat(12)}`, html: "&amp;" },
    ]);
    expect(splitForTelegram(`${" ".repeat(12)}&`, { limit: 16 })).toEqual([
      { text: `${" ".repeat(12)}&`, html: "&amp;" },
    ]);
  });

  it("continues a blockquote cut mid-line as a quote", () => {
    const answer = `> ${"word ".repeat(100)}`;
    const parts = splitForTelegram(answer, { limit: 100 });
    expect(parts.length).toBeGreaterThan(2);
    for (const part of parts) expect(part.html).toMatch(/^<blockquote>word word/);
  });

  it("makes no blank part of a code block ending in blank lines under a tiny limit", () => {
    const answer = `\`\`\`\n&${"\n".repeat(12)}`;
    const parts = splitForTelegram(answer, { limit: 16 });
    expectSendableParts(answer, parts, 16);
    for (const part of parts) expect(part.text.trim()).not.toBe("");
  });

  it("makes no blank part of a table too big for a tiny limit", () => {
    const answer = "\n| a | b |\n|---|---|\n| 1 | 2 |\n";
    const parts = splitForTelegram(answer, { limit: 16 });
    expectSendableParts(answer, parts, 16);
    for (const part of parts) expect(part.text.trim()).not.toBe("");
  });

  it("leaves a whitespace run longer than the limit in whitespace-only parts, as documented", () => {
    const answer = `a${" ".repeat(10_000)}b`;
    const parts = splitForTelegram(answer);
    expectSendableParts(answer, parts, TELEGRAM_MESSAGE_LIMIT);
    const blank = parts.filter((part) => part.text.trim() === "");
    expect(blank.length).toBeGreaterThan(0);
    for (const part of blank) expect(part.html).toBe(part.text);
  });
});

/** Content ranges of the top-level fences of a generated answer, found line by line. */
function fenceContents(answer: string): Array<{ from: number; closeLine: number; language: string }> {
  const fences: Array<{ from: number; closeLine: number; language: string }> = [];
  let open: { from: number; language: string } | null = null;
  let at = 0;
  for (const line of answer.split("\n")) {
    const next = at + line.length + 1;
    if (open === null && /^```\S*$/.test(line)) open = { from: next, language: line.slice(3) };
    else if (open !== null && line === "```") {
      fences.push({ ...open, closeLine: at });
      open = null;
    }
    at = next;
  }
  return fences;
}

describe("splitForTelegram properties", () => {
  it("makes sendable, lossless parts of any text at any limit", () => {
    fc.assert(
      fc.property(
        fc.oneof(markdownText(400), anyUtf16Text),
        fc.integer({ min: 16, max: 400 }),
        (answer, limit) => {
          expectSendableParts(answer, splitForTelegram(answer, { limit }), limit);
        },
      ),
      runs(300),
    );
  });

  it("makes sendable parts of long answers at Telegram's limit, never cutting inside a character", () => {
    fc.assert(
      fc.property(longMarkdownText, (answer) => {
        const parts = splitForTelegram(answer);
        expectSendableParts(answer, parts, TELEGRAM_MESSAGE_LIMIT);
        for (const { text } of parts) {
          expect(isLowSurrogate(text.charCodeAt(0))).toBe(false);
          expect(isHighSurrogate(text.charCodeAt(text.length - 1))).toBe(false);
        }
      }),
      runs(40),
    );
  });

  it("reopens the code block with its language in every part that starts inside one", () => {
    fc.assert(
      fc.property(structuredAnswer, fc.integer({ min: 120, max: 1500 }), (answer, limit) => {
        const parts = splitForTelegram(answer, { limit });
        expectSendableParts(answer, parts, limit);
        const fences = fenceContents(answer);
        cutOffsets(parts.map((part) => part.text)).forEach((cut, i) => {
          const fence = fences.find((f) => f.from <= cut && cut < f.closeLine);
          const part = parts[i + 1]!;
          if (!fence || answer.slice(cut, fence.closeLine).trim() === "") return;
          const open = fence.language === "" ? "<pre>" : `<pre><code class="language-${fence.language}">`;
          expect(part.html.startsWith(open)).toBe(true);
        });
      }),
      runs(200),
    );
  });

  it("makes no whitespace-only part unless some whitespace run is nearly half the limit long", () => {
    fc.assert(
      fc.property(markdownText(400), fc.integer({ min: 16, max: 300 }), (answer, limit) => {
        fc.pre(answer.trim() !== "" && 2 * longestWhitespaceRun(answer) + 2 < limit);
        for (const part of splitForTelegram(answer, { limit })) expect(part.text.trim()).not.toBe("");
      }),
      runs(300),
    );
  });
});
