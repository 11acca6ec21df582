/**
 * Issue 11 from a user's side: photos (and albums, and images sent as files), voice notes and documents become
 * turns, with the same streaming, history and Retry as text. The real bot, through the fake Telegram (which
 * serves getFile and downloads with the 20 MB rule), the fake hub (transcribe, byte for byte like the real one)
 * and the fake Ollama.
 */
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { buildDocx, buildPdf } from "../media/make-files.js";
import { ADMIN, finished, type Harness, modelCalls, startHarness, USER } from "../support/bot-harness.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const VISION = {
  models: ["tiny:latest", "llava:7b"],
  modelInfo: { "llava:7b": { capabilities: ["completion", "vision"] } },
};
const voiceNote = readFileSync(new URL("../fixtures/hub-media/input-voice.ogg", import.meta.url));

interface Body {
  model: string;
  messages: Array<{ role: string; content: string; images?: string[] }>;
}
const lastCall = (harness: Harness) => modelCalls(harness).at(-1)!.body as Body;
const bytes = (n: number, fill: number) => new Uint8Array(n).fill(fill);
const sizes = () => [
  { width: 320, height: 240, bytes: bytes(3_000, 1) },
  { width: 800, height: 600, bytes: bytes(9_000, 2) },
  { width: 1280, height: 960, bytes: bytes(20_000, 3) },
  { width: 2560, height: 1920, bytes: bytes(60_000, 4) },
];
const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64");

describe("photos", () => {
  it("sends a photo to a model that sees, the size that fits 1280 px, and again with a follow-up after a restart", async () => {
    h = await startHarness({ ollama: VISION });
    await h.pick(USER, "llava:7b");
    const photo = h.tg.sendPhoto(USER, { sizes: sizes() }, { caption: "what is this?" });
    await h.waitForBot(USER, (m) => m.text === "You said: what is this?" && finished(m));
    const body = lastCall(h);
    expect(body.messages.at(-1)!.images).toEqual([b64(sizes()[2]!.bytes)]);
    await h.restart();
    h.tg.sendText(USER, "and the colour?");
    await h.waitForBot(USER, (m) => m.text === "You said: and the colour?" && finished(m));
    const follow = lastCall(h);
    // The photo's message is in the history with its image; the bytes came from the cache, not Telegram again.
    const earlier = follow.messages.find((m) => m.content === "what is this?")!;
    expect(earlier.images).toEqual([b64(sizes()[2]!.bytes)]);
    const fileId = photo.message.photo!.find((p) => p.width === 1280)!.file_id;
    expect(h.tg.downloadsOf(fileId)).toHaveLength(1);
  });

  it("answers a photo without a caption with the default question, and an album as one turn", async () => {
    h = await startHarness({ ollama: VISION });
    await h.pick(USER, "llava:7b");
    h.tg.sendPhoto(USER, { sizes: sizes() });
    await h.waitForBot(USER, (m) => m.text === "You said: Describe this image." && finished(m));
    h.tg.sendAlbum(USER, [{ sizes: sizes() }, bytes(5_000, 7), bytes(6_000, 8)], { caption: "compare them" });
    await h.waitForBot(USER, (m) => m.text === "You said: compare them" && finished(m));
    expect(lastCall(h).messages.at(-1)!.images).toHaveLength(3);
    // One answer for the album, not one per photo.
    expect(h.botMessages(USER).filter((m) => m.text.startsWith("You said: compare"))).toHaveLength(1);
  });

  it("offers the models that can see when the chat's cannot, and the one picked answers the photo", async () => {
    h = await startHarness({ ollama: VISION });
    await h.pick(USER, "tiny:latest");
    h.tg.sendPhoto(USER, { sizes: sizes() }, { caption: "look" });
    const offer = await h.waitForBot(USER, (m) => m.text.startsWith("🖼 tiny:latest cannot see images."));
    expect(offer.buttons.flat().map((b) => b.text)).toEqual(["👁 llava:7b"]);
    expect(modelCalls(h)).toHaveLength(0);
    await h.press(USER, "👁 llava:7b");
    await h.waitForBot(USER, (m) => m.text === "You said: look" && finished(m));
    expect(lastCall(h).model).toBe("llava:7b");
    expect((await h.store.get(String(USER))).model).toBe("llava:7b");
    // The button acts once.
    h.tg.pressButton(USER, offer.messageId, offer.buttons.flat()[0]!.data!, { forged: true });
    await h.tg.waitFor(() => h!.tg.callbackAnswers.some((a) => a.text === "This button was already used."));
  });

  it("with no model that sees: an admin is offered a pull, anyone else is told what to ask for", async () => {
    h = await startHarness({ ollama: { models: ["tiny:latest"] } });
    await h.pick(USER, "tiny:latest");
    h.tg.sendPhoto(USER, bytes(4_000, 1));
    await h.waitForBot(USER, (m) =>
      m.text.includes(
        "No model that can see images is installed. Ask the bot's admin to install one, for example gemma3:4b.",
      ),
    );
    await h.pick(ADMIN, "tiny:latest", ADMIN);
    h.tg.sendPhoto(ADMIN, bytes(4_000, 1), { from: { id: ADMIN } });
    const offer = await h.waitForBot(ADMIN, (m) => m.text.includes("Pull gemma3:4b"));
    expect(offer.buttons.flat()[0]!.text).toContain("gemma3:4b");
  });

  it("in a group, answers a photo whose caption mentions the bot, and not one sent among members", async () => {
    const GROUP = -100999;
    h = await startHarness({ ollama: VISION, telegramLimits: false });
    h.tg.addChat(GROUP, { type: "supergroup", title: "Team" });
    await h.pick(GROUP, "llava:7b", USER);
    h.tg.sendPhoto(GROUP, bytes(4_000, 1), { from: { id: USER }, caption: "our trip" });
    h.tg.sendPhoto(GROUP, bytes(4_000, 2), { from: { id: USER }, caption: "@test_ollama_bot what is here?" });
    await h.waitForBot(GROUP, (m) => m.text === "You said: what is here?" && finished(m));
    expect(modelCalls(h).map((r) => (r.body as Body).messages.at(-1)!.content)).toEqual(["what is here?"]);
  });
});

describe("files and restarts", () => {
  it("⏹ Stop cancels a slow download, and the photo can be tried again", async () => {
    h = await startHarness({ ollama: VISION, env: { LIVE_MODE: "edit" } });
    await h.pick(USER, "llava:7b");
    h.tg.setDownloadDelay(60_000);
    h.tg.sendPhoto(USER, bytes(4_000, 9), { caption: "slow one" });
    await h.press(USER, "⏹");
    await h.waitForBot(USER, (m) => m.text.includes("⏹ Stopped.") && finished(m));
    await h.tg.waitFor(() => h!.tg.downloads.some((d) => d.outcome === "aborted"));
    expect(modelCalls(h)).toHaveLength(0);
  });

  it("answers an album a restart caught while its photos were still coming", async () => {
    // Real time: the stop comes well inside the album's 1.5 s wait for more photos.
    h = await startHarness({ ollama: VISION, clockFactor: 1 });
    await h.pick(USER, "llava:7b");
    h.tg.sendAlbum(USER, [bytes(3_000, 1), bytes(3_000, 2)], { caption: "before the restart" });
    await h.waitForSession(USER, (s) => s.albums?.[0]?.images.length === 2);
    await h.stopBot(0);
    await h.startBot();
    await h.waitForBot(USER, (m) => m.text === "You said: before the restart" && finished(m));
    expect(lastCall(h).messages.at(-1)!.images).toHaveLength(2);
    expect((await h.store.get(String(USER))).albums).toBeUndefined();
  });
});

describe("pulls and restarts", () => {
  it("a pull a kill cut off says so at the next start, instead of its progress staying forever", async () => {
    h = await startHarness();
    await h.pick(USER, "tiny:latest");
    const shown = h.botMessages(USER).at(-1)!;
    await h.stopBot(0);
    // What a kill leaves: the progress message recorded, the pull gone with the process.
    await h.store.update(String(USER), (s) => {
      s.pullsShown = [{ messageId: shown.messageId, model: "new:1b", at: Date.now() }];
    });
    await h.startBot();
    await h.waitForBot(
      USER,
      (m) =>
        m.messageId === shown.messageId && m.text === "❌ The pull of new:1b was interrupted by a restart.",
    );
    expect((await h.store.get(String(USER))).pullsShown).toBeUndefined();
  });
});

describe("voice notes", () => {
  it("transcribes through the hub, quotes what was heard above the answer, and answers it", async () => {
    h = await startHarness();
    await h.pick(USER, "tiny:latest");
    h.tg.sendVoice(USER, voiceNote, { duration: 2 });
    const answer = await h.waitForBot(
      USER,
      (m) => m.text.includes("You said: Hello from a voice note.") && finished(m),
    );
    expect(answer.text).toBe("🎙 “Hello from a voice note.”\n\nYou said: Hello from a voice note.");
    const s = await h.waitForSession(USER, (x) => x.turn === undefined);
    expect(s.history.map((e) => e.content)).toEqual([
      "Hello from a voice note.",
      "You said: Hello from a voice note.",
    ]);
    // The upload reached the hub named as audio (a .wav or nameless upload fails on the real hub).
    const upload = h.hub.requests.find((r) => r.path.endsWith("/media/transcribe"))!;
    expect(String(upload.headers["content-type"])).toMatch(/^multipart\/form-data/);
  });

  it("without a hub, says in one sentence why a voice note cannot be understood (the model does not hear)", async () => {
    h = await startHarness({ direct: true });
    await h.pick(USER, "tiny:latest");
    h.tg.sendVoice(USER, voiceNote, { duration: 2 });
    await h.waitForBot(USER, (m) => m.text.startsWith("⚠️ Voice notes need the hub's speech recognition"));
    expect(modelCalls(h)).toHaveLength(0);
    expect(h.tg.downloads).toHaveLength(0);
  });

  it("says the hub has no speech recognition instead of answering its placeholder words", async () => {
    h = await startHarness();
    await h.pick(USER, "tiny:latest");
    h.hub.setSpeech({ stt: "stub" });
    h.tg.sendVoice(USER, voiceNote, { duration: 2 });
    const said = await h.waitForBot(USER, (m) => m.text.includes("no speech recognition") && finished(m));
    expect(said.text).not.toContain("word1");
    expect(modelCalls(h)).toHaveLength(0);
  });
});

describe("documents", () => {
  it("reads a text file and answers about it, with the file name and the caption as the question", async () => {
    h = await startHarness();
    await h.pick(USER, "tiny:latest");
    const notes = new TextEncoder().encode("Meeting moved to Friday.\nBring the budget.");
    h.tg.sendDocument(USER, notes, { fileName: "notes.txt", mimeType: "text/plain", caption: "when is it?" });
    await h.waitForBot(USER, (m) => m.text.includes("when is it?") && finished(m), 15_000);
    const prompt = lastCall(h).messages.at(-1)!.content;
    expect(prompt).toBe(
      "[Document: notes.txt]\n\nMeeting moved to Friday.\nBring the budget.\n\nwhen is it?",
    );
    // It stays in the history: a follow-up still has it.
    h.tg.sendText(USER, "and what to bring?");
    await h.waitForBot(USER, (m) => m.text === "You said: and what to bring?" && finished(m));
    expect(lastCall(h).messages.some((m) => m.content.includes("Bring the budget."))).toBe(true);
  });

  it("reads a PDF and a Word document, and says so for an encrypted or scanned PDF", async () => {
    h = await startHarness();
    await h.pick(USER, "tiny:latest");
    const pdf = buildPdf([{ lines: ["Invoice 42", "Total: 99 EUR"] }, { lines: ["Due in May"] }]);
    h.tg.sendDocument(USER, pdf, { fileName: "invoice.pdf", mimeType: "application/pdf" });
    await h.waitForBot(USER, (m) => m.text.includes("Summarise this document.") && finished(m), 15_000);
    const pdfPrompt = lastCall(h).messages.at(-1)!.content;
    expect(pdfPrompt).toMatch(
      /^\[Document: invoice\.pdf\]\n\n[\s\S]*Total: 99 EUR[\s\S]*Due in May[\s\S]*Summarise this document\.$/,
    );
    const docx = await buildDocx(["Minutes of the meeting", "Alice will send the draft."]);
    h.tg.sendDocument(USER, docx, {
      fileName: "minutes.docx",
      mimeType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      caption: "who sends the draft?",
    });
    await h.waitForBot(USER, (m) => m.text.includes("who sends the draft?") && finished(m), 15_000);
    expect(lastCall(h).messages.at(-1)!.content).toContain("Alice will send the draft.");
    const calls = modelCalls(h).length;
    h.tg.sendDocument(USER, buildPdf([{ lines: ["secret"] }], { userPassword: "pw" }), {
      fileName: "locked.pdf",
      mimeType: "application/pdf",
    });
    await h.waitForBot(USER, (m) => m.text.includes("protected by a password"), 15_000);
    h.tg.sendDocument(USER, buildPdf([{}]), { fileName: "scan.pdf", mimeType: "application/pdf" });
    await h.waitForBot(USER, (m) => m.text.includes("has no text I can read"), 15_000);
    expect(modelCalls(h)).toHaveLength(calls);
  });

  it("cuts a document longer than the context, and says how much was used", async () => {
    h = await startHarness({ ollama: { modelInfo: { "tiny:latest": { contextLength: 1024 } } } });
    await h.pick(USER, "tiny:latest");
    const long = Array.from({ length: 2000 }, (_, i) => `Line ${i} of the report.`).join("\n");
    h.tg.sendDocument(USER, new TextEncoder().encode(long), {
      fileName: "report.txt",
      mimeType: "text/plain",
    });
    const answer = await h.waitForBot(
      USER,
      (m) => m.text.startsWith("📄 report.txt: only the first") && finished(m),
      15_000,
    );
    expect(answer.text).toMatch(/only the first [\d,]+ of [\d,]+ characters fit the model's context/);
    const sent = lastCall(h).messages.at(-1)!.content;
    expect(sent).toContain("Line 0 of the report.");
    expect(sent).not.toContain("Line 1999 of the report.");
  });

  it("with a local Bot API server, takes a file over 20 MB and reads files from the paths it gives", async () => {
    h = await startHarness({
      telegram: { localMode: true },
      env: { TELEGRAM_API_LOCAL: "true", MEDIA_MAX_MB: "100" },
    });
    await h.pick(USER, "tiny:latest");
    h.tg.sendDocument(USER, new TextEncoder().encode("From the local server."), {
      fileName: "local.txt",
      mimeType: "text/plain",
    });
    await h.waitForBot(USER, (m) => m.text.includes("From the local server.") && finished(m), 15_000);
    // Over the cloud's 20 MB, within MEDIA_MAX_MB: fetched (here a file of zeros, which is no text).
    h.tg.sendDocument(USER, new Uint8Array(10), {
      fileName: "big.txt",
      mimeType: "text/plain",
      declaredSize: 25 * 1024 * 1024,
    });
    await h.waitForBot(
      USER,
      (m) => m.text.includes("not this kind of file") || m.text.includes("no text"),
      15_000,
    );
    expect(h.botMessages(USER).some((m) => m.text.includes("over 20 MB"))).toBe(false);
  });

  it("refuses a file over Telegram's 20 MB at once, naming the limit and the way around it", async () => {
    h = await startHarness();
    await h.pick(USER, "tiny:latest");
    const doc = h.tg.sendDocument(USER, bytes(10, 65), {
      fileName: "big.pdf",
      mimeType: "application/pdf",
      declaredSize: 25 * 1024 * 1024,
    });
    await h.waitForBot(USER, (m) => m.text.startsWith("⚠️ This file is over 20 MB"));
    expect(h.tg.downloadsOf(doc.message.document!.file_id)).toHaveLength(0);
    expect(h.tg.callsTo("getFile")).toHaveLength(0);
  });

  it("says which files it cannot read, in one sentence", async () => {
    h = await startHarness();
    await h.pick(USER, "tiny:latest");
    h.tg.sendDocument(USER, new Uint8Array([0x50, 0x4b, 3, 4, 0, 0, 0, 0]), {
      fileName: "sheet.xlsx",
      mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    });
    await h.waitForBot(USER, (m) => m.text.includes("I can read text files, PDF and Word (.docx) documents"));
    expect(modelCalls(h)).toHaveLength(0);
  });
});
