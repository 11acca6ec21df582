/**
 * Answers read aloud (issue 12, first part): 🔊 under an answer and /say send it as a Telegram voice message
 * (Ogg/Opus, with its real duration) made by the hub's text-to-speech; long answers are joined from pieces and
 * bounded; Stop cancels; a hub without TTS, and direct mode, show no 🔊. Through the fake Telegram (which checks
 * the upload is valid Ogg/Opus of the announced duration), the fake hub and the fake Ollama.
 */
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { finished, type Harness, startHarness, USER } from "../support/bot-harness.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const synthCalls = (harness: Harness) => harness.hub.requests.filter((r) => r.path.endsWith("/synthesise"));

async function ask(harness: Harness, text: string) {
  harness.tg.sendText(USER, text);
  return harness.waitForBot(USER, (m) => m.text === `You said: ${text}` && finished(m), 15_000);
}

describe("answers read aloud", () => {
  it("sends an answer as a voice message with its duration when 🔊 is pressed, and /say reads the last one", async () => {
    h = await startHarness();
    await h.pick(USER, "tiny:latest");
    const answer = await ask(h, "read this to me");
    expect(answer.buttons.flat().map((b) => b.text)).toContain("🔊");
    await h.press(USER, "🔊");
    const voice = await h.waitForBot(USER, (m) => m.voice !== undefined, 15_000);
    expect(voice.voice!.duration).toBeGreaterThanOrEqual(1);
    expect(Math.abs(voice.voice!.duration - (voice.voice!.realDuration ?? 0))).toBeLessThanOrEqual(1);
    expect(h.tg.voiceProblems).toEqual([]);
    // What the hub was asked to say: the answer's text, in a voice it has.
    const body = synthCalls(h)[0]!.body as { text: string; voice: string };
    expect(body.text).toBe("You said: read this to me");
    expect(body.voice).toBe("af_heart");
    // The status went once the voice message was there.
    await h.tg.waitFor(() => !h!.botMessages(USER).some((m) => m.text.startsWith("🔊 Making")));
    h.tg.sendText(USER, "/say");
    await h.tg.waitFor(() => h!.botMessages(USER).filter((m) => m.voice !== undefined).length === 2, {
      timeoutMs: 15_000,
    });
  });

  it("reads a very long answer in pieces joined into one bounded voice message, saying the rest is left out", async () => {
    h = await startHarness({
      ollama: { longTokens: 1200, tokenDelayMs: 0 },
      env: { VOICE_MAX_SECONDS: "30" },
    });
    await h.pick(USER, "long:latest");
    h.tg.sendText(USER, "go on and on");
    await h.waitForBot(USER, (m) => finished(m) && m.buttons.flat().some((b) => b.text === "🔊"), 8_000);
    await h.press(USER, "🔊");
    const voice = await h.waitForBot(USER, (m) => m.voice !== undefined, 10_000);
    expect(voice.voice!.duration).toBeLessThanOrEqual(31);
    expect(voice.text).toBe("The rest of the answer is left out: a voice message stays short.");
    expect(synthCalls(h).length).toBeGreaterThan(1);
    for (const r of synthCalls(h)) expect((r.body as { text: string }).text.length).toBeLessThanOrEqual(400);
    expect(h.tg.voiceProblems).toEqual([]);
  });

  it("says clearly when the hub's text-to-speech fails, and leaves the answer as it was", async () => {
    h = await startHarness();
    await h.pick(USER, "tiny:latest");
    const answer = await ask(h, "speak up");
    h.hub.setSpeech({ kokoro: "no-model" });
    await h.press(USER, "🔊");
    await h.waitForBot(USER, (m) =>
      m.text.startsWith("⚠️ The hub's text-to-speech is not available right now"),
    );
    expect(h.botMessages(USER).find((m) => m.messageId === answer.messageId)!.text).toBe(
      "You said: speak up",
    );
    expect(h.botMessages(USER).some((m) => m.voice !== undefined)).toBe(false);
  });

  it("⏹ stops a voice message being made", async () => {
    h = await startHarness();
    await h.pick(USER, "tiny:latest");
    await ask(h, "slowly");
    h.hub.setSpeech({ synthesiseDelayMs: 60_000 });
    await h.press(USER, "🔊");
    await h.waitForBot(USER, (m) => m.text === "🔊 Making the voice message…");
    await h.press(USER, "⏹");
    await h.waitForBot(USER, (m) => m.text === "⏹ Stopped: no voice message.");
    expect(h.botMessages(USER).some((m) => m.voice !== undefined)).toBe(false);
  });

  it("a restart while a voice message is made says so on its status, at the stop and after a kill", async () => {
    h = await startHarness();
    await h.pick(USER, "tiny:latest");
    await ask(h, "slowly");
    h.hub.setSpeech({ synthesiseDelayMs: 60_000 });
    await h.press(USER, "🔊");
    const status = await h.waitForBot(USER, (m) => m.text === "🔊 Making the voice message…");
    await h.waitForSession(USER, (s) => (s.voiceShown?.length ?? 0) === 1);
    await h.stopBot(0);
    const told = h.botMessages(USER).find((m) => m.messageId === status.messageId)!;
    expect(told.text).toBe(
      "⚠️ The bot was restarted while this voice message was being made: press 🔊 again.",
    );
    expect(told.buttons).toEqual([]);
    expect((await h.store.get(String(USER))).voiceShown).toBeUndefined();
    // Again, and this time Telegram refuses the edit at the stop (as a kill leaves it): the start-up says it.
    await h.startBot();
    await h.press(USER, "🔊");
    const second = await h.waitForBot(USER, (m) => m.text === "🔊 Making the voice message…");
    await h.waitForSession(USER, (s) => (s.voiceShown?.length ?? 0) === 1);
    h.tg.failNext("editMessageText", { code: 400, description: "Bad Request: message can't be edited" });
    await h.stopBot(0);
    expect(h.botMessages(USER).find((m) => m.messageId === second.messageId)!.text).toBe(
      "🔊 Making the voice message…",
    );
    expect((await h.store.get(String(USER))).voiceShown?.map((v) => v.messageId)).toEqual([second.messageId]);
    h.hub.setSpeech({ synthesiseDelayMs: 0 });
    await h.startBot();
    await h.waitForBot(
      USER,
      (m) =>
        m.messageId === second.messageId &&
        m.text === "⚠️ The bot was restarted while this voice message was being made: press 🔊 again.",
    );
    expect((await h.store.get(String(USER))).voiceShown).toBeUndefined();
  });

  it("reads with the voice and speed the chat chose, and answers a voice note with voice when asked to", async () => {
    h = await startHarness();
    await h.pick(USER, "tiny:latest");
    h.tg.sendText(USER, "/settings");
    await h.waitForBot(USER, (m) => m.text.startsWith("⚙️ Settings for this chat"));
    await h.press(USER, "🗣 Voice");
    await h.waitForBot(USER, (m) => m.text.startsWith("🗣 The voice that reads answers aloud"));
    const menu = h.botMessages(USER).at(-1)!;
    // It opens on the language of the chat's voice (American English), both genders; ♂ keeps the men.
    await h.press(USER, "♂");
    const men = await h.waitForBot(USER, (m) => m.buttons.flat().some((b) => b.text === "✅ ♂"));
    const names = men.buttons.flat().filter((b) => b.data?.startsWith("st:vv:a"));
    expect(names.length).toBeGreaterThan(3);
    expect(names.every((b) => b.text.endsWith("♂"))).toBe(true);
    await h.press(USER, "Am Adam ♂");
    // The choice is saved and its sample follows, as a voice message of the hub's preview.
    const sample = await h.waitForBot(USER, (m) => m.voice !== undefined);
    expect(sample.text).toBe("🗣 Am Adam");
    expect(h.hub.requests.find((r) => r.path.endsWith("/voices/preview"))?.body).toEqual({
      voiceId: "am_adam",
      language: "en-us",
    });
    await h.waitForBot(USER, (m) => m.buttons.flat().some((b) => b.text === "✅ Am Adam ♂"));
    await h.press(USER, "◀️ Back");
    await h.waitForBot(USER, (m) => m.text.includes("🔊 Read aloud with: Am Adam"));
    h.tg.sendText(USER, "/settings voice_speed 1.3");
    await h.waitForBot(USER, (m) => m.text.startsWith("✅ Voice speed: 1.3."));
    await h.press(USER, "🎙 Voice replies: off");
    await h.waitForBot(USER, (m) => m.buttons.flat().some((b) => b.text === "🎙 Voice replies: on"));
    const voiceNote = readFileSync(new URL("../fixtures/hub-media/input-voice.ogg", import.meta.url));
    h.tg.sendVoice(USER, voiceNote, { duration: 2 });
    const voice = await h.waitForBot(USER, (m) => m.voice !== undefined && m.text !== "🗣 Am Adam", 15_000);
    expect(voice.voice!.duration).toBeGreaterThanOrEqual(1);
    expect(synthCalls(h)[0]!.body).toMatchObject({
      voice: "am_adam",
      speed: 1.3,
      text: "You said: Hello from a voice note.",
    });
    // A forged voice is refused.
    h.tg.pressButton(USER, menu.messageId, "st:vv:xx_nobody:*", { forged: true });
    await h.tg.waitFor(() =>
      h!.tg.callbackAnswers.some((a) => a.text === "The hub does not have the voice I asked for."),
    );
  });

  it("shows no 🔊 and explains /say when the bot talks to Ollama directly", async () => {
    h = await startHarness({ direct: true });
    await h.pick(USER, "tiny:latest");
    const answer = await ask(h, "no hub");
    expect(answer.buttons.flat().map((b) => b.text)).toEqual(["🔄 Regenerate"]);
    h.tg.sendText(USER, "/say");
    await h.waitForBot(USER, (m) =>
      m.text.startsWith("Reading answers aloud needs the hub's text-to-speech"),
    );
  });
});
