export {
  BytesLiteralError,
  decodeBytesLiteral,
  decodeBytesLiteralToBytes,
  type ParsedBatch,
  parseHubPayload,
  parseHubPayloads,
} from "./bytes-literal.js";
export { type ClientOptions, OllamaClient, sameModel } from "./client.js";
export * from "./errors.js";
export { audioUrl, uploadFilename, voiceLanguage, type WavInfo, wavInfo } from "./media.js";
export type * from "./types.js";
export { realScheduler, type Scheduler, type TimerHandle } from "./watchdog.js";
