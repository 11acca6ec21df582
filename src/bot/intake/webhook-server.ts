/**
 * The webhook's HTTP side: Telegram POSTs one update per request. The request is answered as soon as the update is
 * safe (kept where a crash cannot lose it), not when it has been handled: Telegram sends a chat's next update only
 * after this answer, and delivers again what is not answered in time, so an answer that waited for a model would
 * stall the chat and bring its messages twice.
 *
 * Not grammY's `webhookCallback`: it runs the whole middleware inside the request (its timeout then answers while
 * the update is still being handled, and a crash loses it). The secret header is compared in constant time.
 */
import { timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Update } from "grammy/types";
import type { Logger } from "../../log/index.js";

/** What `accept` did with an update. */
export type Accepted =
  /** Kept (or a copy already was): answer 200. */
  | "ok"
  /** No room now: answer 503, and Telegram delivers it again later. */
  | "busy";

export interface WebhookServerOptions {
  host: string;
  port: number;
  path: string;
  secret: string;
  /** Keeps the update for handling; rejects when it cannot (503, and Telegram delivers it again). */
  accept(update: Update): Promise<Accepted>;
  log: Logger;
  /** A bigger body is refused with 413. Telegram's updates are a few kB; default 1 MiB. */
  maxBodyBytes?: number;
  /** Answers `GET /healthz` (for a load balancer): 200 while this is true, 503 otherwise. Default: always. */
  healthy?: () => boolean;
}

export interface WebhookServer {
  /** The port it listens on (the one asked for, or the free one picked for 0). */
  readonly port: number;
  /** Stops taking requests; resolves once the requests under way are answered. */
  close(): Promise<void>;
}

/** The server could not listen (port taken, no permission). */
export class WebhookListenError extends Error {
  readonly code = "WEBHOOK_LISTEN_FAILED";
}

const SECRET_HEADER = "x-telegram-bot-api-secret-token";
/** A body that trickles in slower than this is cut (a slow client must not hold a socket forever). */
const BODY_TIMEOUT_MS = 10_000;

export async function startWebhookServer(options: WebhookServerOptions): Promise<WebhookServer> {
  const maxBody = options.maxBodyBytes ?? 1024 * 1024;
  const secret = Buffer.from(options.secret);
  const { log } = options;
  let warnedSecret = false;

  const answer = (res: ServerResponse, status: number, body = "", headers: Record<string, string> = {}) => {
    res.writeHead(status, { "content-type": "text/plain; charset=utf-8", ...headers });
    res.end(body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "GET" && path === "/healthz") {
      const ok = options.healthy?.() ?? true;
      return answer(res, ok ? 200 : 503, ok ? "ok" : "not ready");
    }
    if (path !== options.path) return answer(res, 404, "not found");
    if (req.method !== "POST") return answer(res, 405, "use POST", { allow: "POST" });
    const given = Buffer.from(String(req.headers[SECRET_HEADER] ?? ""));
    if (given.length !== secret.length || !timingSafeEqual(given, secret)) {
      // Logged once until a request passes: a scanner would otherwise fill the log.
      if (!warnedSecret) {
        warnedSecret = true;
        log.warn(
          { remote: req.socket.remoteAddress },
          "a webhook request without the right secret token was refused (not Telegram, or WEBHOOK_SECRET " +
            "changed since setWebhook)",
        );
      }
      req.resume();
      return answer(res, 401, "secret token is wrong");
    }
    warnedSecret = false;
    let body: Buffer;
    try {
      body = await readBody(req, maxBody);
    } catch (err) {
      if (err instanceof BodyTooLarge) return answer(res, 413, "too large");
      throw err;
    }
    let update: Update;
    try {
      update = JSON.parse(body.toString("utf8")) as Update;
    } catch {
      return answer(res, 400, "not JSON");
    }
    if (typeof update !== "object" || update === null || !Number.isSafeInteger(update.update_id)) {
      return answer(res, 400, "not an update");
    }
    let accepted: Accepted;
    try {
      accepted = await options.accept(update);
    } catch (err) {
      log.error(
        { err, code: (err as { code?: unknown })?.code, updateId: update.update_id },
        "could not keep an update from the webhook; Telegram will deliver it again",
      );
      return answer(res, 503, "try again", { "retry-after": "1" });
    }
    if (accepted === "busy") return answer(res, 503, "busy", { "retry-after": "1" });
    return answer(res, 200, "ok");
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log.error({ err }, "a webhook request failed");
      if (!res.headersSent) answer(res, 500, "internal error");
      else res.destroy();
    });
  });
  server.requestTimeout = BODY_TIMEOUT_MS;
  server.headersTimeout = BODY_TIMEOUT_MS;
  await new Promise<void>((resolve, reject) => {
    server.once("error", (err) =>
      reject(
        new WebhookListenError(
          `could not listen for the webhook on ${options.host}:${options.port}: ${err.message} (check WEBHOOK_PORT and WEBHOOK_HOST)`,
          { cause: err },
        ),
      ),
    );
    server.listen(options.port, options.host, () => resolve());
  });
  server.on("error", (err) => log.error({ err }, "the webhook server failed"));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Idle keep-alive sockets would hold close() open until they time out.
        server.closeIdleConnections();
      }),
  };
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > max) {
      req.resume();
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.destroy();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}
