/** Internal details never reach a chat: a server's traceback, paths and addresses go to the log only. */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type Harness, startHarness, USER } from "../support/bot-harness.js";

const TRACEBACK =
  'Traceback (most recent call last):\n  File "/home/mac/tts-hub/app.py", line 412, in chat\n' +
  "requests.exceptions.ConnectionError: HTTPConnectionPool(host='192.168.1.23', port=11434)";

let h: Harness | undefined;
let server: Server | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
  server?.close();
});

describe("what users see of a failure", () => {
  it("a hub's 500 with a traceback becomes one short sentence with its status; the detail is in the log", async () => {
    server = createServer((req, res) => {
      if (req.url === "/health") {
        res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
      } else if (req.url?.startsWith("/api/ollama/tags")) {
        res
          .writeHead(200, { "content-type": "application/json" })
          .end(
            '{"models":[{"name":"tiny:latest","model":"tiny:latest","size":1,"digest":"d","details":{}}]}',
          );
      } else {
        res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: TRACEBACK }));
      }
    });
    await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
    h = await startHarness({ env: { TTSHUB_API_BASE: base } });
    await h.store.update(String(USER), (s) => {
      s.model = "tiny:latest";
    });
    h.tg.sendText(USER, "hello");
    const note = await h.waitForBot(USER, (m) => m.text.includes("Your message is saved"));
    expect(note.text).toContain(`I got an error from the hub at ${base} (500).`);
    const seen = h
      .botMessages(USER)
      .map((m) => m.text)
      .join("\n");
    for (const secret of ["Traceback", "/home/mac", "192.168.1.23", "app.py"])
      expect(seen).not.toContain(secret);
    expect(h.logs.join("")).toContain("192.168.1.23"); // the operator still has the detail
  });
});
