import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitPlain, TELEGRAM_MESSAGE_LIMIT } from "../../src/live/index.js";
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
} from "./arbitraries.js";

describe("splitPlain boundaries", () => {
  it("prefers a paragraph break to a later line break", () => {
    const text = "First paragraph here.\n\nSecond line one\nline two goes on and on";
    expect(splitPlain(text, 40)[0]).toBe("First paragraph here.\n\n");
  });

  it("prefers a line break to a later sentence end", () => {
    const text = "Some words are here\nA sentence. And more words follow";
    expect(splitPlain(text, 40)[0]).toBe("Some words are here\n");
  });

  it("prefers a sentence end to a later space", () => {
    const text = "Alpha beta gamma. Delta epsilon zeta eta";
    expect(splitPlain(text, 30)[0]).toBe("Alpha beta gamma. ");
  });

  it("counts a sentence closed by a quote as a sentence end", () => {
    const text = 'He said "stop." Then more words';
    expect(splitPlain(text, 20)[0]).toBe('He said "stop." ');
  });

  it("prefers the last space to a hard cut", () => {
    expect(splitPlain("abcdefghijkl mnop qrstuvwxyz", 20)).toEqual(["abcdefghijkl mnop ", "qrstuvwxyz"]);
  });

  it("skips a boundary that would leave the part less than half full for a lesser later one", () => {
    expect(splitPlain("ab\n\ncdefgh ijklmnop qrstuvw", 20)[0]).toBe("ab\n\ncdefgh ijklmnop ");
  });

  it("takes an early boundary rather than cutting a word when nothing better is in the window", () => {
    expect(splitPlain("abcdefgh ijklmnopqrstuvwxyz", 20)).toEqual(["abcdefgh ", "ijklmnopqrstuvwxyz"]);
  });

  it("does not mistake an ordered-list marker for a sentence end", () => {
    expect(splitPlain("1. ab cd ef", 6)[0]).toBe("1. ab ");
  });

  it("cuts after a CJK full stop, which has no space after it", () => {
    expect(splitPlain("这是第一句。这是第二句。这是第三句", 8)[0]).toBe("这是第一句。");
  });

  it("cuts hard when there is no boundary at all", () => {
    expect(splitPlain("a".repeat(10), 4)).toEqual(["aaaa", "aaaa", "aa"]);
  });

  it("keeps the whitespace of a cut at the end of the earlier part", () => {
    expect(splitPlain("aaaa bbbb", 6)).toEqual(["aaaa ", "bbbb"]);
  });

  it("never separates CR from LF", () => {
    expect(splitPlain("aaaa\r\nbbbb", 6)).toEqual(["aaaa\r\n", "bbbb"]);
    for (const part of splitPlain("aaaa\r\nbbbb", 5)) expect(part.endsWith("\r")).toBe(false);
  });
});

describe("splitPlain characters", () => {
  it("never splits a surrogate pair, even at the limit", () => {
    expect(splitPlain("😀".repeat(5), 3)).toEqual(["😀", "😀", "😀", "😀", "😀"]);
    expect(splitPlain("😀".repeat(5), 5)).toEqual(["😀😀", "😀😀", "😀"]);
  });

  it("keeps a multi-code-point emoji in one piece when it fits", () => {
    expect(splitPlain("ab👨‍👩‍👧cd", 9)).toEqual(["ab", "👨‍👩‍👧c", "d"]);
    expect(splitPlain("🇫🇷🇩🇪🇮🇹", 6)).toEqual(["🇫🇷", "🇩🇪", "🇮🇹"]);
  });

  it("leaves no whitespace-only tail when the text ends in blank lines", () => {
    expect(splitPlain("aaaaaaaaaa\n\n", 10)).toEqual(["aaaaaaaaa", "a\n\n"]);
    expect(splitPlain("aaaa bbbb \n\n", 10)).toEqual(["aaaa ", "bbbb \n\n"]);
  });
});

describe("splitPlain edge cases", () => {
  it("returns no part for empty text", () => {
    expect(splitPlain("")).toEqual([]);
  });

  it("returns short text as one part", () => {
    expect(splitPlain("hello")).toEqual(["hello"]);
    const full = "x".repeat(TELEGRAM_MESSAGE_LIMIT);
    expect(splitPlain(full)).toEqual([full]);
    expect(splitPlain(`${full}y`)).toHaveLength(2);
  });

  it("returns whitespace-only input as whitespace parts, as documented", () => {
    expect(splitPlain("   ")).toEqual(["   "]);
    const parts = splitPlain("\n".repeat(10), 4);
    expect(parts.join("")).toBe("\n".repeat(10));
    expect(parts.every((part) => part.length > 0 && part.trim() === "")).toBe(true);
  });

  it.each([1, 0, -5, 2.5, Number.NaN])("rejects the limit %s", (limit) => {
    expect(() => splitPlain("text", limit)).toThrow(RangeError);
  });
});

function expectLosslessParts(text: string, parts: string[], limit: number): void {
  expect(parts.join("")).toBe(text);
  for (const part of parts) {
    expect(part.length).toBeGreaterThan(0);
    expect(part.length).toBeLessThanOrEqual(limit);
  }
  expect(splitsASurrogatePair(text, parts)).toBe(false);
}

describe("splitPlain properties", () => {
  it("is lossless, non-empty, within the limit and keeps surrogate pairs, for any UTF-16 text", () => {
    fc.assert(
      fc.property(anyUtf16Text, fc.integer({ min: 2, max: 64 }), (text, limit) => {
        expectLosslessParts(text, splitPlain(text, limit), limit);
      }),
      runs(300),
    );
  });

  it("holds for long answers at Telegram's limit and at random limits", () => {
    fc.assert(
      fc.property(
        longMarkdownText,
        fc.oneof(fc.constant(TELEGRAM_MESSAGE_LIMIT), fc.integer({ min: 2, max: 5000 })),
        (text, limit) => {
          const parts = splitPlain(text, limit);
          expectLosslessParts(text, parts, limit);
          for (const part of parts) {
            expect(isLowSurrogate(part.charCodeAt(0))).toBe(false);
            expect(isHighSurrogate(part.charCodeAt(part.length - 1))).toBe(false);
          }
        },
      ),
      runs(60),
    );
  });

  it("makes no whitespace-only part unless some whitespace run is nearly half the limit long", () => {
    fc.assert(
      fc.property(markdownText(300), fc.integer({ min: 8, max: 200 }), (text, limit) => {
        fc.pre(text.trim() !== "" && 2 * longestWhitespaceRun(text) + 2 < limit);
        for (const part of splitPlain(text, limit)) expect(part.trim()).not.toBe("");
      }),
      runs(300),
    );
  });

  it("cuts at a paragraph break whenever one lies in the second half of the window", () => {
    const paragraphs = fc
      .array(fc.oneof(fc.constantFrom("word", "longerword", "x"), fc.constant("\n\n")), { maxLength: 300 })
      .map((pieces) => pieces.join(" "));
    fc.assert(
      fc.property(paragraphs, fc.integer({ min: 10, max: 120 }), (text, limit) => {
        const parts = splitPlain(text, limit);
        let start = 0;
        for (const cut of cutOffsets(parts)) {
          const window = text.slice(start, start + limit);
          const half = Math.floor(limit / 2);
          const lastBreak = window.lastIndexOf("\n\n");
          const usable =
            lastBreak >= 0 &&
            lastBreak + 2 >= half &&
            window.slice(0, lastBreak).trim() !== "" &&
            text.slice(start + lastBreak + 2).trim() !== "";
          if (usable) {
            // A line of spaces is as blank as an empty one.
            expect(text.slice(start, cut)).toMatch(/\n[ \t]*\n$/);
          }
          start = cut;
        }
      }),
      runs(300),
    );
  });
});
