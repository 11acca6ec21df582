import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ndjsonLines, sseData } from "../../src/hub/framing.js";
import { parseHubPayload } from "../../src/hub/index.js";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/hub/${name}`, import.meta.url));

async function* chunks(bytes: Uint8Array, cuts: number[]): AsyncGenerator<Uint8Array> {
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    yield bytes.subarray(start, cut);
    start = cut;
  }
}

async function collect(it: AsyncIterable<string[]>): Promise<string[]> {
  const out: string[] = [];
  for await (const batch of it) out.push(...batch);
  return out;
}

function contentOf(payloads: string[]): string {
  return payloads
    .map((p) => parseHubPayload(p) as { message?: { content?: string } })
    .map((o) => o.message?.content ?? "")
    .join("");
}

const UNICODE_ANSWER = 'Grüße aus Zürich — 日本語 😀 «ok» it\'s "quoted" back\\slash\ntab\there';

describe("SSE framing of the hub's streams", () => {
  const body = fixture("chat-unicode-stream.body");

  it("gives the same events whatever the body is split into two chunks (every offset, inside \\xNN too)", async () => {
    const whole = await collect(sseData(chunks(body, [])));
    expect(whole[0]).toBe('{"status":"starting"}');
    expect(contentOf(whole.slice(1))).toBe(UNICODE_ANSWER);
    for (let cut = 1; cut < body.length; cut++) {
      expect(await collect(sseData(chunks(body, [cut])))).toEqual(whole);
    }
  });

  it("read as latin1 (as the client reads the hub), gives byte-per-character payloads that decode the same", async () => {
    const whole = await collect(sseData(chunks(body, []), "latin1"));
    for (let cut = 1; cut < body.length; cut += 7) {
      expect(await collect(sseData(chunks(body, [cut]), "latin1"))).toEqual(whole);
    }
    expect(contentOf(whole.slice(1))).toBe(UNICODE_ANSWER); // the hub's body is ASCII: same strings as UTF-8
    const raw = new TextEncoder().encode('data: {"message":{"content":"Grüße"}}\n\n');
    const [payload] = await collect(sseData(chunks(raw, []), "latin1"));
    expect(payload).toBe(Buffer.from(raw.subarray(6, raw.length - 2)).toString("latin1"));
  });

  it("gives the same events when every byte arrives on its own", async () => {
    const cuts = Array.from({ length: body.length - 1 }, (_, i) => i + 1);
    expect(contentOf((await collect(sseData(chunks(body, cuts)))).slice(1))).toBe(UNICODE_ANSWER);
  });

  it("joins a raw multi-byte character split across chunks in a plain-JSON payload", async () => {
    const bytes = new TextEncoder().encode('data: {"message":{"content":"日本語 😀"}}\n\n');
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(contentOf(await collect(sseData(chunks(bytes, [cut]))))).toBe("日本語 😀");
    }
  });

  it("drops an event the connection cut before its blank line", async () => {
    const cut = fixture("chat-upstream-cut.body");
    const truncated = cut.subarray(0, cut.length - 5);
    const events = await collect(sseData(chunks(truncated, [])));
    expect(events).toHaveLength(3);
  });
});

describe("NDJSON framing of Ollama's streams", () => {
  it("gives the same lines whatever the split, including inside a multi-byte character", async () => {
    const text = '{"response":"Grüße"}\n{"response":" 😀"}\n\n{"done":true}\n';
    const bytes = new TextEncoder().encode(text);
    const whole = await collect(ndjsonLines(chunks(bytes, [])));
    expect(whole).toEqual(['{"response":"Grüße"}', '{"response":" 😀"}', '{"done":true}']);
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(await collect(ndjsonLines(chunks(bytes, [cut])))).toEqual(whole);
    }
  });

  it("keeps a last line that has no trailing newline", async () => {
    const bytes = new TextEncoder().encode('{"a":1}\n{"b":2}');
    expect(await collect(ndjsonLines(chunks(bytes, [])))).toEqual(['{"a":1}', '{"b":2}']);
  });
});
