import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  escapeHtml,
  htmlIsBalanced,
  markdownToTelegramHtml,
  validateTelegramHtml,
} from "../../src/live/index.js";
import { anyUtf16Text, longMarkdownText, markdownText, runs } from "./arbitraries.js";

/** Visible text of valid Telegram HTML; fails the test on invalid HTML. */
function visible(html: string): string {
  const check = validateTelegramHtml(html);
  if (!check.ok) throw new Error(`invalid Telegram HTML (${check.error} at ${check.offset}): ${html}`);
  return check.text;
}

describe("markdownToTelegramHtml inline formatting", () => {
  it("renders bold, italic, strikethrough and inline code", () => {
    expect(markdownToTelegramHtml("**b** *i* _j_ ~~s~~ `c < d`")).toBe(
      "<b>b</b> <i>i</i> <i>j</i> <s>s</s> <code>c &lt; d</code>",
    );
  });

  it("nests formatting as Telegram allows", () => {
    expect(markdownToTelegramHtml("**bold _both_ `code`**")).toBe(
      "<b>bold <i>both</i> <code>code</code></b>",
    );
  });

  it("keeps a single newline as a line break", () => {
    expect(markdownToTelegramHtml("line one\nline two")).toBe("line one\nline two");
  });

  it("leaves unbalanced Markdown as readable text", () => {
    expect(markdownToTelegramHtml("*unbalanced _markdown")).toBe("*unbalanced _markdown");
    expect(markdownToTelegramHtml("**open `tick and [bracket")).toBe("**open `tick and [bracket");
  });
});

describe("markdownToTelegramHtml escaping", () => {
  it("escapes raw HTML instead of passing it through", () => {
    expect(markdownToTelegramHtml("<script>alert(1)</script>")).toBe("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(markdownToTelegramHtml("a <b>bold</b> & <i>")).toBe("a &lt;b&gt;bold&lt;/b&gt; &amp; &lt;i&gt;");
  });

  it("escapes raw HTML blocks too", () => {
    expect(markdownToTelegramHtml('<div onclick="x()">\nhi\n</div>')).toBe(
      '&lt;div onclick="x()"&gt;\nhi\n&lt;/div&gt;',
    );
  });

  it("shows entities the model wrote as written (`&amp;` stays `&amp;` on screen), and escapes a bare `&`", () => {
    const html = markdownToTelegramHtml("&amp; &lt; &#128512; &copy; & done");
    expect(html).toBe("&amp;amp; &amp;lt; &amp;#128512; &amp;copy; &amp; done");
    const check = validateTelegramHtml(html);
    expect(check.ok && check.text).toBe("&amp; &lt; &#128512; &copy; & done");
  });

  it("replaces lone surrogates, which Telegram cannot decode", () => {
    expect(markdownToTelegramHtml("a\uD800b")).toBe("a\uFFFDb");
  });
});

describe("markdownToTelegramHtml links", () => {
  it.each([
    ["https://example.com/a?b=1&c=2", '<a href="https://example.com/a?b=1&amp;c=2">x</a> (example.com)'],
    ["http://example.com", '<a href="http://example.com">x</a> (example.com)'],
  ])("links %s", (href, html) => {
    expect(markdownToTelegramHtml(`[x](${href})`)).toBe(html);
  });

  it("never links tg:// (login, proxy, user mentions) or mailto:, showing the target as text instead", () => {
    for (const href of [
      "tg://login?token=abc",
      "tg://proxy?server=evil&port=1",
      "tg://user?id=42",
      "mailto:a@b.c",
    ]) {
      const html = markdownToTelegramHtml(`[click me](${href})`);
      expect(html).not.toContain("<a");
      expect(visible(html)).toContain(href.replace(/&/g, "&"));
    }
  });

  it("shows where a link goes beside any label that is not the address itself, images too", () => {
    expect(markdownToTelegramHtml("[https://bank.example/login](https://evil.example/x)")).toBe(
      '<a href="https://evil.example/x">https://bank.example/login</a> (evil.example)',
    );
    expect(markdownToTelegramHtml("[🔒 bank.example](https://evil.example)")).toBe(
      '<a href="https://evil.example">🔒 bank.example</a> (evil.example)',
    );
    expect(markdownToTelegramHtml("[раураl.com](https://evil.example)")).toBe(
      '<a href="https://evil.example">раураl.com</a> (evil.example)',
    );
    expect(markdownToTelegramHtml("![https://bank.example](https://evil.example/x.png)")).toBe(
      '<a href="https://evil.example/x.png">https://bank.example</a> (evil.example)',
    );
    // A label that is the address needs nothing more.
    expect(markdownToTelegramHtml("[example.com](https://example.com/)")).toBe(
      '<a href="https://example.com/">example.com</a>',
    );
  });

  it("never links t.me (proxies, invites), which acts inside Telegram like tg://", () => {
    for (const href of [
      "https://t.me/proxy?server=evil&port=443",
      "https://telegram.me/+invite",
      "https://t.me/joinchat/x",
    ]) {
      expect(markdownToTelegramHtml(`[Open settings](${href})`)).not.toContain("<a");
    }
  });

  it("renders other schemes as text, keeping the target visible", () => {
    expect(markdownToTelegramHtml("[file](ftp://example.com/f)")).toBe("file (ftp://example.com/f)");
    expect(markdownToTelegramHtml("[docs](docs/intro.md)")).toBe("docs (docs/intro.md)");
  });

  it("never links javascript:", () => {
    const html = markdownToTelegramHtml("[click](javascript:alert(1)) <javascript:alert(1)>");
    expect(html).not.toContain("<a");
    expect(visible(html)).toContain("javascript:alert(1)");
  });

  it("links autolinks and images, escaping quotes in the href", () => {
    expect(markdownToTelegramHtml("<https://example.com/?q=1&r=2>")).toBe(
      '<a href="https://example.com/?q=1&amp;r=2">https://example.com/?q=1&amp;r=2</a>',
    );
    expect(markdownToTelegramHtml("![a cat](https://example.com/cat.png)")).toBe(
      '<a href="https://example.com/cat.png">a cat</a> (example.com)',
    );
    expect(markdownToTelegramHtml('[q](<https://example.com/a"b>)')).toBe(
      '<a href="https://example.com/a%22b">q</a> (example.com)',
    );
  });

  it("drops the monospace of code inside a link, which Telegram refuses", () => {
    expect(markdownToTelegramHtml("[`npm i`](https://npmjs.com)")).toBe(
      '<a href="https://npmjs.com">npm i</a> (npmjs.com)',
    );
  });

  it("resolves reference links", () => {
    expect(markdownToTelegramHtml("See [the docs][1].\n\n[1]: https://example.com/docs")).toBe(
      'See <a href="https://example.com/docs">the docs</a> (example.com).',
    );
  });
});

describe("markdownToTelegramHtml blocks", () => {
  it("renders a fenced code block with its language", () => {
    expect(markdownToTelegramHtml("```python\nif a < b:\n    print('&')\n```")).toBe(
      "<pre><code class=\"language-python\">if a &lt; b:\n    print('&amp;')</code></pre>",
    );
  });

  it("renders a code block without language, or with an unusable one, as plain <pre>", () => {
    expect(markdownToTelegramHtml("```\nx\n```")).toBe("<pre>x</pre>");
    expect(markdownToTelegramHtml('```"><script>\nx\n```')).toBe("<pre>x</pre>");
    expect(markdownToTelegramHtml("    indented code")).toBe("<pre>indented code</pre>");
  });

  it("closes a fence the model never closed", () => {
    expect(markdownToTelegramHtml("```js\nlet a = 1;")).toBe(
      '<pre><code class="language-js">let a = 1;</code></pre>',
    );
  });

  it("renders a heading as a bold line", () => {
    expect(markdownToTelegramHtml("# Title *x*\ntext")).toBe("<b>Title <i>x</i></b>\n\ntext");
  });

  it("renders blockquotes, flattening nested ones that Telegram refuses", () => {
    expect(markdownToTelegramHtml("> quoted **text**")).toBe("<blockquote>quoted <b>text</b></blockquote>");
    expect(markdownToTelegramHtml("> outer\n>\n> > inner")).toBe("<blockquote>outer\n\ninner</blockquote>");
  });

  it("renders bullet and ordered lists as text, nested with indentation", () => {
    expect(markdownToTelegramHtml("- a\n- b\n  - c\n    - d")).toBe("• a\n• b\n  ◦ c\n    ▪ d");
    expect(markdownToTelegramHtml("1. one\n1. two\n   - sub\n   continued")).toBe(
      "1. one\n2. two\n   ◦ sub\n     continued",
    );
    expect(markdownToTelegramHtml("3. three\n4. four")).toBe("3. three\n4. four");
  });

  it("separates the items of a loose list by blank lines", () => {
    expect(markdownToTelegramHtml("- a\n\n  more a\n- b")).toBe("• a\n\n  more a\n\n• b");
  });

  it("renders a horizontal rule as a line", () => {
    expect(markdownToTelegramHtml("a\n\n---\n\nb")).toBe("a\n\n──────────\n\nb");
  });

  it("renders a narrow table as aligned preformatted text", () => {
    expect(markdownToTelegramHtml("| Name | Age |\n|:--|--:|\n| **Al** | 3 |\n| Bo<b> | 40 |")).toBe(
      "<pre>Name  | Age\n------+----\nAl    |   3\nBo&lt;b&gt; |  40</pre>",
    );
  });

  it("renders a wide table as lines of cells with a bold header", () => {
    const wide = "x".repeat(70);
    expect(markdownToTelegramHtml(`| A | B |\n|---|---|\n| ${wide} | **y** |`)).toBe(
      `<b>A | B</b>\n${wide} | <b>y</b>`,
    );
  });

  it("returns an empty string when nothing is visible", () => {
    expect(markdownToTelegramHtml("")).toBe("");
    expect(markdownToTelegramHtml("  \n\n ")).toBe("");
    expect(markdownToTelegramHtml("[1]: https://example.com")).toBe("");
  });
});

const EMITTED_TAGS = new Set(["b", "i", "s", "code", "pre", "a", "blockquote"]);

describe("markdownToTelegramHtml properties", () => {
  it("always produces valid Telegram HTML using only the tags it is meant to emit", () => {
    fc.assert(
      fc.property(fc.oneof(markdownText(200), anyUtf16Text), (md) => {
        const html = markdownToTelegramHtml(md);
        expect(validateTelegramHtml(html)).toMatchObject({ ok: true });
        // An independent look at the raw string, not through the validator.
        for (const match of html.matchAll(/<\/?([^\s>/]*)/g)) expect(EMITTED_TAGS).toContain(match[1]);
        for (const match of html.matchAll(/href="([^"]*)"/g)) {
          expect(match[1]).toMatch(/^https?:\/\//i);
        }
      }),
      runs(1000),
    );
  });

  it("produces valid HTML for long answers", () => {
    fc.assert(
      fc.property(longMarkdownText, (md) => {
        expect(htmlIsBalanced(markdownToTelegramHtml(md))).toBe(true);
      }),
      runs(30),
    );
  });

  it("shows text without Markdown syntax exactly as written, whatever HTML-like characters it holds", () => {
    const unit = fc.constantFrom("<", ">", "&", '"', "'", "/", "=", "a", "b", "script", " ", "😀");
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 60 }), (tail) => {
        const md = `x ${tail}`;
        expect(visible(markdownToTelegramHtml(md))).toBe(md.trim());
      }),
      runs(500),
    );
  });
});

describe("escapeHtml", () => {
  it("escapes exactly &, < and >", () => {
    expect(escapeHtml(`<a href="x">&'`)).toBe(`&lt;a href="x"&gt;&amp;'`);
  });

  it("round-trips any text through Telegram's entity parsing", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 200 }), (text) => {
        expect(visible(escapeHtml(text))).toBe(text);
      }),
      runs(100),
    );
  });
});

describe("validateTelegramHtml", () => {
  it("accepts Telegram's tags, attributes and entities and returns the visible text", () => {
    const html =
      "<b>a &lt; b</b> <strong>s</strong> <i>i</i> <em>e</em> <u>u</u> <ins>n</ins> <s>s</s> <strike>k</strike> " +
      '<del>d</del> <tg-spoiler>p</tg-spoiler> <span class="tg-spoiler">q</span> <a href="https://e.com/?a=1&amp;b">l</a> ' +
      '<code>c</code> <pre><code class="language-python">x &amp;&amp; y</code></pre> <pre>p</pre> ' +
      "<blockquote expandable>q<b>b</b></blockquote> &#128512;&#x1F600;&quot;&gt;";
    expect(validateTelegramHtml(html)).toEqual({
      ok: true,
      text: 'a < b s i e u n s k d p q l c x && y p qb 😀😀">',
    });
  });

  it("counts the visible text in UTF-16 units, as Telegram's limit does", () => {
    const check = validateTelegramHtml("<b>&#128512;</b>");
    expect(check.ok && check.text.length).toBe(2);
  });

  it.each([
    ["<script>alert(1)</script>", "unsupported tag"],
    ["<b>open", "unclosed tag"],
    ["<b><i>x</b></i>", "crossed tags"],
    ["</b>", "stray closing tag"],
    ["a < b", "bare <"],
    ["a > b", "bare >"],
    ["a & b", "bare &"],
    ["&nbsp;", "unsupported named entity"],
    ["&#55296;", "entity for a surrogate"],
    ["&#0;", "entity for NUL"],
    ["a\uD800", "lone surrogate"],
    ["<a>x</a>", "link without href"],
    ['<a href="">x</a>', "link with empty href"],
    ['<a href="https://a"><a href="https://b">x</a></a>', "link in a link"],
    ['<a href="https://a"><code>x</code></a>', "code in a link"],
    ["<code><b>x</b></code>", "tag inside code"],
    ["<pre><b>x</b></pre>", "tag inside pre"],
    ["<b><pre>x</pre></b>", "pre inside bold"],
    ["<blockquote><blockquote>x</blockquote></blockquote>", "nested blockquote"],
    ["<span>x</span>", "span without spoiler class"],
    ['<code class="language-js">x</code>', "language class outside pre"],
    ['<b class="x">x</b>', "attribute on b"],
    ['<a href="https://a" title="t">x</a>', "extra attribute"],
    ["<a href=https://a>x</a>", "unquoted attribute"],
    ["<br>", "br"],
    ["<b/>", "self-closing tag"],
  ])("rejects %s (%s)", (html) => {
    expect(validateTelegramHtml(html).ok).toBe(false);
    expect(htmlIsBalanced(html)).toBe(false);
  });
});
