/**
 * The names of the multi-step inputs (conversations in features/prompts.ts), so any feature can start one
 * without importing that feature.
 */
import type { BotContext } from "./context.js";

/** How long a question waits for its answer. */
export const QUESTION_EXPIRES_MS = 15 * 60_000;

export const CONVERSATION = {
  system: "system",
  topic: "topic",
  persona: "persona",
  /** A setting's own value (/settings → ✏️). */
  setting: "setting",
  /** A model to pull, by name (/models, admins). */
  pull: "pull",
} as const;

/** Starts a question for the pressing user, replacing any question of theirs still open. */
export async function enterConversation(ctx: BotContext, id: string, ...args: unknown[]): Promise<void> {
  await ctx.conversation.exitAll();
  await ctx.conversation.enter(id, ...args);
}
