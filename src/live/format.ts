import type { Token } from "markdown-it";
import MarkdownIt from "markdown-it";

// html:false makes markdown-it treat raw HTML in the model's answer as text, so the answer can never inject
// markup; linkify and typographer stay off because they would rewrite what the model wrote.
// The entity rule is off too: the model's `&amp;` is text it wrote and is shown as written, not as `&`.
const markdown = new MarkdownIt("default", { html: false, linkify: false, typographer: false }).disable(
  "entity",
);

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Escapes text for Telegram's HTML parse mode: `&`, `<` and `>` become entities. Telegram needs nothing else
 * escaped outside attributes. Lone UTF-16 surrogates, which Telegram cannot decode, become U+FFFD.
 */
export function escapeHtml(text: string): string {
  return text
    .replace(/[&<>]/g, (ch) => (ch === "&" ? "&amp;" : ch === "<" ? "&lt;" : "&gt;"))
    .replace(LONE_SURROGATE, "\uFFFD");
}

/** The visible text of a piece of our own HTML (tags dropped, the three entities we emit decoded). */
function plainOf(html: string): string {
  return html
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");
}

/** The host a web link goes to, as a reader recognises it (punycode shown as is: no look-alike letters). */
function hostOf(href: string): string {
  try {
    return new URL(href).host;
  } catch {
    return markdown.normalizeLinkText(href);
  }
}

/** Whether a label names the same address as the href (scheme, `www.` and a trailing slash aside). */
function sameAddress(label: string, href: string): boolean {
  const norm = (v: string) =>
    v
      .trim()
      .toLowerCase()
      .replace(/^[a-z][a-z0-9+.-]*:\/\//, "")
      .replace(/^www\./, "")
      .replace(/\/+$/, "");
  let decoded = href;
  try {
    decoded = decodeURI(href);
  } catch {
    // A malformed escape: compare as written.
  }
  return norm(label) === norm(decoded) || norm(label) === norm(href);
}

function escapeAttribute(value: string): string {
  return escapeHtml(value).replace(/"/g, "&quot;");
}

/**
 * Converts a model's Markdown answer to the HTML subset Telegram accepts: bold, italic, strikethrough, inline
 * code, code blocks with their language, http/https/tg/mailto links, blockquotes; headings become bold lines,
 * lists become "•" / "1." text bullets indented by depth, rules a line of "─", tables aligned preformatted text
 * (or " | "-separated lines when too wide for a phone). Everything else, raw HTML included, comes out as
 * escaped text, and unbalanced Markdown stays literal. The result always passes {@link validateTelegramHtml};
 * it is "" when the Markdown renders nothing visible (blank input, only link reference definitions).
 */
export function markdownToTelegramHtml(md: string): string {
  return renderMarkdown(md, {});
}

/**
 * @internal Renders with a markdown-it `env`, so a part of a split answer still resolves the link reference
 * definitions written in another part.
 */
export function renderMarkdown(md: string, env: MarkdownEnv): string {
  const tokens = markdown.parse(md.replace(LONE_SURROGATE, "\uFFFD"), env);
  return renderBlocks(tokens, 0, tokens.length, { indent: "", quoted: false, listDepth: 0 }).join("\n\n");
}

/** @internal markdown-it's environment: the link reference definitions found while parsing. */
export interface MarkdownEnv {
  references?: Record<string, unknown>;
}

/** @internal Block tokens (with line maps) of the same parser the renderer uses, for the splitter. */
export function parseMarkdown(md: string, env: MarkdownEnv): Token[] {
  return markdown.parse(md, env);
}

interface RenderContext {
  /** Prefix of every continuation line, so text inside list items lines up under the item's text. */
  indent: string;
  /** Telegram rejects a blockquote inside a blockquote; inner quotes are flattened into the outer one. */
  quoted: boolean;
  listDepth: number;
}

const RULE = "──────────";
const BULLETS = ["•", "◦", "▪"] as const;
/** Wider tables wrap into an unreadable grid on a phone; they are rendered as " | "-separated lines. */
const MAX_PREFORMATTED_TABLE_WIDTH = 60;
const MAX_LANGUAGE_LENGTH = 32;

function closingIndex(tokens: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    depth += tokens[i]!.nesting;
    if (depth === 0) return i;
  }
  return tokens.length - 1;
}

function renderBlocks(tokens: Token[], from: number, to: number, ctx: RenderContext): string[] {
  const blocks: string[] = [];
  let i = from;
  while (i < to) {
    const token = tokens[i]!;
    const close = token.nesting === 1 ? closingIndex(tokens, i) : i;
    const block = renderBlock(tokens, i, close, ctx);
    if (block !== "") blocks.push(block);
    i = close + 1;
  }
  return blocks;
}

function renderBlock(tokens: Token[], open: number, close: number, ctx: RenderContext): string {
  const token = tokens[open]!;
  switch (token.type) {
    case "paragraph_open":
      return renderInline(tokens[open + 1]?.children ?? [], ctx);
    case "heading_open": {
      const heading = renderInline(tokens[open + 1]?.children ?? [], ctx);
      return heading === "" ? "" : `<b>${heading}</b>`;
    }
    case "blockquote_open": {
      const inner = renderBlocks(tokens, open + 1, close, { ...ctx, quoted: true }).join(`\n\n${ctx.indent}`);
      return inner === "" || ctx.quoted ? inner : `<blockquote>${inner}</blockquote>`;
    }
    case "bullet_list_open":
    case "ordered_list_open":
      return renderList(tokens, open, close, ctx);
    case "fence":
    case "code_block":
      return renderCode(token.content, token.type === "fence" ? token.info : "");
    case "hr":
      return RULE;
    case "table_open":
      return renderTable(tokens, open, close, ctx);
    case "inline":
      return renderInline(token.children ?? [], ctx);
    default:
      // Anything a future markdown-it rule adds degrades to its text, never to unvetted markup.
      if (token.nesting === 1) return renderBlocks(tokens, open + 1, close, ctx).join(`\n\n${ctx.indent}`);
      return escapeHtml(token.content.replace(/\n+$/, ""));
  }
}

function renderList(tokens: Token[], open: number, close: number, ctx: RenderContext): string {
  const list = tokens[open]!;
  const ordered = list.type === "ordered_list_open";
  let number = Number(list.attrGet("start") ?? 1);
  // markdown-it hides the paragraphs of a tight list; a loose list keeps blank lines between its items.
  let tight = true;
  for (let i = open + 1; i < close; i++) {
    const t = tokens[i]!;
    if (t.type === "paragraph_open" && t.level === list.level + 2 && !t.hidden) tight = false;
  }
  const gap = tight ? "\n" : "\n\n";
  const items: string[] = [];
  let i = open + 1;
  while (i < close) {
    const itemClose = closingIndex(tokens, i);
    const marker = ordered ? `${number++}.` : BULLETS[ctx.listDepth % BULLETS.length]!;
    const indent = ctx.indent + " ".repeat(marker.length + 1);
    const inner = renderBlocks(tokens, i + 1, itemClose, {
      indent,
      quoted: ctx.quoted,
      listDepth: ctx.listDepth + 1,
    }).join(gap + indent);
    items.push(inner === "" ? marker : `${marker} ${inner}`);
    i = itemClose + 1;
  }
  return items.join(gap + ctx.indent);
}

function languageOf(info: string): string {
  const word = markdown.utils.unescapeAll(info).trim().split(/\s+/)[0] ?? "";
  return word.length <= MAX_LANGUAGE_LENGTH && /^[\w+#.-]+$/.test(word) ? word : "";
}

function renderCode(content: string, info: string): string {
  const code = content.endsWith("\n") ? content.slice(0, -1) : content;
  // An empty <pre> shows nothing and, alone in a message, would make Telegram reject the text as empty.
  if (code.trim() === "") return "";
  const language = languageOf(info);
  return language === ""
    ? `<pre>${escapeHtml(code)}</pre>`
    : `<pre><code class="language-${language}">${escapeHtml(code)}</code></pre>`;
}

interface TableCell {
  tokens: Token[];
  align: "left" | "right" | "center";
}

function renderTable(tokens: Token[], open: number, close: number, ctx: RenderContext): string {
  const rows: TableCell[][] = [];
  for (let i = open + 1; i < close; i++) {
    const t = tokens[i]!;
    if (t.type === "tr_open") rows.push([]);
    else if (t.type === "inline") {
      const cellOpen = tokens[i - 1]!;
      const style = cellOpen.attrGet("style") ?? "";
      const align = style.includes("right") ? "right" : style.includes("center") ? "center" : "left";
      rows[rows.length - 1]?.push({ tokens: t.children ?? [], align });
    }
  }
  const plain = rows.map((row) => row.map((cell) => plainInline(cell.tokens)));
  const columns = Math.max(0, ...rows.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_, c) =>
    Math.max(1, ...plain.map((row) => codePointLength(row[c] ?? ""))),
  );
  const width = widths.reduce((sum, w) => sum + w, 0) + 3 * Math.max(0, columns - 1);

  if (width > MAX_PREFORMATTED_TABLE_WIDTH) {
    // Too wide to align: keep the inline formatting and show the header row in bold.
    const lines = rows.map((row, r) => {
      const line = row.map((cell) => renderInline(cell.tokens, ctx)).join(" | ");
      return r === 0 && line !== "" ? `<b>${line}</b>` : line;
    });
    return lines.join(`\n${ctx.indent}`);
  }

  const lines = plain.map((row, r) =>
    widths
      .map((w, c) => pad(row[c] ?? "", w, rows[r]?.[c]?.align ?? "left"))
      .join(" | ")
      .trimEnd(),
  );
  lines.splice(1, 0, widths.map((w) => "-".repeat(w)).join("-+-"));
  return `<pre>${escapeHtml(lines.join("\n"))}</pre>`;
}

function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function pad(text: string, width: number, align: TableCell["align"]): string {
  const room = width - codePointLength(text);
  if (align === "right") return " ".repeat(room) + text;
  if (align === "center") {
    const left = Math.floor(room / 2);
    return " ".repeat(left) + text + " ".repeat(room - left);
  }
  return text + " ".repeat(room);
}

/** The visible text of inline tokens, for places that cannot hold tags (inside <pre>). */
function plainInline(children: Token[]): string {
  let out = "";
  for (const t of children) {
    if (t.type === "softbreak" || t.type === "hardbreak") out += " ";
    else if (t.type === "image") out += plainInline(t.children ?? []) || t.content;
    else if (t.nesting === 0) out += t.content;
  }
  return out;
}

// Only web links: a model's answer can be steered by what it read (prompt injection), and tg:// links act inside
// Telegram (open a login, add a proxy, mention a user), as t.me links do, while mailto: and others open other apps.
const ALLOWED_HREF = /^https?:\/\/(?!(?:www\.)?(?:t\.me|telegram\.me|telegram\.dog)(?:[/:?#]|$))[^\s/?#]+/i;

interface OpenLink {
  /** False when the href was refused and the link is rendered as its text. */
  rendered: boolean;
  href: string;
  labelStart: number;
}

function renderInline(children: Token[], ctx: RenderContext): string {
  let out = "";
  const links: OpenLink[] = [];
  const insideLink = () => links.some((link) => link.rendered);
  for (const t of children) {
    switch (t.type) {
      case "text":
        out += escapeHtml(t.content);
        break;
      case "softbreak":
      case "hardbreak":
        // Chat text is read line by line: a single newline from the model is meant as a line break.
        out += `\n${ctx.indent}`;
        break;
      case "code_inline":
        // Telegram forbids code inside a link; the link matters more than the monospace.
        if (t.content !== "")
          out += insideLink() ? escapeHtml(t.content) : `<code>${escapeHtml(t.content)}</code>`;
        break;
      case "strong_open":
        out += "<b>";
        break;
      case "strong_close":
        out += "</b>";
        break;
      case "em_open":
        out += "<i>";
        break;
      case "em_close":
        out += "</i>";
        break;
      case "s_open":
        out += "<s>";
        break;
      case "s_close":
        out += "</s>";
        break;
      case "link_open": {
        const href = t.attrGet("href") ?? "";
        const rendered = ALLOWED_HREF.test(href) && !insideLink();
        if (rendered) out += `<a href="${escapeAttribute(href)}">`;
        links.push({ rendered, href, labelStart: out.length });
        break;
      }
      case "link_close": {
        const link = links.pop();
        if (link?.rendered) {
          out += "</a>";
          // "[https://bank.example](https://evil.example)", "[🔒 bank.example](…)": no label passes for the target.
          // Unless the label is the address itself, where the link goes is shown beside it.
          const label = plainOf(out.slice(link.labelStart));
          if (!sameAddress(label, link.href)) out += ` (${escapeHtml(hostOf(link.href))})`;
        } else if (link && link.href !== "") {
          // A refused link keeps its target visible as text, unless the label already shows it.
          const shown = escapeHtml(markdown.normalizeLinkText(link.href));
          if (out.slice(link.labelStart) !== shown) out += ` (${shown})`;
        }
        break;
      }
      case "image": {
        const src = t.attrGet("src") ?? "";
        const alt = escapeHtml(plainInline(t.children ?? []) || t.content || "image");
        if (ALLOWED_HREF.test(src) && !insideLink()) {
          out += `<a href="${escapeAttribute(src)}">${alt}</a>`;
          if (!sameAddress(plainOf(alt), src)) out += ` (${escapeHtml(hostOf(src))})`;
        } else out += alt;
        break;
      }
      default:
        // html_inline and any unknown token: their source text, escaped.
        out += escapeHtml(t.content);
    }
  }
  return out;
}

/** Tags Telegram's HTML parse mode accepts (Bot API "Formatting options"). */
export const TELEGRAM_HTML_TAGS: ReadonlySet<string> = new Set([
  "b",
  "strong",
  "i",
  "em",
  "u",
  "ins",
  "s",
  "strike",
  "del",
  "code",
  "pre",
  "a",
  "blockquote",
  "tg-spoiler",
  "span",
]);

/** Result of {@link validateTelegramHtml}: the visible text when valid, else the first problem. */
export type TelegramHtmlCheck = { ok: true; text: string } | { ok: false; error: string; offset: number };

const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:\s*=\s*(?:"[^"<>]*"|'[^'<>]*'))?)*)\s*>/y;
const ATTRIBUTE = /\s+([a-zA-Z-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'))?/y;
const ENTITY = /&(?:(lt|gt|amp|quot)|#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6}));/y;
const NAMED_ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };

/**
 * Checks HTML against the rules of Telegram's HTML parse mode, strictly enough that what passes is accepted:
 * only Telegram's tags with their attributes (`a href`, `pre > code class="language-…"`,
 * `span class="tg-spoiler"`, `blockquote expandable`), every tag closed in order, nothing inside `code`/`pre`
 * (but the language `code`), no link in a link or code in a link, no nested or inline-wrapped blockquote or
 * `pre`, only `&lt; &gt; &amp; &quot;` and numeric entities, and `<`, `>`, `&` never bare. Bare `>` and `&`
 * are refused although Telegram tolerates some of them. On success returns the text Telegram would show (what
 * its 4096 limit counts).
 */
export function validateTelegramHtml(html: string): TelegramHtmlCheck {
  const stack: string[] = [];
  let text = "";
  let i = 0;
  const fail = (error: string, offset = i): TelegramHtmlCheck => ({ ok: false, error, offset });
  while (i < html.length) {
    const ch = html.charCodeAt(i);
    if (ch === 0x3c /* < */) {
      TAG.lastIndex = i;
      const match = TAG.exec(html);
      if (!match) return fail("'<' that does not start a supported tag: escape it as &lt;");
      const [whole, slash = "", rawName = "", rawAttributes = ""] = match;
      const name = rawName.toLowerCase();
      if (slash === "/") {
        if (rawAttributes.trim() !== "") return fail(`closing tag </${name}> with attributes`);
        if (stack[stack.length - 1] !== name) return fail(`</${name}> does not close the innermost open tag`);
        stack.pop();
      } else {
        const problem = checkOpeningTag(name, rawAttributes, stack);
        if (problem !== null) return fail(problem);
        stack.push(name);
      }
      i += whole.length;
    } else if (ch === 0x26 /* & */) {
      const decoded = decodeEntity(html, i);
      if (decoded === null) return fail("'&' that does not start a supported entity: escape it as &amp;");
      text += decoded.text;
      i += decoded.length;
    } else if (ch === 0x3e /* > */) {
      return fail("bare '>': escape it as &gt;");
    } else if (ch >= 0xd800 && ch <= 0xdfff) {
      const low = html.charCodeAt(i + 1);
      if (ch > 0xdbff || !(low >= 0xdc00 && low <= 0xdfff)) return fail("lone UTF-16 surrogate");
      text += html.slice(i, i + 2);
      i += 2;
    } else {
      text += html[i];
      i++;
    }
  }
  if (stack.length > 0) return fail(`<${stack[stack.length - 1]}> is never closed`);
  return { ok: true, text };
}

/** True when `html` passes {@link validateTelegramHtml}. */
export function htmlIsBalanced(html: string): boolean {
  return validateTelegramHtml(html).ok;
}

function decodeEntity(html: string, at: number): { text: string; length: number } | null {
  ENTITY.lastIndex = at;
  const match = ENTITY.exec(html);
  if (!match) return null;
  const [whole, named, decimal, hex] = match;
  if (named !== undefined) return { text: NAMED_ENTITIES[named]!, length: whole.length };
  const code = decimal !== undefined ? Number.parseInt(decimal, 10) : Number.parseInt(hex ?? "", 16);
  if (code < 1 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return null;
  return { text: String.fromCodePoint(code), length: whole.length };
}

function checkOpeningTag(name: string, rawAttributes: string, stack: readonly string[]): string | null {
  if (!TELEGRAM_HTML_TAGS.has(name)) return `<${name}> is not a tag Telegram supports`;
  const parent = stack[stack.length - 1];
  if (stack.includes("code")) return `<${name}> inside <code>`;
  if (stack.includes("pre") && !(name === "code" && parent === "pre")) return `<${name}> inside <pre>`;
  if ((name === "pre" || name === "blockquote") && stack.some((t) => t !== "blockquote")) {
    return `<${name}> inside <${parent}>`;
  }
  if (name === "blockquote" && stack.length > 0) return "<blockquote> inside <blockquote>";
  if ((name === "a" || name === "code") && stack.includes("a")) return `<${name}> inside <a>`;

  const attributes = new Map<string, string | null>();
  ATTRIBUTE.lastIndex = 0;
  for (let at = 0; at < rawAttributes.trimEnd().length; ) {
    ATTRIBUTE.lastIndex = at;
    const match = ATTRIBUTE.exec(rawAttributes);
    if (!match) return `malformed attributes on <${name}>`;
    const [whole, attribute = "", double, single] = match;
    const raw = double ?? single;
    let value: string | null = null;
    if (raw !== undefined) {
      value = "";
      for (let j = 0; j < raw.length; ) {
        if (raw[j] === "&") {
          const decoded = decodeEntity(raw, j);
          if (decoded === null) return `'&' in an attribute of <${name}> that is not an entity`;
          value += decoded.text;
          j += decoded.length;
        } else {
          value += raw[j];
          j++;
        }
      }
    }
    if (attributes.has(attribute.toLowerCase())) return `attribute ${attribute} repeated on <${name}>`;
    attributes.set(attribute.toLowerCase(), value);
    at += whole.length;
  }

  const allowed: Record<string, string[]> = {
    a: ["href"],
    code: ["class"],
    span: ["class"],
    blockquote: ["expandable"],
  };
  for (const [attribute, value] of attributes) {
    if (!(allowed[name] ?? []).includes(attribute))
      return `attribute ${attribute} is not allowed on <${name}>`;
    if (attribute === "expandable" && value !== null) return "expandable takes no value";
  }
  if (name === "a" && !attributes.get("href")) return "<a> needs a non-empty href";
  if (name === "span" && attributes.get("class") !== "tg-spoiler") return '<span> needs class="tg-spoiler"';
  if (name === "code" && attributes.has("class")) {
    if (parent !== "pre") return "a language class is only allowed on <code> directly inside <pre>";
    if (!/^language-\S+$/.test(attributes.get("class") ?? "")) return 'class on <code> must be "language-…"';
  }
  return null;
}
