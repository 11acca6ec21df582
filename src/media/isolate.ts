/**
 * PDF and DOCX extraction in a worker thread, one per file, stopped from outside when a bound fires.
 *
 * Why a worker and not a promise with a timer: pdf.js and mammoth parse synchronously for long stretches (a 50 MB
 * content stream, a deflate bomb), and a timer on the bot's own thread cannot fire while that runs, so a hostile
 * file would freeze every chat. `worker.terminate()` stops a thread even inside a tight loop. It also keeps
 * pdf.js's globals (it polyfills DOMMatrix, navigator, Promise.withResolvers) and its console output out of the
 * bot's thread and its JSON log stream.
 *
 * Memory has two bounds: the worker's V8 heap (`resourceLimits`), and the process's resident size, polled, since
 * decompressed streams live in ArrayBuffers outside any V8 heap limit. The resident size is the whole process's, so
 * growth from elsewhere during an extraction counts against it too: the bound errs on the side of stopping. The worker's source is a string (eval) so it
 * runs the same under tsc's output, tsx and vitest; it only calls the libraries and reports, and everything that
 * decides (what an error means, normalising, truncating) stays in typed code on this side.
 */

import { Worker } from "node:worker_threads";
import {
  DocumentAbortedError,
  DocumentExtractorError,
  DocumentTimeoutError,
  DocumentTooComplexError,
} from "./errors.js";

export type IsolatedKind = "pdf" | "docx";

export interface IsolatedJob {
  kind: IsolatedKind;
  bytes: Uint8Array;
  /** The worker stops reading pages once its output passes this many characters, and cuts what it sends back. */
  limit: number;
}

export interface IsolationLimits {
  timeoutMs: number;
  memoryLimitMb: number;
  signal?: AbortSignal | undefined;
}

/**
 * What the worker said: the document's text (its first `limit` + 1 characters), the length of all the text it
 * read, and for a PDF the page count and how many pages it read; or the error its library threw.
 */
export type IsolatedReply =
  | { ok: true; text: string; chars: number; pages: number | undefined; pagesRead: number | undefined }
  | { ok: false; name: string; message: string };

/** How often the process's resident size is compared with the memory bound. */
const MEMORY_POLL_MS = 50;

/**
 * The worker. pdf.js: unpdf's serverless build (no worker of its own, no canvas); `verbosity: 0` silences its
 * warnings; `isEvalSupported: false` keeps it from compiling fonts to functions. Pages are read one at a time and
 * reading stops once enough text is in, so a 2000-page PDF costs what its first pages cost. A page that fails is
 * skipped (one broken page should not cost the rest); if every page read fails, that is the file's error.
 */
const WORKER_SOURCE = String.raw`
"use strict";
const { parentPort, workerData } = require("node:worker_threads");
const { kind, bytes, limit, moduleUrl } = workerData;

function report(err) {
  const e = err !== null && typeof err === "object" ? err : { message: String(err) };
  parentPort.postMessage({
    ok: false,
    name: typeof e.name === "string" ? e.name : "Error",
    message: String(e.message).slice(0, 500),
  });
}
process.on("unhandledRejection", report);

async function pdf(unpdf) {
  const doc = await unpdf.getDocumentProxy(bytes, {
    verbosity: 0,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    stopAtErrors: false,
  });
  try {
    let text = "";
    let chars = 0;
    let pagesRead = 0;
    let failed = 0;
    let firstError;
    for (let n = 1; n <= doc.numPages && chars <= limit; n++) {
      pagesRead += 1;
      let pageText = "";
      try {
        const page = await doc.getPage(n);
        const content = await page.getTextContent();
        for (const item of content.items) {
          if (typeof item.str === "string") pageText += item.str + (item.hasEOL ? "\n" : "");
        }
        page.cleanup();
      } catch (err) {
        failed += 1;
        firstError ??= err;
        continue;
      }
      pageText = pageText.replace(/[^\S\n]+/g, " ").replace(/ ?\n ?/g, "\n").replace(/\n{3,}/g, "\n\n").trim();
      if (pageText === "") continue;
      const piece = chars === 0 ? pageText : "\n\n" + pageText;
      chars += piece.length;
      if (text.length <= limit) text += piece.slice(0, limit + 1 - text.length);
    }
    if (failed > 0 && failed === pagesRead) throw firstError;
    return { text, chars, pages: doc.numPages, pagesRead };
  } finally {
    await doc.destroy();
  }
}

async function docx(mammoth) {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const result = await (mammoth.default ?? mammoth).extractRawText({ buffer });
  const text = String(result.value).replace(/[^\S\n]+\n/g, "\n").replace(/\n{3,}/g, "\n\n").trim();
  return { text: text.slice(0, limit + 1), chars: text.length, pages: undefined, pagesRead: undefined };
}

import(moduleUrl)
  .then(
    (mod) => (kind === "pdf" ? pdf(mod) : docx(mod)),
    (err) => {
      throw Object.assign(new Error("cannot load " + moduleUrl + ": " + (err && err.message)), { name: "LoadError" });
    },
  )
  .then((result) => parentPort.postMessage({ ok: true, ...result }), report);
`;

const moduleUrls = new Map<IsolatedKind, string>();

/** The library's entry as a file URL, resolved here because a worker run from a string cannot resolve packages. */
function moduleUrlOf(kind: IsolatedKind): string {
  let url = moduleUrls.get(kind);
  if (url === undefined) {
    try {
      url = import.meta.resolve(kind === "pdf" ? "unpdf" : "mammoth");
    } catch (err) {
      throw new DocumentExtractorError(kind, `its library is not installed (run npm ci)`, { cause: err });
    }
    moduleUrls.set(kind, url);
  }
  return url;
}

/**
 * Runs one extraction in a fresh worker. Rejects with DocumentTimeoutError, DocumentAbortedError,
 * DocumentTooComplexError (a memory bound) or DocumentExtractorError (the worker could not run); resolves with
 * the worker's reply, whose library errors the caller classifies. The worker is terminated before this settles.
 */
export function runIsolated(job: IsolatedJob, limits: IsolationLimits): Promise<IsolatedReply> {
  const { kind } = job;
  if (limits.signal?.aborted)
    return Promise.reject(new DocumentAbortedError({ cause: limits.signal.reason }));
  let moduleUrl: string;
  try {
    moduleUrl = moduleUrlOf(kind);
  } catch (err) {
    return Promise.reject(err);
  }
  // A copy, transferred: the caller's bytes stay usable, and the worker's copy is not a second clone.
  const bytes = job.bytes.slice();

  return new Promise<IsolatedReply>((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { kind, bytes, limit: job.limit, moduleUrl },
      transferList: [bytes.buffer],
      resourceLimits: { maxOldGenerationSizeMb: limits.memoryLimitMb, stackSizeMb: 4 },
      // Captured, and dropped: whatever pdf.js prints must not land in the bot's log stream.
      stdout: true,
      stderr: true,
    });
    worker.stdout.resume();
    worker.stderr.resume();

    const rssAtStart = process.memoryUsage.rss();
    const memoryLimitBytes = limits.memoryLimitMb * 1024 * 1024;
    let settled = false;

    const finish = (outcome: { error: unknown } | { reply: IsolatedReply }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearInterval(memoryPoll);
      limits.signal?.removeEventListener("abort", onAbort);
      worker.removeAllListeners("message");
      // Wait for the thread to be gone before answering, so no extraction outlives its call.
      worker.terminate().then(
        () => ("error" in outcome ? reject(outcome.error) : resolve(outcome.reply)),
        (err: unknown) => reject("error" in outcome ? outcome.error : err),
      );
    };

    const timer = setTimeout(
      () => finish({ error: new DocumentTimeoutError(kind, limits.timeoutMs) }),
      limits.timeoutMs,
    );
    const memoryPoll = setInterval(() => {
      if (process.memoryUsage.rss() - rssAtStart > memoryLimitBytes) {
        finish({ error: new DocumentTooComplexError(kind, limits.memoryLimitMb) });
      }
    }, MEMORY_POLL_MS);
    const onAbort = (): void => finish({ error: new DocumentAbortedError({ cause: limits.signal?.reason }) });
    limits.signal?.addEventListener("abort", onAbort, { once: true });

    worker.on("message", (message: unknown) => {
      const reply = parseReply(message);
      finish(
        reply === undefined
          ? { error: new DocumentExtractorError(kind, "its worker sent a reply of the wrong shape") }
          : { reply },
      );
    });
    // `on`, not `once`: an "error" event without a listener would be thrown on the bot's thread.
    worker.on("error", (err: Error & { code?: unknown }) => {
      finish({
        error:
          err.code === "ERR_WORKER_OUT_OF_MEMORY"
            ? new DocumentTooComplexError(kind, limits.memoryLimitMb, { cause: err })
            : new DocumentExtractorError(kind, `its worker crashed: ${err.message}`, { cause: err }),
      });
    });
    worker.once("exit", (code) => {
      finish({
        error: new DocumentExtractorError(kind, `its worker exited (code ${code}) without an answer`),
      });
    });
  });
}

/** The worker is ours, but its reply crossed a thread boundary as structured-clone data: check it, do not cast. */
function parseReply(message: unknown): IsolatedReply | undefined {
  if (typeof message !== "object" || message === null) return undefined;
  const m = message as Record<string, unknown>;
  const count = (value: unknown): value is number => typeof value === "number" && Number.isSafeInteger(value);
  if (m.ok === true) {
    const { text, chars, pages, pagesRead } = m;
    if (typeof text !== "string" || !count(chars)) return undefined;
    if ((pages !== undefined && !count(pages)) || (pagesRead !== undefined && !count(pagesRead)))
      return undefined;
    return { ok: true, text, chars, pages, pagesRead };
  }
  if (m.ok === false && typeof m.name === "string" && typeof m.message === "string") {
    return { ok: false, name: m.name, message: m.message };
  }
  return undefined;
}
