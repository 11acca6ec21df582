/**
 * The rules of an AI↔AI conversation, as pure functions of its state: who speaks next, what each side sends to
 * its model, what a finished, stopped, failed or interrupted line does to the state. No I/O, so every rule is
 * tested without servers; the runner applies them inside store updates.
 */
import type { ChatMessage } from "../../../hub/index.js";
import type { Ai2AiLine, Ai2AiState, Persona, Side } from "../../session.js";
import { shortToken } from "../core.js";

export const PERSONAS: readonly Persona[] = [
  {
    name: "Albert Einstein",
    voice: { gender: "male" },
    description:
      "You are Albert Einstein: a playful, curious physicist who reasons with thought experiments and simple analogies.",
  },
  {
    name: "Socrates",
    voice: { gender: "male" },
    description:
      "You are Socrates: you question every claim, ask for definitions, and lead by asking rather than telling.",
  },
  {
    name: "Marie Curie",
    voice: { gender: "female" },
    description: "You are Marie Curie: precise, patient and evidence-driven; you trust what can be measured.",
  },
  {
    name: "Sherlock Holmes",
    voice: { gender: "male", accent: "b" },
    description:
      "You are Sherlock Holmes: observant and deductive; you notice details others miss and say so bluntly.",
  },
  {
    name: "William Shakespeare",
    voice: { gender: "male", accent: "b" },
    description:
      "You are William Shakespeare: witty and poetic, fond of metaphor, never at a loss for words.",
  },
];

export const MORE_TURNS = 5;
export const MAX_TURNS = 1000;
export const TOPIC_MAX = 500;
export const PERSONA_NAME_MAX = 40;
export const PERSONA_DESCRIPTION_MAX = 1000;
/** Lines a conversation keeps (the oldest go first); far more than any model is sent. */
export const MAX_LINES = 300;
/** And their characters in all: the session is read on every update, so its size is bounded too. */
export const MAX_LINES_CHARS = 300_000;

function keepLines(st: Ai2AiState): void {
  if (st.lines.length > MAX_LINES) st.lines.splice(0, st.lines.length - MAX_LINES);
  let chars = 0;
  for (let i = st.lines.length - 1; i >= 0; i--) {
    chars += st.lines[i]!.text.length;
    if (chars > MAX_LINES_CHARS) {
      st.lines.splice(0, i + 1);
      break;
    }
  }
}

export const other = (side: Side): Side => (side === "a" ? "b" : "a");

export function newAi2Ai(maxTurns: number, topic: string): Ai2AiState {
  return { token: shortToken(), pickNext: "a", topic, maxTurns, done: 0, lines: [], auto: false };
}

/**
 * A finished conversation given a new model or topic is a new conversation: it starts over (new token, so the
 * old buttons go stale), keeping its cast, topic and length, instead of answering "ended" to Start.
 */
function startOverIfFinished(st: Ai2AiState): void {
  if (st.done < st.maxTurns) return;
  const fresh = newAi2Ai(st.maxTurns, st.topic);
  Object.assign(st, { token: fresh.token, done: 0, lines: [], auto: false });
  st.pausedAt = undefined;
  st.pauseReason = undefined;
  st.speaking = undefined;
  st.voicing = undefined;
}

/** A tap in the picker sets the next side's model (keeping its persona) and moves on to the other side. */
export function pickSide(st: Ai2AiState, model: string): Side {
  startOverIfFinished(st);
  const side = st.pickNext;
  const fallback = side === "a" ? PERSONAS[0]! : PERSONAS[1]!;
  st[side] = { ...st[side], model, persona: st[side]?.persona ?? fallback };
  st.pickNext = other(side);
  return side;
}

export type ContinueRefusal = "not-picked" | "finished";

/** Whether another exchange may start, and why not. */
export function canContinue(st: Ai2AiState): ContinueRefusal | undefined {
  if (!st.a || !st.b) return "not-picked";
  if (st.done >= st.maxTurns) return "finished";
  return undefined;
}

/** The sides the next exchange runs: both, or only B when A's line of this exchange is already said. */
export function sidesToRun(st: Ai2AiState): Side[] {
  return st.pausedAt === "b" ? ["b"] : ["a", "b"];
}

/** A line is starting: remembered, so a crash or restart mid-line is found at start-up. */
export function lineStarted(st: Ai2AiState, side: Side, at: number): void {
  st.speaking = { side, startedAt: at };
}

export type LineOutcome = "done" | "stopped" | "failed" | "interrupted";

/**
 * What a finished line does. Returns whether the exchange goes on (the next side speaks, or the exchange is
 * complete). A stopped line keeps what was said; the other side answers it next, or, with nothing said, the same
 * side speaks again. A failed line, or one a restart cut, is kept (marked) but left out of what the models see,
 * and the same side speaks again.
 */
export function lineFinished(
  st: Ai2AiState,
  side: Side,
  outcome: LineOutcome,
  text: string,
  at: number,
  model: string,
): boolean {
  // A line a shutdown cut stays marked as being spoken: the start-up after this one gives the chat its controls
  // back (see recoverInterrupted), as after a crash.
  if (outcome !== "interrupted") st.speaking = undefined;
  // Interrupted by a graceful stop: the line is saved below and its message was finished with the mark, so the
  // start-up only gives the controls back (it neither saves the checkpoint again nor rewrites the message).
  else if (st.speaking) st.speaking = { side: st.speaking.side, startedAt: st.speaking.startedAt };
  const said = text.trim() !== "";
  if (said) {
    const line: Ai2AiLine = { side, text, at, model };
    if (outcome !== "done") line.status = outcome === "interrupted" ? "interrupted" : outcome;
    st.lines.push(line);
    keepLines(st);
  }
  if (outcome === "done") {
    // A's line is in: if B is cut off now (a crash between the two), B is who speaks next.
    if (side === "a") st.pausedAt = "b";
    return true;
  }
  // A failure or a Stop ends Auto; a restart's cut does not (the run goes on after it, as after a crash).
  if (outcome !== "interrupted") st.auto = false;
  if (outcome === "failed" || outcome === "interrupted") {
    // Carries on from the last complete line: the same side speaks again.
    st.pausedAt = side;
    st.pauseReason = outcome;
    return false;
  }
  if (said && side === "b") {
    // B said something before the stop: the exchange happened.
    exchangeComplete(st);
    return false;
  }
  st.pausedAt = said ? other(side) : side;
  st.pauseReason = "stopped";
  return false;
}

/** A and B both spoke: one more exchange is counted. */
export function exchangeComplete(st: Ai2AiState): void {
  st.done++;
  st.pausedAt = undefined;
  st.pauseReason = undefined;
  if (st.done >= st.maxTurns) st.auto = false;
}

/**
 * At start-up, a conversation a crash or a restart cut: the side that was cut speaks again (B alone when A's line
 * is in, or A and then B). What the cut line had said by its last checkpoint is kept, marked, and left out of
 * what the models see. A run on Auto stays on Auto, and an exchange waiting in line stays asked for (the runner
 * resumes both); otherwise it waits for Continue.
 * Returns whether there was anything to recover.
 */
export function recoverInterrupted(st: Ai2AiState, at: number): boolean {
  // On Auto, or an exchange someone asked for still waiting in line: it goes on by itself.
  const goesOn = (st.auto || st.queued === true) && canContinue(st) === undefined;
  // Cut while a line's voice message was made: the line is in, its voice is lost; the exchange pauses there.
  const voicing = st.voicing !== undefined;
  st.voicing = undefined;
  if (!st.speaking && !goesOn) {
    if (!voicing) return false;
    if (st.pausedAt) st.pauseReason = "interrupted";
    return true;
  }
  const side = st.speaking?.side ?? sidesToRun(st)[0]!;
  const partial = st.speaking?.partial;
  if (partial !== undefined && partial.trim() !== "") {
    st.lines.push({ side, text: partial, at, model: st[side]?.model, status: "interrupted" });
    keepLines(st);
  }
  st.pausedAt = side;
  st.pauseReason = "interrupted";
  st.speaking = undefined;
  if (canContinue(st) !== undefined) {
    st.auto = false;
    st.queued = undefined;
  }
  return true;
}

/** Sets the number of exchanges; never below what is done, at least one, at most MAX_TURNS. */
export function setTurns(st: Ai2AiState, turns: number): void {
  st.maxTurns = Math.max(Math.min(MAX_TURNS, Math.max(1, Math.floor(turns))), st.done);
}

export function addTurns(st: Ai2AiState, n = MORE_TURNS): void {
  st.maxTurns = Math.min(MAX_TURNS, st.maxTurns + n);
}

/** Same cast, topic and length; the conversation starts over with a new token (old buttons go stale). */
export function restarted(st: Ai2AiState): Ai2AiState {
  const fresh = newAi2Ai(st.maxTurns, st.topic);
  return { ...fresh, a: st.a, b: st.b, controlsMessageId: st.controlsMessageId, voices: st.voices };
}

export function setTopic(st: Ai2AiState, topic: string): void {
  startOverIfFinished(st);
  st.topic = topic.trim().slice(0, TOPIC_MAX);
}

/** A custom persona from its two steps: the name as typed (bounded), and who they are. */
export function customPersona(name: string, description: string): Persona {
  const n = name.trim().slice(0, PERSONA_NAME_MAX);
  const d = description.trim().slice(0, PERSONA_DESCRIPTION_MAX);
  return { name: n, description: d.toLowerCase().startsWith("you are") ? d : `You are ${n}: ${d}` };
}

export function addModeratorNote(st: Ai2AiState, text: string, at: number): void {
  st.lines.push({ side: "moderator", text: text.trim(), at });
  keepLines(st);
}

/**
 * What `side` sends to its model: its persona and the topic as the system prompt, then the conversation from its
 * own point of view (its lines as `assistant`, the rest as `user`), bounded like a chat's history (oldest lines
 * dropped first). Failed partial lines are left out: the side that failed speaks again instead. `language`, when
 * given, asks the models to speak the user's language.
 */
export function sideMessages(
  st: Ai2AiState,
  side: Side,
  limits: { maxMessages: number; maxChars: number },
  language?: string,
): ChatMessage[] {
  const me = st[side]!;
  const them = st[other(side)]!;
  const system =
    `${me.persona.description}\nYou are talking with ${them.persona.name} about: ${st.topic}\n` +
    `Stay in character. Answer what ${them.persona.name} just said, in a few short paragraphs at most.` +
    (language ? `\nSpeak ${language}.` : "");
  const lines = st.lines.filter(
    (l) => l.status !== "failed" && l.status !== "interrupted" && l.text.trim() !== "",
  );
  const picked: ChatMessage[] = [];
  let chars = system.length;
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    const content = line.side === "moderator" ? `[Moderator] ${line.text}` : line.text;
    if (picked.length + 2 > limits.maxMessages || chars + content.length > limits.maxChars) break;
    picked.push({ role: line.side === side ? "assistant" : "user", content });
    chars += content.length;
  }
  picked.reverse();
  if (picked[0]?.role === "assistant")
    picked.unshift({ role: "user", content: `Let's talk about: ${st.topic}` });
  if (picked.length === 0) {
    picked.push({
      role: "user",
      content: `Open the conversation with ${them.persona.name} about: ${st.topic}`,
    });
  }
  return [{ role: "system", content: system }, ...picked];
}
