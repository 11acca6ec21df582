export type { App, BotDeps, ModelClient } from "./app.js";
export { type CreateBotOptions, createBot } from "./create-bot.js";
export { FairQueue } from "./queue.js";
export { type RunningBot, recoverInterruptedTurns, startBot } from "./run.js";
export {
  buildMessages,
  type ChatSession,
  type ChatStore,
  type HistoryEntry,
  initialSession,
  SESSION_MIGRATIONS,
  SESSION_VERSION,
} from "./session.js";
