/**
 * Messages that show work under way (a pull's progress, a voice message being made), noted in the chat's
 * session while they show it, so the start-up after a kill can say on each that the work was cut. One mechanism
 * for every such list: a bounded list per session field, and one pass over the sessions at start-up.
 */

import { sessionLocale } from "../i18n.js";
import type { ChatSession } from "../session.js";
import type { T } from "../views/t.js";
import { type Core, chatKey, logFailure } from "./core.js";

/** The session fields that are such lists. */
export type ShownField = "pullsShown" | "voiceShown";
export type ShownItem<F extends ShownField> = NonNullable<ChatSession[F]>[number];

/** Changes the chat's list (kept to its newest `max`); a storage failure is logged, the work goes on. */
export async function noteShown<F extends ShownField>(
  core: Core,
  chatId: number,
  field: F,
  max: number,
  change: (list: ShownItem<F>[]) => ShownItem<F>[],
): Promise<void> {
  await core.store
    .update(chatKey(chatId), (d) => {
      const next = change([...((d[field] ?? []) as ShownItem<F>[])]).slice(-max);
      (d[field] as ShownItem<F>[] | undefined) = next.length > 0 ? next : undefined;
    })
    .catch(logFailure(core.log, `could not note a message in ${field}`, { chatId }));
}

/**
 * At start-up: every chat's list is emptied and each message on it marked with `mark` (in the chat's language).
 * Returns how many were marked.
 */
export async function recoverShown<F extends ShownField>(
  core: Core,
  field: F,
  mark: (chatId: number, item: ShownItem<F>, t: T) => Promise<void>,
  scope?: ChatScope,
): Promise<number> {
  let n = 0;
  for await (const { chatId, session } of chatSessions(core, scope)) {
    const list = session[field] as ShownItem<F>[] | undefined;
    if (!list) continue;
    await core.store.update(chatKey(chatId), (d) => {
      d[field] = undefined;
    });
    const t = core.texts.for(sessionLocale(session));
    for (const item of list) {
      await mark(chatId, item, t);
      n++;
    }
  }
  return n;
}

/**
 * Which chats a recovery pass looks at: every chat in the store (undefined: the start of the only process), or
 * these (the chats one process of several took over from one that died or left).
 */
export type ChatScope = ReadonlySet<number> | undefined;

/** The keys of the chats in `scope` (keys that are not chat ids, e.g. the bot's own, are skipped). */
export async function* chatKeys(core: Pick<Core, "store">, scope?: ChatScope): AsyncGenerator<string> {
  if (scope) {
    for (const chatId of scope) yield chatKey(chatId);
    return;
  }
  for await (const key of core.store.keys()) {
    if (Number.isSafeInteger(Number(key))) yield key;
  }
}

/** Every chat's session in `scope`. */
export async function* chatSessions(
  core: Pick<Core, "store">,
  scope?: ChatScope,
): AsyncGenerator<{ chatId: number; session: ChatSession }> {
  for await (const key of chatKeys(core, scope)) {
    yield { chatId: Number(key), session: await core.store.get(key) };
  }
}
