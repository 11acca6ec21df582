export { type BuiltBot, type CreateBotOptions, createBot, type Lifecycle } from "./create-bot.js";
export { FairQueue } from "./queue.js";
export { type RunningBot, StartupError, startBot } from "./run.js";
export type { BotDeps, ModelClient, Services } from "./services/index.js";
export { serializeTelegramError } from "./services/telegram.js";
export {
  buildMessages,
  type ChatSession,
  type ChatStore,
  type HistoryEntry,
  initialSession,
  SESSION_MIGRATIONS,
  SESSION_VERSION,
} from "./session.js";
