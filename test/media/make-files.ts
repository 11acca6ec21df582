// Builders for the small files the document tests read: PDFs written object by object (with a correct xref, and
// optionally encrypted with the PDF standard security handler), and DOCX/XLSX zips built with jszip.
import { createHash } from "node:crypto";
import { deflateSync } from "node:zlib";
import JSZip from "jszip";

export interface PdfPage {
  /** Lines of text (Latin-1), drawn in Helvetica one under the other. None: a page with no text layer. */
  lines?: string[];
  /** A raw content stream instead of `lines` (for hostile pages). */
  content?: string | Uint8Array;
  /** Store the content stream deflated (/FlateDecode). */
  compress?: boolean;
  /** `content` is deflated already: store it as it is, marked /FlateDecode (one deflate for many pages). */
  precompressed?: boolean;
  /**
   * List the content stream this many times in the page's /Contents array (the same object each time): a file of a
   * few kilobytes whose page a reader must decode to `repeat` times the stream's size.
   */
  repeat?: number;
}

export interface PdfOptions {
  /** Encrypt with RC4 40-bit (standard security handler, V1 R2), so that opening needs this user password. */
  userPassword?: string;
  ownerPassword?: string;
}

/** The 32-byte padding string of the standard security handler (PDF 32000-1, 7.6.3.3, algorithm 2). */
const PASSWORD_PADDING = Buffer.from(
  "28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a",
  "hex",
);

export function buildPdf(pages: PdfPage[], options: PdfOptions = {}): Uint8Array {
  const fontId = 3;
  const firstPageId = 4;
  const objectCount = firstPageId + pages.length * 2 + (options.userPassword === undefined ? 0 : 1);
  const fileId = createHash("md5").update("test-pdf").digest();
  const encryption = options.userPassword === undefined ? undefined : securityHandler(options, fileId);

  const objects = new Map<number, Buffer>();
  const dictionary = (id: number, body: string): void => {
    objects.set(id, Buffer.from(`${id} 0 obj\n${body}\nendobj\n`, "latin1"));
  };
  const stream = (id: number, data: Uint8Array, extra: string): void => {
    const body = encryption === undefined ? Buffer.from(data) : rc4(encryption.objectKey(id), data);
    objects.set(
      id,
      Buffer.concat([
        Buffer.from(`${id} 0 obj\n<< /Length ${body.length}${extra} >>\nstream\n`, "latin1"),
        body,
        Buffer.from("\nendstream\nendobj\n", "latin1"),
      ]),
    );
  };

  const kids = pages.map((_, i) => `${firstPageId + i * 2} 0 R`).join(" ");
  dictionary(1, "<< /Type /Catalog /Pages 2 0 R >>");
  dictionary(2, `<< /Type /Pages /Kids [${kids}] /Count ${pages.length} >>`);
  dictionary(fontId, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
  pages.forEach((page, i) => {
    const pageId = firstPageId + i * 2;
    const contentId = pageId + 1;
    dictionary(
      pageId,
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 ${fontId} 0 R >> >> ` +
        `/Contents [${Array.from({ length: page.repeat ?? 1 }, () => `${contentId} 0 R`).join(" ")}] >>`,
    );
    let content: Uint8Array;
    if (page.content !== undefined) {
      content = typeof page.content === "string" ? Buffer.from(page.content, "latin1") : page.content;
    } else {
      const lines = page.lines ?? [];
      const shown = lines.map((line, n) => `${n === 0 ? "" : "T* "}(${escapePdfString(line)}) Tj`).join("\n");
      content = Buffer.from(
        lines.length === 0 ? "" : `BT\n/F1 12 Tf\n14 TL\n72 720 Td\n${shown}\nET`,
        "latin1",
      );
    }
    if (page.precompressed) stream(contentId, content, " /Filter /FlateDecode");
    else if (page.compress) stream(contentId, deflateSync(content), " /Filter /FlateDecode");
    else stream(contentId, content, "");
  });
  let trailerExtra = "";
  if (encryption !== undefined) {
    const encryptId = objectCount - 1;
    dictionary(
      encryptId,
      `<< /Filter /Standard /V 1 /R 2 /O <${encryption.o.toString("hex")}> /U <${encryption.u.toString("hex")}> ` +
        `/P ${encryption.p} >>`,
    );
    trailerExtra = ` /Encrypt ${encryptId} 0 R /ID [<${fileId.toString("hex")}> <${fileId.toString("hex")}>]`;
  }

  const parts: Buffer[] = [Buffer.from("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "latin1")];
  let offset = parts[0]!.length;
  const offsets: number[] = [];
  for (let id = 1; id < objectCount; id++) {
    const object = objects.get(id)!;
    offsets[id] = offset;
    parts.push(object);
    offset += object.length;
  }
  const xref = [
    "xref",
    `0 ${objectCount}`,
    "0000000000 65535 f ",
    ...offsets.slice(1).map((at) => `${String(at).padStart(10, "0")} 00000 n `),
    "trailer",
    `<< /Size ${objectCount} /Root 1 0 R${trailerExtra} >>`,
    "startxref",
    String(offset),
    "%%EOF",
    "",
  ].join("\n");
  parts.push(Buffer.from(xref, "latin1"));
  return new Uint8Array(Buffer.concat(parts));
}

function escapePdfString(text: string): string {
  return text.replace(/[\\()]/g, (ch) => `\\${ch}`);
}

/** Algorithms 2, 3 and 4 of PDF 32000-1, 7.6.3 (revision 2, 40-bit keys). */
function securityHandler(options: PdfOptions, fileId: Buffer) {
  const pad = (password: string): Buffer =>
    Buffer.concat([Buffer.from(password, "latin1"), PASSWORD_PADDING]).subarray(0, 32);
  const md5 = (...data: Uint8Array[]): Buffer => {
    const hash = createHash("md5");
    for (const chunk of data) hash.update(chunk);
    return hash.digest();
  };
  const user = pad(options.userPassword ?? "");
  const ownerKey = md5(pad(options.ownerPassword ?? options.userPassword ?? "")).subarray(0, 5);
  const o = rc4(ownerKey, user);
  const p = -44; // print and copy not allowed; the value only has to be signed 32-bit
  const pBytes = Buffer.alloc(4);
  pBytes.writeInt32LE(p);
  const fileKey = md5(user, o, pBytes, fileId).subarray(0, 5);
  const u = rc4(fileKey, PASSWORD_PADDING);
  return {
    o,
    u,
    p,
    /** Algorithm 1: the key for one object's strings and streams. */
    objectKey(id: number): Buffer {
      const suffix = Buffer.from([id & 0xff, (id >> 8) & 0xff, (id >> 16) & 0xff, 0, 0]);
      return md5(fileKey, suffix).subarray(0, 10);
    },
  };
}

function rc4(key: Uint8Array, data: Uint8Array): Buffer {
  const s = Array.from({ length: 256 }, (_, i) => i);
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i]! + key[i % key.length]!) & 0xff;
    [s[i], s[j]] = [s[j]!, s[i]!];
  }
  const out = Buffer.alloc(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 0xff;
    j = (j + s[i]!) & 0xff;
    [s[i], s[j]] = [s[j]!, s[i]!];
    out[n] = data[n]! ^ s[(s[i]! + s[j]!) & 0xff]!;
  }
  return out;
}

const CONTENT_TYPES_DOCX = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
  <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
  <Default Extension="xml" ContentType="application/xml"/>
  <Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>`;

const ROOT_RELS_DOCX = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
  <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>`;

function escapeXml(text: string): string {
  return text.replace(/[<>&]/g, (ch) => (ch === "<" ? "&lt;" : ch === ">" ? "&gt;" : "&amp;"));
}

/** A minimal Word document: one `<w:p>` per paragraph, each a single run of text. */
export async function buildDocx(paragraphs: string[]): Promise<Uint8Array> {
  const body = paragraphs
    .map((text) => `<w:p><w:r><w:t xml:space="preserve">${escapeXml(text)}</w:t></w:r></w:p>`)
    .join("");
  const zip = new JSZip();
  zip.file("[Content_Types].xml", CONTENT_TYPES_DOCX);
  zip.file("_rels/.rels", ROOT_RELS_DOCX);
  zip.file(
    "word/document.xml",
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`,
  );
  return zip.generateAsync({ type: "uint8array", compression: "DEFLATE" });
}

/**
 * A zip holding the given files, e.g. the parts that make a file look like an XLSX. Files named in `stored` are
 * not compressed (OpenDocument requires that of its first entry, `mimetype`).
 */
export async function buildZip(files: Record<string, string>, stored: string[] = []): Promise<Uint8Array> {
  const zip = new JSZip();
  for (const [name, text] of Object.entries(files)) {
    zip.file(name, text, stored.includes(name) ? { compression: "STORE" } : {});
  }
  return zip.generateAsync({ type: "uint8array", compression: "DEFLATE" });
}

/**
 * The start of an OLE compound file whose directory names the given streams (UTF-16LE), which is all detection
 * looks at: Word's password-protected DOCX holds "EncryptedPackage", an old .doc holds "WordDocument".
 */
export function buildOleStub(streamNames: string[]): Uint8Array {
  const header = Buffer.alloc(512);
  Buffer.from("d0cf11e0a1b11ae1", "hex").copy(header);
  const names = streamNames.map((name) => {
    const entry = Buffer.alloc(128);
    entry.write(name, 0, "utf16le");
    return entry;
  });
  return new Uint8Array(Buffer.concat([header, ...names]));
}
