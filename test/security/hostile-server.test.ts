/** A broken or hostile server cannot freeze the bot: every event, line and body is bounded. */
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ndjsonLines, sseData } from "../../src/hub/framing.js";
import { OllamaClient, PayloadTooLargeError } from "../../src/hub/index.js";

async function* chunked(total: number, chunk: number, fill = "x"): AsyncGenerator<Uint8Array> {
  const piece = Buffer.from(fill.repeat(chunk));
  for (let sent = 0; sent < total; sent += chunk) yield piece;
}

async function drain(it: AsyncIterable<string[]>): Promise<string[]> {
  const all: string[] = [];
  for await (const batch of it) all.push(...batch);
  return all;
}

let server: Server | undefined;
afterEach(() => {
  server?.close();
  server = undefined;
});

async function serve(handler: (res: ServerResponse) => void): Promise<string> {
  server = createServer((_req, res) => handler(res));
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("a hostile server", () => {
  it("frames NDJSON lines split over many chunks exactly, and refuses a line past the limit", async () => {
    async function* parts() {
      yield Buffer.from('{"a":');
      for (let i = 0; i < 1000; i++) yield Buffer.from("1");
      yield Buffer.from("}\n\n{");
      yield Buffer.from('"b":2}');
    }
    expect(await drain(ndjsonLines(parts()))).toEqual([`{"a":${"1".repeat(1000)}}`, '{"b":2}']);
    const refused = drain(
      ndjsonLines(chunked(2_000_000, 65_536), 1_000_000, (limit) => {
        throw new Error(`too large: ${limit}`);
      }),
    );
    await expect(refused).rejects.toThrow("too large: 1000000");
  });

  it("refuses an SSE event that never ends past the limit", async () => {
    async function* never() {
      yield Buffer.from("data: ");
      yield* chunked(3_000_000, 65_536);
    }
    const refused = drain(
      sseData(never(), "latin1", 1_000_000, (limit) => {
        throw new Error(`too large: ${limit}`);
      }),
    );
    await expect(refused).rejects.toThrow("too large: 1000000");
  });

  it("stops a stream whose single line outgrows HUB_MAX_EVENT_BYTES, with PAYLOAD_TOO_LARGE", async () => {
    const base = await serve((res) => {
      res.writeHead(200, { "content-type": "application/x-ndjson" });
      const piece = "y".repeat(65_536);
      const tick = () => {
        if (res.destroyed) return;
        res.write(piece, () => setImmediate(tick));
      };
      tick();
    });
    const client = new OllamaClient({ mode: "direct", baseUrl: base, maxEventBytes: 1_000_000, retries: 0 });
    const stream = client.chatStream({ model: "m", messages: [{ role: "user", content: "hi" }] });
    let err: unknown;
    try {
      for await (const _ of stream) {
        // nothing ever completes
      }
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PayloadTooLargeError);
    expect((err as PayloadTooLargeError).code).toBe("PAYLOAD_TOO_LARGE");
    await client.close();
  });

  it("refuses a management reply past HUB_MAX_BODY_BYTES instead of buffering it", async () => {
    const base = await serve((res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(`{"models":[],"junk":"${"z".repeat(3_000_000)}"}`);
    });
    const client = new OllamaClient({ mode: "direct", baseUrl: base, maxBodyBytes: 1_000_000, retries: 0 });
    await expect(client.listModels()).rejects.toMatchObject({
      code: "PAYLOAD_TOO_LARGE",
      limitBytes: 1_000_000,
    });
    await client.close();
  });

  it("keeps a huge error text out of its message (clipped), so no regex scans it whole", async () => {
    const huge = `model ${"model ".repeat(60_000)}`;
    const base = await serve((res) => {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: huge }));
    });
    const client = new OllamaClient({ mode: "direct", baseUrl: base, retries: 0 });
    const err = (await client.listModels().catch((e: unknown) => e)) as Error & { code: string };
    expect(err.code).toBe("HUB_HTTP_ERROR");
    expect(err.message.length).toBeLessThan(1_300);
    await client.close();
  });
});
