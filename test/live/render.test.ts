import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  finalParts,
  nextPartStart,
  streamingText,
  TELEGRAM_MESSAGE_LIMIT,
  validateTelegramHtml,
} from "../../src/live/index.js";

const view = (content: string, thinking = "", elapsedMs = 0) => ({
  content,
  thinking,
  elapsedMs,
  label: "llama3.2",
});

describe("what the live message shows", () => {
  it("shows a placeholder at once, then how long the wait has been", () => {
    expect(streamingText(view(""))).toBe("⏳ llama3.2…");
    expect(streamingText(view("  \n", "", 12_400))).toBe("⏳ llama3.2 is preparing an answer… 12 s");
  });

  it("shows that the model is thinking, with the time and the tail of its thoughts", () => {
    const text = streamingText(view("", `${"x".repeat(500)} the end`, 3_000));
    expect(text.startsWith("🤔 llama3.2 is thinking… 3 s\n\n💭 …")).toBe(true);
    expect(text.endsWith("the end")).toBe(true);
    expect(text.length).toBeLessThan(400);
  });

  it("shows the answer from the current message's start once it begins", () => {
    expect(streamingText(view("Hello world", "hmm"), 6)).toBe("world");
  });

  it("moves on to a new message only when the answer outgrows one, at a paragraph boundary", () => {
    const a = `${"a".repeat(3000)}\n\n${"b".repeat(2000)}`;
    expect(nextPartStart(a.slice(0, 4000), 0)).toBeUndefined();
    expect(nextPartStart(a, 0)).toBe(3002);
    expect(nextPartStart(a, 3002)).toBeUndefined();
  });
});

describe("the final messages", () => {
  it("concatenate exactly to the answer, each within the limit and valid Telegram HTML", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", minLength: 1, maxLength: 12_000 }), (answer) => {
        fc.pre(answer.trim() !== "");
        const parts = finalParts(answer, "", {});
        for (const p of parts) {
          expect(p.text.length).toBeLessThanOrEqual(TELEGRAM_MESSAGE_LIMIT);
          const check = validateTelegramHtml(p.html);
          expect(check.ok).toBe(true);
          if (check.ok) expect(check.text.length).toBeLessThanOrEqual(TELEGRAM_MESSAGE_LIMIT);
        }
        // Only whitespace-only slices may be dropped (Telegram refuses blank messages).
        expect(
          parts
            .map((p) => p.text)
            .join("")
            .replace(/\s/g, ""),
        ).toBe(answer.replace(/\s/g, ""));
      }),
      { numRuns: 150 },
    );
  });

  it("puts the thinking in an expandable quote on top and the note at the end", () => {
    const [only] = finalParts("**Answer**", "I pondered <this>.", { note: "⏹ Stopped." });
    expect(only!.html).toBe(
      "<blockquote expandable>💭 I pondered &lt;this&gt;.</blockquote>\n<b>Answer</b>\n\n<i>⏹ Stopped.</i>",
    );
    expect(only!.text).toBe("💭 I pondered <this>.\n\n**Answer**\n\n⏹ Stopped.");
    expect(finalParts("x", "hidden", { showThinking: false })[0]!.html).toBe("x");
  });

  it("keeps a long answer's first part within the limit when the thinking is added", () => {
    const parts = finalParts("y".repeat(4000), "t".repeat(5000));
    const check = validateTelegramHtml(parts[0]!.html);
    expect(check.ok && check.text.length).toBeLessThanOrEqual(TELEGRAM_MESSAGE_LIMIT);
  });

  it("says so when there is no answer at all", () => {
    expect(finalParts("", "")[0]!.text).toBe("(The model gave an empty answer.)");
    expect(finalParts(" ", "", { note: "⚠️ The model server could not be reached." })[0]!.text).toBe(
      "⚠️ The model server could not be reached.",
    );
  });

  it("escapes markup from the model instead of obeying it", () => {
    const [part] = finalParts('<script>alert("x")</script> and *unbalanced _markdown', "");
    expect(part!.html).not.toContain("<script>");
    const check = validateTelegramHtml(part!.html);
    expect(check.ok && check.text).toBe('<script>alert("x")</script> and *unbalanced _markdown');
  });
});
