/**
 * A load balancer on loopback, as a reverse proxy in front of several bot processes would be: each request goes to
 * the next backend in turn; a backend that refuses the connection (stopped, killed) is skipped for the next one,
 * as a proxy with passive health checks does, and 502 comes back only when none answers. It forwards the method,
 * path, headers (the secret token among them) and body, and passes back the status and body.
 */
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface RoundRobin {
  url: string;
  /** Requests each backend answered (by its port). */
  served: Map<number, number>;
  close(): Promise<void>;
}

export async function startRoundRobin(ports: readonly number[]): Promise<RoundRobin> {
  let next = 0;
  const served = new Map<number, number>();
  const forward = (
    port: number,
    method: string,
    path: string,
    headers: Record<string, string | string[] | undefined>,
    body: Buffer,
  ) =>
    new Promise<{ status: number; body: Buffer; headers: Record<string, string | string[] | undefined> }>(
      (resolve, reject) => {
        const req = request({ host: "127.0.0.1", port, method, path, headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 502, body: Buffer.concat(chunks), headers: res.headers }),
          );
          res.on("error", reject);
        });
        req.on("error", reject);
        req.end(body);
      },
    );
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const body = Buffer.concat(chunks);
      const { host: _host, connection: _conn, ...headers } = req.headers;
      for (let tried = 0; tried < ports.length; tried++) {
        const port = ports[next++ % ports.length]!;
        try {
          const out = await forward(port, req.method ?? "GET", req.url ?? "/", headers, body);
          served.set(port, (served.get(port) ?? 0) + 1);
          res.writeHead(out.status, { "content-type": String(out.headers["content-type"] ?? "text/plain") });
          res.end(out.body);
          return;
        } catch {
          // Refused or reset: the next backend.
        }
      }
      res.writeHead(502).end("no backend answered");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    served,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
