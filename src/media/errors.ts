/**
 * One class per failure kind, each with a literal `code`; callers decide by `err.code`. A file the user sent that
 * cannot be read (wrong kind, broken, locked, no text in it) stays apart from a bound that fired (time, memory,
 * the caller's signal) and from an extractor that could not run at all (our fault, not the file's).
 * Messages never carry the file's name or content: both are the user's, and messages end up in logs.
 */

/** What `extractText` can read. */
export type DocumentKind = "text" | "pdf" | "docx";

/**
 * Broad family of a file we do not read, so the caller can word its answer ("that is an image") or route the file
 * elsewhere (a vision model for images) without parsing `detected`.
 */
export type UnsupportedFamily = "image" | "audio" | "video" | "archive" | "office" | "executable" | "other";

export type DocumentErrorCode =
  | "DOCUMENT_EMPTY"
  | "DOCUMENT_UNSUPPORTED"
  | "DOCUMENT_NOT_TEXT"
  | "DOCUMENT_INVALID"
  | "DOCUMENT_ENCRYPTED"
  | "DOCUMENT_NO_TEXT"
  | "DOCUMENT_TIMEOUT"
  | "DOCUMENT_ABORTED"
  | "DOCUMENT_TOO_COMPLEX"
  | "DOCUMENT_EXTRACTOR_FAILED"
  | "DOCUMENT_INVALID_ARGUMENT";

export abstract class DocumentError extends Error {
  abstract readonly code: DocumentErrorCode;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
  }

  override get name(): string {
    return this.constructor.name;
  }
}

export function isDocumentError(err: unknown): err is DocumentError {
  return err instanceof DocumentError;
}

/** The file has no bytes at all (Telegram allows sending an empty file). */
export class DocumentEmptyError extends DocumentError {
  readonly code = "DOCUMENT_EMPTY";
  constructor() {
    super("The file is empty (0 bytes). Send a file with something in it.");
  }
}

/**
 * A kind of file we do not read: an image, an archive, a spreadsheet, an old binary Word `.doc`, a program.
 * `detected` is a short lowercase name of what it is ("png", "zip", "xlsx", "doc", "exe", or "binary" when only
 * its content said it is not text), found from its content first and its name or MIME type second.
 */
export class DocumentUnsupportedError extends DocumentError {
  readonly code = "DOCUMENT_UNSUPPORTED";
  constructor(
    readonly detected: string,
    readonly family: UnsupportedFamily,
  ) {
    super(
      `Files of this kind (${detected}) cannot be read. Send a text file, a PDF or a Word document (.docx), ` +
        "or paste the text.",
    );
  }
}

/**
 * The file is named or typed as text but its bytes are not text we can decode without guessing: `reason: "binary"`
 * (NUL bytes or control characters: a binary file with a text name), or `"encoding"` (no BOM and not valid UTF-8,
 * e.g. a Windows-1251 file). We refuse rather than hand the model mojibake.
 */
export class DocumentNotTextError extends DocumentError {
  readonly code = "DOCUMENT_NOT_TEXT";
  constructor(readonly reason: "binary" | "encoding") {
    super(
      reason === "binary"
        ? "The file is named as text but holds binary data. Send the file in its real format, or paste the text."
        : "The file is not valid UTF-8 or UTF-16 text. Save it as UTF-8 and send it again.",
    );
  }
}

/** The file claims a kind (by its content or its name) but is broken: a cut or corrupt PDF, a DOCX that is no zip. */
export class DocumentInvalidError extends DocumentError {
  readonly code = "DOCUMENT_INVALID";
  constructor(
    readonly kind: DocumentKind,
    /** What the parser said, cut to 200 characters; parser text, never file content we chose to copy. */
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(
      `The ${label(kind)} is damaged and cannot be read (${detail}). Save it again and resend it.`,
      options,
    );
  }
}

/** The file needs a password to open (a PDF with a user password, a DOCX encrypted by Word). */
export class DocumentEncryptedError extends DocumentError {
  readonly code = "DOCUMENT_ENCRYPTED";
  constructor(
    readonly kind: DocumentKind,
    options?: { cause?: unknown },
  ) {
    super(`The ${label(kind)} is protected by a password. Remove the password and send it again.`, options);
  }
}

/**
 * The file opened but holds no text: a scanned PDF (pictures of pages, no text layer), an empty DOCX, a text file of
 * blanks. `pages` is the PDF's page count.
 */
export class DocumentNoTextError extends DocumentError {
  readonly code = "DOCUMENT_NO_TEXT";
  constructor(
    readonly kind: DocumentKind,
    readonly pages?: number,
  ) {
    super(
      kind === "pdf"
        ? "The PDF has no text layer (a scan?). Run it through OCR, or paste the text."
        : `The ${label(kind)} contains no text.`,
    );
  }
}

/** Extraction took longer than `timeoutMs`; the extractor was stopped (a huge or hostile file). */
export class DocumentTimeoutError extends DocumentError {
  readonly code = "DOCUMENT_TIMEOUT";
  constructor(
    readonly kind: DocumentKind,
    readonly timeoutMs: number,
  ) {
    super(
      `Reading the ${label(kind)} took longer than ${timeoutMs} ms and was stopped. Send a smaller file.`,
    );
  }
}

/** The caller's `AbortSignal` fired; the extractor was stopped. */
export class DocumentAbortedError extends DocumentError {
  readonly code = "DOCUMENT_ABORTED";
  constructor(options?: { cause?: unknown }) {
    super("Reading the file was cancelled.", options);
  }
}

/** The extractor needed more memory than `memoryLimitMb` allows (a decompression bomb, a giant page). */
export class DocumentTooComplexError extends DocumentError {
  readonly code = "DOCUMENT_TOO_COMPLEX";
  constructor(
    readonly kind: DocumentKind,
    readonly memoryLimitMb: number,
    options?: { cause?: unknown },
  ) {
    super(
      `Reading the ${label(kind)} needed more than ${memoryLimitMb} MB of memory and was stopped. ` +
        "Send a smaller or simpler file.",
      options,
    );
  }
}

/**
 * The extractor itself could not run (its library failed to load, its worker died without answering). Not the
 * file's fault: the log needs the cause; the user can only try again later.
 */
export class DocumentExtractorError extends DocumentError {
  readonly code = "DOCUMENT_EXTRACTOR_FAILED";
  constructor(
    readonly kind: DocumentKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`The ${label(kind)} reader failed: ${message}`, options);
  }
}

/** A call was made with options that cannot work (maxChars not a positive integer, a negative timeout). */
export class DocumentInvalidArgumentError extends DocumentError {
  readonly code = "DOCUMENT_INVALID_ARGUMENT";
}

function label(kind: DocumentKind): string {
  switch (kind) {
    case "text":
      return "text file";
    case "pdf":
      return "PDF";
    case "docx":
      return "Word document";
  }
}
