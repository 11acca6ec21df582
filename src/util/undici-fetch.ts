/**
 * The `fetch` grammY calls, on undici's `request` over one keep-alive pool. grammY's default on Node is
 * node-fetch over an `http.Agent` that keeps at most 256 idle sockets: with many chats streaming, each Bot API
 * call then costs a ClientRequest, a node-fetch Response and its streams, often a new TCP (and TLS) connection,
 * and the objects live long enough to be promoted, so the old generation fills with garbage. undici's pool keeps
 * its connections and allocates far less per call.
 *
 * grammY uses only `method`, `headers`, `body` (a JSON string, or a Readable of multipart form data) and `signal`
 * of the request, and `json()` of the response (its `ok` and `status` for errors it reads from the body).
 */
import type { Readable } from "node:stream";
import { Agent, request } from "undici";

/**
 * Connections kept to the Bot API. Enough for TELEGRAM_MAX_CALLS_PER_SECOND's default (1,000 a second at Telegram's
 * usual 100-250 ms a call); more calls wait in the pool rather than open and close connections.
 */
export const TELEGRAM_CONNECTIONS = 256;

export interface TelegramFetchOptions {
  /** Connections per origin at most (a call waits in the pool for a free one). Default TELEGRAM_CONNECTIONS. */
  connections?: number;
  /** Idle keep-alive connections are closed after this. Default 30 s. */
  keepAliveTimeoutMs?: number;
}

interface FetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Readable;
  signal?: AbortSignal;
}

export interface MinimalResponse {
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
  text(): Promise<string>;
}

export function telegramFetch(options: TelegramFetchOptions = {}): {
  fetch: (url: string | URL, init?: FetchInit) => Promise<MinimalResponse>;
  close(): Promise<void>;
} {
  const agent = new Agent({
    connections: options.connections ?? TELEGRAM_CONNECTIONS,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 30_000,
    // grammY's own timeout (timeoutSeconds, longer than a long poll) bounds every call: undici's must not be
    // shorter, or a 30 s getUpdates would be cut.
    headersTimeout: 0,
    bodyTimeout: 0,
  });
  return {
    async fetch(url, init = {}) {
      const { headers = {} } = init;
      // undici sets the connection itself; node-fetch's "connection: keep-alive" would be refused.
      const { connection: _, ...rest } = headers;
      const res = await request(url, {
        method: (init.method ?? "GET") as "GET",
        headers: rest,
        body: init.body ?? null,
        signal: init.signal,
        dispatcher: agent,
      });
      return {
        ok: res.statusCode >= 200 && res.statusCode < 300,
        status: res.statusCode,
        json: () => res.body.json(),
        text: () => res.body.text(),
      };
    },
    close: () => agent.close(),
  };
}
