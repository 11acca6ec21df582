import type { BuiltBot } from "./create-bot.js";

/**
 * The work a stop or a crash cut short, in `scope` (every chat by default): AI↔AI conversations, turns
 * (interrupted ones marked with Retry, waiting ones queued again), summaries, albums, pulls and voice messages. A
 * recovery that fails (the storage is away) is logged; the bot still starts and answers new messages.
 */
export async function recoverWork(
  { services }: BuiltBot,
  scope?: ReadonlySet<number>,
): Promise<{ turns: number; ai: number }> {
  const recovered = (what: string, job: () => Promise<number>) =>
    job().catch((err: unknown) => {
      services.core.log.error(
        { err, code: (err as { code?: unknown })?.code, chats: scope ? [...scope] : "all" },
        `could not recover ${what}`,
      );
      return 0;
    });
  const ai = await recovered("AI↔AI conversations", () => services.ai2ai.recover(scope));
  const turns = await recovered("interrupted and waiting turns", () => services.turns.recover(scope));
  await recovered("summaries", () => services.summaries.recover(scope));
  await recovered("albums", () => services.intake.recover(scope));
  await recovered("pulls", () => services.pulls.recover(scope));
  await recovered("voice messages", () => services.speech.recover(scope));
  return { turns, ai };
}
