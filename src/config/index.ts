export { type BotConfig, type Config, ConfigError, type LogLevel, loadConfig } from "./config.js";
