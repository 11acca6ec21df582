/**
 * Where webhook updates wait between Telegram's request and their handling. Two kinds: `LocalInbox` (one
 * process: a journal file in DATA_DIR) and the cluster's Redis inbox (`src/cluster`), both behind `Inbox`.
 */

import type { FileHandle } from "node:fs/promises";
import { open, readFile, rename, rm } from "node:fs/promises";
import type { Update } from "grammy/types";
import type { Logger } from "../../log/index.js";
import type { Accepted } from "./webhook-server.js";

/** One update taken for handling; `done` must be called with it when the handling ended, well or not. */
export interface InboxItem {
  /** 0 for a recovery. */
  update_id: number;
  /** The update to handle; absent for a recovery. */
  update?: Update;
  /** Recover this chat's cut work first: it comes from a process that died or left (several processes). */
  recover?: number;
  /** The chat of the update or the recovery, when it has one. */
  chat?: number;
  /** Opaque to callers: where the inbox keeps it. */
  readonly ref: string;
}

export interface Inbox {
  /** Keeps `update` (once: an update delivered again is kept once); "busy" when there is no room now. */
  accept(update: Update): Promise<Accepted>;
  /** Up to `limit` updates, in the order they came; waits for one, or resolves [] when `signal` aborts. */
  take(limit: number, signal: AbortSignal): Promise<InboxItem[]>;
  /** The update was handled (its failure, if any, was reported): it is not handed out again. */
  done(item: InboxItem): Promise<void>;
  /** Stops taking updates; resolves once the journal (or connection) is closed. */
  close(): Promise<void>;
}

/** Updates kept at most (waiting and being handled): more are answered 503 and come again later. */
const MAX_KEPT = 10_000;
/** Ids remembered after they were handled, to recognise a re-delivery, also across a restart. */
const REMEMBERED = 10_000;
/** The journal is rewritten with only what is still needed after this many lines. */
const COMPACT_AFTER_LINES = 20_000;

type JournalLine = { u: Update } | { d: number };

/**
 * The single-process inbox. An update is appended to `DATA_DIR/webhook-inbox.jsonl` before Telegram is answered
 * (a kill after the answer does not lose it: the next start hands it out again), and marked there when handled.
 * A re-delivered update (same `update_id`) is recognised by the ids it remembers, the journal's included.
 */
export class LocalInbox implements Inbox {
  private readonly waiting: InboxItem[] = [];
  private readonly taken = new Map<number, InboxItem>();
  /** Ids seen, oldest first (a Map keeps insertion order): waiting, being handled, or handled. */
  private readonly seen = new Map<number, true>();
  private wake: (() => void) | undefined;
  private writing: Promise<void> = Promise.resolve();
  private lines = 0;
  private closed = false;

  private constructor(
    private readonly path: string,
    private file: FileHandle,
    private readonly log: Logger,
  ) {}

  /** Opens the journal and hands out again what the last run had not handled. */
  static async open(path: string, log: Logger): Promise<LocalInbox> {
    let text = "";
    try {
      text = await readFile(path, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
    const pending = new Map<number, Update>();
    const handled: number[] = [];
    let broken = 0;
    for (const line of text.split("\n")) {
      if (line === "") continue;
      let entry: JournalLine;
      try {
        entry = JSON.parse(line) as JournalLine;
      } catch {
        broken++; // a line a kill cut short: its update was never answered, so Telegram delivers it again
        continue;
      }
      if ("u" in entry) pending.set(entry.u.update_id, entry.u);
      else {
        pending.delete(entry.d);
        handled.push(entry.d);
      }
    }
    if (broken > 0) log.warn({ path, lines: broken }, "skipped unreadable lines of the webhook journal");
    const inbox = new LocalInbox(path, await open(path, "a"), log);
    for (const id of handled.slice(-REMEMBERED)) inbox.seen.set(id, true);
    for (const update of [...pending.values()].sort((a, b) => a.update_id - b.update_id)) {
      inbox.seen.set(update.update_id, true);
      inbox.waiting.push({ update_id: update.update_id, update, ref: String(update.update_id) });
    }
    if (pending.size > 0) {
      log.info({ updates: pending.size }, "webhook updates the last run had taken but not handled come now");
    }
    await inbox.compact();
    return inbox;
  }

  get size(): number {
    return this.waiting.length + this.taken.size;
  }

  async accept(update: Update): Promise<Accepted> {
    if (this.closed) return "busy";
    const id = update.update_id;
    if (this.seen.has(id)) return "ok";
    if (this.size >= MAX_KEPT) return "busy";
    this.remember(id);
    await this.append({ u: update });
    this.waiting.push({ update_id: id, update, ref: String(id) });
    this.wake?.();
    return "ok";
  }

  take(limit: number, signal: AbortSignal): Promise<InboxItem[]> {
    const now = (): InboxItem[] => {
      const items = this.waiting.splice(0, limit);
      for (const item of items) this.taken.set(item.update_id, item);
      return items;
    };
    if (this.waiting.length > 0 || this.closed || signal.aborted) return Promise.resolve(now());
    return new Promise((resolve) => {
      const finish = () => {
        signal.removeEventListener("abort", finish);
        this.wake = undefined;
        resolve(now());
      };
      this.wake = finish;
      signal.addEventListener("abort", finish, { once: true });
    });
  }

  async done(item: InboxItem): Promise<void> {
    if (!this.taken.delete(item.update_id)) return;
    await this.append({ d: item.update_id });
    if (this.lines >= COMPACT_AFTER_LINES && !this.closed) await this.compact();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake?.();
    await this.writing;
    await this.file.close();
  }

  private remember(id: number): void {
    this.seen.set(id, true);
    if (this.seen.size > REMEMBERED + MAX_KEPT) {
      const oldest = this.seen.keys().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
  }

  /** Appends in call order; a write that fails is thrown to its caller (the webhook then answers 503). */
  private append(entry: JournalLine): Promise<void> {
    const line = `${JSON.stringify(entry)}\n`;
    const write = this.writing.then(async () => {
      await this.file.write(line);
      this.lines++;
    });
    this.writing = write.catch(() => undefined);
    return write;
  }

  /**
   * Rewrites the journal with what is still needed: the updates not handled yet, and the ids of the newest
   * handled ones (to recognise their re-delivery after a restart). Written aside and renamed, so a kill during
   * it leaves the old journal whole.
   */
  private compact(): Promise<void> {
    const run = this.writing.then(async () => {
      const kept = [...this.taken.values(), ...this.waiting].map((item) => item.update_id);
      const pending = new Set(kept);
      const handled = [...this.seen.keys()].filter((id) => !pending.has(id)).slice(-REMEMBERED);
      const text = [
        ...handled.map((d) => JSON.stringify({ d })),
        ...[...this.taken.values(), ...this.waiting].map((item) => JSON.stringify({ u: item.update })),
      ].join("\n");
      const temp = `${this.path}.tmp`;
      await rm(temp, { force: true });
      const out = await open(temp, "w");
      try {
        await out.write(text === "" ? "" : `${text}\n`);
        await out.sync();
      } finally {
        await out.close();
      }
      // The old handle stays usable until the rename has succeeded (it then points at the replaced file).
      await rename(temp, this.path);
      const previous = this.file;
      this.file = await open(this.path, "a");
      await previous.close();
      this.lines = 0;
    });
    this.writing = run.catch((err: unknown) =>
      this.log.warn({ err, path: this.path }, "could not compact the webhook journal; it keeps growing"),
    );
    return this.writing;
  }
}
