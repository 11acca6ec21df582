import { connect } from "node:net";

export interface RawResponse {
  /** Status line and header lines, each with its CRLF, plus the blank line: the bytes of a fixture's `.headers`. */
  head: string;
  /** The body with any chunked framing removed. */
  body: Buffer;
  /** For a chunked body: whether the `0\r\n\r\n` terminator arrived (false when the server cut the connection). */
  terminated: boolean;
}

/**
 * One HTTP/1.1 exchange over a bare socket, read until the server closes it. A bare socket, not fetch, because
 * the fixtures compare the exact header block and whether the chunked body was terminated.
 */
export async function rawRequest(
  origin: string,
  method: string,
  path: string,
  opts: { body?: string; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  const url = new URL(origin);
  const body = opts.body === undefined ? undefined : Buffer.from(opts.body);
  const headers: Record<string, string> = { Host: url.host, Connection: "close", ...opts.headers };
  if (body) headers["Content-Length"] = String(body.length);
  const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`);
  const socket = connect(Number(url.port), url.hostname);
  socket.write(`${method} ${path} HTTP/1.1\r\n${lines.join("")}\r\n`);
  if (body) socket.write(body);
  const chunks: Buffer[] = [];
  socket.on("data", (chunk: Buffer) => chunks.push(chunk));
  await new Promise<void>((resolve, reject) => {
    socket.on("close", () => resolve());
    socket.on("error", (err: NodeJS.ErrnoException) => (err.code === "ECONNRESET" ? resolve() : reject(err)));
  });
  return parseResponse(Buffer.concat(chunks));
}

export function parseResponse(raw: Buffer): RawResponse {
  const end = raw.indexOf("\r\n\r\n");
  if (end < 0) throw new Error(`no complete header block in ${JSON.stringify(raw.toString("latin1"))}`);
  const head = raw.subarray(0, end + 4).toString("latin1");
  const rest = raw.subarray(end + 4);
  if (!/^transfer-encoding: chunked\r$/im.test(head)) return { head, body: rest, terminated: true };
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = rest.indexOf("\r\n", at);
    if (lineEnd < 0) return { head, body: Buffer.concat(parts), terminated: false };
    const size = Number.parseInt(rest.subarray(at, lineEnd).toString("latin1"), 16);
    if (size === 0) {
      const terminated = rest.subarray(lineEnd, lineEnd + 4).toString("latin1") === "\r\n\r\n";
      return { head, body: Buffer.concat(parts), terminated };
    }
    const data = rest.subarray(lineEnd + 2, lineEnd + 2 + size);
    parts.push(data);
    if (
      data.length < size ||
      rest.subarray(lineEnd + 2 + size, lineEnd + 4 + size).toString("latin1") !== "\r\n"
    ) {
      return { head, body: Buffer.concat(parts), terminated: false };
    }
    at = lineEnd + 4 + size;
  }
}
