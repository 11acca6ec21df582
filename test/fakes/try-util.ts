/** What the by-hand tries (`try-bot.ts`, `try-hosts.ts`) share: the built bot in its own process, buttons, a transcript. */
import { type ChildProcess, spawn } from "node:child_process";
import type { FakeTelegram } from "./telegram.js";

/** `dist/main.js`, as `npm start` runs it, with `env`; its log goes to this terminal. */
export const startBuiltBot = (env: NodeJS.ProcessEnv): ChildProcess =>
  spawn(process.execPath, ["dist/main.js"], { env, stdio: ["ignore", "inherit", "inherit"] });

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Presses the button whose label starts with `label` on the newest message of `chat` that has one. */
export async function pressLabel(
  tg: FakeTelegram,
  chat: number,
  label: string,
  from: { from: { id: number; language_code?: string } },
): Promise<void> {
  const has = (m: { buttons: Array<Array<{ text: string }>> }) =>
    m.buttons.flat().some((b) => b.text.startsWith(label));
  await tg.waitFor(() => tg.visibleMessages(chat).some(has), { timeoutMs: 10_000 });
  const msg = tg.visibleMessages(chat).findLast(has)!;
  tg.pressButton(chat, msg.messageId, msg.buttons.flat().find((b) => b.text.startsWith(label))!.data!, from);
}

/** Every message of `chat` as the user sees it, one a line (a long run of fake words shortened). */
export function printChat(tg: FakeTelegram, chat: number): void {
  console.log(`--- chat ${chat}`);
  for (const m of tg.visibleMessages(chat)) {
    const buttons = m.buttons
      .flat()
      .map((b) => `[${b.text}]`)
      .join(" ");
    const text = m.text.replace(/\n/g, " ⏎ ").replace(/(word\d+ ){8,}/g, "word… ");
    console.log(`${m.from === "bot" ? "BOT " : "USER"}: ${text} ${buttons}`);
  }
}
