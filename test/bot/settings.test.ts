/**
 * Issue 13 from a user's side: per-chat settings reach the model's request, bad values are refused with the
 * allowed range, the history fits the context actually sent, /summarize, Continue after `length`, Regenerate,
 * preload on pick, and the picker's marks. The real bot, through the fake Telegram, hub and Ollama.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  finished,
  type Harness,
  modelCalls,
  OTHER_USER,
  startHarness,
  USER,
} from "../support/bot-harness.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

interface Body {
  model: string;
  messages: Array<{ role: string; content: string }>;
  options?: Record<string, unknown>;
  think?: unknown;
  keep_alive?: unknown;
}
const lastCall = (harness: Harness) => modelCalls(harness).at(-1)!.body as Body;
const answered = (text: string) => (m: Parameters<typeof finished>[0] & { text: string }) =>
  m.text === text && finished(m);

/** Sends a message and waits for its finished answer (the fake echoes it; a thinking model's thoughts first). */
async function ask(harness: Harness, text: string): Promise<void> {
  harness.tg.sendText(USER, text);
  await harness.waitForBot(USER, (m) => m.text.endsWith(`You said: ${text}`) && finished(m), 15_000);
}

describe("settings from the chat", () => {
  it("sends the defaults explicitly, then each setting changed with /settings NAME VALUE", async () => {
    h = await startHarness();
    await h.pick(USER, "tiny:latest");
    await ask(h, "defaults");
    // Context and keep-alive are always sent; temperature and top_p are the model's own until set.
    expect(lastCall(h).options).toEqual({ num_ctx: 2048 });
    expect(lastCall(h).keep_alive).toBe("30m");
    expect(lastCall(h).think).toBeUndefined(); // tiny cannot think: Ollama would refuse `think`
    for (const [cmd, reply] of [
      ["/settings temperature 0,3", "✅ Temperature: 0,3."],
      ["/settings top_p 0.9", "✅ Top-p: 0.9."],
      ["/settings context 1k", "✅ Context: 1k."],
      ["/settings keep_alive 2h", "✅ Keep loaded: 2h."],
    ] as const) {
      h.tg.sendText(USER, cmd);
      await h.waitForBot(USER, (m) => m.text.startsWith(reply));
    }
    await ask(h, "tuned");
    expect(lastCall(h).options).toEqual({ num_ctx: 1024, temperature: 0.3, top_p: 0.9 });
    expect(lastCall(h).keep_alive).toBe("2h");
    // /model shows them, with what is the chat's own and what is a default.
    h.tg.sendText(USER, "/model");
    const shown = await h.waitForBot(USER, (m) => m.text.includes("🌡 Temperature"));
    expect(shown.text).toContain("🌡 Temperature: 0.3\n");
    expect(shown.text).toContain("📏 Context: 1,024 tokens; the model takes up to 2,048");
    expect(shown.text).toContain("🧠 Thinking: this model does not think");
    // Back to the defaults, and they survive a restart as the chat's own would.
    h.tg.sendText(USER, "/settings temperature default");
    await h.waitForBot(USER, (m) => m.text === "Temperature is back to its default.");
    await h.restart();
    await ask(h, "after restart");
    expect(lastCall(h).options).toEqual({ num_ctx: 1024, top_p: 0.9 });
    h.tg.sendText(USER, "/settings reset");
    await h.waitForBot(USER, (m) => m.text.startsWith("↩️ The settings are back to their defaults."));
    await ask(h, "reset");
    expect(lastCall(h).options).toEqual({ num_ctx: 2048 });
  });

  it("refuses a value out of range with the allowed range, and changes nothing", async () => {
    h = await startHarness();
    await h.pick(USER, "tiny:latest");
    for (const [cmd, reply] of [
      ["/settings temperature 3", 'Temperature must be between 0 and 2 (you sent "3").'],
      ["/settings top_p 0", 'Top-p must be between 0.01 and 1 (you sent "0").'],
      // Bounded by the model's own context length (2048 in the fake's `show`).
      ["/settings context 8192", 'Context must be between 512 and 2,048 (you sent "8192").'],
      ["/settings keep_alive soon", "Keep loaded must be a duration such as 30m or 2h"],
      ["/settings thinking maybe", "Thinking must be one of on, off, low, medium, high"],
      ["/settings colour blue", "/settings opens the menu."],
    ] as const) {
      h.tg.sendText(USER, cmd);
      await h.waitForBot(USER, (m) => m.text.startsWith(reply));
    }
    expect((await h.store.get(String(USER))).settings).toBeUndefined();
    // A forged button gets the same sentence as an alert, and nothing changes either.
    h.tg.sendText(USER, "/settings");
    const menu = await h.waitForBot(USER, (m) => m.text.startsWith("⚙️ Settings for this chat"));
    h.tg.pressButton(USER, menu.messageId, "st:v:temperature:9", { forged: true });
    await h.tg.waitFor(() =>
      h!.tg.callbackAnswers.some((a) => a.text?.startsWith("Temperature must be between 0 and 2")),
    );
    expect((await h.store.get(String(USER))).settings).toBeUndefined();
  });

  it("changes settings from the menu, by tap and by typing one's own value, edited in place", async () => {
    h = await startHarness();
    await h.pick(USER, "tiny:latest");
    h.tg.sendText(USER, "/settings");
    const menu = await h.waitForBot(USER, (m) => m.text.startsWith("⚙️ Settings for this chat"));
    expect(menu.text).toContain("🌡 Temperature: the model's own (default)");
    await h.press(USER, "🌡 Temperature");
    await h.waitForBot(USER, (m) => m.messageId === menu.messageId && m.text.startsWith("🌡 Temperature:"));
    await h.press(USER, "1.3");
    await h.waitForBot(USER, (m) => m.messageId === menu.messageId && m.text.includes("Now: 1.3"));
    await h.press(USER, "✏️ Other value");
    await h.waitForBot(USER, (m) => m.text === "Send the value for Temperature.");
    h.tg.sendText(USER, "5");
    await h.waitForBot(USER, (m) => m.text.startsWith("Temperature must be between 0 and 2"));
    // Asked again after a bad value: the next answer counts.
    h.tg.sendText(USER, "0.55");
    await h.waitForBot(USER, (m) => m.text.startsWith("✅ Temperature: 0.55."));
    await h.press(USER, "◀️ Back");
    const main = await h.waitForBot(
      USER,
      (m) => m.messageId === menu.messageId && m.text.startsWith("⚙️ Settings for this chat"),
    );
    expect(main.text).toContain("🌡 Temperature: 0.55\n");
    await h.press(USER, "👁 Thoughts: shown");
    await h.waitForBot(USER, (m) => m.buttons.flat().some((b) => b.text === "👁 Thoughts: hidden"));
    await ask(h, "from the menu");
    expect(lastCall(h).options?.temperature).toBe(0.55);
    // Every press edited the one menu: no message was added for them.
    const menus = h.botMessages(USER).filter((m) => m.text.startsWith("⚙️ Settings for this chat"));
    expect(menus).toHaveLength(1);
  });

  it("sends thinking explicitly to a model that thinks, and a level to one that takes levels only", async () => {
    h = await startHarness({
      ollama: {
        models: ["tiny:latest", "think:latest", "gpt-oss:20b"],
        modelInfo: { "gpt-oss:20b": { capabilities: ["completion", "thinking", "tools"] } },
      },
    });
    await h.pick(USER, "think:latest");
    await ask(h, "hmm");
    expect(lastCall(h).think).toBe(true);
    h.tg.sendText(USER, "/settings thinking off");
    await h.waitForBot(USER, (m) => m.text.startsWith("✅ Thinking: off."));
    await ask(h, "quick");
    expect(lastCall(h).think).toBe(false);
    await h.pick(USER, "gpt-oss:20b");
    await ask(h, "levels");
    // gpt-oss cannot turn thinking off: its least is sent instead, and the menu says so.
    expect(lastCall(h).think).toBe("low");
    h.tg.sendText(USER, "/settings thinking");
    const menu = await h.waitForBot(USER, (m) => m.text.startsWith("🧠 Thinking:"));
    expect(menu.text).toContain('"off" is sent as low');
    await h.press(USER, "high");
    await h.waitForBot(USER, (m) => m.text.includes("Now: high"));
    await ask(h, "deep");
    expect(lastCall(h).think).toBe("high");
  });
});

describe("settings in a group", () => {
  it("are the group's: a member's change applies to everyone's next answer; ✏️ takes only the presser's reply", async () => {
    const GROUP = -100888;
    h = await startHarness({ telegramLimits: false });
    h.tg.addChat(GROUP, { type: "supergroup", title: "Team" });
    await h.pick(GROUP, "tiny:latest", USER);
    h.tg.sendText(GROUP, "/settings@test_ollama_bot", { from: { id: USER } });
    await h.waitForBot(GROUP, (m) => m.text.startsWith("⚙️ Settings for this chat"));
    await h.press(GROUP, "📏 Context", USER);
    await h.press(GROUP, "✏️ Other value", USER);
    const question = await h.waitForBot(GROUP, (m) => m.text.includes("Send the value for Context"));
    // Another member's reply is not the value.
    h.tg.sendText(GROUP, "600", { from: { id: OTHER_USER }, replyTo: question.messageId });
    await h.waitForBot(
      GROUP,
      (m) => m.text === "That question was for someone else. Mention me to ask your own.",
    );
    h.tg.sendText(GROUP, "1024", { from: { id: USER }, replyTo: question.messageId });
    await h.waitForBot(GROUP, (m) => m.text.startsWith("✅ Context: 1024."));
    h.tg.sendText(GROUP, "@test_ollama_bot hello team", { from: { id: OTHER_USER } });
    await h.waitForBot(GROUP, (m) => m.text === "You said: hello team" && finished(m));
    expect(lastCall(h).options?.num_ctx).toBe(1024);
  });
});

describe("a context that fits the model", () => {
  it("drops the oldest turns to fit num_ctx, keeps the system prompt, and says so once", async () => {
    h = await startHarness({
      ollama: { countTokens: true, modelInfo: { "tiny:latest": { contextLength: 1024 } } },
    });
    await h.pick(USER, "tiny:latest");
    h.tg.sendText(USER, "/system Always answer as a pirate.");
    await h.waitForBot(USER, (m) => m.text.startsWith("📝 System prompt set."));
    // Each exchange is ~600 characters (the fake echoes): the 768-token budget holds about three.
    const words = (n: number) => Array.from({ length: 60 }, (_, i) => `w${n}x${i}`).join(" ");
    for (let i = 0; i < 8; i++) await ask(h, words(i));
    const body = lastCall(h);
    expect(body.options?.num_ctx).toBe(1024);
    expect(body.messages[0]).toEqual({ role: "system", content: "Always answer as a pirate." });
    expect(body.messages.at(-1)!.content).toBe(words(7));
    // The oldest are gone, the newest kept, and Ollama never had to cut the prompt itself.
    const sent = body.messages.map((m) => m.content).join("\n");
    expect(sent).not.toContain(words(0));
    expect(sent).toContain(words(6));
    expect(h.ollama.overflows).toBe(0);
    // Told once that older messages no longer fit, with the way to keep their gist.
    const notes = h.botMessages(USER).filter((m) => m.text.startsWith("🧹 This conversation no longer fits"));
    expect(notes).toHaveLength(1);
    expect(notes[0]!.buttons.flat().map((b) => b.text)).toEqual(["📝 Summarize"]);
    // Calibrated against what the model reported: the fake counts 4 characters a token.
    const s = await h.store.get(String(USER));
    expect(s.calibration?.model).toBe("tiny:latest");
    expect(s.calibration!.charsPerToken).toBeGreaterThan(3.5);
    expect(s.calibration!.charsPerToken).toBeLessThanOrEqual(4);
  });

  it("/summarize replaces the older messages with a note the next turn sends with the system prompt", async () => {
    h = await startHarness();
    await h.pick(USER, "tiny:latest");
    for (const text of ["my name is Ada", "I live in Lyon", "I like chess", "and tea"]) await ask(h, text);
    h.tg.sendText(USER, "/summarize");
    // Sent at once after the last answer: that answer is saved first, and summarised with the rest.
    const done = await h.waitForBot(USER, (m) => m.text.startsWith("📝 4 older messages are now this note"));
    // The fake model echoes its input: the note holds the older conversation's facts.
    expect(done.text).toContain("my name is Ada");
    const s = await h.waitForSession(USER, (x) => x.summary !== undefined);
    expect(s.history.map((e) => e.content)).toEqual([
      "I like chess",
      "You said: I like chess",
      "and tea",
      "You said: and tea",
    ]);
    await ask(h, "what do you know?");
    const system = lastCall(h).messages[0]!;
    expect(system.role).toBe("system");
    expect(system.content).toContain("Summary of the earlier conversation");
    expect(system.content).toContain("my name is Ada");
    // Twice in a row: nothing older left to summarise beyond the kept exchanges.
    h.tg.sendText(USER, "/reset");
    await h.waitForBot(USER, (m) => m.text.startsWith("🧹"));
    h.tg.sendText(USER, "/summarize");
    await h.waitForBot(USER, (m) => m.text === "Nothing to summarize yet: the conversation is still short.");
  });

  it("a summary a stop cuts says so, keeps the messages, and can be made again after the restart", async () => {
    h = await startHarness();
    await h.pick(USER, "tiny:latest");
    for (const text of ["one", "two", "three"]) await ask(h, text);
    // The model takes its time over the summary: the stop comes first.
    h.ollama.settings.delayBeforeFirstChunkMs = 60_000;
    h.tg.sendText(USER, "/summarize");
    const working = await h.waitForBot(USER, (m) => m.text === "📝 Summarizing the older messages…");
    await h.stopBot(0);
    h.ollama.settings.delayBeforeFirstChunkMs = 0;
    await h.startBot();
    // Said by the stop when the model was being asked, or by the start-up when the summary had not begun.
    const cut = await h.waitForBot(USER, (m) => m.messageId === working.messageId && m.text.startsWith("⚠️"));
    expect(cut.text).toBe("⚠️ The summary was interrupted by a restart. The messages are kept as they were.");
    expect((await h.store.get(String(USER))).history).toHaveLength(6);
    await h.press(USER, "📝 Summarize again");
    await h.waitForBot(USER, (m) => m.text.startsWith("📝 2 older messages are now this note"));
  });

  it("offers ➡️ Continue under an answer cut at the length limit, which goes on from there", async () => {
    h = await startHarness({
      ollama: { countTokens: true, longTokens: 2000, modelInfo: { "long:latest": { contextLength: 1024 } } },
    });
    await h.pick(USER, "long:latest");
    h.tg.sendText(USER, "tell me everything");
    const cut = await h.waitForBot(
      USER,
      (m) => finished(m) && m.buttons.flat().some((b) => b.text === "➡️ Continue"),
      15_000,
    );
    // 🔊 too: the fake hub can speak.
    expect(cut.buttons.flat().map((b) => b.text)).toEqual(["➡️ Continue", "🔄 Regenerate", "🔊"]);
    await h.press(USER, "➡️ Continue");
    await h.tg.waitFor(() => modelCalls(h!).length === 2);
    const body = lastCall(h);
    expect(body.messages.at(-2)!.role).toBe("assistant");
    expect(body.messages.at(-1)!.content).toMatch(/^Please continue your previous answer/);
  });
});

describe("🔄 Regenerate", () => {
  it("answers the same prompt again, the old answer leaves the history, and only the newest can be", async () => {
    h = await startHarness();
    await h.pick(USER, "tiny:latest");
    await ask(h, "first");
    const old = h.botMessages(USER).find(answered("You said: first"))!;
    expect(old.buttons.flat().map((b) => b.text)).toEqual(["🔄 Regenerate", "🔊"]);
    const data = old.buttons.flat()[0]!.data!;
    // A double tap: one new answer.
    h.tg.pressButton(USER, old.messageId, data);
    h.tg.pressButton(USER, old.messageId, data);
    await h.tg.waitFor(() => h!.botMessages(USER).filter(answered("You said: first")).length === 2);
    await h.tg.waitFor(() => h!.tg.callbackAnswers.some((a) => a.text === "Writing a new answer…"));
    const s = await h.waitForSession(USER, (x) => x.turn === undefined && x.lastAnswer !== undefined);
    expect(s.history.map((e) => e.content)).toEqual(["first", "You said: first"]);
    expect(modelCalls(h)).toHaveLength(2);
    // The replaced answer lost its buttons; a later answer makes the regenerated one older.
    const replaced = h.botMessages(USER).find((m) => m.messageId === old.messageId)!;
    expect(replaced.buttons.flat().some((b) => b.text === "🔄 Regenerate")).toBe(false);
    const second = h.botMessages(USER).filter(answered("You said: first")).at(-1)!;
    await ask(h, "next");
    h.tg.pressButton(USER, second.messageId, second.buttons.flat()[0]!.data!);
    await h.tg.waitFor(() =>
      h!.tg.callbackAnswers.some((a) => a.text === "Only the newest answer can be regenerated."),
    );
    // Regenerate goes from the older answer; 🔊 stays (it can still be read aloud).
    await h.tg.waitFor(() =>
      h!
        .botMessages(USER)
        .find((m) => m.messageId === second.messageId)!
        .buttons.flat()
        .every((b) => b.text !== "🔄 Regenerate"),
    );
    expect(modelCalls(h)).toHaveLength(3);
    // After a restart the newest answer's button still works.
    await h.restart();
    await h.press(USER, "🔄 Regenerate");
    await h.tg.waitFor(() => h!.botMessages(USER).filter(answered("You said: next")).length === 2);
  });
});

describe("the picker and fast first answers", () => {
  it("preloads the picked model, marks loaded models and capabilities, and hides embedding-only ones", async () => {
    h = await startHarness({
      ollama: {
        models: ["tiny:latest", "think:latest", "llava:7b", "nomic-embed-text:latest"],
        running: [],
        modelInfo: {
          "llava:7b": { capabilities: ["completion", "vision"] },
          "nomic-embed-text:latest": { capabilities: ["embedding"] },
        },
      },
    });
    h.tg.sendText(USER, "/ollama");
    const picker = await h.waitForBot(USER, (m) => m.text.includes("Pick a model"));
    const labels = picker.buttons.flat().map((b) => b.text);
    expect(labels).toContain("think:latest · 1.1B, 638 MB · 🧠");
    expect(labels).toContain("llava:7b · 1.1B, 638 MB · 👁");
    expect(labels).toContain("tiny:latest · 1.1B, 638 MB");
    expect(labels.some((l) => l.startsWith("nomic-embed-text"))).toBe(false);
    expect(picker.text).toContain("🟢 loaded · 👁 sees images · 🧠 thinks");
    await h.press(USER, "tiny:latest");
    await h.waitForBot(USER, (m) => m.text.includes("Now chatting with tiny:latest"));
    await h.services.models.preloaded();
    const preload = h.ollama.requests.find(
      (r) => r.path === "/api/chat" && (r.body as Body).messages?.length === 0,
    );
    expect(preload?.body).toMatchObject({ model: "tiny:latest", messages: [], keep_alive: "30m" });
    expect(h.ollama.running).toEqual(["tiny:latest"]);
    h.tg.sendText(USER, "/model");
    await h.waitForBot(USER, (m) => m.text.includes("🟢 Loaded now: the next answer starts at once."));
    h.tg.sendText(USER, "/ollama");
    const again = await h.waitForBot(
      USER,
      (m) => m.text.includes("Pick a model") && m.messageId !== picker.messageId,
    );
    expect(again.buttons.flat().map((b) => b.text)).toContain("✅ tiny:latest · 1.1B, 638 MB · 🟢");
  });
});
