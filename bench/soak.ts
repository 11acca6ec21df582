/**
 * `npm run soak`: a bounded fault soak. The real bot in its own process (test/faults/child-bot.ts) serves five users
 * in private chats, a group (mentions) and an AI↔AI conversation on Auto, with messages at random intervals, while
 * faults are injected at random: SIGKILL or SIGTERM and a restart, the hub or Ollama away for 2–6 s, Telegram
 * answering 429 / 500 / 502, dropping the connection (before or after the call took effect) or hanging, Redis away.
 *
 * At the end the faults stop, the bot settles, is restarted once cleanly, and every 🔁 Retry on screen is pressed.
 * Then every message sent is classified by what its user sees: answered, marked (its Retry, pressed, answered it),
 * lost (nothing), stuck (a message of it still says ⏳ or shows ⏹ Stop), duplicated (its answer shown twice), and
 * counted per fault kind that was active between its send and its answer. Exit code 1 when anything is lost or
 * stuck.
 *
 *   SOAK_SECONDS=60 SOAK_SEED=42 SOAK_STORE=redis|file|both SOAK_LOG=/tmp/soak.log npx tsx bench/soak.ts
 */
import { writeFileSync } from "node:fs";
import type { ApiCall, FakeTelegram, Fault, StoredMessage } from "../test/fakes/telegram.js";
import {
  buttonLabels,
  castAi2Ai,
  delay,
  isWorking,
  press,
  startWorld,
  transcript,
  type World,
  waitForBot,
} from "../test/faults/child-bot.js";

const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const SEED = Number(process.env.SOAK_SEED ?? Math.floor(Math.random() * 2 ** 31));
/** Where to write the bot's stderr (every run, one file per store), for reading what happened. */
const LOG_FILE = process.env.SOAK_LOG;
const STORES =
  (process.env.SOAK_STORE ?? "redis") === "both" ? ["redis", "file"] : [process.env.SOAK_STORE ?? "redis"];

const USERS = [2001, 2002, 2003, 2004, 2005];
const GROUP = -100_888;
const GROUP_MEMBERS = [2001, 2002, 2003];
const AI_CHAT = 2100;
const BOT_NAME = "@test_ollama_bot";

/** mulberry32: small, seeded, good enough to make a run repeatable in what it decides. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
  };
}

type Rng = ReturnType<typeof rng>;

const WORDS =
  "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa".split(
    " ",
  );

type FaultKind =
  | "SIGKILL+restart"
  | "SIGTERM+restart"
  | "hub down"
  | "Ollama down"
  | "Telegram 429"
  | "Telegram 500"
  | "Telegram 502"
  | "Telegram drop"
  | "Telegram drop after applying"
  | "Telegram hang"
  | "Redis down";

interface Injected {
  kind: FaultKind;
  start: number;
  /** When it stopped acting; undefined while it still may. */
  end: number | undefined;
  detail: string;
}

interface Sent {
  chatId: number;
  from: number;
  messageId: number;
  /** The update that carried it to the bot. */
  updateId: number | undefined;
  /** What the answer echoes (the tiny model says "You said: <prompt>"). */
  prompt: string;
  sentAt: number;
  /** First seen answered, offered a Retry, or refused. */
  resolvedAt: number | undefined;
  answeredBeforeRetries: boolean;
}

type Outcome = "answered" | "marked" | "lost" | "stuck" | "refused";

interface View {
  answers: number;
  offered: boolean;
  working: boolean;
  refused: boolean;
  messages: StoredMessage[];
}

/** Bot messages belong to the user message their reply chain ends at (a Retry note replies to the cut answer). */
function views(tg: FakeTelegram, chatId: number, sent: Sent[]): Map<number, View> {
  const history = tg.history(chatId);
  const byId = new Map(history.map((m) => [m.messageId, m]));
  const owner = (m: StoredMessage): number | undefined => {
    let at: StoredMessage | undefined = m;
    for (let hops = 0; at && hops < 10; hops++) {
      if (at.from === "user") return at.messageId;
      at = at.replyToMessageId === undefined ? undefined : byId.get(at.replyToMessageId);
    }
    return undefined;
  };
  const result = new Map<number, View>();
  const mine = new Map(sent.filter((s) => s.chatId === chatId).map((s) => [s.messageId, s]));
  for (const s of mine.values())
    result.set(s.messageId, { answers: 0, offered: false, working: false, refused: false, messages: [] });
  for (const m of history) {
    if (m.deleted || m.from !== "bot") continue;
    const id = owner(m);
    const s = id === undefined ? undefined : mine.get(id);
    if (!s) continue;
    const v = result.get(s.messageId)!;
    const buttons = buttonLabels({ buttons: inlineButtons(m) });
    v.messages.push(m);
    if (m.text === `You said: ${s.prompt}` && buttons.length === 0) v.answers++;
    if (buttons.includes("🔁 Retry")) v.offered = true;
    if (isWorkingMarkup(m)) v.working = true;
    if (/already waiting|You already have|Slow down/.test(m.text)) v.refused = true;
  }
  return result;
}

function inlineButtons(m: StoredMessage): Array<Array<{ text: string; data?: string }>> {
  const rows = (m.replyMarkup as { inline_keyboard?: Array<Array<{ text: string; callback_data?: string }>> })
    ?.inline_keyboard;
  return (rows ?? []).map((row) =>
    row.map((b) => ({ text: b.text, ...(b.callback_data ? { data: b.callback_data } : {}) })),
  );
}

function isWorkingMarkup(m: StoredMessage): boolean {
  return isWorking({ from: "bot", text: m.text, buttons: inlineButtons(m) });
}

/**
 * Telegram faults as failNext takes them, each on a method the bot calls several times a second (a fault on a rare
 * one, answerCallbackQuery, would wait for its call and be blamed for everything sent meanwhile).
 */
function telegramFault(kind: FaultKind, r: Rng): { method: string; fault: Fault } {
  const methods = ["sendMessage", "editMessageText", "getUpdates", "*"];
  switch (kind) {
    case "Telegram 429":
      return { method: r.pick(methods), fault: { code: 429, retryAfter: r.int(1, 3) } };
    case "Telegram 500":
      return { method: r.pick(methods), fault: { code: 500 } };
    case "Telegram 502":
      return { method: r.pick(methods), fault: { code: 502 } };
    case "Telegram drop":
      return { method: r.pick(methods), fault: { dropConnection: true } };
    case "Telegram drop after applying":
      return {
        method: r.pick(["sendMessage", "editMessageText"]),
        fault: { dropConnection: true, afterApplying: true },
      };
    default:
      return { method: r.pick(methods.filter((m) => m !== "getUpdates")), fault: { hang: true } };
  }
}

function shuffle<T>(xs: readonly T[], r: Rng): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = r.int(0, i);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** The call that consumed an injected Telegram fault: the fake logs it with that error or transport. */
function consumes(call: ApiCall, method: string, fault: Fault): boolean {
  if (method !== "*" && call.method.toLowerCase() !== method.toLowerCase()) return false;
  if ("code" in fault) return call.error?.error_code === fault.code;
  if ("hang" in fault) return call.transport === "hung";
  return call.transport === "dropped";
}

interface PassResult {
  store: string;
  failed: boolean;
}

async function pass(store: string): Promise<PassResult> {
  const w: World = await startWorld({
    redis: store === "redis",
    ollama: { tokenDelayMs: 15 },
    telegram: {},
    env: {
      ALLOWED_USER_IDS: "*",
      MAX_CONCURRENT_GENERATIONS: "2",
      HUB_OUTAGE_WINDOW_MS: "10000",
      HUB_RETRIES: "2",
      SHUTDOWN_GRACE_MS: "1500",
      OLLAMA_AI2AI_TURNS: "1000",
    },
  });
  const { tg, bot } = w;
  const faults: Injected[] = [];
  const sent: Sent[] = [];
  const rss = { peakHwmKb: 0, peakRssKb: 0, lastRssKb: 0 };
  const ai = { pressesNeeded: 0, restartsWhileAuto: 0, stallsWithoutControls: 0 };
  let starts = 0;
  let startFailures = 0;
  /** Why starts failed: the first line of what the bot said, counted. */
  const startProblems = new Map<string, number>();
  const t0 = Date.now();
  const elapsed = () => ((Date.now() - t0) / 1000).toFixed(1);
  const say = (line: string) => process.stdout.write(`[${store} ${elapsed()}s] ${line}\n`);
  const aiLineCount = () =>
    tg.visibleMessages(AI_CHAT).filter((m) => /^(Albert Einstein|Socrates) \(/.test(m.text) && !isWorking(m))
      .length;

  /** As Docker's restart policy would: start until it polls (a start fails while Redis is away). */
  const supervise = async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        starts++;
        await bot.start();
        return;
      } catch (err) {
        startFailures++;
        const run = bot.runs;
        const said = bot.lines.find((l) => l.run === run && (l.level === 0 || l.level >= 50));
        const why = (said?.msg ?? (err as Error).message.split("\n")[0]!).slice(0, 120);
        startProblems.set(why, (startProblems.get(why) ?? 0) + 1);
        say(`start ${attempt} failed: ${why}`);
        if (attempt >= 30) throw err;
        await delay(1000);
      }
    }
  };

  const sampler = setInterval(() => {
    const m = bot.memory();
    if (!m) return;
    rss.peakHwmKb = Math.max(rss.peakHwmKb, m.hwmKb);
    rss.peakRssKb = Math.max(rss.peakRssKb, m.rssKb);
    rss.lastRssKb = m.rssKb;
  }, 250);

  const allChats = [...USERS, GROUP];
  /** Marks messages answered / offered the moment they first are, for the attribution window. */
  const track = () => {
    const now = Date.now();
    for (const chat of allChats) {
      for (const [id, v] of views(tg, chat, sent)) {
        const s = sent.find((x) => x.chatId === chat && x.messageId === id)!;
        if (s.resolvedAt === undefined && !v.working && (v.answers > 0 || v.offered || v.refused))
          s.resolvedAt = now;
      }
    }
  };

  // The AI↔AI chat: a run on Auto that should survive everything; a user presses only when it sits paused.
  let aiPausedSince: number | undefined;
  let lastAiCallAt = Date.now();
  let aiStalledWithoutControls = false;
  let aiEnabled = false;
  const watchAi = () => {
    if (!aiEnabled || !bot.running) return;
    const controls = tg
      .visibleMessages(AI_CHAT)
      .filter((m) => m.from === "bot" && m.buttons.flat().some((b) => b.text === "⚙️ Options"))
      .at(-1);
    // Paused (a failure, a restart, Auto off), or "on" with nothing said for 10 s: stalled either way.
    const stalled = Date.now() - lastAiCallAt > 10_000;
    if (!controls) {
      // Silent, and no button left to press: a user could only start over.
      if (Date.now() - lastAiCallAt > 15_000 && !aiStalledWithoutControls) {
        aiStalledWithoutControls = true;
        ai.stallsWithoutControls++;
        const last = tg.visibleMessages(AI_CHAT).at(-1);
        say(
          `AI↔AI silent for 15 s with no controls on screen; last message: ${JSON.stringify(last?.text.slice(0, 80))} [${last ? buttonLabels(last).join("|") : ""}]`,
        );
      }
      return;
    }
    aiStalledWithoutControls = false;
    const paused =
      stalled || controls.text.startsWith("⚠️ Paused") || buttonLabels(controls).includes("⏩ Auto");
    if (!paused) {
      aiPausedSince = undefined;
      return;
    }
    aiPausedSince ??= Date.now();
    // Auto is meant to carry on by itself; after 5 s of a paused run, the user steps in.
    if (Date.now() - aiPausedSince < 5_000) return;
    aiPausedSince = undefined;
    lastAiCallAt = Date.now();
    ai.pressesNeeded++;
    const labels = buttonLabels(controls);
    const label = labels.includes("🔁 Retry")
      ? "🔁 Retry"
      : labels.includes("⏩ Auto")
        ? "⏩ Auto"
        : "⏭️ Continue exchange";
    const button = controls.buttons.flat().find((b) => b.text === label);
    if (button?.data) {
      say(`AI↔AI sat paused ("${controls.text.split("\n")[0]!.slice(0, 60)}"): pressing ${label}`);
      const query = tg.pressButton(AI_CHAT, controls.messageId, button.data);
      void tg
        .waitFor(() => tg.callbackAnswers.find((a) => a.queryId === query), { timeoutMs: 20_000 })
        .then(
          (a) => say(`  the bot answered that press: ${JSON.stringify(a.text ?? "")}`),
          () => say("  the bot never answered that press"),
        );
    }
  };
  const monitor = setInterval(() => {
    track();
    watchAi();
  }, 300);

  const consumedBy = new Map<Injected, { method: string; fault: Fault; left: number }>();
  const onCall = (call: ApiCall) => {
    if (call.method !== "getUpdates" && Number(call.params.chat_id) === AI_CHAT) lastAiCallAt = Date.now();
    for (const [inj, f] of consumedBy) {
      if (!consumes(call, f.method, f.fault)) continue;
      f.left--;
      if (f.left <= 0) {
        inj.end = Date.now();
        consumedBy.delete(inj);
      }
      break;
    }
  };
  tg.events.on("call", onCall);

  let failed = false;
  try {
    await supervise();
    // Set-up: one user reads whole answers; the AI↔AI pair (tiny echoes unicode's fixed line: lines stay short).
    tg.sendText(USERS[4]!, "/stream off");
    await waitForBot(tg, USERS[4]!, (m) => m.text.startsWith("Streaming is off"));
    tg.addChat(GROUP, { type: "supergroup", title: "Soak group" });
    await castAi2Ai(tg, AI_CHAT, "tiny:latest", "unicode:latest");
    await press(tg, AI_CHAT, "▶️ Start");
    await waitForBot(tg, AI_CHAT, (m) => m.text.startsWith("Turn 1/") && m.buttons.length > 0, 15_000);
    await press(tg, AI_CHAT, "⏩ Auto");
    aiEnabled = true;
    say(`seed ${SEED}, ${SECONDS} s, store ${store}, bot pid ${bot.pid}`);

    const until = Date.now() + SECONDS * 1000;
    let counter = 0;
    const outstanding = (user: number) =>
      sent.filter((s) => s.from === user && s.resolvedAt === undefined && Date.now() - s.sentAt < 30_000)
        .length;
    // Each loop draws from its own stream, so one loop's timing does not change another's choices.
    const prompt = (tag: string, r: Rng) => {
      counter++;
      const words = Array.from({ length: r.int(4, 30) }, () => r.pick(WORDS)).join(" ");
      return `${tag} m${counter} ${words}`;
    };
    const userLoop = async (user: number) => {
      const r = rng(SEED + user);
      while (Date.now() < until) {
        await delay(r.int(800, 5000));
        if (Date.now() >= until) break;
        // A person waits for their answers before writing a third message (the bot caps waiting turns at 3).
        if (outstanding(user) >= 2) continue;
        const text = prompt(`u${user}`, r);
        const m = tg.sendText(user, text);
        sent.push({
          chatId: user,
          from: user,
          messageId: m.messageId,
          updateId: m.updateId,
          prompt: text,
          sentAt: Date.now(),
          resolvedAt: undefined,
          answeredBeforeRetries: false,
        });
      }
    };
    const groupLoop = async () => {
      const r = rng(SEED + 1);
      while (Date.now() < until) {
        // A group's budget is 20 messages a minute: an answer costs two or three.
        await delay(r.int(6000, 12000));
        if (Date.now() >= until) break;
        const from = r.pick(GROUP_MEMBERS);
        if (sent.filter((s) => s.chatId === GROUP && s.resolvedAt === undefined).length >= 2) continue;
        const text = prompt("g", r);
        const m = tg.sendText(GROUP, `${BOT_NAME} ${text}`, { from: { id: from } });
        sent.push({
          chatId: GROUP,
          from,
          messageId: m.messageId,
          updateId: m.updateId,
          prompt: text,
          sentAt: Date.now(),
          resolvedAt: undefined,
          answeredBeforeRetries: false,
        });
      }
    };
    const kinds: FaultKind[] = [
      "SIGKILL+restart",
      "SIGTERM+restart",
      "hub down",
      "Ollama down",
      "Telegram 429",
      "Telegram 500",
      "Telegram 502",
      "Telegram drop",
      "Telegram drop after applying",
      "Telegram hang",
      ...(store === "redis" ? (["Redis down"] as const) : []),
    ];
    const active = new Set<FaultKind>();
    const deck: FaultKind[] = [];
    const background: Promise<void>[] = [];
    const faultLoop = async () => {
      const r = rng(SEED);
      while (Date.now() < until - 2_000) {
        await delay(r.int(2000, 6000));
        if (Date.now() >= until - 2_000) break;
        // Every kind in turn, in a seeded order, so a minute's run meets each of them.
        if (deck.length === 0) deck.push(...shuffle(kinds, r));
        const kind = deck.shift()!;
        if (active.has(kind)) continue;
        const inj: Injected = { kind, start: Date.now(), end: undefined, detail: "" };
        faults.push(inj);
        if (kind === "SIGKILL+restart" || kind === "SIGTERM+restart") {
          if (kind === "SIGKILL+restart" && aiEnabled) ai.restartsWhileAuto++;
          const exit = await bot.kill(kind === "SIGKILL+restart" ? "SIGKILL" : "SIGTERM");
          await supervise();
          inj.end = Date.now();
          inj.detail = `exit ${exit.signal ?? exit.code}, back in ${((inj.end - inj.start) / 1000).toFixed(1)} s`;
        } else if (kind === "hub down" || kind === "Ollama down" || kind === "Redis down") {
          const ms = kind === "Redis down" ? r.int(3000, 12000) : r.int(2000, 6000);
          inj.detail = `${(ms / 1000).toFixed(1)} s`;
          active.add(kind);
          const set = async (down: boolean) => {
            if (kind === "hub down") await w.hub.setFault(down ? "refuse" : null);
            else if (kind === "Ollama down") await w.ollama.setDown(down);
            else w.redis!.setAvailable(!down);
          };
          await set(true);
          background.push(
            delay(ms).then(async () => {
              await set(false);
              inj.end = Date.now();
              active.delete(kind);
            }),
          );
        } else {
          const { method, fault } = telegramFault(kind, r);
          const count = "hang" in fault ? 1 : r.int(1, 3);
          inj.detail = `${method} ×${count}`;
          consumedBy.set(inj, { method, fault, left: count });
          tg.failNext(method, fault, count);
        }
        say(`fault: ${kind} (${inj.detail})`);
      }
    };
    await Promise.all([...USERS.map(userLoop), groupLoop(), faultLoop()]);
    await Promise.all(background);

    // -- the end: no more faults; settle; one clean restart; every Retry pressed ------------------------------
    tg.clearFaults();
    for (const [inj] of consumedBy) inj.end = Date.now();
    consumedBy.clear();
    // (Each outage already ended itself above; these are for safety, and the fake Ollama's setDown is not
    // idempotent, so it is left alone.)
    await w.hub.setFault(null);
    w.redis?.setAvailable(true);
    if (!bot.running) await supervise();
    say(`sending stopped: ${sent.length} messages, ${faults.length} faults; settling`);
    /**
     * Waits until every message has an outcome on screen (for `pressed` ones: an answer) and nothing says
     * "working", then 2 s more without a call; or 15 s without a call whatever is left (a group's answers are
     * edited every 3 s, and a 429 there waits its retry_after).
     */
    const settle = async (what: string, maxMs = 45_000, pressed?: Set<Sent>) => {
      const end = Date.now() + maxMs;
      const settled = () => {
        for (const chat of allChats) {
          for (const [id, v] of views(tg, chat, sent)) {
            if (v.working) return false;
            const s = sent.find((x) => x.chatId === chat && x.messageId === id)!;
            if (pressed?.has(s) ? v.answers === 0 : v.answers === 0 && !v.offered && !v.refused) return false;
          }
        }
        return true;
      };
      let quietSince = Date.now();
      // Quiet: no call for the users' chats (the AI↔AI chat may go on talking on Auto).
      const busy = () =>
        tg.calls.filter((c) => c.method !== "getUpdates" && Number(c.params.chat_id) !== AI_CHAT).length;
      let calls = busy();
      while (Date.now() < end) {
        await delay(250);
        track();
        if (busy() !== calls) {
          calls = busy();
          quietSince = Date.now();
        }
        const quiet = Date.now() - quietSince;
        if ((quiet > 2_000 && settled()) || quiet > 15_000) return;
      }
      say(`${what}: still busy after ${maxMs / 1000} s`);
    };
    await settle("after the faults");
    aiEnabled = false;
    const linesBefore = aiLineCount();
    await bot.kill("SIGTERM");
    await supervise();
    // Auto was on: the run carries on by itself after a clean restart, with no press.
    const aiResumed = await tg
      .waitFor(() => aiLineCount() > linesBefore, { timeoutMs: 10_000 })
      .then(
        () => true,
        () => false,
      );
    await settle("after the clean restart");
    // Auto off now, so the AI↔AI chat settles too.
    const autoOn = tg
      .visibleMessages(AI_CHAT)
      .findLast((m) => m.buttons.flat().some((b) => b.text === "⏸ Auto is on"));
    if (autoOn) {
      tg.pressButton(
        AI_CHAT,
        autoOn.messageId,
        autoOn.buttons.flat().find((b) => b.text === "⏸ Auto is on")!.data!,
      );
    }
    for (const chat of allChats) {
      for (const [id, v] of views(tg, chat, sent)) {
        if (v.answers > 0)
          sent.find((s) => s.chatId === chat && s.messageId === id)!.answeredBeforeRetries = true;
      }
    }
    let retries = 0;
    const pressedFor = new Set<string>();
    const pressedMessages = new Set<Sent>();
    for (const chat of allChats) {
      for (const m of tg.visibleMessages(chat)) {
        const retry = m.buttons.flat().find((b) => b.text === "🔁 Retry");
        if (m.from !== "bot" || !retry?.data) continue;
        const owner = tg.history(chat).find((x) => x.messageId === m.messageId);
        const asker = sent.find((s) => s.chatId === chat && s.messageId === ownerChain(tg, chat, owner));
        tg.pressButton(chat, m.messageId, retry.data, asker ? { from: { id: asker.from } } : {});
        pressedFor.add(`${chat}:${asker?.messageId ?? `?${m.messageId}`}`);
        if (asker) pressedMessages.add(asker);
        retries++;
        await delay(100);
      }
    }
    say(`pressed ${retries} Retry buttons`);
    await settle("after the Retries", 60_000, pressedMessages);
    track();

    // -- classify -------------------------------------------------------------------------------------------
    const outcomes = new Map<Sent, { outcome: Outcome; duplicated: boolean; view: View }>();
    for (const chat of allChats) {
      for (const [id, v] of views(tg, chat, sent)) {
        const s = sent.find((x) => x.chatId === chat && x.messageId === id)!;
        const outcome: Outcome = v.working
          ? "stuck"
          : v.answers > 0
            ? s.answeredBeforeRetries
              ? "answered"
              : "marked"
            : v.refused
              ? "refused"
              : "lost";
        outcomes.set(s, { outcome, duplicated: v.answers > 1, view: v });
      }
    }
    const retriesWorked = [...pressedFor].filter((k) => {
      const [chat, id] = k.split(":");
      const s = sent.find((x) => String(x.chatId) === chat && String(x.messageId) === id);
      return s !== undefined && (outcomes.get(s)?.view.answers ?? 0) > 0;
    }).length;
    const attributed = (s: Sent) => {
      const to = (s.resolvedAt ?? Date.now()) + 500;
      return faults.filter((f) => f.start <= to && (f.end ?? Date.now()) >= s.sentAt);
    };
    const rows = new Map<string, { injected: number; msgs: Set<Sent> }>();
    for (const kind of kinds)
      rows.set(kind, { injected: faults.filter((f) => f.kind === kind).length, msgs: new Set() });
    rows.set("(no fault)", { injected: 0, msgs: new Set() });
    for (const s of sent) {
      const fs = attributed(s);
      if (fs.length === 0) rows.get("(no fault)")!.msgs.add(s);
      for (const f of fs) rows.get(f.kind)!.msgs.add(s);
    }
    rows.set("all", { injected: faults.length, msgs: new Set(sent) });
    const count = (msgs: Set<Sent>, o: Outcome) =>
      [...msgs].filter((s) => outcomes.get(s)?.outcome === o).length;
    const header = [
      "fault kind",
      "injected",
      "msgs",
      "answered",
      "marked+Retry ok",
      "lost",
      "stuck",
      "duplicated",
      "refused",
    ];
    const table = [...rows].map(([kind, row]) => [
      kind,
      String(row.injected),
      String(row.msgs.size),
      String(count(row.msgs, "answered")),
      String(count(row.msgs, "marked")),
      String(count(row.msgs, "lost")),
      String(count(row.msgs, "stuck")),
      String([...row.msgs].filter((s) => outcomes.get(s)?.duplicated).length),
      String(count(row.msgs, "refused")),
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
    const line = (cells: string[]) =>
      `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ")} |`;
    console.log(
      `\nSoak: ${SECONDS} s, seed ${SEED}, store ${store}; ${sent.length} messages from ${USERS.length} users and a group; ${faults.length} faults`,
    );
    console.log(
      "A message counts under every fault active between its send and its answer; `all` counts each once.\n",
    );
    console.log(line(header));
    console.log(
      `|${widths.map((n, i) => (i === 0 ? "-".repeat(n + 2) : `${"-".repeat(n + 1)}:`)).join("|")}|`,
    );
    for (const row of table) console.log(line(row));

    const aiLines = aiLineCount();
    const aiStuck = tg.visibleMessages(AI_CHAT).filter(isWorking);
    console.log(
      `\nRetry pressed after the soak: ${retries} (for ${pressedFor.size} messages); answered: ${retriesWorked}`,
    );
    console.log(
      `AI↔AI on Auto: ${aiLines} lines shown, ${ai.restartsWhileAuto} SIGKILLs while on Auto, sat paused or stalled and needed a press ${ai.pressesNeeded} times, went silent with no button to press ${ai.stallsWithoutControls} times, ${aiStuck.length} messages left working; after the clean restart it ${aiResumed ? "carried on by itself" : "did NOT carry on by itself within 10 s"}`,
    );
    console.log(
      `Bot: ${starts} starts (${startFailures} did not come up and were retried, as a supervisor would); peak RSS ${(rss.peakRssKb / 1024).toFixed(0)} MB, peak VmHWM ${(rss.peakHwmKb / 1024).toFixed(0)} MB, last RSS ${(rss.lastRssKb / 1024).toFixed(0)} MB`,
    );
    const problems = [...outcomes].filter(
      ([, o]) => o.outcome === "lost" || o.outcome === "stuck" || o.duplicated,
    );
    if (problems.length > 0) console.log("\nWhat went wrong, message by message:");
    for (const [s, o] of problems) {
      const fs = attributed(s).map((f) => `${f.kind} @${((f.start - t0) / 1000).toFixed(1)}s`);
      const label = o.outcome === "lost" || o.outcome === "stuck" ? o.outcome : `duplicated (${o.outcome})`;
      const lostSends = tg.calls.filter(
        (c) =>
          c.transport === "dropped" &&
          c.ok &&
          Number(c.params.chat_id) === s.chatId &&
          c.at >= s.sentAt - 1000 &&
          c.at <= (s.resolvedAt ?? Date.now()) + 1000,
      );
      const delivered = tg
        .callsTo("getUpdates")
        .find(
          (c) =>
            Array.isArray(c.result) &&
            c.result.some((u: { update_id: number }) => u.update_id === s.updateId),
        );
      const confirmed = tg
        .callsTo("getUpdates")
        .find((c) => s.updateId !== undefined && Number(c.params.offset ?? 0) > s.updateId);
      const rel = (at: number | undefined) =>
        at === undefined ? "never" : `@${((at - t0) / 1000).toFixed(2)}s`;
      // Each getUpdates answer that reached the bot with this message in it (a restart before the offset was
      // confirmed hands it over again).
      const deliveries = tg
        .callsTo("getUpdates")
        .filter(
          (c) =>
            c.ok &&
            c.transport === undefined &&
            Array.isArray(c.result) &&
            c.result.some((u: { update_id: number }) => u.update_id === s.updateId),
        );
      const route =
        o.outcome === "lost"
          ? `; sent ${rel(s.sentAt)}, delivered to the bot ${rel(delivered?.at)}, confirmed (offset) ${rel(confirmed?.at)}`
          : o.duplicated
            ? `; its update reached the bot ${deliveries.length} time(s) (${deliveries.map((c) => rel(c.at)).join(", ")})`
            : "";
      console.log(
        `- ${label}: chat ${s.chatId} #${s.messageId} "${s.prompt.slice(0, 30)}…" faults: ${fs.join(", ") || "none"}${lostSends.length ? `; ${lostSends.length} call(s) to this chat took effect but lost their response (${lostSends.map((c) => c.method).join(", ")})` : ""}${route}`,
      );
      for (const m of o.view.messages) {
        const b = buttonLabels({ buttons: inlineButtons(m) });
        console.log(
          `    bot #${m.messageId}${m.replyToMessageId ? ` ↩${m.replyToMessageId}` : ""}: ${JSON.stringify(m.text.slice(0, 90))}${b.length ? ` [${b.join("|")}]` : ""}`,
        );
      }
    }
    if (aiStuck.length > 0 || !aiResumed || ai.stallsWithoutControls > 0) {
      console.log(`\nAI↔AI chat:\n${transcript(tg, AI_CHAT).split("\n").slice(-8).join("\n")}`);
    }
    const bad =
      [...outcomes.values()].filter((o) => o.outcome === "lost" || o.outcome === "stuck").length +
      aiStuck.length;
    for (const [why, n] of startProblems) console.log(`  start failed ${n}×: ${why}`);
    // Runs that came up and then crashed (a start that failed is counted above).
    const upRuns = new Set(bot.lines.filter((l) => l.msg === "bot is running").map((l) => l.run));
    const crashes = bot.lines.filter((l) => upRuns.has(l.run) && (l.level === 0 || l.level >= 60));
    if (crashes.length > 0) {
      console.log(`\nThe bot crashed or logged fatally ${crashes.length} times; first lines:`);
      for (const l of crashes.slice(0, 12)) console.log(`  [run ${l.run}] ${l.raw.slice(0, 200)}`);
    }
    failed = bad > 0;
  } catch (err) {
    console.error(`soak aborted: ${(err as Error).stack}\n${bot.tail(20)}`);
    failed = true;
  } finally {
    clearInterval(sampler);
    clearInterval(monitor);
    tg.events.off("call", onCall);
    if (LOG_FILE) {
      const file = `${LOG_FILE}.${store}`;
      writeFileSync(file, bot.lines.map((l) => `[run ${l.run}] ${l.raw}`).join("\n"));
      console.log(`the bot's stderr: ${file}`);
    }
    await w.close();
  }
  return { store, failed };
}

function ownerChain(tg: FakeTelegram, chat: number, m: StoredMessage | undefined): number | undefined {
  const byId = new Map(tg.history(chat).map((x) => [x.messageId, x]));
  let at = m;
  for (let hops = 0; at && hops < 10; hops++) {
    if (at.from === "user") return at.messageId;
    at = at.replyToMessageId === undefined ? undefined : byId.get(at.replyToMessageId);
  }
  return undefined;
}

let failed = false;
for (const store of STORES) {
  const result = await pass(store);
  failed ||= result.failed;
}
console.log(`\nSOAK_SEED=${SEED} reproduces the choices of this run (timing still varies).`);
process.exit(failed ? 1 : 0);
