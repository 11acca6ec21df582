/**
 * The inbox of one process among several (REDIS_URL with WEBHOOK_URL): an update goes to its chat's owner through
 * the cluster (`src/cluster`), and this process takes what it owns from its stream in Redis.
 */
import type { Update } from "grammy/types";
import type { Cluster } from "../../cluster/index.js";
import type { Logger } from "../../log/index.js";
import { DEFAULT_REDIS_PREFIX } from "../../store/index.js";
import type { Inbox, InboxItem } from "./inbox.js";
import type { Accepted } from "./webhook-server.js";

/** The chat an update belongs to, when it has one (what the cluster routes by). */
export function updateChat(update: Update): number | undefined {
  return (
    update.message?.chat.id ??
    update.edited_message?.chat.id ??
    update.callback_query?.message?.chat.id ??
    update.stopped_message_generation?.chat.id ??
    update.my_chat_member?.chat.id ??
    undefined
  );
}

/**
 * The fence of session writes: a chat's session (its key is the chat id) is written only while this process owns
 * the chat. Other keys (the bot's own) are written as usual.
 */
export function fenceFor(cluster: Cluster, prefix = DEFAULT_REDIS_PREFIX) {
  return (fullKey: string, json: string): Promise<boolean | undefined> => {
    const key = fullKey.startsWith(prefix) ? fullKey.slice(prefix.length) : fullKey;
    if (!/^-?\d+$/.test(key)) return Promise.resolve(undefined);
    return cluster.fencedSet(fullKey, json, key);
  };
}

export class ClusterInbox implements Inbox {
  private closing: Promise<void> | undefined;

  constructor(
    readonly cluster: Cluster,
    private readonly log: Logger,
  ) {}

  async accept(update: Update): Promise<Accepted> {
    const chat = updateChat(update);
    const res = await this.cluster.route(
      update.update_id,
      chat === undefined ? "" : String(chat),
      JSON.stringify(update),
    );
    return res === "busy" ? "busy" : "ok";
  }

  async take(limit: number, signal: AbortSignal): Promise<InboxItem[]> {
    const entries = await this.cluster.take(limit, signal);
    const items: InboxItem[] = [];
    for (const entry of entries) {
      const chat = entry.chat === "" ? undefined : Number(entry.chat);
      if (entry.kind === "recover") {
        if (chat !== undefined) items.push({ update_id: 0, recover: chat, chat, ref: entry.id });
        continue;
      }
      let update: Update;
      try {
        update = JSON.parse(entry.data ?? "") as Update;
      } catch (err) {
        // Only a hand-made entry can fail to parse: it is dropped, and said so.
        this.log.error({ err, entry: entry.id }, "an inbox entry in Redis did not parse; it is dropped");
        await this.cluster
          .done(entry.id)
          .catch((doneErr: unknown) =>
            this.log.warn({ err: doneErr, entry: entry.id }, "could not drop an unparsable inbox entry"),
          );
        continue;
      }
      items.push({
        update_id: update.update_id,
        update,
        ...(chat === undefined ? {} : { chat }),
        ref: entry.id,
      });
    }
    return items;
  }

  done(item: InboxItem): Promise<void> {
    return this.cluster.done(item.ref);
  }

  /** Hands this process's chats and waiting updates to another process, and disconnects. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const to = await this.cluster.leave().catch((err: unknown) => {
        this.log.error(
          { err },
          "could not hand this process's chats to another; they go over when its lease ends",
        );
        return undefined;
      });
      this.log.info(
        to ? { to } : {},
        to
          ? "handed this process's chats to another bot process"
          : "no other bot process is running: the next one to start takes this one's chats",
      );
      await this.cluster.close();
    })();
    return this.closing;
  }
}
