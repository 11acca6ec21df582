/**
 * A file a user sent, as text for the model. Knows nothing of Telegram or the bot: bytes and a name in, text or a
 * DocumentError with a `code` out.
 *
 * Libraries, and why:
 * - PDF: unpdf, Mozilla's pdf.js prebundled by the unjs project into one file that runs in-process on any runtime
 *   (no canvas, no separate worker file to locate, no native addon, nothing downloaded at install). pdfjs-dist is
 *   the same parser, but wants its legacy build and a worker file located at run time on Node. unpdf is pinned to
 *   1.7.x: 1.8 moved to pdf.js 6 and requires Node 22, while we support Node 20.19+ (its pdf.js 5.6 does).
 * - DOCX: mammoth's `extractRawText`, the usual reader for Word's document.xml (pure JavaScript, on jszip).
 * - HTML: htmlparser2's tokenizer (see html.ts); text formats are decoded here (see text.ts).
 */

import { type DocumentMeta, detectDocument } from "./detect.js";
import {
  DocumentAbortedError,
  DocumentEmptyError,
  DocumentEncryptedError,
  DocumentExtractorError,
  DocumentInvalidArgumentError,
  DocumentInvalidError,
  type DocumentKind,
  DocumentNoTextError,
  DocumentNotTextError,
  DocumentUnsupportedError,
} from "./errors.js";
import { htmlRenderer } from "./html.js";
import { type IsolatedKind, runIsolated } from "./isolate.js";
import { decodeText, plainRenderer, truncate } from "./text.js";

export type { DocumentMeta } from "./detect.js";

/** Default for `ExtractOptions.timeoutMs`. */
export const DEFAULT_EXTRACT_TIMEOUT_MS = 15_000;
/** Default for `ExtractOptions.memoryLimitMb`. */
export const DEFAULT_EXTRACT_MEMORY_LIMIT_MB = 512;

export interface ExtractOptions {
  /** The most characters (UTF-16 units, as `String#length` counts) returned; more sets `truncated`. Required. */
  maxChars: number;
  /** Cancels extraction (DOCUMENT_ABORTED); a PDF or DOCX worker is terminated at once. */
  signal?: AbortSignal;
  /** Bound on one PDF or DOCX extraction, worker start included (DOCUMENT_TIMEOUT). Default 15 000 ms. */
  timeoutMs?: number;
  /**
   * Bound on the memory a PDF or DOCX extraction may take (DOCUMENT_TOO_COMPLEX): the worker's JS heap, and the
   * growth of the process's resident size while it runs. Default 512 MB.
   */
  memoryLimitMb?: number;
}

export interface ExtractedDocument {
  kind: DocumentKind;
  /** Normalised text: `\n` line breaks, no control characters, at most `maxChars` long. Never blank. */
  text: string;
  /**
   * Length of the document's whole text as normalised here, also the part left out: equal to `text.length` unless
   * `truncated`. Exact (`charsExact`) for text files and DOCX, which are read to the end, and for a PDF read to its
   * last page; for a PDF whose reading stopped once `maxChars` were in, an estimate from the pages read.
   */
  chars: number;
  charsExact: boolean;
  /** The document holds more text than `maxChars`; `text` is its beginning. */
  truncated: boolean;
  /** A PDF's page count (all pages, also when reading stopped early). */
  pages?: number;
}

/**
 * Reads a text file (UTF-8 with or without BOM, UTF-16 with BOM; HTML rendered to its text), a PDF or a DOCX.
 * What the file is comes from its content first (a PDF named `.txt` is read as a PDF, a PNG named `.txt` is
 * refused as an image) and its name and MIME type second. Rejects with a DocumentError; see `code`.
 *
 * Text is decoded on the calling thread, synchronously (linear in the file's size, memory bounded by `maxChars`;
 * `signal` is checked before it starts); PDF and DOCX are parsed in a worker thread bounded by `timeoutMs`,
 * `memoryLimitMb` and `signal`. Each PDF or DOCX call starts its own worker (~100 ms): how many run at once is the
 * caller's to limit.
 */
export async function extractText(
  bytes: Uint8Array,
  meta: DocumentMeta,
  options: ExtractOptions,
): Promise<ExtractedDocument> {
  const maxChars = options.maxChars;
  if (!Number.isSafeInteger(maxChars) || maxChars < 1) {
    throw new DocumentInvalidArgumentError(`maxChars must be a positive integer, got ${String(maxChars)}.`);
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_EXTRACT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new DocumentInvalidArgumentError(
      `timeoutMs must be a positive number of milliseconds, got ${timeoutMs}.`,
    );
  }
  const memoryLimitMb = options.memoryLimitMb ?? DEFAULT_EXTRACT_MEMORY_LIMIT_MB;
  if (!Number.isFinite(memoryLimitMb) || memoryLimitMb < 16) {
    throw new DocumentInvalidArgumentError(`memoryLimitMb must be at least 16, got ${memoryLimitMb}.`);
  }
  if (options.signal?.aborted) throw new DocumentAbortedError({ cause: options.signal.reason });
  if (bytes.length === 0) throw new DocumentEmptyError();

  const detection = detectDocument(bytes, meta);
  switch (detection.route) {
    case "unsupported":
      throw new DocumentUnsupportedError(detection.detected, detection.family);
    case "encrypted-docx":
      throw new DocumentEncryptedError("docx");
    case "text": {
      const decoded = decodeText(bytes, maxChars, detection.html ? htmlRenderer : plainRenderer);
      if (!decoded.ok) {
        // Binary content under a text name is a mislabelled file; under no name it is simply a kind we do not read.
        if (decoded.reason === "binary" && !detection.named)
          throw new DocumentUnsupportedError("binary", "other");
        throw new DocumentNotTextError(decoded.reason);
      }
      return result(
        { kind: "text", text: decoded.text, chars: decoded.chars, charsExact: true },
        decoded.truncated,
      );
    }
    case "pdf":
    case "docx":
      return extractIsolated(detection.route, bytes, maxChars, {
        timeoutMs,
        memoryLimitMb,
        signal: options.signal,
      });
  }
}

async function extractIsolated(
  kind: IsolatedKind,
  bytes: Uint8Array,
  maxChars: number,
  limits: { timeoutMs: number; memoryLimitMb: number; signal: AbortSignal | undefined },
): Promise<ExtractedDocument> {
  const reply = await runIsolated({ kind, bytes, limit: maxChars }, limits);
  if (!reply.ok) throw classifyLibraryError(kind, reply);
  const cut = truncate(reply.text, maxChars);
  const pagesLeft =
    reply.pages !== undefined && reply.pagesRead !== undefined && reply.pagesRead < reply.pages;
  const extracted: Omit<ExtractedDocument, "truncated"> = {
    kind,
    text: cut.truncated ? cut.text.trimEnd() : cut.text,
    // Pages not read are assumed to hold as much text as the average page read.
    chars: pagesLeft ? Math.round((reply.chars * reply.pages!) / Math.max(1, reply.pagesRead!)) : reply.chars,
    charsExact: !pagesLeft,
  };
  if (reply.pages !== undefined) extracted.pages = reply.pages;
  return result(extracted, cut.truncated || reply.chars > maxChars);
}

/**
 * pdf.js names its exceptions (`PasswordException`, `InvalidPDFException`, ...); mammoth and jszip throw plain
 * Errors for a broken file. Only our own load failure is not the file's fault.
 */
function classifyLibraryError(kind: IsolatedKind, reply: { name: string; message: string }): Error {
  const cause = Object.assign(new Error(reply.message), { name: reply.name });
  if (reply.name === "LoadError") return new DocumentExtractorError(kind, reply.message, { cause });
  if (reply.name === "PasswordException") return new DocumentEncryptedError(kind, { cause });
  return new DocumentInvalidError(kind, reply.message.slice(0, 200), { cause });
}

function result(extracted: Omit<ExtractedDocument, "truncated">, truncated: boolean): ExtractedDocument {
  if (extracted.text.trim() === "") throw new DocumentNoTextError(extracted.kind, extracted.pages);
  return { ...extracted, truncated };
}
