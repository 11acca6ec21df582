import { once } from "node:events";
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What a client sent to a fake, so tests assert on requests instead of on our internals. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Parsed JSON; the raw text when it is not JSON; `undefined` when there was no body. */
  body: unknown;
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function record(req: IncomingMessage, raw: Buffer): RecordedRequest {
  const url = new URL(req.url ?? "/", "http://fake");
  let body: unknown;
  if (raw.length > 0) {
    try {
      body = JSON.parse(raw.toString("utf8"));
    } catch {
      body = raw.toString("utf8");
    }
  }
  return {
    method: req.method ?? "",
    path: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    body,
  };
}

/**
 * Resolves after `ms`, or at once for 0 without arming a timer, so a test using fake timers is not frozen by a
 * fake that was configured not to wait. Rejects when `signal` aborts (the client went away, or the fake closed).
 */
export async function pause(ms: number, signal: AbortSignal): Promise<void> {
  signal.throwIfAborted();
  if (ms <= 0) return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      signal.removeEventListener("abort", done);
      clearTimeout(timer);
      if (signal.aborted) reject(signal.reason);
      else resolve();
    }
    signal.addEventListener("abort", done);
  });
}

/** Resolves once `data` has been handed to the kernel, so destroying the socket next cannot drop it. */
export function writeFlushed(res: ServerResponse, data: string | Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => res.write(data, (err) => (err ? reject(err) : resolve())));
}

/** Ends the connection without finishing the response: a chunked body then lacks its `0\r\n\r\n`. */
export function cutConnection(res: ServerResponse): void {
  res.socket?.destroy();
}

/** Loopback listener that can be taken down and brought back on the same port (connection refused meanwhile). */
export class Listener {
  port = 0;
  constructor(private readonly server: Server) {}

  async start(): Promise<void> {
    this.server.listen(this.port, "127.0.0.1");
    await once(this.server, "listening");
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }
}
