export {
  DEFAULT_EXTRACT_MEMORY_LIMIT_MB,
  DEFAULT_EXTRACT_TIMEOUT_MS,
  type DocumentMeta,
  type ExtractedDocument,
  type ExtractOptions,
  extractText,
} from "./documents.js";
export * from "./errors.js";
