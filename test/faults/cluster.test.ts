/**
 * Three bot processes in webhook mode on one real redis-server, behind a round-robin proxy on loopback, driven
 * through the fake Telegram (issue 14): many chats sending bursts, with Telegram's re-deliveries mixed in, get one
 * answer per message, in order, none lost; a process SIGKILLed mid-answer has its chat taken over, marked, and
 * Retry works from whichever process gets the press; Redis restarting mid-run is ridden out.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { FakeTelegram } from "../fakes/telegram.js";
import { delay } from "./child-bot.js";
import { type Cluster3, ownerOf, startCluster } from "./cluster-world.js";

let world: Cluster3 | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** The bot's final answers in a chat ("You said: …" from the fake's tiny model), in the chat's order. */
const answers = (tg: FakeTelegram, chat: number) =>
  tg
    .visibleMessages(chat)
    .filter((m) => m.from === "bot" && m.buttons.flat().every((b) => !b.text.includes("Stop")))
    .map((m) => m.text)
    .filter((t) => t.includes("m#"));

describe("three bot processes on Redis behind one webhook", () => {
  it("answers bursts from many chats once each, in order, with re-deliveries mixed in, spread over the processes, two generations at a time in all", async () => {
    world = await startCluster({ tokenDelayMs: 15 });
    const w = world;
    const chats = Array.from({ length: 12 }, (_, i) => 5001 + i);
    // Three: a chat may have three messages waiting (a fourth is refused, with a note).
    const burst = 3;
    for (let i = 0; i < burst; i++) {
      for (const chat of chats) w.tg.sendText(chat, `m#${i} from ${chat}`);
      // Telegram delivering some updates again (its answer was lost on the way back).
      await delay(150);
      const done = w.tg.webhookDeliveries().filter((d) => d.status === 200);
      for (const d of done.filter((_, k) => k % 5 === 0)) await w.tg.redeliver(d.updateId);
    }
    const expected = (chat: number) => Array.from({ length: burst }, (_, i) => `m#${i} from ${chat}`);
    await w.tg.waitFor(() => chats.every((c) => answers(w.tg, c).length >= burst), { timeoutMs: 40_000 });
    await delay(500); // anything doubled would have come by now
    for (const chat of chats) {
      const got = answers(w.tg, chat);
      expect(got, `chat ${chat}`).toHaveLength(burst);
      for (const [i, text] of expected(chat).entries())
        expect(got[i], `chat ${chat} answer ${i}`).toContain(text);
    }
    // Several processes served the chats, and each chat was handled by one.
    const owners = new Set(await Promise.all(chats.map((c) => ownerOf(w, c))));
    expect(owners.size).toBeGreaterThanOrEqual(2);
    expect(owners.has(-1)).toBe(false);
    // The first process learnt of the other two, and took a third of the Telegram budget (1000 calls/s).
    const part = w.bots[0]!.lines.findLast((l) => l.msg.includes("part of the Telegram budget"));
    expect(JSON.parse(part?.raw ?? "{}")).toMatchObject({ processes: 3, callsPerSecond: 333 });
    // MAX_CONCURRENT_GENERATIONS holds for the three processes together, as Ollama sees it.
    expect(w.ollama.maxGenerating).toBe(2);
    for (const bot of w.bots) expect(bot.problems(), bot.tail()).toEqual([]);
  }, 60_000);

  it("a process SIGKILLed mid-answer: another takes its chat over, marks the answer, and Retry works", async () => {
    world = await startCluster({ longTokens: 4_000, tokenDelayMs: 5 });
    const w = world;
    const chat = 6001;
    w.tg.sendText(chat, "/ollama");
    const picker = await w.tg.waitFor(() =>
      w.tg.visibleMessages(chat).find((m) => m.buttons.flat().some((b) => b.text.startsWith("long"))),
    );
    const long = picker.buttons.flat().find((b) => b.text.startsWith("long"))!;
    w.tg.pressButton(chat, picker.messageId, long.data!);
    await w.tg.waitFor(() =>
      w.tg.visibleMessages(chat).some((m) => m.text.includes("Now chatting with long")),
    );
    w.tg.sendText(chat, "tell me everything");
    await w.tg.waitFor(() => w.tg.visibleMessages(chat).some((m) => m.text.startsWith("word0 word1 word2")), {
      timeoutMs: 20_000,
    });
    const owner = await ownerOf(w, chat);
    expect(owner).toBeGreaterThanOrEqual(0);
    await w.bots[owner]!.kill("SIGKILL");
    // After the lease (2 s), a survivor takes the chat over and marks the cut answer, with Retry.
    const marked = await w.tg.waitFor(
      () =>
        w.tg
          .visibleMessages(chat)
          .find((m) => m.from === "bot" && m.buttons.flat().some((b) => b.text.includes("Retry"))),
      { timeoutMs: 20_000 },
    );
    expect(
      w.tg.visibleMessages(chat).some((m) => m.buttons.flat().some((b) => b.text.includes("Stop"))),
    ).toBe(false);
    const newOwner = await ownerOf(w, chat);
    expect(newOwner).not.toBe(owner);
    expect(newOwner).toBeGreaterThanOrEqual(0);
    // Retry, pressed now, reaches whichever process the proxy picks, and the new owner answers again.
    const retry = marked.buttons.flat().find((b) => b.text.includes("Retry"))!;
    const before = w.tg.callsTo("sendMessage").length;
    w.tg.pressButton(chat, marked.messageId, retry.data!);
    await w.tg.waitFor(() => w.tg.callsTo("sendMessage").length > before, { timeoutMs: 20_000 });
    for (const [i, bot] of w.bots.entries()) if (i !== owner) expect(bot.problems(), bot.tail()).toEqual([]);
  });

  it("a graceful stop (SIGTERM) lets the answer finish and hands the chat, with its waiting message, to another process", async () => {
    world = await startCluster({ processes: 2, longTokens: 300, tokenDelayMs: 5 });
    const w = world;
    const chat = 6501;
    w.tg.sendText(chat, "/ollama");
    const picker = await w.tg.waitFor(() =>
      w.tg.visibleMessages(chat).find((m) => m.buttons.flat().some((b) => b.text.startsWith("long"))),
    );
    w.tg.pressButton(
      chat,
      picker.messageId,
      picker.buttons.flat().find((b) => b.text.startsWith("long"))!.data!,
    );
    await w.tg.waitFor(() =>
      w.tg.visibleMessages(chat).some((m) => m.text.includes("Now chatting with long")),
    );
    w.tg.sendText(chat, "first question");
    await w.tg.waitFor(() => w.tg.visibleMessages(chat).some((m) => m.text.startsWith("word0 word1 word2")));
    w.tg.sendText(chat, "second question");
    await w.tg.waitFor(() => w.tg.visibleMessages(chat).some((m) => m.text.startsWith("⏳")));
    const owner = await ownerOf(w, chat);
    const exit = await w.bots[owner]!.kill("SIGTERM");
    expect(exit.code).toBe(0);
    // The first answer was finished, not cut; the second was answered by the other process.
    const finishedAnswers = () =>
      w.tg
        .visibleMessages(chat)
        .filter(
          (m) =>
            m.from === "bot" &&
            m.text.startsWith("word0") &&
            m.buttons.flat().some((b) => b.text.includes("Regenerate")),
        );
    await w.tg.waitFor(() => finishedAnswers().length === 2, { timeoutMs: 30_000 });
    expect(w.tg.visibleMessages(chat).some((m) => /interrupted|restart/i.test(m.text))).toBe(false);
    expect(await ownerOf(w, chat)).toBe(1 - owner);
    expect(
      w.bots[owner]!.lines.some((l) => l.msg === "handed this process's chats to another bot process"),
    ).toBe(true);
  }, 60_000);

  it("rides out a Redis restart: messages sent while it is away are answered after, and no process stops", async () => {
    world = await startCluster({ processes: 2 });
    const w = world;
    const chats = [7001, 7002, 7003, 7004];
    for (const chat of chats) w.tg.sendText(chat, `m#0 from ${chat}`);
    await w.tg.waitFor(() => chats.every((c) => answers(w.tg, c).length >= 1), { timeoutMs: 30_000 });
    await w.redis.stop();
    for (const chat of chats) w.tg.sendText(chat, `m#1 from ${chat}`);
    await delay(1_000);
    // Telegram could not hand them over (503 from the webhook): it keeps them and tries again.
    expect(w.tg.pendingUpdates().length).toBeGreaterThan(0);
    await w.redis.start();
    await w.tg.waitFor(() => chats.every((c) => answers(w.tg, c).length >= 2), { timeoutMs: 30_000 });
    for (const chat of chats) {
      const got = answers(w.tg, chat);
      expect(got).toHaveLength(2);
      expect(got[1]).toContain(`m#1 from ${chat}`);
    }
    for (const bot of w.bots) expect(bot.running).toBe(true);
  });
});
