import { it } from "vitest";
import { ADMIN, startHarness, USER } from "../test/support/bot-harness.js";

it("drive", async () => {
  const h = await startHarness({ ollama: { countTokens: true, models: ["tiny:latest", "think:latest", "long:latest", "llava:7b", "nomic-embed-text:latest"], running: [], modelInfo: { "llava:7b": { capabilities: ["completion", "vision"] }, "nomic-embed-text:latest": { capabilities: ["embedding"] }, "long:latest": { contextLength: 1024 } } } });
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const say = async (t: string, from = USER) => { h.tg.sendText(from, t, { from: { id: from } }); await wait(700); };
  await say("/start");
  await say("/ollama");
  await h.press(USER, "think:latest"); await wait(700);
  await say("/model");
  await say("hello there");
  await wait(1500);
  await say("/settings");
  await h.press(USER, "🧠 Thinking"); await wait(500);
  await h.press(USER, "off"); await wait(500);
  await h.press(USER, "◀️ Back"); await wait(500);
  await say("/settings temperature 5");
  await say("/settings context 100000");
  await say("second question");
  await wait(1500);
  await h.press(USER, "🔄 Regenerate"); await wait(1500);
  await say("/summarize");
  await wait(1500);
  await say("/ollama");
  await h.press(USER, "long:latest"); await wait(700);
  await say("tell me a lot"); await wait(4000);
  await say("/models", ADMIN);
  await wait(1000);
  for (const chat of [USER, ADMIN]) {
    console.log(`===== chat ${chat}`);
    for (const m of h.tg.visibleMessages(chat)) {
      console.log(`--- [${m.from}] ${m.text}`);
      if (m.buttons.length) console.log(`    buttons: ${m.buttons.map((r) => r.map((b) => b.text).join(" | ")).join(" / ")}`);
    }
  }
  await h.close();
}, 120_000);
