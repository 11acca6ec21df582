import { afterEach, describe, expect, it } from "vitest";
import type { VisibleMessage } from "../fakes/telegram.js";
import { ADMIN, type Harness, startHarness, USER } from "../support/bot-harness.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const GROUP = -100321;
const MENU_TITLE = "🗂 Installed models:";
const labels = (m: VisibleMessage) => m.buttons.flat().map((b) => b.text);
const dataOf = (m: VisibleMessage, label: string) =>
  m.buttons.flat().find((b) => b.text.startsWith(label))!.data!;
const deletes = (harness: Harness) => harness.ollama.requests.filter((r) => r.path === "/api/delete");
const answersWith = (harness: Harness, text: string) =>
  harness.tg.callbackAnswers.filter((a) => a.text === text);

/** Sends /models in `chat` and returns the new menu as the admin sees it. */
async function openMenu(harness: Harness, chat = ADMIN): Promise<VisibleMessage> {
  const sent = harness.tg.sendText(chat, "/models", { from: { id: ADMIN } });
  return harness.waitForBot(chat, (m) => m.messageId > sent.messageId && m.text.startsWith(MENU_TITLE));
}

/** Presses `label` on the menu message and waits until the message satisfies `pred`. */
async function pressAndWait(
  harness: Harness,
  label: string,
  pred: (m: VisibleMessage) => boolean,
  chat = ADMIN,
): Promise<VisibleMessage> {
  await harness.press(chat, label, ADMIN);
  return harness.waitForBot(chat, pred);
}

describe("/models, model management for admins", () => {
  it("lists the installed models with size, parameters, quantization, date and marks", async () => {
    h = await startHarness();
    const menu = await openMenu(h);
    expect(menu.text).toContain("🗂 Installed models: 7");
    expect(menu.text).toContain("⭐ No default model: each chat picks one with /ollama.");
    // tiny is loaded (the fake's `ps`); the others are not.
    expect(menu.text).toContain("🟢 tiny:latest · 638 MB · 1.1B · Q4_0 · 2026-11-01");
    expect(menu.text).toContain("\nlong:latest · 638 MB · 1.1B · Q4_0 · 2026-11-01");
    expect(menu.text).toContain("🟢 loaded in memory · ⭐ default model");
    expect(labels(menu)).toEqual([
      "🟢 tiny:latest",
      "unicode:latest",
      "think:latest",
      "crash:latest",
      "cut:latest",
      "slow:latest",
      "long:latest",
      "➕ Pull a model",
      "🧠 Loaded models",
      "⭐ Default model",
      "🔄 Refresh",
      "✖ Close",
    ]);

    await h.press(ADMIN, "✖ Close", ADMIN);
    await h.tg.waitFor(() => !h!.botMessages(ADMIN).some((m) => m.text.startsWith(MENU_TITLE)));
  });

  it("pages a long list, and no button carries a model name", async () => {
    const long = Array.from(
      { length: 12 },
      (_, i) => `registry.example.com/some-team/${"x".repeat(60)}-${i}:q4`,
    );
    h = await startHarness({ ollama: { models: ["tiny:latest", ...long] } });
    const first = await openMenu(h);
    expect(first.text).toContain("🗂 Installed models: 13");
    for (const b of first.buttons.flat()) expect(Buffer.byteLength(b.data ?? "")).toBeLessThanOrEqual(64);
    expect(labels(first)).toContain("1/2");
    const second = await pressAndWait(h, "Next ▶", (m) => m.buttons.flat().some((b) => b.text === "2/2"));
    expect(second.messageId).toBe(first.messageId);
    expect(second.text).toContain(`${long[11]} · 638 MB`);
    expect(second.text).not.toContain("tiny:latest ·");
  });

  it("shows one model's details, unloads it, and makes it the default", async () => {
    h = await startHarness();
    const menu = await openMenu(h);
    const details = await pressAndWait(h, "🟢 tiny:latest", (m) => m.text.startsWith("📦 tiny:latest"));
    expect(details.messageId).toBe(menu.messageId);
    for (const line of [
      "Family: llama",
      "Parameters: 1.1B",
      "Quantization: Q4_0",
      "Size: 638 MB",
      "Context length: 2,048",
      "Capabilities: completion",
      "Modified: 2026-11-01",
      'Modelfile parameters: stop "<|eot|>"',
      "License: –",
      "🟢 Loaded in memory now.",
    ]) {
      expect(details.text).toContain(line);
    }
    expect(labels(details)).toEqual(["🗑 Delete", "⏏️ Unload", "⭐ Make default", "◀️ Back"]);

    const unloaded = await pressAndWait(h, "⏏️ Unload", (m) =>
      m.text.startsWith("⏏️ tiny:latest is unloaded from memory."),
    );
    expect(h.ollama.running).not.toContain("tiny:latest");
    expect(labels(unloaded)).toEqual(["🗑 Delete", "⭐ Make default", "◀️ Back"]);

    const made = await pressAndWait(h, "⭐ Make default", (m) =>
      m.text.startsWith("⭐ tiny:latest is now the default model."),
    );
    expect(made.text).toContain("⭐ The default model of chats that picked none.");
    const list = await pressAndWait(h, "◀️ Back", (m) => m.text.startsWith(MENU_TITLE));
    expect(list.text).toContain("⭐ Default for chats that picked none: tiny:latest");
    expect(list.text).toContain("⭐ tiny:latest · 638 MB");
  });

  it("deletes a model only after confirmation, once even when Yes is tapped twice", async () => {
    h = await startHarness();
    await openMenu(h);
    await pressAndWait(h, "long:latest", (m) => m.text.startsWith("📦 long:latest"));
    const confirm = await pressAndWait(h, "🗑 Delete", (m) => m.text.startsWith("🗑 Delete long:latest"));
    expect(confirm.text).toBe(
      "🗑 Delete long:latest (638 MB)? Its files are removed from the disk; to use it again, it must be pulled again.",
    );
    expect(labels(confirm)).toEqual(["🗑 Yes, delete", "✖ Cancel"]);
    // Cancel goes back to the details, nothing deleted.
    await pressAndWait(h, "✖ Cancel", (m) => m.text.startsWith("📦 long:latest"));
    expect(deletes(h)).toHaveLength(0);
    await pressAndWait(h, "🗑 Delete", (m) => m.text.startsWith("🗑 Delete long:latest"));

    // A double tap: both presses reach the bot before the message changes.
    const yes = dataOf(confirm, "🗑 Yes, delete");
    h.tg.pressButton(ADMIN, confirm.messageId, yes);
    h.tg.pressButton(ADMIN, confirm.messageId, yes);
    const done = await h.waitForBot(ADMIN, (m) => m.text.startsWith("✅ long:latest is deleted."));
    await h.tg.waitFor(() => h!.tg.unansweredCallbackQueries().length === 0);
    expect(done.text).toContain("🗂 Installed models: 6");
    expect(done.text).not.toContain("long:latest ·");
    expect(deletes(h)).toHaveLength(1);
    expect(answersWith(h, "This menu is out of date: send /models for a fresh one.")).toHaveLength(1);
    expect(h.botMessages(ADMIN).at(-1)!.text).toBe(done.text);
  });

  it("says so when the model was already gone, and names the reason when a delete fails", async () => {
    h = await startHarness();
    await openMenu(h);
    await pressAndWait(h, "cut:latest", (m) => m.text.startsWith("📦 cut:latest"));
    await pressAndWait(h, "🗑 Delete", (m) => m.text.startsWith("🗑 Delete cut:latest"));
    // Deleted meanwhile by someone else (the CLI, say).
    h.ollama.models = h.ollama.models.filter((m) => m.name !== "cut:latest");
    const gone = await pressAndWait(h, "🗑 Yes, delete", (m) =>
      m.text.startsWith("cut:latest was already gone: nothing to delete."),
    );
    expect(gone.text).toContain("🗂 Installed models: 6");

    await pressAndWait(h, "slow:latest", (m) => m.text.startsWith("📦 slow:latest"));
    await pressAndWait(h, "🗑 Delete", (m) => m.text.startsWith("🗑 Delete slow:latest"));
    await h.ollama.setDown(true);
    const failed = await pressAndWait(h, "🗑 Yes, delete", (m) =>
      m.text.startsWith("❌ Could not delete slow:latest: "),
    );
    expect(failed.text).toContain("Ollama behind it is not running");
    expect(labels(failed)).toEqual(["🔁 Retry", "◀️ Back"]);
    // Once Ollama is back, 🔁 Retry deletes it.
    await h.ollama.setDown(false);
    const done = await pressAndWait(h, "🔁 Retry", (m) => m.text.startsWith("✅ slow:latest is deleted."));
    expect(done.text).toContain("🗂 Installed models: 5");
  });

  it("lists the loaded models with their VRAM and unloads one", async () => {
    h = await startHarness();
    await openMenu(h);
    const loaded = await pressAndWait(h, "🧠 Loaded models", (m) =>
      m.text.startsWith("🧠 Loaded in memory: 1"),
    );
    expect(loaded.text).toContain("• tiny:latest · 638 MB in VRAM · ");
    expect(labels(loaded)).toEqual(["⏏️ tiny:latest", "🔄 Refresh", "◀️ Back"]);
    const after = await pressAndWait(h, "⏏️ tiny:latest", (m) =>
      m.text.startsWith("⏏️ tiny:latest is unloaded from memory."),
    );
    expect(after.text).toContain("🧠 No model is loaded in memory now.");
    expect(labels(after)).toEqual(["🔄 Refresh", "◀️ Back"]);
  });

  it("sets the bot-wide default, used by a chat that picked none, and its menu works after a restart", async () => {
    h = await startHarness();
    await openMenu(h);
    const view = await pressAndWait(h, "⭐ Default model", (m) => m.text.startsWith("⭐ No default model"));
    expect(view.text).toContain("DEFAULT_MODEL in the configuration: none.");
    expect(labels(view)).not.toContain("↩️ No default");
    const set = await pressAndWait(h, "think:latest", (m) =>
      m.text.startsWith("⭐ think:latest is now the default model."),
    );
    expect(labels(set)).toContain("✅ think:latest");
    expect(labels(set)).toContain("↩️ No default");

    // The menu's buttons are in the session: after a restart they still work.
    await h.restart();
    const list = await pressAndWait(h, "◀️ Back", (m) => m.text.startsWith(MENU_TITLE));
    expect(list.text).toContain("⭐ Default for chats that picked none: think:latest");

    h.tg.sendText(USER, "hello");
    await h.waitForBot(USER, (m) => m.text.endsWith("You said: hello"));
    const chat = h.ollama.requests.filter(
      (r) => r.path === "/api/chat" && (r.body as { messages?: unknown[] }).messages?.length,
    );
    expect((chat.at(-1)!.body as { model: string }).model).toBe("think:latest");

    await pressAndWait(h, "⭐ Default model", (m) => labels(m).includes("✅ think:latest"));
    const reset = await pressAndWait(h, "↩️ No default", (m) =>
      m.text.startsWith("↩️ No default model now: each chat picks one with /ollama."),
    );
    expect(labels(reset)).not.toContain("✅ think:latest");
  });

  it("pulls a model by name with progress, after refusing a name that is not one", async () => {
    // A pause between the pull's events, longer than the chat's edit interval: each state can be shown.
    h = await startHarness({ ollama: { tokenDelayMs: 50 } });
    await openMenu(h);
    await h.press(ADMIN, "➕ Pull a model", ADMIN);
    const question = await h.waitForBot(ADMIN, (m) => m.text.startsWith("📥 Which model should I pull?"));
    expect(labels(question)).toEqual(["✖ Cancel"]);
    h.tg.sendText(ADMIN, "rm -rf /");
    await h.waitForBot(ADMIN, (m) => m.text.startsWith("“rm -rf /” is not a model name"));
    h.tg.sendText(ADMIN, "tiny:latest");
    await h.waitForBot(ADMIN, (m) => m.text === "tiny:latest is already installed.");

    await h.press(ADMIN, "➕ Pull a model", ADMIN);
    await h.waitForBot(ADMIN, (m) => m.text.startsWith("📥 Which model") && m.buttons.length > 0);
    h.tg.sendText(ADMIN, "new:1b");
    const progress = await h.waitForBot(
      ADMIN,
      (m) => m.text.startsWith("📥 Pulling new:1b\n") && m.text.includes("%"),
    );
    expect(labels(progress)).toEqual(["✖ Cancel"]);
    const done = await h.waitForBot(ADMIN, (m) => m.text === "✅ new:1b is installed.");
    expect(done.messageId).toBe(progress.messageId);
    expect(done.buttons).toEqual([]);
    const list = await openMenu(h);
    expect(list.text).toContain("new:1b · 638 MB");
    // No message of the admin's became a chat turn.
    expect(h.ollama.requests.filter((r) => r.path === "/api/chat")).toHaveLength(0);
  });

  it("cancels a running pull with ✖ Cancel, and 🔁 Try again pulls it again, after a restart too", async () => {
    // The pull stalls after its first event until it is cancelled.
    h = await startHarness({ ollama: { tokenDelayMs: 60_000 } });
    await openMenu(h);
    await h.press(ADMIN, "➕ Pull a model", ADMIN);
    await h.waitForBot(ADMIN, (m) => m.text.startsWith("📥 Which model"));
    h.tg.sendText(ADMIN, "new:1b");
    const running = await h.waitForBot(
      ADMIN,
      (m) => m.text.startsWith("📥 Pulling new:1b") && labels(m).includes("✖ Cancel"),
    );
    const cancel = dataOf(running, "✖ Cancel");
    h.tg.pressButton(ADMIN, running.messageId, cancel);
    const cancelled = await h.waitForBot(ADMIN, (m) => m.text === "✖ The pull of new:1b was cancelled.");
    expect(cancelled.messageId).toBe(running.messageId);
    expect(labels(cancelled)).toEqual(["🔁 Try again"]);
    expect(answersWith(h, "Cancelling the pull…")).toHaveLength(1);
    expect(h.ollama.models.map((m) => m.name)).not.toContain("new:1b");
    // A second tap on Cancel (it was still on screen for a moment) says the pull has ended.
    h.tg.pressButton(ADMIN, running.messageId, cancel, { forged: true });
    await h.tg.waitFor(() => answersWith(h!, "This pull is no longer running.").length === 1);

    await h.restart();
    h.ollama.settings.tokenDelayMs = 1;
    await h.press(ADMIN, "🔁 Try again", ADMIN);
    await h.waitForBot(ADMIN, (m) => m.text === "✅ new:1b is installed.");
    // The cancelled message keeps its text, without the button just used.
    const old = h.botMessages(ADMIN).find((m) => m.messageId === cancelled.messageId)!;
    expect(old).toMatchObject({ text: "✖ The pull of new:1b was cancelled.", buttons: [] });
    expect(answersWith(h, "📥 Pulling new:1b again…")).toHaveLength(1);
  });

  it("names the reason when a pull fails", async () => {
    h = await startHarness();
    await openMenu(h);
    await h.press(ADMIN, "➕ Pull a model", ADMIN);
    await h.waitForBot(ADMIN, (m) => m.text.startsWith("📥 Which model"));
    h.tg.sendText(ADMIN, "nosuch:model");
    const failed = await h.waitForBot(ADMIN, (m) => m.text.startsWith("❌ Could not pull nosuch:model"));
    expect(failed.text).toBe("❌ Could not pull nosuch:model: there is no such model in the library.");
    expect(labels(failed)).toEqual(["🔁 Try again"]);
  });

  it("asks in a group with a reply prompt for the admin, and only the admin's reply counts", async () => {
    h = await startHarness();
    await openMenu(h, GROUP);
    await h.press(GROUP, "➕ Pull a model", ADMIN);
    const question = await h.waitForBot(GROUP, (m) => m.text.includes("📥 Which model should I pull?"));
    // Named, so the selective reply prompt reaches the admin who pressed the button; no inline buttons then.
    expect(question.text.startsWith("Test, 📥 Which model should I pull?")).toBe(true);
    expect(question.buttons).toEqual([]);
    // Another member's reply is not the answer; it goes on as an ordinary message.
    h.tg.sendText(GROUP, "new:1b", { from: { id: USER }, replyTo: question.messageId });
    h.tg.sendText(GROUP, "new:1b", { from: { id: ADMIN }, replyTo: question.messageId });
    await h.waitForBot(GROUP, (m) => m.text === "✅ new:1b is installed.");
    expect(h.ollama.requests.filter((r) => r.path === "/api/pull")).toHaveLength(1);
  });

  it("lets the question go when the admin moves on: a later message is a message, not a model name", async () => {
    h = await startHarness();
    await openMenu(h);
    await h.press(ADMIN, "➕ Pull a model", ADMIN);
    await h.waitForBot(ADMIN, (m) => m.text.startsWith("📥 Which model"));
    h.tg.sendText(ADMIN, "/model");
    await h.waitForBot(ADMIN, (m) => m.text.includes("none yet") || m.text.includes("No model"));
    h.tg.sendText(ADMIN, "new:1b");
    await h.tg.waitFor(
      () => h!.botMessages(ADMIN).length >= 4 && h!.tg.unansweredCallbackQueries().length === 0,
    );
    await h.waitForSession(ADMIN, (s) => s.conversations === undefined);
    expect(h.ollama.requests.filter((r) => r.path === "/api/pull")).toHaveLength(0);

    // ✖ Cancel closes the question.
    await h.press(ADMIN, "➕ Pull a model", ADMIN);
    const question = await h.waitForBot(
      ADMIN,
      (m) => m.text.startsWith("📥 Which model") && m.buttons.length > 0,
    );
    h.tg.pressButton(ADMIN, question.messageId, dataOf(question, "✖ Cancel"));
    await h.tg.waitFor(() => answersWith(h!, "OK, nothing changed.").length === 1);
    await h.waitForSession(ADMIN, (s) => s.conversations === undefined);
    expect(h.botMessages(ADMIN).find((m) => m.messageId === question.messageId)!.buttons).toEqual([]);
  });

  it("refuses non-admins: the command, a button in a group, a forwarded button", async () => {
    h = await startHarness();
    h.tg.sendText(USER, "/models");
    await h.waitForBot(USER, (m) => m.text === "Only admins can manage models.");

    const menu = await openMenu(h, GROUP);
    await h.press(GROUP, "🧠 Loaded models", USER);
    await h.tg.waitFor(() =>
      h!.tg.callbackAnswers.find((a) => a.text === "Only admins can manage models." && a.showAlert),
    );
    const sameMenu = h.botMessages(GROUP).find((m) => m.messageId === menu.messageId)!;
    expect(sameMenu.text).toBe(menu.text);

    // The admin's delete confirmation, pressed by a user in their own chat (a forwarded menu), deletes nothing.
    await pressAndWait(h, "long:latest", (m) => m.text.startsWith("📦 long:latest"), GROUP);
    const confirm = await pressAndWait(
      h,
      "🗑 Delete",
      (m) => m.text.startsWith("🗑 Delete long:latest"),
      GROUP,
    );
    h.tg.pressButton(GROUP, confirm.messageId, dataOf(confirm, "🗑 Yes, delete"), { from: { id: USER } });
    h.tg.pressButton(USER, 1, dataOf(confirm, "🗑 Yes, delete"), { forged: true });
    h.tg.pressButton(USER, 1, "mp:c:abcdef", { forged: true });
    await h.tg.waitFor(
      () => h!.tg.callbackAnswers.filter((a) => a.text === "Only admins can manage models.").length === 4,
    );
    expect(deletes(h)).toHaveLength(0);
    expect(h.botMessages(GROUP).find((m) => m.messageId === confirm.messageId)!.text).toBe(confirm.text);
  });

  it("answers an old, forged or malformed button without acting", async () => {
    h = await startHarness();
    const old = await openMenu(h);
    await openMenu(h);
    h.tg.pressButton(ADMIN, old.messageId, dataOf(old, "long:latest"));
    const token = dataOf(h.botMessages(ADMIN).at(-1)!, "long:latest").split(":")[1];
    h.tg.pressButton(ADMIN, old.messageId, `mm:${token}:dy:999`, { forged: true });
    h.tg.pressButton(ADMIN, old.messageId, `mm:${token}:lu:0`, { forged: true });
    h.tg.pressButton(ADMIN, old.messageId, "mm:!!:x", { forged: true });
    h.tg.pressButton(ADMIN, old.messageId, "mp:r:zzzzzz", { forged: true });
    await h.tg.waitFor(
      () => h!.tg.unansweredCallbackQueries().length === 0 && h!.tg.callbackAnswers.length === 5,
    );
    expect(answersWith(h, "This menu is out of date: send /models for a fresh one.")).toHaveLength(4);
    expect(answersWith(h, "This button is out of date: open /models and tap ➕ Pull a model.")).toHaveLength(
      1,
    );
    expect(h.botMessages(ADMIN).find((m) => m.messageId === old.messageId)!.text).toBe(old.text);
    expect(deletes(h)).toHaveLength(0);
  });
});
