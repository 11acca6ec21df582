/**
 * What `show` says about a model that the bot acts on: capabilities, context length, how it takes `think`.
 * Pure data, read by services and views alike.
 */
import type { ModelInfo } from "../hub/index.js";

/** The capabilities Ollama reports in `show` that the bot acts on or shows. */
export type Capability = "completion" | "vision" | "thinking" | "tools" | "audio" | "embedding";

export interface ModelFacts {
  capabilities: ReadonlySet<string>;
  /** The model's own context length (`<arch>.context_length`), when `show` says. */
  contextLength?: number | undefined;
  family?: string | undefined;
  /** The first line of the license, for the admins' details view. */
  license?: string | undefined;
  /** Thinking takes a level only (`low`…`high`), never `false`: gpt-oss. */
  thinkLevelsOnly: boolean;
}

export function factsOf(info: ModelInfo, name: string): ModelFacts {
  let contextLength: number | undefined;
  for (const [key, value] of Object.entries(info.model_info ?? {})) {
    if (key.endsWith(".context_length") && typeof value === "number" && value > 0) contextLength = value;
  }
  const family = info.details?.family;
  return {
    capabilities: new Set(info.capabilities ?? ["completion"]),
    contextLength,
    family,
    license: info.license
      ?.split("\n")
      .map((l) => l.trim())
      .find((l) => l !== ""),
    thinkLevelsOnly: family === "gptoss" || /^gpt-oss/i.test(name),
  };
}

/** Embedding-only models cannot chat: they are not offered in the picker. */
export function canChat(facts: ModelFacts | undefined): boolean {
  return !facts || facts.capabilities.has("completion") || !facts.capabilities.has("embedding");
}
