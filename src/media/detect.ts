/**
 * Deciding what a file is, from its bytes first and its name and MIME type second. Pure: no I/O, no parsing
 * beyond a look at the first bytes (and, for zip and OLE containers, at the entry names they store in clear).
 *
 * Content wins over the name because the name is whatever the sender typed: a PDF named `.txt` is still read as
 * a PDF, and a PNG named `.txt` is an image, not mojibake. The name decides only when the content has no
 * signature, which is the case for every text format.
 */

import type { UnsupportedFamily } from "./errors.js";

export interface DocumentMeta {
  /** The name the sender gave the file (Telegram's `file_name`); only its extension is used. */
  fileName?: string;
  /** The MIME type the sender's client claimed (Telegram's `mime_type`); parameters are ignored. */
  mimeType?: string;
}

export type Detection =
  /** `named`: the name or MIME type said text, so binary content is a lie to report, not an unknown kind. */
  | { route: "text"; html: boolean; named: boolean }
  | { route: "pdf" }
  | { route: "docx" }
  /** A password-protected DOCX: Word stores it as an OLE file holding an `EncryptedPackage`, not as a zip. */
  | { route: "encrypted-docx" }
  | { route: "unsupported"; detected: string; family: UnsupportedFamily };

const TEXT_EXTENSIONS = new Set(
  [
    // prose and markup
    "txt text md markdown mdx rst adoc asciidoc org tex bib textile wiki nfo me 1st",
    // data
    "csv tsv psv json jsonl ndjson json5 jsonc geojson har xml xsd xsl xslt rss atom opml plist kml gpx",
    "yaml yml ini cfg conf config cnf toml properties env editorconfig gitignore gitattributes dockerignore",
    "npmrc nvmrc htaccess lock sum mod",
    // logs, diffs, subtitles
    "log out err trace diff patch srt vtt ass ssa sub lrc",
    // code
    "ts tsx mts cts js jsx mjs cjs py pyi pyw ipynb go rs java kt kts scala sc groovy gradle",
    "c h cpp cc cxx c++ hpp hh hxx h++ ino cs csx fs fsi fsx vb rb rake gemspec php phtml pl pm t lua r rmd jl",
    "dart swift m mm sh bash zsh fish ksh csh ps1 psm1 psd1 bat cmd sql psql graphql gql proto thrift avsc",
    "css scss sass less styl vue svelte astro hs lhs elm ex exs erl hrl clj cljs cljc edn lisp el scm ss rkt",
    "ml mli re res nim zig v sv svh vhd vhdl asm s nasm tf tfvars hcl nix cmake mk make mak dockerfile",
    "containerfile jenkinsfile vagrantfile justfile bzl bazel star gd pas pp f f90 f95 for cob cbl ada adb ads",
    "d cr coffee haml pug jade erb ejs hbs handlebars mustache twig jinja jinja2 j2 liquid njk http rest",
    "csproj vbproj fsproj sln props targets xaml resx manifest reg tcl awk sed vim applescript ahk au3 sol",
    "cue prisma wat ll mlir cu cuh glsl hlsl wgsl vert frag shader metal qml pro pri ui iss nsi spec",
  ]
    .join(" ")
    .split(" "),
);

const HTML_EXTENSIONS = new Set(["html", "htm", "xhtml", "xht", "shtml"]);

/** Extensions of formats we know and do not read, with what to call them. */
const UNSUPPORTED_EXTENSIONS: ReadonlyMap<string, UnsupportedFamily> = new Map(
  (
    [
      [
        "image",
        "png jpg jpeg jpe jfif gif webp bmp tif tiff heic heif avif ico icns svg svgz psd xcf raw cr2 nef",
      ],
      ["audio", "mp3 wav ogg oga opus flac m4a aac wma amr aiff aif mid midi"],
      ["video", "mp4 m4v mov avi mkv webm 3gp wmv flv mpg mpeg"],
      ["archive", "zip rar 7z tar gz tgz bz2 tbz2 xz txz zst lz lzma cab iso dmg"],
      [
        "office",
        "doc dot docm xls xlsx xlsm xlsb ods ppt pptx pps ppsx odp odt ott odg rtf epub mobi azw azw3 fb2 " +
          "djvu xps oxps pages numbers key one pub vsd vsdx mpp",
      ],
      [
        "executable",
        "exe dll so dylib bin msi apk aab ipa jar war class wasm deb rpm app o a lib pyc pyo elf com",
      ],
      ["other", "sqlite sqlite3 db mdb accdb ttf otf woff woff2 eot ai eps ps kdbx gpg pgp p12 pfx der"],
    ] as const
  ).flatMap(([family, list]) => list.split(" ").map((ext) => [ext, family] as const)),
);

/** MIME types that say "text" though they are not `text/*`. `+json` and `+xml` suffixes count too. */
const TEXT_MIME_TYPES = new Set([
  "application/json",
  "application/ld+json",
  "application/x-ndjson",
  "application/xml",
  "application/yaml",
  "application/x-yaml",
  "application/toml",
  "application/javascript",
  "application/x-javascript",
  "application/ecmascript",
  "application/typescript",
  "application/x-typescript",
  "application/x-sh",
  "application/x-shellscript",
  "application/sql",
  "application/x-sql",
  "application/x-httpd-php",
  "application/x-python",
  "application/x-python-code",
  "application/x-perl",
  "application/x-ruby",
  "application/graphql",
  "application/x-tex",
  "application/x-latex",
  "application/x-subrip",
  "application/x-ipynb+json",
]);

const UNSUPPORTED_MIME_TYPES: ReadonlyMap<string, readonly [string, UnsupportedFamily]> = new Map([
  ["application/msword", ["doc", "office"]],
  ["application/vnd.ms-excel", ["xls", "office"]],
  ["application/vnd.ms-powerpoint", ["ppt", "office"]],
  ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ["xlsx", "office"]],
  ["application/vnd.openxmlformats-officedocument.presentationml.presentation", ["pptx", "office"]],
  ["application/vnd.oasis.opendocument.text", ["odt", "office"]],
  ["application/vnd.oasis.opendocument.spreadsheet", ["ods", "office"]],
  ["application/vnd.oasis.opendocument.presentation", ["odp", "office"]],
  ["application/rtf", ["rtf", "office"]],
  ["text/rtf", ["rtf", "office"]],
  ["application/epub+zip", ["epub", "office"]],
  ["application/zip", ["zip", "archive"]],
  ["application/x-zip-compressed", ["zip", "archive"]],
  ["application/x-7z-compressed", ["7z", "archive"]],
  ["application/vnd.rar", ["rar", "archive"]],
  ["application/x-rar-compressed", ["rar", "archive"]],
  ["application/gzip", ["gz", "archive"]],
  ["application/x-tar", ["tar", "archive"]],
  ["application/x-msdownload", ["exe", "executable"]],
  ["application/x-executable", ["elf", "executable"]],
  ["application/vnd.android.package-archive", ["apk", "executable"]],
  ["application/java-archive", ["jar", "executable"]],
  ["application/wasm", ["wasm", "executable"]],
  ["application/x-sqlite3", ["sqlite", "other"]],
  ["application/postscript", ["ps", "other"]],
]);

const PDF_MIME = "application/pdf";
const DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

export function detectDocument(bytes: Uint8Array, meta: DocumentMeta): Detection {
  const ext = extensionOf(meta.fileName);
  const mime = mimeOf(meta.mimeType);
  const namedDocx = ext === "docx" || ext === "dotx" || mime === DOCX_MIME;

  const sniffed = sniff(bytes, ext, namedDocx);
  if (sniffed !== undefined) return sniffed;

  // No signature in the content: the name and MIME type decide. The extension first: it is what the user chose,
  // while a client's MIME guess is often a generic one or derived from the extension anyway.
  return (
    (ext === undefined ? undefined : byExtension(ext)) ??
    (mime === undefined ? undefined : byMime(mime)) ?? {
      // Unknown or no extension (README, Makefile, .conf, an odd subtitle name): text if the content is text.
      route: "text",
      html: looksLikeHtml(bytes),
      named: false,
    }
  );
}

function byExtension(ext: string): Detection | undefined {
  if (ext === "pdf") return { route: "pdf" };
  if (ext === "docx" || ext === "dotx") return { route: "docx" };
  if (HTML_EXTENSIONS.has(ext)) return { route: "text", html: true, named: true };
  if (TEXT_EXTENSIONS.has(ext)) return { route: "text", html: false, named: true };
  const family = UNSUPPORTED_EXTENSIONS.get(ext);
  return family === undefined ? undefined : { route: "unsupported", detected: ext, family };
}

function byMime(mime: string): Detection | undefined {
  if (mime === PDF_MIME) return { route: "pdf" };
  if (mime === DOCX_MIME) return { route: "docx" };
  if (mime === "text/html" || mime === "application/xhtml+xml")
    return { route: "text", html: true, named: true };
  const unsupported = UNSUPPORTED_MIME_TYPES.get(mime);
  if (unsupported !== undefined)
    return { route: "unsupported", detected: unsupported[0], family: unsupported[1] };
  if (isTextMime(mime)) return { route: "text", html: false, named: true };
  const slash = mime.indexOf("/");
  const top = mime.slice(0, slash);
  if (top === "image" || top === "audio" || top === "video") {
    return { route: "unsupported", detected: mime.slice(slash + 1) || top, family: top };
  }
  return undefined;
}

function extensionOf(fileName: string | undefined): string | undefined {
  if (fileName === undefined) return undefined;
  const base = fileName
    .slice(Math.max(fileName.lastIndexOf("/"), fileName.lastIndexOf("\\")) + 1)
    .toLowerCase();
  const dot = base.lastIndexOf(".");
  // "Dockerfile", "Makefile": no dot, but the whole name is a known kind. ".gitignore": a dot file is its own name.
  if (dot === -1) return TEXT_EXTENSIONS.has(base) ? base : undefined;
  const ext = base.slice(dot + 1);
  return ext === "" ? undefined : ext;
}

function mimeOf(mimeType: string | undefined): string | undefined {
  const mime = mimeType?.split(";", 1)[0]?.trim().toLowerCase();
  // octet-stream says only "bytes": a client's way of not knowing.
  return mime === undefined || mime === "" || mime === "application/octet-stream" ? undefined : mime;
}

function isTextMime(mime: string): boolean {
  return (
    mime.startsWith("text/") || TEXT_MIME_TYPES.has(mime) || mime.endsWith("+json") || mime.endsWith("+xml")
  );
}

/** Signatures, strongest first. Each must be specific enough never to match the start of a real text file. */
function sniff(bytes: Uint8Array, ext: string | undefined, namedDocx: boolean): Detection | undefined {
  // A PDF reader accepts the header anywhere in the first 1024 bytes (PDF 32000-1, annex H.3), so junk before it is
  // common in PDFs from some generators and mail gateways.
  if (indexOfAscii(bytes, "%PDF-", 0, 1024) !== -1) return { route: "pdf" };
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) {
    return sniffZip(bytes, ext, namedDocx);
  }
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))
    return sniffOle(bytes, ext, namedDocx);

  // Byte-order marks: text, whatever else the bytes may resemble (FF FE would otherwise pass for an MP3 frame).
  if (
    startsWith(bytes, [0xef, 0xbb, 0xbf]) ||
    startsWith(bytes, [0xff, 0xfe]) ||
    startsWith(bytes, [0xfe, 0xff])
  ) {
    return undefined;
  }

  const unsupported = (detected: string, family: UnsupportedFamily): Detection => ({
    route: "unsupported",
    detected,
    family,
  });
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return unsupported("png", "image");
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return unsupported("jpeg", "image");
  if (startsAscii(bytes, "GIF87a") || startsAscii(bytes, "GIF89a")) return unsupported("gif", "image");
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) {
    return unsupported("tiff", "image");
  }
  if (startsAscii(bytes, "RIFF") && bytes.length >= 12) {
    const form = ascii(bytes, 8, 12);
    if (form === "WEBP") return unsupported("webp", "image");
    if (form === "WAVE") return unsupported("wav", "audio");
    if (form === "AVI ") return unsupported("avi", "video");
  }
  if (ascii(bytes, 4, 8) === "ftyp") {
    const brand = ascii(bytes, 8, 12);
    if (["heic", "heix", "hevc", "mif1", "msf1"].includes(brand)) return unsupported("heic", "image");
    if (brand === "avif" || brand === "avis") return unsupported("avif", "image");
    if (brand === "M4A " || brand === "M4B ") return unsupported("m4a", "audio");
    if (brand === "qt  ") return unsupported("mov", "video");
    return unsupported("mp4", "video");
  }
  // An MPEG transport stream named .ts or .mts (TypeScript's extensions too) has a sync byte every 188 bytes. Only
  // under those names: elsewhere "G" at those offsets is as likely to be text.
  const syncBytes = [0, 188, 376, 564].every((at) => bytes[at] === 0x47);
  if ((ext === "ts" || ext === "mts" || ext === "m2ts") && syncBytes) {
    return unsupported("mpeg-ts", "video");
  }
  if (startsWith(bytes, [0x1a, 0x45, 0xdf, 0xa3]))
    return unsupported(ext === "webm" ? "webm" : "mkv", "video");
  if (startsAscii(bytes, "FLV\x01")) return unsupported("flv", "video");
  if (startsAscii(bytes, "ID3")) return unsupported("mp3", "audio");
  // An MPEG audio frame starts with 11 set bits; no UTF-8 text starts with 0xFF.
  if (bytes.length >= 2 && bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe0) === 0xe0)
    return unsupported("mp3", "audio");
  if (startsAscii(bytes, "OggS")) return unsupported("ogg", "audio");
  if (startsAscii(bytes, "fLaC")) return unsupported("flac", "audio");
  if (startsAscii(bytes, "#!AMR")) return unsupported("amr", "audio");
  if (startsAscii(bytes, "Rar!\x1a\x07")) return unsupported("rar", "archive");
  if (startsWith(bytes, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])) return unsupported("7z", "archive");
  if (startsWith(bytes, [0x1f, 0x8b])) return unsupported("gz", "archive");
  if (startsWith(bytes, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])) return unsupported("xz", "archive");
  if (startsWith(bytes, [0x28, 0xb5, 0x2f, 0xfd])) return unsupported("zst", "archive");
  if (startsAscii(bytes, "BZh") && ascii(bytes, 4, 10) === "1AY&SY") return unsupported("bz2", "archive");
  if (ascii(bytes, 257, 262) === "ustar") return unsupported("tar", "archive");
  if (startsWith(bytes, [0x7f, 0x45, 0x4c, 0x46])) return unsupported("elf", "executable");
  if (isPortableExecutable(bytes)) return unsupported(ext === "dll" ? "dll" : "exe", "executable");
  if (
    startsWith(bytes, [0xcf, 0xfa, 0xed, 0xfe]) ||
    startsWith(bytes, [0xce, 0xfa, 0xed, 0xfe]) ||
    startsWith(bytes, [0xca, 0xfe, 0xba, 0xbe])
  ) {
    return unsupported(ext === "class" ? "class" : "mach-o", "executable");
  }
  if (startsWith(bytes, [0x00, 0x61, 0x73, 0x6d])) return unsupported("wasm", "executable");
  if (startsAscii(bytes, "SQLite format 3\x00")) return unsupported("sqlite", "other");
  if (startsAscii(bytes, "wOFF") || startsAscii(bytes, "wOF2")) return unsupported("woff", "other");
  if (startsAscii(bytes, "AT&TFORM")) return unsupported("djvu", "office");
  // RTF and PostScript are text, but markup the model would have to wade through; we do not claim to read them.
  if (startsAscii(bytes, "{\\rtf")) return unsupported("rtf", "office");
  if (startsAscii(bytes, "%!PS")) return unsupported("ps", "other");
  return undefined;
}

/**
 * Office Open XML, OpenDocument and EPUB are zips; their entry names sit uncompressed in the local headers and
 * the central directory, so a byte search finds them without inflating anything.
 */
function sniffZip(bytes: Uint8Array, ext: string | undefined, namedDocx: boolean): Detection {
  if (indexOfAscii(bytes, "word/document.xml") !== -1) return { route: "docx" };
  const unsupported = (detected: string, family: UnsupportedFamily): Detection => ({
    route: "unsupported",
    detected,
    family,
  });
  if (indexOfAscii(bytes, "xl/workbook.xml") !== -1) return unsupported("xlsx", "office");
  if (indexOfAscii(bytes, "ppt/presentation.xml") !== -1) return unsupported("pptx", "office");
  // ODF and EPUB store a `mimetype` entry first and uncompressed, so its content follows its name.
  const odf = ascii(bytes, 30, 120);
  if (odf.startsWith("mimetypeapplication/vnd.oasis.opendocument.")) {
    const sub = odf.slice("mimetypeapplication/vnd.oasis.opendocument.".length);
    if (sub.startsWith("text")) return unsupported("odt", "office");
    if (sub.startsWith("spreadsheet")) return unsupported("ods", "office");
    if (sub.startsWith("presentation")) return unsupported("odp", "office");
    return unsupported("odf", "office");
  }
  if (odf.startsWith("mimetypeapplication/epub+zip")) return unsupported("epub", "office");
  if (indexOfAscii(bytes, "AndroidManifest.xml") !== -1) return unsupported("apk", "executable");
  if (indexOfAscii(bytes, "META-INF/MANIFEST.MF") !== -1) return unsupported("jar", "executable");
  // A zip named .docx whose part names we did not see (a cut file): let the DOCX reader say what is wrong.
  if (namedDocx) return { route: "docx" };
  const family = ext === undefined ? undefined : UNSUPPORTED_EXTENSIONS.get(ext);
  return family === undefined ? unsupported("zip", "archive") : unsupported(ext!, family);
}

/**
 * OLE compound files hold old binary Office documents (.doc, .xls, .ppt) and, since Office 2007, password-protected
 * Office Open XML files. Directory entry names are UTF-16LE, so we search for them as such.
 */
function sniffOle(bytes: Uint8Array, ext: string | undefined, namedDocx: boolean): Detection {
  if (indexOfUtf16(bytes, "EncryptedPackage") !== -1) {
    if (namedDocx) return { route: "encrypted-docx" };
    const family = ext === undefined ? undefined : UNSUPPORTED_EXTENSIONS.get(ext);
    return {
      route: "unsupported",
      detected: family === undefined ? "encrypted office file" : ext!,
      family: "office",
    };
  }
  if (indexOfUtf16(bytes, "WordDocument") !== -1)
    return { route: "unsupported", detected: "doc", family: "office" };
  if (indexOfUtf16(bytes, "Workbook") !== -1 || indexOfUtf16(bytes, "Book") !== -1) {
    return { route: "unsupported", detected: "xls", family: "office" };
  }
  if (indexOfUtf16(bytes, "PowerPoint Document") !== -1) {
    return { route: "unsupported", detected: "ppt", family: "office" };
  }
  const family = ext === undefined ? undefined : UNSUPPORTED_EXTENSIONS.get(ext);
  return { route: "unsupported", detected: family === undefined ? "ole" : ext!, family: family ?? "office" };
}

/** "MZ", then at offset 0x3C the offset of "PE\0\0": two checks, so a text starting with "MZ" is not an .exe. */
function isPortableExecutable(bytes: Uint8Array): boolean {
  if (!startsAscii(bytes, "MZ") || bytes.length < 0x40) return false;
  const at = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0x3c, true);
  return at + 4 <= bytes.length && ascii(bytes, at, at + 4) === "PE\x00\x00";
}

/** `<!DOCTYPE html` or `<html` at the start (after a BOM and blanks), for files whose name says nothing. */
function looksLikeHtml(bytes: Uint8Array): boolean {
  const head = ascii(bytes, 0, 512)
    .replace(/^\u00ef\u00bb\u00bf/, "")
    .trimStart()
    .toLowerCase();
  return head.startsWith("<!doctype html") || head.startsWith("<html");
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  if (bytes.length < prefix.length) return false;
  return prefix.every((byte, i) => bytes[i] === byte);
}

function startsAscii(bytes: Uint8Array, prefix: string): boolean {
  return ascii(bytes, 0, prefix.length) === prefix;
}

/** Bytes [from, to) as Latin-1 characters; shorter when the file is. */
function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, Math.min(to, bytes.length)));
}

function indexOfAscii(bytes: Uint8Array, needle: string, from = 0, to = bytes.length): number {
  return indexOfBytes(
    bytes,
    Uint8Array.from(needle, (ch) => ch.charCodeAt(0)),
    from,
    to,
  );
}

function indexOfUtf16(bytes: Uint8Array, needle: string): number {
  const pattern = new Uint8Array(needle.length * 2);
  for (let i = 0; i < needle.length; i++) pattern[i * 2] = needle.charCodeAt(i);
  return indexOfBytes(bytes, pattern, 0, bytes.length);
}

/** Where `needle` starts within bytes [from, to), or -1. Buffer's native search, without copying `bytes`. */
function indexOfBytes(bytes: Uint8Array, needle: Uint8Array, from: number, to: number): number {
  const end = Math.min(to, bytes.length);
  const view = Buffer.from(bytes.buffer, bytes.byteOffset + from, Math.max(0, end - from));
  const at = view.indexOf(needle);
  return at === -1 ? -1 : at + from;
}
