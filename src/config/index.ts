export {
  type BotConfig,
  type Config,
  ConfigError,
  type LogLevel,
  loadConfig,
  NOBODY_ALLOWED,
} from "./config.js";
