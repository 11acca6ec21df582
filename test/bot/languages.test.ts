/** Every text in the user's language: Telegram's language per user, /language per chat, the menu per language. */
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

const t = (locale: string, key: string, args?: Record<string, string | number>) =>
  h!.services.core.texts.t(locale, key, args);
const GROUP = -100555;

describe("languages", () => {
  it("speaks each user's Telegram language, and publishes the command menu in every language", async () => {
    h = await startHarness();
    h.tg.sendText(USER, "/help", { from: { id: USER, language_code: "de" } });
    const help = await h.waitForBot(USER, (m) => m.text.startsWith(t("de", "help").slice(0, 30)));
    expect(help.text).toContain(t("de", "help-no-model"));
    expect(help.text).not.toContain("I connect this chat");
    h.tg.sendText(OTHER_USER, "/help", { from: { id: OTHER_USER, language_code: "pt-br" } });
    await h.waitForBot(OTHER_USER, (m) => m.text.startsWith(t("pt-BR", "help").slice(0, 30)));
    expect(t("pt-BR", "help")).not.toBe(t("en", "help"));

    for (const [code, locale] of [
      ["de", "de"],
      ["es", "es"],
      ["fr", "fr"],
      ["ru", "ru"],
      ["pt", "pt-BR"],
    ] as const) {
      const menu = h.tg.commands(undefined, code);
      expect(menu.find((c) => c.command === "stop")?.description).toBe(t(locale, "cmd-stop"));
    }
    expect(h.tg.commands().find((c) => c.command === "stop")?.description).toBe(t("en", "cmd-stop"));
  });

  it("answers in the user's language, and asks the model to as well when no system prompt says otherwise", async () => {
    h = await startHarness();
    const de = { from: { id: USER, language_code: "de" } };
    h.tg.sendText(USER, "/ollama", de);
    await h.press(USER, "tiny:latest");
    await h.waitForBot(USER, (m) =>
      m.text.includes(t("de", "picker-now-chatting", { model: "tiny:latest" })),
    );
    h.tg.sendText(USER, "Hallo", de);
    await h.waitForBot(USER, (m) => m.text === "You said: Hallo" && finished(m));
    const body = modelCalls(h).at(-1)!.body as {
      messages: Array<{ role: string; content: string }>;
    };
    expect(body.messages[0]).toEqual({
      role: "system",
      content: "Answer in German unless the user asks for another language.",
    });
  });

  it("sets a chat's language with /language for everyone in it, and back to each person's own", async () => {
    h = await startHarness({ telegramLimits: false });
    h.tg.addChat(GROUP, { type: "supergroup", title: "Équipe" });
    h.tg.sendText(GROUP, "/language", { from: { id: USER } });
    await h.press(GROUP, "Français", USER);
    await h.waitForBot(GROUP, (m) => m.text === t("fr", "language-set"));
    // Another member, whose Telegram speaks English, now reads French in this chat.
    h.tg.sendText(GROUP, "/model", { from: { id: OTHER_USER, language_code: "en" } });
    await h.waitForBot(GROUP, (m) =>
      m.text.startsWith(
        t("fr", "chat-header", { model: t("fr", "chat-no-model"), streaming: "on", system: "none" }),
      ),
    );
    h.tg.sendText(GROUP, "/language xx", { from: { id: USER } });
    const unknown = await h.waitForBot(GROUP, (m) => m.text.includes("Deutsch (de)"));
    expect(unknown.text).toContain("Português (Brasil) (pt-BR)");
    h.tg.sendText(GROUP, "/language auto", { from: { id: USER } });
    await h.waitForBot(GROUP, (m) => m.text === t("en", "language-auto-set"));
    expect((await h.store.get(String(GROUP))).language).toBeUndefined();
  });

  it("counts in the user's language: the queue notice and /stop's plural", async () => {
    h = await startHarness({ ollama: { longTokens: 100_000, tokenDelayMs: 5 } });
    const ru = { from: { id: OTHER_USER, language_code: "ru" } };
    await h.pick(USER, "long:latest");
    await h.store.update(String(OTHER_USER), (s) => {
      s.model = "tiny:latest";
    });
    h.tg.sendText(USER, "keep the slot busy");
    await h.tg.waitFor(() => (h!.tg.visibleDraft(USER)?.text ?? "").startsWith("word0")); // streaming, as a draft
    h.tg.sendText(OTHER_USER, "один", ru);
    await h.waitForBot(OTHER_USER, (m) => m.text === t("ru", "queue-next"));
    h.tg.sendText(OTHER_USER, "два", ru);
    h.tg.sendText(OTHER_USER, "три", ru);
    await h.tg.waitFor(() => h!.botMessages(OTHER_USER).length === 3);
    h.tg.sendText(OTHER_USER, "/stop", ru);
    await h.waitForBot(OTHER_USER, (m) => m.text === t("ru", "stop-waiting-cancelled", { count: 3 }));
    expect(t("ru", "stop-waiting-cancelled", { count: 3 })).not.toBe(
      t("ru", "stop-waiting-cancelled", { count: 5 }),
    );
    h.tg.sendText(USER, "/stop");
  });
});
