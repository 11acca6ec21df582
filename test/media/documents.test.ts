// What a user who sends a file gets: its text, or an error whose `code` the bot turns into a sentence. Every file
// is made here (see make-files.ts), so each test shows the bytes it feeds in.
import { deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  DocumentError,
  type DocumentErrorCode,
  DocumentNotTextError,
  DocumentUnsupportedError,
  type ExtractedDocument,
  type ExtractOptions,
  extractText,
  isDocumentError,
} from "../../src/media/index.js";
import { buildDocx, buildOleStub, buildPdf, buildZip } from "./make-files.js";

const enc = new TextEncoder();
const utf8 = (text: string): Uint8Array => enc.encode(text);
const utf16le = (text: string): Uint8Array => new Uint8Array(Buffer.from(`\ufeff${text}`, "utf16le"));
const utf16be = (text: string): Uint8Array => {
  const bytes = Buffer.from(`\ufeff${text}`, "utf16le");
  return new Uint8Array(bytes.swap16());
};

async function read(
  bytes: Uint8Array,
  meta: { fileName?: string; mimeType?: string },
  options: Partial<ExtractOptions> = {},
): Promise<ExtractedDocument> {
  return extractText(bytes, meta, { maxChars: 10_000, ...options });
}

/** The DocumentError the call rejects with (failing the test if it resolves or throws anything else). */
async function failure(promise: Promise<unknown>): Promise<DocumentError> {
  const err = await promise.then(
    (value) => {
      throw new Error(`expected a DocumentError, got ${JSON.stringify(value)}`);
    },
    (e: unknown) => e,
  );
  if (!isDocumentError(err)) throw err;
  expect(err).toBeInstanceOf(DocumentError);
  return err;
}

async function code(promise: Promise<unknown>): Promise<DocumentErrorCode> {
  return (await failure(promise)).code;
}

const SAMPLE = "Привет, мир! Ünïcødé ✓ 😀\nLine two.";

describe("text files", () => {
  it("reads UTF-8 without a BOM", async () => {
    const doc = await read(utf8(SAMPLE), { fileName: "notes.txt" });
    expect(doc).toEqual({
      kind: "text",
      text: SAMPLE,
      chars: SAMPLE.length,
      charsExact: true,
      truncated: false,
    });
  });

  it("reads UTF-8 with a BOM, and drops the BOM", async () => {
    const doc = await read(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(SAMPLE)]), { fileName: "notes.md" });
    expect(doc.text).toBe(SAMPLE);
  });

  it("reads UTF-16 LE and BE with a BOM", async () => {
    expect((await read(utf16le(SAMPLE), { fileName: "notes.txt" })).text).toBe(SAMPLE);
    expect((await read(utf16be(SAMPLE), { fileName: "notes.txt" })).text).toBe(SAMPLE);
  });

  it("reads a UTF-16 file whose name says nothing (the BOM decides)", async () => {
    expect((await read(utf16le(SAMPLE), {})).text).toBe(SAMPLE);
  });

  it("normalises line breaks, and strips terminal colour codes and stray controls from logs", async () => {
    const log =
      "\r\n\r\n\u001b[31mERROR\u001b[0m disk full\r\n\u001b]0;title\u0007next\u0008 line\r\nold mac\rend   \r\n";
    const doc = await read(utf8(log), { fileName: "app.log" });
    expect(doc.text).toBe("ERROR disk full\nnext line\nold mac\nend");
  });

  it("keeps indentation in code and data", async () => {
    const python = "\n\ndef f(x):\n    if x:\n\treturn 1\n";
    expect((await read(utf8(python), { fileName: "tool.py" })).text).toBe("def f(x):\n    if x:\n\treturn 1");
    const yaml = "  indented: first line\nkey: value\n";
    expect((await read(utf8(yaml), { fileName: "config.yaml" })).text).toBe(
      "  indented: first line\nkey: value",
    );
  });

  it.each([
    ["main.ts"],
    ["lib.rs"],
    ["Main.java"],
    ["query.sql"],
    ["data.csv"],
    ["data.tsv"],
    ["config.toml"],
    ["settings.ini"],
    ["feed.xml"],
    ["Dockerfile"],
    ["script.sh"],
  ])("reads %s by its extension", async (fileName) => {
    const doc = await read(utf8("a,b\tc <d/> = 1"), { fileName });
    expect(doc).toMatchObject({ kind: "text", text: "a,b\tc <d/> = 1" });
  });

  it.each([["application/json"], ["text/x-python"], ["application/x-yaml"], ["application/vnd.api+json"]])(
    "reads a file without a name by its MIME type %s",
    async (mimeType) => {
      expect((await read(utf8('{"a": 1}'), { mimeType })).text).toBe('{"a": 1}');
    },
  );

  it("reads a file with an unknown extension or none when its content is text", async () => {
    expect((await read(utf8("hello"), { fileName: "README" })).text).toBe("hello");
    expect((await read(utf8("hello"), { fileName: "movie.weird-subtitles" })).text).toBe("hello");
    expect((await read(utf8("hello"), {})).text).toBe("hello");
  });

  it("refuses a binary file named .txt: DOCUMENT_NOT_TEXT (binary), not mojibake", async () => {
    const binary = new Uint8Array(256).map((_, i) => (i * 37) & 0xff);
    const err = await failure(read(binary, { fileName: "notes.txt" }));
    expect(err).toBeInstanceOf(DocumentNotTextError);
    expect(err).toMatchObject({ code: "DOCUMENT_NOT_TEXT", reason: "binary" });
  });

  it("refuses text with NUL bytes in the middle, even past the part that is kept", async () => {
    const bytes = new Uint8Array([...utf8("a".repeat(600_000)), 0, ...utf8("tail")]);
    expect(await failure(read(bytes, { fileName: "dump.txt" }, { maxChars: 100 }))).toMatchObject({
      code: "DOCUMENT_NOT_TEXT",
      reason: "binary",
    });
  });

  it("refuses valid UTF-8 full of control characters as binary", async () => {
    const bytes = utf8("ab\u0001\u0002\u0003\u0004cd\u0005\u0006\u0007\u0008".repeat(50));
    expect(await failure(read(bytes, { fileName: "x.txt" }))).toMatchObject({ reason: "binary" });
  });

  it("refuses Windows-1251 text without a BOM: DOCUMENT_NOT_TEXT (encoding), rather than guess", async () => {
    const cp1251 = new Uint8Array([0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2, 0x2c, 0x20, 0xec, 0xe8, 0xf0]); // "Привет, мир"
    expect(await failure(read(cp1251, { fileName: "letter.txt" }))).toMatchObject({
      code: "DOCUMENT_NOT_TEXT",
      reason: "encoding",
    });
  });

  it("refuses a UTF-16 file with an unpaired surrogate, and UTF-32", async () => {
    const broken = new Uint8Array([0xff, 0xfe, 0x41, 0x00, 0x00, 0xd8, 0x42, 0x00]);
    expect(await failure(read(broken, { fileName: "a.txt" }))).toMatchObject({ reason: "encoding" });
    const utf32 = new Uint8Array([0xff, 0xfe, 0x00, 0x00, 0x41, 0x00, 0x00, 0x00]);
    expect(await failure(read(utf32, { fileName: "a.txt" }))).toMatchObject({ reason: "encoding" });
  });

  it("calls unnamed binary content an unsupported kind (binary), not mislabelled text", async () => {
    const err = await failure(read(new Uint8Array([1, 0, 2, 0, 3, 0, 0, 0, 9]), {}));
    expect(err).toBeInstanceOf(DocumentUnsupportedError);
    expect(err).toMatchObject({ code: "DOCUMENT_UNSUPPORTED", detected: "binary", family: "other" });
  });

  it("accepts a file cut inside its last character (one character lost, not refused)", async () => {
    const bytes = utf8("abcь").subarray(0, 4);
    expect((await read(bytes, { fileName: "a.txt" })).text).toBe("abc");
  });

  it("decodes a multi-byte character cut between two decoding slices, wherever the cut falls", async () => {
    // 256 KiB slices: put a 2-, 3- and 4-byte character across the boundary at every offset.
    for (const ch of ["ь", "✓", "😀"]) {
      const size = utf8(ch).length;
      for (let shift = 1; shift < size; shift++) {
        const text = `${"a".repeat(256 * 1024 - shift)}${ch}end`;
        const doc = await read(utf8(text), { fileName: "a.txt" }, { maxChars: 300_000 });
        expect(doc.text.endsWith(`a${ch}end`)).toBe(true);
        expect(doc.chars).toBe(text.length);
      }
    }
  });

  it("a file of blanks has no text: DOCUMENT_NO_TEXT", async () => {
    expect(await code(read(utf8(" \n\t\r\n  "), { fileName: "blank.txt" }))).toBe("DOCUMENT_NO_TEXT");
  });
});

describe("maxChars", () => {
  it("cuts the text, says so, and counts the whole document", async () => {
    const text = "0123456789".repeat(100);
    const doc = await read(utf8(text), { fileName: "a.txt" }, { maxChars: 25 });
    expect(doc).toEqual({
      kind: "text",
      text: "0123456789012345678901234",
      chars: 1000,
      charsExact: true,
      truncated: true,
    });
  });

  it("never splits a surrogate pair (an emoji at the cut is left out whole)", async () => {
    const doc = await read(utf8("abcd😀efg"), { fileName: "a.txt" }, { maxChars: 5 });
    expect(doc.text).toBe("abcd");
    expect(doc.truncated).toBe(true);
  });

  it("a text exactly maxChars long is not truncated", async () => {
    const doc = await read(utf8("abcde\n\n"), { fileName: "a.txt" }, { maxChars: 5 });
    expect(doc).toMatchObject({ text: "abcde", chars: 5, truncated: false });
  });

  it("reads a large file (8 MB of log lines) to its end: keeps maxChars of it, counts all of it", async () => {
    const line = "2024-01-01 12:00:00 INFO request served in 12 ms\r\n";
    const bytes = utf8(line.repeat(Math.ceil((8 * 1024 * 1024) / line.length)));
    const doc = await read(bytes, { fileName: "big.log" }, { maxChars: 1000 });
    expect(doc.text.length).toBeLessThanOrEqual(1000);
    expect(doc.text.startsWith("2024-01-01 12:00:00 INFO")).toBe(true);
    expect(doc.truncated).toBe(true);
    // CR LF became LF, and the last line break was trimmed.
    expect(doc.chars).toBe((bytes.length / line.length) * (line.length - 1) - 1);
  });
});

describe("HTML", () => {
  const page = `<!DOCTYPE html>
<html><head><title>Release notes</title>
<style>body { color: red }</style>
<script>document.write("<p>not text</p>"); if (a < b) alert(1);</script>
</head>
<body>
  <!-- a comment -->
  <h1>Version&nbsp;2.0</h1>
  <p>Fixes &amp; <b>new</b>
     features: caf&eacute;, &#x1F600;, &lt;tags&gt;.</p>
  <ul><li>One</li><li>Two <a href="https://example.com">link</a></li></ul>
  <table><tr><th>Name</th><th>Value</th></tr><tr><td>a</td><td>1</td></tr></table>
  <pre>  keep
    spacing</pre>
  <p>Line<br>break</p>
  <noscript>Enable JavaScript</noscript>
  <svg><text>drawing</text></svg>
</body></html>`;
  const expected = [
    "Release notes",
    "",
    "# Version 2.0",
    "",
    "Fixes & new features: café, 😀, <tags>.",
    "",
    "- One",
    "- Two link",
    "",
    "Name\tValue",
    "a\t1",
    "",
    "  keep",
    "    spacing",
    "",
    "Line",
    "break",
  ].join("\n");

  it("renders the readable text: no scripts, styles or comments; entities decoded; blocks kept apart", async () => {
    expect((await read(utf8(page), { fileName: "notes.html" })).text).toBe(expected);
  });

  it("recognises HTML by its content when the file has no name", async () => {
    expect((await read(utf8(page), {})).text).toBe(expected);
    expect((await read(utf8(page), { mimeType: "text/html" })).text).toBe(expected);
  });

  it("counts all of the page's text and keeps maxChars of it", async () => {
    const doc = await read(utf8(page), { fileName: "notes.htm" }, { maxChars: 13 });
    expect(doc).toMatchObject({ text: "Release notes", truncated: true, chars: expected.length });
  });

  it("a page of markup only has no text: DOCUMENT_NO_TEXT", async () => {
    const empty = "<html><head><script>x()</script></head><body><div> </div></body></html>";
    expect(await code(read(utf8(empty), { fileName: "empty.html" }))).toBe("DOCUMENT_NO_TEXT");
  });
});

describe("PDF", () => {
  const twoPages = buildPdf([
    { lines: ["Hello, PDF world.", "Second line (with parens)."] },
    { lines: ["Page two."], compress: true },
  ]);

  it("reads the text layer, page by page, with the page count", async () => {
    const doc = await read(twoPages, { fileName: "report.pdf", mimeType: "application/pdf" });
    const text = "Hello, PDF world.\nSecond line (with parens).\n\nPage two.";
    expect(doc).toEqual({
      kind: "pdf",
      text,
      chars: text.length,
      charsExact: true,
      truncated: false,
      pages: 2,
    });
  });

  it("reads a PDF by its content whatever its name says", async () => {
    expect((await read(twoPages, { fileName: "report.txt" })).kind).toBe("pdf");
    expect((await read(twoPages, {})).kind).toBe("pdf");
  });

  it("stops reading pages once maxChars are in, and estimates the whole length from the pages read", async () => {
    const pages = Array.from({ length: 50 }, (_, i) => ({ lines: [`Page ${i + 1} says hello.`] }));
    const doc = await read(buildPdf(pages), { fileName: "long.pdf" }, { maxChars: 40 });
    expect(doc.text).toBe("Page 1 says hello.\n\nPage 2 says hello.");
    expect(doc).toMatchObject({ truncated: true, pages: 50, charsExact: false });
    // 50 pages of ~20 characters each, separated by blank lines.
    expect(doc.chars).toBeGreaterThan(900);
    expect(doc.chars).toBeLessThan(1300);
  });

  it("a scanned PDF (a page with no text layer): DOCUMENT_NO_TEXT with the page count", async () => {
    const err = await failure(read(buildPdf([{}, {}]), { fileName: "scan.pdf" }));
    expect(err).toMatchObject({ code: "DOCUMENT_NO_TEXT", kind: "pdf", pages: 2 });
  });

  it("a PDF with a user password: DOCUMENT_ENCRYPTED", async () => {
    const locked = buildPdf([{ lines: ["Secret text."] }], {
      userPassword: "secret",
      ownerPassword: "owner",
    });
    expect(await failure(read(locked, { fileName: "locked.pdf" }))).toMatchObject({
      code: "DOCUMENT_ENCRYPTED",
      kind: "pdf",
    });
  });

  it("a PDF with only an owner password (opens without one) is read", async () => {
    const restricted = buildPdf([{ lines: ["Readable text."] }], {
      userPassword: "",
      ownerPassword: "owner",
    });
    expect((await read(restricted, { fileName: "restricted.pdf" })).text).toBe("Readable text.");
  });

  it.each([
    ["a header and garbage", utf8("%PDF-1.7\nthis is not a PDF at all\n")],
    ["a PDF cut short", twoPages.subarray(0, 300)],
    ["a text file named .pdf", utf8("hello, I am not a PDF")],
  ])("%s: DOCUMENT_INVALID", async (_, bytes) => {
    expect(await failure(read(bytes, { fileName: "broken.pdf" }))).toMatchObject({
      code: "DOCUMENT_INVALID",
      kind: "pdf",
    });
  });
});

describe("hostile PDFs are bounded", () => {
  // 20 pages of one million path operators each: ~100 KB that take pdf.js seconds to walk, with no text to stop at.
  const slow = (() => {
    const deflated = deflateSync(Buffer.from("0 0 m\n".repeat(1_000_000)));
    return buildPdf(Array.from({ length: 20 }, () => ({ content: deflated, precompressed: true })));
  })();

  it("by timeoutMs: DOCUMENT_TIMEOUT soon after the bound, and the bot's thread stays free meanwhile", async () => {
    let ticks = 0;
    const ticker = setInterval(() => {
      ticks += 1;
    }, 20);
    const started = performance.now();
    try {
      expect(await failure(read(slow, { fileName: "slow.pdf" }, { timeoutMs: 400 }))).toMatchObject({
        code: "DOCUMENT_TIMEOUT",
        timeoutMs: 400,
      });
    } finally {
      clearInterval(ticker);
    }
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(390);
    expect(elapsed).toBeLessThan(3000);
    expect(ticks).toBeGreaterThan(5);
  });

  it("by the caller's signal: DOCUMENT_ABORTED at once", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("user cancelled")), 300);
    const started = performance.now();
    expect(await code(read(slow, { fileName: "slow.pdf" }, { signal: controller.signal }))).toBe(
      "DOCUMENT_ABORTED",
    );
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it("by memoryLimitMb: a 7 KB page that inflates to 512 MB is stopped with DOCUMENT_TOO_COMPLEX", async () => {
    const bomb = buildPdf([{ content: " ".repeat(4 * 1024 * 1024), compress: true, repeat: 128 }]);
    expect(bomb.length).toBeLessThan(10_000);
    expect(await failure(read(bomb, { fileName: "bomb.pdf" }, { memoryLimitMb: 64 }))).toMatchObject({
      code: "DOCUMENT_TOO_COMPLEX",
      memoryLimitMb: 64,
    });
  });
});

describe("DOCX", () => {
  it("reads the paragraphs of a Word document", async () => {
    const docx = await buildDocx(["Привет, мир!", "Second paragraph & more.", "", "After an empty one."]);
    const doc = await read(docx, { fileName: "letter.docx" });
    const text = "Привет, мир!\n\nSecond paragraph & more.\n\nAfter an empty one.";
    expect(doc).toEqual({ kind: "docx", text, chars: text.length, charsExact: true, truncated: false });
  });

  it("reads a DOCX by its content whatever its name says, and cuts it at maxChars", async () => {
    const docx = await buildDocx(["First paragraph.", "Second paragraph."]);
    const doc = await read(docx, { fileName: "download" }, { maxChars: 16 });
    expect(doc).toMatchObject({ kind: "docx", text: "First paragraph.", truncated: true, chars: 35 });
  });

  it("an empty document: DOCUMENT_NO_TEXT", async () => {
    expect(await code(read(await buildDocx([]), { fileName: "empty.docx" }))).toBe("DOCUMENT_NO_TEXT");
  });

  it.each([
    ["bytes that are no zip", async () => utf8("PK? not really a zip file")],
    ["a zip without word/document.xml", async () => buildZip({ "hello.txt": "hi" })],
    ["a DOCX cut short", async () => (await buildDocx(["Some text here."])).subarray(0, 200)],
  ])("%s: DOCUMENT_INVALID", async (_, make) => {
    expect(await failure(read(await make(), { fileName: "broken.docx" }))).toMatchObject({
      code: "DOCUMENT_INVALID",
      kind: "docx",
    });
  });

  it("a password-protected DOCX (an OLE file holding EncryptedPackage): DOCUMENT_ENCRYPTED", async () => {
    const locked = buildOleStub(["Root Entry", "EncryptionInfo", "EncryptedPackage"]);
    expect(await failure(read(locked, { fileName: "locked.docx" }))).toMatchObject({
      code: "DOCUMENT_ENCRYPTED",
      kind: "docx",
    });
  });
});

describe("files we do not read: DOCUMENT_UNSUPPORTED with what they are", () => {
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
  const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46]);
  const exe = (() => {
    const bytes = new Uint8Array(256);
    bytes.set(utf8("MZ"));
    new DataView(bytes.buffer).setUint32(0x3c, 128, true);
    bytes.set(utf8("PE\0\0"), 128);
    return bytes;
  })();

  it.each([
    ["a PNG named .txt (content wins)", async () => png, { fileName: "photo.txt" }, "png", "image"],
    ["a JPEG", async () => jpeg, { fileName: "photo.jpg" }, "jpeg", "image"],
    ["an image known by its MIME type", async () => utf8("??"), { mimeType: "image/webp" }, "webp", "image"],
    ["a HEIC known by its extension", async () => utf8("??"), { fileName: "IMG_1.HEIC" }, "heic", "image"],
    [
      "an XLSX",
      async () => buildZip({ "xl/workbook.xml": "<workbook/>" }),
      { fileName: "t.xlsx" },
      "xlsx",
      "office",
    ],
    [
      "a PPTX",
      async () => buildZip({ "ppt/presentation.xml": "<p/>" }),
      { fileName: "s.pptx" },
      "pptx",
      "office",
    ],
    ["a zip", async () => buildZip({ "a.txt": "a" }), { fileName: "files.zip" }, "zip", "archive"],
    [
      "an old Word .doc",
      async () => buildOleStub(["Root Entry", "WordDocument"]),
      { fileName: "a.doc" },
      "doc",
      "office",
    ],
    ["an .odt by its extension", async () => utf8("??"), { fileName: "a.odt" }, "odt", "office"],
    ["a program", async () => exe, { fileName: "setup.exe" }, "exe", "executable"],
    [
      "a gzip",
      async () => new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0]),
      { fileName: "a.txt.gz" },
      "gz",
      "archive",
    ],
    ["RTF", async () => utf8("{\\rtf1\\ansi Hello}"), { fileName: "a.rtf" }, "rtf", "office"],
    [
      "a video named .ts (not TypeScript)",
      async () => new Uint8Array(188 * 4).map((_, i) => (i % 188 === 0 ? 0x47 : i % 7 === 0 ? 0 : 0x10)),
      { fileName: "clip.ts" },
      "mpeg-ts",
      "video",
    ],
  ])("%s", async (_, make, meta, detected, family) => {
    const err = await failure(read(await make(), meta));
    expect(err).toBeInstanceOf(DocumentUnsupportedError);
    expect(err).toMatchObject({ code: "DOCUMENT_UNSUPPORTED", detected, family });
  });

  it("an ODT by its content (its stored mimetype entry)", async () => {
    const files = { mimetype: "application/vnd.oasis.opendocument.text", "content.xml": "<x/>" };
    const zip = await buildZip(files, ["mimetype"]);
    expect(await failure(read(zip, { fileName: "document" }))).toMatchObject({
      detected: "odt",
      family: "office",
    });
  });
});

describe("arguments and bounds", () => {
  it("an empty file: DOCUMENT_EMPTY", async () => {
    expect(await code(read(new Uint8Array(0), { fileName: "a.txt" }))).toBe("DOCUMENT_EMPTY");
  });

  it.each([[0], [-1], [1.5], [Number.NaN]])("maxChars %s: DOCUMENT_INVALID_ARGUMENT", async (maxChars) => {
    expect(await code(read(utf8("a"), {}, { maxChars }))).toBe("DOCUMENT_INVALID_ARGUMENT");
  });

  it("a timeout that is not positive, or a memory limit below 16 MB: DOCUMENT_INVALID_ARGUMENT", async () => {
    expect(await code(read(utf8("a"), {}, { timeoutMs: 0 }))).toBe("DOCUMENT_INVALID_ARGUMENT");
    expect(await code(read(utf8("a"), {}, { memoryLimitMb: 8 }))).toBe("DOCUMENT_INVALID_ARGUMENT");
  });

  it("a signal aborted before the call: DOCUMENT_ABORTED, nothing read", async () => {
    const signal = AbortSignal.abort();
    expect(await code(read(utf8("a"), { fileName: "a.txt" }, { signal }))).toBe("DOCUMENT_ABORTED");
    expect(await code(read(buildPdf([{ lines: ["x"] }]), { fileName: "a.pdf" }, { signal }))).toBe(
      "DOCUMENT_ABORTED",
    );
  });

  it("leaves the caller's bytes as they were (the worker gets a copy)", async () => {
    const pdf = buildPdf([{ lines: ["Keep me."] }]);
    const before = Buffer.from(pdf).toString("hex");
    await read(pdf, { fileName: "a.pdf" });
    expect(pdf.byteLength).toBeGreaterThan(0);
    expect(Buffer.from(pdf).toString("hex")).toBe(before);
  });

  it("every error names its code, and its message leaves out the file's name", async () => {
    const err = await failure(read(utf8("\u0000\u0001"), { fileName: "secret-plans.txt" }));
    expect(err.name).toBe("DocumentNotTextError");
    expect(err.message).not.toContain("secret-plans");
  });
});
