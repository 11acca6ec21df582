export {
  type BotConfig,
  type Config,
  ConfigError,
  type LogLevel,
  loadConfig,
  NOBODY_ALLOWED,
  type SettingDefaults,
  type WebhookConfig,
} from "./config.js";
