/**
 * The one place where a failure becomes what a user reads: a short sentence (a key in the Fluent files) and the
 * button that fixes it. Decided by `err.code`, never by message text; the detail (server bodies, stacks, URLs)
 * goes to the log only.
 */
import { hostOf } from "../../hosts/index.js";
import type { TextArgs } from "../i18n.js";
import type { T } from "../views/t.js";
import type { ModelClient } from "./core.js";

/** What a button under the failure can do: send the message again, pull the model, or pick another model. */
export type FailureFix = "retry" | "pull" | "pick" | "none";

export interface Failure {
  /** The error's code, for the log and for tests. */
  code: string;
  key: string;
  args: TextArgs;
  fix: FailureFix;
  /** With several hosts: the one that failed, named instead of the whole list. */
  backend?: Pick<ModelClient, "mode" | "baseUrl"> | undefined;
}

export interface FailureContext {
  /** The model the failed request used, when there was one. */
  model?: string | undefined;
}

/** Where the models are, in the reader's language: "the hub at …" or "Ollama at …". */
export function backendName(t: T, client: Pick<ModelClient, "mode" | "baseUrl">): string {
  return t(client.mode === "hub" ? "backend-hub" : "backend-ollama", { url: client.baseUrl });
}

/** The sentence for a failure, in the reader's language. */
export function failureText(t: T, f: Failure, client: Pick<ModelClient, "mode" | "baseUrl">): string {
  return t(f.key, { ...f.args, backend: backendName(t, f.backend ?? client) });
}

function codeOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : "INTERNAL";
}

export function describeFailure(err: unknown, where: FailureContext = {}): Failure {
  const code = codeOf(err);
  const model = where.model ?? "?";
  const host = hostOf(err);
  const f = (key: string, fix: FailureFix, args: TextArgs = {}): Failure => ({
    code,
    key,
    args: { model, ...args },
    fix,
    ...(host ? { backend: host } : {}),
  });
  switch (code) {
    case "HUB_UNREACHABLE":
      return f("failure-unreachable", "retry");
    case "HUB_TIMEOUT": {
      const phase = (err as { phase?: unknown }).phase;
      return phase === "connect" ? f("failure-unreachable", "retry") : f("failure-timeout", "retry");
    }
    case "OLLAMA_UNAVAILABLE":
      return f("failure-ollama-down", "retry");
    case "MODEL_NOT_FOUND":
      return (err as { where?: unknown }).where === "registry"
        ? f("failure-not-in-library", "pick")
        : f("failure-model-missing", "pull");
    case "HUB_HTTP_ERROR":
      return f("failure-server", "retry", { status: Number((err as { status?: unknown }).status) || 0 });
    case "UPSTREAM_ERROR":
      return f("failure-model-error", "retry");
    case "STREAM_INCOMPLETE":
      return f("failure-cut", "retry");
    case "BAD_PAYLOAD":
    case "PAYLOAD_TOO_LARGE":
      return f("failure-bad-reply", "retry");
    // Files users send (services/files.ts, media.ts, src/media, the hub's speech-to-text).
    case "FILE_TOO_BIG": {
      const e = err as { limit?: unknown; telegramLimit?: unknown };
      const mb = Math.round(Number(e.limit) / (1024 * 1024)) || 20;
      return f(e.telegramLimit === true ? "failure-file-too-big-telegram" : "failure-file-too-big", "none", {
        mb,
      });
    }
    case "FILE_DOWNLOAD_FAILED":
      return f("failure-download", "retry");
    case "STT_UNAVAILABLE":
    // A hub without the speech endpoints at all (an older one, or a base URL without /api).
    case "MEDIA_UNSUPPORTED":
      return f("failure-no-stt", "none");
    case "UPLOAD_TOO_LARGE":
      return f("failure-file-too-big", "none", {
        mb: Math.round(Number((err as { limitBytes?: unknown }).limitBytes) / (1024 * 1024)) || 25,
      });
    case "VOICE_UNSUPPORTED":
      return (err as { why?: unknown }).why === "direct"
        ? f("failure-voice-direct", "none")
        : f("failure-no-stt", "none");
    case "NOTHING_HEARD":
      return f("failure-nothing-heard", "none");
    case "AUDIO_CONVERT_FAILED":
    case "MEDIA_INVALID":
      return f("failure-audio-invalid", "none");
    case "FFMPEG_MISSING":
      return f("failure-hub-ffmpeg", "none");
    case "STT_FAILED":
      return f("failure-stt-failed", "retry");
    case "DOCUMENT_ENCRYPTED":
      return f("failure-document-encrypted", "none");
    case "DOCUMENT_NO_TEXT":
    case "DOCUMENT_EMPTY":
      return f("failure-document-no-text", "none");
    case "DOCUMENT_TIMEOUT":
    case "DOCUMENT_TOO_COMPLEX":
      return f("failure-document-too-complex", "none");
    case "DOCUMENT_INVALID":
      return f("failure-document-invalid", "none");
    case "DOCUMENT_UNSUPPORTED":
    case "DOCUMENT_NOT_TEXT":
      return f("failure-document-unsupported", "none");
    default:
      return f("failure-internal", "retry");
  }
}
