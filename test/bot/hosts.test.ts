/**
 * Several model hosts (MODEL_HOSTS, issue 14), through the real bot and the fake Telegram: each chat's turn runs
 * on a host that has its model, two hosts answer two chats at once (one slot each), a host that stops answering
 * is skipped, and /queue shows every host.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { ADMIN, finished, type Harness, startHarness, USER } from "../support/bot-harness.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const GROUP = -100777;
const chatsOn = (harness: Harness, host: string) =>
  harness.hosts[host]!.requests.filter(
    (r) => r.path === "/api/chat" && (r.body as { messages: unknown[] }).messages.length > 0,
  );

describe("several model hosts", () => {
  it("answers a private chat and a group at once, each on the host that has its model", async () => {
    h = await startHarness({
      hosts: [
        { name: "a", models: ["tiny:latest"] },
        { name: "b", models: ["long:latest"] },
      ],
      ollama: { longTokens: 60, tokenDelayMs: 20 },
    });
    h.tg.addChat(GROUP, { type: "supergroup", title: "Team" });
    await h.pick(USER, "long:latest");
    await h.pick(GROUP, "tiny:latest", USER);
    h.tg.sendText(USER, "tell me a long story");
    // The long answer is on b and still streaming when the group's turn comes: a is free, so it starts at once.
    await h.tg.waitFor(() => h!.hosts.b!.generating === 1);
    h.tg.sendText(GROUP, "@test_ollama_bot hello there", { from: { id: USER } });
    await h.waitForBot(GROUP, (m) => finished(m) && m.text.includes("hello there"));
    expect(h.hosts.b!.generating).toBe(1);
    await h.waitForBot(USER, (m) => finished(m) && m.text.startsWith("word0"), 20_000);
    expect(chatsOn(h, "a").map((r) => (r.body as { model: string }).model)).toEqual(["tiny:latest"]);
    expect(chatsOn(h, "b").map((r) => (r.body as { model: string }).model)).toEqual(["long:latest"]);
    // No host ran more than its one slot.
    expect([h.hosts.a!.maxGenerating, h.hosts.b!.maxGenerating]).toEqual([1, 1]);
    // The picker offers the models of both hosts.
    h.tg.sendText(USER, "/ollama");
    const picker = await h.waitForBot(USER, (m) => m.buttons.flat().some((b) => b.text.includes("tiny")));
    expect(picker.buttons.flat().some((b) => b.text.includes("long"))).toBe(true);
  });

  it("skips a host that stops answering, and /queue shows each host's state to an admin", async () => {
    h = await startHarness({
      hosts: [
        { name: "a", models: ["tiny:latest"] },
        { name: "b", models: ["tiny:latest"] },
      ],
    });
    await h.pick(USER, "tiny:latest");
    await h.hosts.a!.setDown(true);
    h.tg.sendText(USER, "still there?");
    await h.waitForBot(USER, (m) => finished(m) && m.text.includes("still there?"));
    expect(chatsOn(h, "b")).toHaveLength(1);
    expect(h.logs.some((l) => l.includes("a model host is not answering"))).toBe(true);
    await vi.waitFor(() => expect(h!.services.queue.size.running).toBe(0));
    h.tg.sendText(ADMIN, "/queue", { from: { id: ADMIN } });
    const queue = await h.waitForBot(ADMIN, (m) => m.text.includes("Generating"));
    expect(queue.text).toContain("Generating: 0 of 2 slots");
    expect(queue.text).toMatch(
      /🔴 a \(Ollama at http:\/\/127\.0\.0\.1:\d+\): not answering \((HUB_UNREACHABLE|OLLAMA_UNAVAILABLE)\)/,
    );
    expect(queue.text).toMatch(/🟢 b \(Ollama at http:\/\/127\.0\.0\.1:\d+\): 0 of 1 generating, 1 models/);
    // Back up: the next check takes it back.
    await h.hosts.a!.setDown(false);
    await h.services.core.hosts!.check();
    h.tg.sendText(ADMIN, "/queue", { from: { id: ADMIN } });
    await h.waitForBot(ADMIN, (m) => /🟢 a .*🟢 b /s.test(m.text));
    // Both away: the failure names the host the turn was on, not the whole list.
    await h.hosts.a!.setDown(true);
    await h.hosts.b!.setDown(true);
    h.tg.sendText(USER, "anyone?");
    const failed = await h.waitForBot(USER, (m) => m.text.includes("I can't reach"));
    expect(failed.text).toMatch(/I can't reach Ollama at http:\/\/127\.0\.0\.1:\d+ right now/);
    expect(failed.text).not.toContain(",");
  });

  it("a pull goes to the first host that lacks the model and names it; a delete names every host it left", async () => {
    h = await startHarness({
      hosts: [
        { name: "a", models: ["tiny:latest"] },
        { name: "b", models: ["long:latest"] },
      ],
    });
    // A new /models menu (not an older one still on screen).
    const menu = async () => {
      const sent = h!.tg.sendText(ADMIN, "/models", { from: { id: ADMIN } });
      await h!.waitForBot(
        ADMIN,
        (m) => m.messageId > sent.messageId && m.text.startsWith("🗂 Installed models:"),
      );
    };
    const pull = async (expected: string | RegExp) => {
      await menu();
      await h!.press(ADMIN, "➕ Pull a model", ADMIN);
      await h!.waitForBot(ADMIN, (m) => m.text.startsWith("📥 Which model") && m.buttons.length > 0);
      h!.tg.sendText(ADMIN, "new:1b", { from: { id: ADMIN } });
      return h!.waitForBot(ADMIN, (m) =>
        typeof expected === "string" ? m.text === expected : expected.test(m.text),
      );
    };
    await pull("✅ new:1b on a is installed.");
    expect(h.hosts.a!.models.map((m) => m.name)).toContain("new:1b");
    expect(h.hosts.b!.models.map((m) => m.name)).not.toContain("new:1b");
    // b away: the pull goes to b all the same (a has it already), and says b cannot be reached.
    await h.hosts.b!.setDown(true);
    await pull(/^❌ Could not pull new:1b on b: Ollama at http:\/\/127\.0\.0\.1:\d+ cannot be reached\.$/);
    await h.hosts.b!.setDown(false);
    // Again, b back: a has it, b does not, so it goes to b.
    await pull("✅ new:1b on b is installed.");
    expect(h.hosts.b!.models.map((m) => m.name)).toContain("new:1b");
    // On every host now: nothing to pull.
    await menu();
    await h.press(ADMIN, "➕ Pull a model", ADMIN);
    await h.waitForBot(ADMIN, (m) => m.text.startsWith("📥 Which model") && m.buttons.length > 0);
    h.tg.sendText(ADMIN, "new:1b", { from: { id: ADMIN } });
    await h.waitForBot(ADMIN, (m) => m.text === "new:1b is already installed.");
    // Deleted from both, both named.
    await menu();
    await h.press(ADMIN, "new:1b", ADMIN);
    await h.waitForBot(ADMIN, (m) => m.text.startsWith("📦 new:1b"));
    await h.press(ADMIN, "🗑 Delete", ADMIN);
    await h.waitForBot(ADMIN, (m) => m.text.startsWith("🗑 Delete new:1b"));
    await h.press(ADMIN, "🗑 Yes, delete", ADMIN);
    await h.waitForBot(ADMIN, (m) => m.text.startsWith("✅ new:1b on a, b is deleted."));
    expect([...h.hosts.a!.models, ...h.hosts.b!.models].map((m) => m.name)).not.toContain("new:1b");
  });
});
