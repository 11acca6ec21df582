/**
 * Files users send: fetched from Telegram (`getFile`, then the file's URL, or the local path a local Bot API
 * server gives), bounded in size and time and stopped by an AbortSignal; images kept in a bounded disk cache so a
 * follow-up question about the same photo, after a restart too, needs no second download.
 *
 * Not @grammyjs/files: its Node download uses `https.get` only (a local Bot API server, usually plain http, is
 * refused), writes to a temporary file, checks no HTTP status, and has no timeout, size bound or AbortSignal.
 * Here a download is one undici request with all four.
 */

import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rename, stat, unlink, utimes, writeFile } from "node:fs/promises";
import { isAbsolute, join } from "node:path";
import type { Api } from "grammy";
import type { Logger } from "pino";
import { request } from "undici";
import { deadline } from "../../util/deadline.js";

/** Telegram's cloud Bot API serves files up to this size; a local Bot API server up to 2000 MB. */
export const CLOUD_FILE_LIMIT = 20 * 1024 * 1024;

export class FileTooBigError extends Error {
  readonly code = "FILE_TOO_BIG";
  constructor(
    readonly size: number | undefined,
    readonly limit: number,
    /** Whether the limit is Telegram's own (the cloud Bot API), which a local Bot API server lifts. */
    readonly telegramLimit: boolean,
  ) {
    super(`the file is too big (${size ?? "over the limit"} bytes; the limit is ${limit})`);
  }
}

export class FileDownloadError extends Error {
  readonly code = "FILE_DOWNLOAD_FAILED";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export interface DownloadOptions {
  maxBytes: number;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  /** The size Telegram announced in the message, checked before anything is fetched. */
  declaredSize?: number | undefined;
}

export class TelegramFiles {
  constructor(
    private readonly api: Api,
    private readonly token: string,
    /** The Bot API root (`TELEGRAM_API_ROOT`), undefined for Telegram's cloud. */
    private readonly apiRoot: string | undefined,
    /** Whether that server runs with `--local` (`TELEGRAM_API_LOCAL`): no 20 MB limit. */
    readonly local: boolean,
    private readonly log: Pick<Logger, "debug" | "warn">,
  ) {}

  /** The bytes of a file a user sent. */
  async download(fileId: string, o: DownloadOptions): Promise<Uint8Array> {
    const cloudLimit = this.local ? Number.POSITIVE_INFINITY : CLOUD_FILE_LIMIT;
    const limit = Math.min(o.maxBytes, cloudLimit);
    if (o.declaredSize !== undefined && o.declaredSize > limit) {
      throw new FileTooBigError(o.declaredSize, limit, o.declaredSize > cloudLimit);
    }
    const signal = deadline(o.timeoutMs, o.signal);
    let file: Awaited<ReturnType<Api["getFile"]>>;
    try {
      // grammY types its signal as abort-controller's; Node's is the same at run time.
      file = await this.api.getFile(fileId, signal as never);
    } catch (err) {
      // The cloud Bot API refuses to serve files over 20 MB at getFile already.
      if (/file is too big/i.test(String((err as { description?: unknown })?.description ?? err))) {
        throw new FileTooBigError(o.declaredSize, CLOUD_FILE_LIMIT, true);
      }
      throw new FileDownloadError("Telegram did not give the file", { cause: err });
    }
    if (file.file_size !== undefined && file.file_size > limit) {
      throw new FileTooBigError(file.file_size, limit, file.file_size > cloudLimit);
    }
    const path = file.file_path;
    if (!path) throw new FileDownloadError("Telegram gave no path for the file");
    // A local Bot API server (--local) answers with the file's absolute path on its disk.
    if (isAbsolute(path)) {
      const size = (await stat(path)).size;
      if (size > limit) throw new FileTooBigError(size, limit, false);
      return new Uint8Array(await readFile(path, { signal }));
    }
    const root = (this.apiRoot ?? "https://api.telegram.org").replace(/\/+$/, "");
    const url = `${root}/file/bot${this.token}/${path}`;
    try {
      const res = await request(url, { signal });
      if (res.statusCode !== 200) {
        await res.body.dump();
        throw new FileDownloadError(`Telegram answered ${res.statusCode} for the file`);
      }
      const chunks: Uint8Array[] = [];
      let total = 0;
      for await (const chunk of res.body) {
        total += chunk.length;
        if (total > limit) {
          res.body.destroy();
          throw new FileTooBigError(total, limit, limit === CLOUD_FILE_LIMIT);
        }
        chunks.push(chunk);
      }
      return new Uint8Array(Buffer.concat(chunks));
    } catch (err) {
      if (err instanceof FileTooBigError || err instanceof FileDownloadError) throw err;
      this.log.debug({ fileId, reason: (err as Error)?.name }, "a file download failed");
      // The URL holds the token: only the kind of failure is kept, never the address.
      throw new FileDownloadError(
        signal.aborted && o.signal?.aborted !== true ? "the download timed out" : "the download failed",
        { cause: signal.aborted ? signal.reason : (err as Error)?.name },
      );
    }
  }
}

/**
 * Images by Telegram's `file_unique_id`, under DATA_DIR/images, at most `maxBytes` in all: the least recently used
 * go first (a read touches the file). A miss is no failure: the caller fetches the image again by its file_id.
 */
export class ImageCache {
  private size: number | undefined;

  constructor(
    private readonly dir: string,
    private readonly maxBytes: number,
    private readonly log: Pick<Logger, "debug" | "warn">,
  ) {}

  private path(uniqueId: string): string {
    // Telegram's ids are URL-safe base64; hashed anyway, so no id can name a path outside the folder.
    return join(this.dir, `${createHash("sha256").update(uniqueId).digest("hex").slice(0, 40)}.img`);
  }

  async get(uniqueId: string): Promise<Uint8Array | undefined> {
    const p = this.path(uniqueId);
    let bytes: Buffer;
    try {
      bytes = await readFile(p);
    } catch (err) {
      // Not cached (or evicted) is the usual miss; anything else (permissions, a full disk) is worth a line.
      if ((err as { code?: unknown }).code !== "ENOENT")
        this.log.warn({ err }, "could not read a cached image");
      return undefined;
    }
    const now = new Date();
    // The read marks it used (eviction goes by last use); failing that only makes it older.
    await utimes(p, now, now).catch((err: unknown) =>
      this.log.debug({ err }, "could not mark a cached image used"),
    );
    return new Uint8Array(bytes);
  }

  async put(uniqueId: string, bytes: Uint8Array): Promise<void> {
    if (bytes.length > this.maxBytes) return;
    await mkdir(this.dir, { recursive: true });
    const p = this.path(uniqueId);
    const tmp = `${p}.${process.pid}.tmp`;
    await writeFile(tmp, bytes);
    await rename(tmp, p);
    this.size = (this.size ?? (await this.measure())) + bytes.length;
    if (this.size > this.maxBytes) await this.evict();
  }

  /** Bytes on disk now (for the closing note's figure and the tests). */
  async bytes(): Promise<number> {
    return this.measure();
  }

  private async entries(): Promise<Array<{ path: string; size: number; used: number }>> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const out: Array<{ path: string; size: number; used: number }> = [];
    for (const name of names) {
      if (!name.endsWith(".img")) continue;
      const p = join(this.dir, name);
      const st = await stat(p).catch(() => undefined);
      if (st) out.push({ path: p, size: st.size, used: st.mtimeMs });
    }
    return out;
  }

  private async measure(): Promise<number> {
    return (await this.entries()).reduce((n, e) => n + e.size, 0);
  }

  private async evict(): Promise<void> {
    const all = (await this.entries()).sort((a, b) => a.used - b.used);
    let size = all.reduce((n, e) => n + e.size, 0);
    // Down to 90%: a cache at its bound does not sweep on every new image.
    for (const e of all) {
      if (size <= this.maxBytes * 0.9) break;
      await unlink(e.path).catch((err: unknown) => this.log.debug({ err }, "could not evict a cached image"));
      size -= e.size;
    }
    this.size = size;
  }
}
