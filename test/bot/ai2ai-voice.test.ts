/**
 * AI↔AI read aloud (issue 12): each side gets its own voice, matched to its persona and never the other's; with
 * voices on, each line's voice message follows its text; 🎧 Episode sends the whole conversation as one voice
 * message, an introduction in a third voice, every line in its speaker's voice, in order; the hub's TTS failing
 * mid-episode is said clearly and leaves the conversation's messages alone. Through the fake Telegram (which
 * checks every upload is valid Ogg/Opus of its announced duration), the fake hub and the fake Ollama.
 */
import { afterEach, describe, expect, it } from "vitest";
import { type Harness, OTHER_USER, startHarness, USER } from "../support/bot-harness.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

type Synth = { text: string; voice: string; language?: string };
const synthCalls = (harness: Harness) =>
  harness.hub.requests.filter((r) => r.path.endsWith("/synthesise")).map((r) => r.body as Synth);
const voices = (harness: Harness) => harness.botMessages(USER).filter((m) => m.voice !== undefined);

/** French puts a narrow no-break space before its colons. */
const fr = (text: string) => text.replace(/ ([:;?!])/g, "\u202f$1");

async function cast(harness: Harness) {
  harness.tg.sendText(USER, "/ollama");
  await harness.press(USER, "🤖↔🤖 AI↔AI: off");
  await harness.waitForBot(USER, (m) => m.text.includes("Tap the model for A"));
  await harness.press(USER, "tiny:latest");
  await harness.waitForBot(USER, (m) => m.text.includes("for B"));
  await harness.press(USER, "tiny:latest");
  return harness.waitForBot(USER, (m) => m.text.includes("B: Socrates (tiny:latest)"));
}

async function options(harness: Harness) {
  await harness.press(USER, "⚙️ Options");
  return harness.waitForBot(USER, (m) => m.text.startsWith("⚙️ AI↔AI options"));
}

describe("AI↔AI read aloud", () => {
  it("reads each line after its text in two distinct voices fitting the personas, then sends the episode", async () => {
    h = await startHarness({ env: { OLLAMA_AI2AI_TURNS: "1" } });
    await cast(h);
    const opts = await options(h);
    // Einstein and Socrates are both men: two different male voices.
    expect(opts.text).toContain("🔊 Lines read aloud: off · A: Am Michael · B: Am Fenrir");
    await h.press(USER, "🔊 Voices: off");
    await h.waitForBot(USER, (m) => m.text.includes("🔊 Lines read aloud: on"));
    await h.press(USER, "▶️ Start");
    const end = await h.waitForBot(USER, (m) => m.text.startsWith("🏁") && m.buttons.length > 0, 15_000);
    expect(end.buttons.flat().map((b) => b.text)).toContain("🎧 Episode");

    // A's text, A's voice, B's text, B's voice: each voice message right after its own line.
    const msgs = h.botMessages(USER);
    const aLine = msgs.find((m) => m.text.startsWith("Albert Einstein (tiny:latest) · Turn 1/1"))!;
    const bLine = msgs.find((m) => m.text.startsWith("Socrates (tiny:latest) · Turn 1/1"))!;
    const [aVoice, bVoice] = voices(h);
    expect(aLine.messageId).toBeLessThan(aVoice!.messageId);
    expect(aVoice!.messageId).toBeLessThan(bLine.messageId);
    expect(bLine.messageId).toBeLessThan(bVoice!.messageId);
    const lines = synthCalls(h);
    expect(lines.map((c) => c.voice)).toEqual(["am_michael", "am_fenrir"]);
    const st = (await h.store.get(String(USER))).ai2ai!;
    expect(lines[0]!.text).toBe(st.lines[0]!.text.trim());
    expect(st.voicing).toBeUndefined();

    await h.press(USER, "🎧 Episode");
    const episode = await h.waitForBot(USER, (m) => m.voice !== undefined && m.text.startsWith("🎧"), 15_000);
    expect(episode.text).toBe("🎧 Albert Einstein and Socrates: What makes an idea worth pursuing?");
    const said = synthCalls(h).slice(2);
    // The introduction in a third voice, then each line in its speaker's voice, in order.
    expect(said[0]).toMatchObject({
      voice: "af_heart",
      text: "An AI to AI conversation. Albert Einstein and Socrates talk about: What makes an idea worth pursuing?",
    });
    expect(said.slice(1).map((c) => c.voice)).toEqual(["am_michael", "am_fenrir"]);
    expect(said.slice(1).map((c) => c.text)).toEqual(lines.map((c) => c.text));
    expect(episode.voice!.duration).toBeGreaterThanOrEqual(
      Math.round(
        voices(h)
          .slice(0, 2)
          .reduce((n, v) => n + v.voice!.duration, 0) * 0.8,
      ),
    );
    expect(h.tg.voiceProblems).toEqual([]);
    // The status went once the episode was there.
    await h.tg.waitFor(() => !h!.botMessages(USER).some((m) => m.text.startsWith("🎧 Making the episode")));
  });

  it("lets each side's voice be chosen, never the other side's, with a sample", async () => {
    h = await startHarness();
    await cast(h);
    await options(h);
    await h.press(USER, "🗣 A: Am Michael");
    const menu = await h.waitForBot(USER, (m) => m.text.startsWith("🗣 The voice of A (Albert Einstein)"));
    const labels = menu.buttons.flat().map((b) => b.text);
    // B's voice is not offered to A.
    expect(labels).not.toContain("Am Fenrir ♂");
    await h.press(USER, "🇬🇧");
    await h.waitForBot(USER, (m) => m.buttons.flat().some((b) => b.text === "Bf Emma ♀"));
    await h.press(USER, "Bf Emma ♀");
    // B, on the voice that fits its persona, takes the best one A no longer has.
    await h.waitForBot(USER, (m) => m.text.includes("A: Bf Emma · B: Am Michael"));
    const sample = await h.waitForBot(USER, (m) => m.voice !== undefined);
    expect(sample.text).toBe("🗣 Bf Emma");
    const asked = h.hub.requests.find((r) => r.path.endsWith("/voices/preview"))!;
    expect(asked.body).toEqual({ voiceId: "bf_emma", language: "en-gb" });
    // A forged press giving B the voice A has now is refused.
    const opts = h.botMessages(USER).at(-2)!;
    const token = (await h.store.get(String(USER))).ai2ai!.token;
    h.tg.pressButton(USER, opts.messageId, `xs:b:bf_emma:${token}`, { forged: true });
    await h.tg.waitFor(() =>
      h!.tg.callbackAnswers.some((a) => a.text?.startsWith("The other side already speaks with this voice")),
    );
    expect((await h.store.get(String(USER))).ai2ai!.b?.voice).toBeUndefined();
  });

  it("says clearly when the hub's text-to-speech fails mid-episode, and leaves the conversation as it was", async () => {
    h = await startHarness({ env: { OLLAMA_AI2AI_TURNS: "2" } });
    await cast(h);
    await h.press(USER, "▶️ Start");
    await h.waitForBot(USER, (m) => m.text.startsWith("Turn 1/2") && m.buttons.length > 0, 15_000);
    await h.press(USER, "⏭️ Continue exchange");
    await h.waitForBot(USER, (m) => m.text.startsWith("🏁") && m.buttons.length > 0, 15_000);
    const before = h.botMessages(USER).map((m) => [m.messageId, m.text]);
    h.hub.setSpeech({ synthesiseDelayMs: 150 });
    await h.press(USER, "🎧 Episode");
    await h.tg.waitFor(() => synthCalls(h!).length >= 2);
    h.hub.setSpeech({ kokoro: "no-model" });
    const failed = await h.waitForBot(
      USER,
      (m) => m.text.startsWith("⚠️ The episode could not be made"),
      15_000,
    );
    expect(failed.text).toContain("text-to-speech is not available");
    expect(failed.text).toContain("press 🎧 Episode to try again");
    expect(failed.buttons).toEqual([]);
    expect(voices(h)).toEqual([]);
    // Every message of the conversation reads as it did.
    const now = new Map(h.botMessages(USER).map((m) => [m.messageId, m.text]));
    for (const [id, text] of before) expect(now.get(id as number)).toBe(text);
  });

  it("a line's voice failing is said under it and the conversation goes on in text", async () => {
    h = await startHarness({ env: { OLLAMA_AI2AI_TURNS: "1" } });
    await cast(h);
    await options(h);
    await h.press(USER, "🔊 Voices: off");
    await h.waitForBot(USER, (m) => m.text.includes("🔊 Lines read aloud: on"));
    h.hub.setSpeech({ kokoro: "no-model" });
    await h.press(USER, "▶️ Start");
    await h.waitForBot(USER, (m) => m.text.startsWith("🏁") && m.buttons.length > 0, 15_000);
    // Said once: a hub that cannot speak turns the voices off rather than failing every line.
    const notes = h.botMessages(USER).filter((m) => m.text.startsWith("⚠️ This line has no voice message"));
    expect(notes.map((m) => m.text)).toEqual([
      "⚠️ This line has no voice message: The hub's text-to-speech is not available right now, so I can't read answers aloud. Voices are now off for this conversation; turn them on again in ⚙️ Options.",
    ]);
    expect(synthCalls(h)).toHaveLength(1);
    const st = (await h.store.get(String(USER))).ai2ai!;
    expect(st.done).toBe(1);
    expect(st.voicing).toBeUndefined();
    expect(st.voices).toBe(false);
  });

  it("a restart while a line's voice is made gives the controls back, and the other side speaks next", async () => {
    h = await startHarness();
    await cast(h);
    await options(h);
    await h.press(USER, "🔊 Voices: off");
    await h.waitForBot(USER, (m) => m.text.includes("🔊 Lines read aloud: on"));
    h.hub.setSpeech({ synthesiseDelayMs: 60_000 });
    await h.press(USER, "▶️ Start");
    await h.waitForSession(USER, (s) => s.ai2ai?.voicing === "a", 15_000);
    await h.stopBot(0);
    h.hub.setSpeech({ synthesiseDelayMs: 0 });
    await h.startBot();
    const back = await h.waitForBot(
      USER,
      (m) => m.text.startsWith("⚠️ Paused by a restart") && m.buttons.length > 0,
    );
    expect(back.text).toContain("Socrates speaks next");
    expect((await h.store.get(String(USER))).ai2ai).toMatchObject({ pausedAt: "b", done: 0 });
    await h.press(USER, "⏭️ Continue exchange");
    await h.waitForBot(USER, (m) => m.text.startsWith("Turn 1/10") && m.buttons.length > 0, 15_000);
    const st = (await h.store.get(String(USER))).ai2ai!;
    expect(st.lines.map((l) => l.side)).toEqual(["a", "b"]);
    expect(st.voicing).toBeUndefined();
    // B's line was read aloud after the restart.
    expect(voices(h).length).toBeGreaterThanOrEqual(1);
  });

  it("a stop whose grace lets a line's voice finish still gives the controls back after the restart", async () => {
    h = await startHarness();
    await cast(h);
    await options(h);
    await h.press(USER, "🔊 Voices: off");
    await h.waitForBot(USER, (m) => m.text.includes("🔊 Lines read aloud: on"));
    h.hub.setSpeech({ synthesiseDelayMs: 400 });
    await h.press(USER, "▶️ Start");
    await h.waitForSession(USER, (s) => s.ai2ai?.voicing === "a", 15_000);
    await h.stopBot(10_000); // the voice is done well within it
    expect(voices(h)).toHaveLength(1);
    h.hub.setSpeech({ synthesiseDelayMs: 0 });
    await h.startBot();
    const back = await h.waitForBot(
      USER,
      (m) => m.text.startsWith("⚠️ Paused by a restart") && m.buttons.length > 0,
    );
    expect(back.text).toContain("Socrates speaks next");
  });

  it("in a French group, two members cast and start it; men's voices speak French, and the episode too", async () => {
    h = await startHarness({ env: { OLLAMA_AI2AI_TURNS: "1" } });
    const g = -100777;
    h.tg.sendText(g, "/language fr", { from: { id: USER } });
    await h.waitForBot(g, (m) => m.text.startsWith("🌐"));
    h.tg.sendText(g, "/ollama", { from: { id: USER } });
    await h.press(g, fr("🤖↔🤖 AI↔AI : désactivé"), USER);
    await h.waitForBot(g, (m) => m.text.includes("pour A"));
    await h.press(g, "tiny:latest", USER);
    await h.waitForBot(g, (m) => m.text.includes("pour B") || m.text.includes("à nouveau B"));
    await h.press(g, "tiny:latest", OTHER_USER);
    await h.waitForBot(g, (m) => m.text.includes(fr("B : Socrates (tiny:latest)")));
    await h.press(g, "⚙️ Options", OTHER_USER);
    // French has one voice, a woman's: Einstein and Socrates get men's voices, made to speak French.
    await h.waitForBot(g, (m) => m.text.includes(fr("A : Am Michael · B : Am Fenrir")));
    await h.press(g, fr("🔊 Voix : non"), OTHER_USER);
    await h.waitForBot(g, (m) => m.text.includes(fr("voix haute : oui")));
    await h.press(g, "▶️ Démarrer", USER);
    await h.waitForBot(g, (m) => m.text.startsWith("🏁") && m.buttons.length > 0, 15_000);
    await h.press(g, "🎧 Épisode", OTHER_USER);
    await h.waitForBot(g, (m) => m.voice !== undefined && m.text.startsWith("🎧"), 15_000);
    const said = synthCalls(h).map((c) => [c.voice, c.language]);
    expect(said).toEqual([
      ["am_michael", "fr-fr"],
      ["am_fenrir", "fr-fr"],
      ["ff_siwis", "fr-fr"], // the narrator
      ["am_michael", "fr-fr"],
      ["am_fenrir", "fr-fr"],
    ]);
    expect(h.tg.voiceProblems).toEqual([]);
  });

  it("shows no voices in the options and no 🎧 where the hub cannot speak", async () => {
    h = await startHarness({ direct: true, env: { OLLAMA_AI2AI_TURNS: "1" } });
    await cast(h);
    const opts = await options(h);
    expect(opts.text).not.toContain("read aloud");
    expect(opts.buttons.flat().map((b) => b.text)).not.toContain("🔊 Voices: off");
    await h.press(USER, "▶️ Start");
    const end = await h.waitForBot(USER, (m) => m.text.startsWith("🏁") && m.buttons.length > 0, 15_000);
    expect(end.buttons.flat().map((b) => b.text)).not.toContain("🎧 Episode");
  });
});
