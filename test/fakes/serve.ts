/**
 * Starts the fake Ollama and the fake hub in front of it, for trying the CLI (and later the bot) by hand:
 *   npx tsx test/fakes/serve.ts      → prints TTSHUB_API_BASE and OLLAMA_URL to use
 */
import { startFakeHub } from "./hub.js";
import { startFakeOllama } from "./ollama.js";

const ollama = await startFakeOllama({ tokenDelayMs: Number(process.env.FAKE_TOKEN_DELAY_MS ?? 30) });
const hub = await startFakeHub({ ollamaUrl: ollama.url });
process.stdout.write(`TTSHUB_API_BASE=${hub.apiBase}\nOLLAMA_URL=${ollama.url}\n`);
process.on("SIGINT", async () => {
  await hub.close();
  await ollama.close();
  process.exit(0);
});
