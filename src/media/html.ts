/**
 * HTML to readable text. htmlparser2 tokenises (it is the tokenizer behind cheerio: it knows raw-text elements,
 * comments, CDATA, unquoted attributes and the whole entity table, which a regex stripper gets wrong); this file
 * only decides what reaches the model. Nothing is executed or fetched: we never build a DOM, load a URL or run
 * a script, we only read the parser's text events.
 */

import { Parser } from "htmlparser2";
import type { Renderer, TextCollector } from "./text.js";

/** Elements whose content is not text for a reader: code, styles, embedded graphics, fallbacks. */
const SKIPPED = new Set([
  "script",
  "style",
  "noscript",
  "template",
  "svg",
  "math",
  "object",
  "iframe",
  "canvas",
]);

/** Elements that start and end a paragraph (one blank line around them). */
const PARAGRAPHS = new Set([
  "p",
  "pre",
  "blockquote",
  "table",
  "ul",
  "ol",
  "dl",
  "figure",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "hr",
]);

/** Elements that start and end a line. */
const LINES = new Set([
  "address",
  "article",
  "aside",
  "body",
  "caption",
  "dd",
  "details",
  "div",
  "dt",
  "fieldset",
  "figcaption",
  "footer",
  "form",
  "header",
  "li",
  "main",
  "nav",
  "section",
  "summary",
  "title",
  "tr",
]);

/**
 * Renders the text of an HTML document: paragraphs and lines where the blocks are, list items as "- ", headings
 * as Markdown "#", table cells separated by tabs, whitespace collapsed except in <pre>. Fed in pieces: the parser
 * keeps a tag or an entity cut between two pieces until the rest arrives.
 */
export function htmlRenderer(out: TextCollector): Renderer {
  const sink = new HtmlSink(out);
  let skipDepth = 0;
  let preDepth = 0;
  let firstCell = true;

  const parser = new Parser(
    {
      onopentag(name) {
        if (SKIPPED.has(name)) skipDepth += 1;
        if (skipDepth > 0) return;
        if (name === "br") sink.lineBreak(1);
        else if (PARAGRAPHS.has(name)) sink.lineBreak(2);
        else if (LINES.has(name)) sink.lineBreak(1);
        if (name === "pre") preDepth += 1;
        if (name === "tr") firstCell = true;
        if (name === "td" || name === "th") {
          if (!firstCell) sink.raw("\t");
          firstCell = false;
        }
        if (name === "li") sink.raw("- ");
        const heading = /^h([1-6])$/.exec(name);
        if (heading) sink.raw(`${"#".repeat(Number(heading[1]))} `);
      },
      ontext(text) {
        if (skipDepth > 0) return;
        if (preDepth > 0) sink.raw(text.replace(/\r\n?/g, "\n"));
        else sink.text(text);
      },
      onclosetag(name) {
        if (SKIPPED.has(name)) {
          skipDepth = Math.max(0, skipDepth - 1);
          return;
        }
        if (skipDepth > 0) return;
        if (name === "pre") preDepth = Math.max(0, preDepth - 1);
        if (PARAGRAPHS.has(name)) sink.lineBreak(2);
        else if (LINES.has(name)) sink.lineBreak(1);
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  return {
    write: (decoded) => parser.write(decoded),
    end: () => parser.end(),
  };
}

/** HTML's whitespace rules on top of a TextCollector. */
class HtmlSink {
  private pendingSpace = false;
  private pendingBreaks = 0;

  constructor(private readonly out: TextCollector) {}

  /** Text in normal flow: every run of whitespace (including &nbsp;) is one space, none at a line's start. */
  text(text: string): void {
    const collapsed = text.replace(/\s+/g, " ");
    if (collapsed === "") return;
    if (collapsed.startsWith(" ")) this.pendingSpace = true;
    const words = collapsed.trim();
    if (words === "") return;
    this.raw(words);
    if (collapsed.endsWith(" ")) this.pendingSpace = true;
  }

  /** Text as it is (in <pre>, and our own markers). Nothing but text starts the document. */
  raw(text: string): void {
    const body = this.out.isEmpty ? text.trimStart() : text;
    if (body === "") return;
    if (!this.out.isEmpty) {
      if (this.pendingBreaks > 0) {
        this.out.dropTrailingBlanks();
        this.out.append("\n".repeat(Math.max(0, this.pendingBreaks - this.out.endingBreaks)));
      } else if (this.pendingSpace && !this.out.endsWithSpace) {
        this.out.append(" ");
      }
    }
    this.pendingBreaks = 0;
    this.pendingSpace = false;
    this.out.append(body);
  }

  /** A block boundary: `count` line breaks before the next text (2 = a blank line), never more than 2 in a row. */
  lineBreak(count: 1 | 2): void {
    this.pendingBreaks = Math.max(this.pendingBreaks, count);
    this.pendingSpace = false;
  }
}
