/**
 * Where answers stream through Telegram's drafts (`sendMessageDraft`, private chats only) and where through edits,
 * bot-wide: drafts are tried in private chats unless the mode says edits; a chat whose draft Telegram refused
 * streams with edits from then on (in `auto`), and a Bot API server that does not know the method turns them off
 * for every chat. Each kind of refusal is logged once, not once per answer.
 */
import type { Logger } from "pino";
import type { ChatKind } from "./pacing.js";

export type LiveMode = "auto" | "draft" | "edit";

/** Chats remembered as refusing drafts, at most: the oldest are forgotten (and tried again) past it. */
const MAX_REFUSED_CHATS = 10_000;

export class DraftPolicy {
  private readonly refusedChats = new Set<number>();
  /** The Bot API server has no sendMessageDraft (an old local server): no chat gets drafts. */
  private unsupported = false;
  private readonly logged = new Set<string>();

  constructor(
    readonly mode: LiveMode,
    private readonly log?: Pick<Logger, "warn" | "info">,
  ) {}

  /** Whether an answer in this chat streams as a draft. */
  usesDrafts(chatId: number, kind: ChatKind): boolean {
    if (this.mode === "edit" || kind !== "private" || this.unsupported) return false;
    return this.mode === "draft" || !this.refusedChats.has(chatId);
  }

  /** Telegram refused a draft in `chatId` (not a 429): that answer goes on with edits; `auto` remembers it. */
  refused(chatId: number, err: unknown): void {
    const e = err as { error_code?: unknown; description?: unknown };
    const description = typeof e?.description === "string" ? e.description : String(err);
    if (e?.error_code === 404 || /method not found|not found: method/i.test(description)) {
      this.unsupported = true;
      this.once("unsupported", () =>
        this.log?.warn(
          { err },
          "the Bot API server does not know sendMessageDraft: answers stream with edits (update it, or set LIVE_MODE=edit)",
        ),
      );
      return;
    }
    if (this.mode === "auto") {
      if (this.refusedChats.size >= MAX_REFUSED_CHATS) {
        const oldest = this.refusedChats.values().next().value;
        if (oldest !== undefined) this.refusedChats.delete(oldest);
      }
      this.refusedChats.add(chatId);
    }
    this.once(`refused:${description}`, () =>
      this.log?.warn(
        { err, chatId },
        "Telegram refused a draft; this chat's answers stream with edits (logged once per kind of refusal)",
      ),
    );
  }

  private once(key: string, fn: () => void): void {
    if (this.logged.has(key) || this.logged.size > 100) return;
    this.logged.add(key);
    fn();
  }
}
