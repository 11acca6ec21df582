/** The rules of an AI↔AI conversation, alone: no servers, only state in and state out. */
import { describe, expect, it } from "vitest";
import {
  addTurns,
  canContinue,
  customPersona,
  exchangeComplete,
  lineFinished,
  lineStarted,
  newAi2Ai,
  PERSONAS,
  pickSide,
  recoverInterrupted,
  restarted,
  setTopic,
  setTurns,
  sideMessages,
  sidesToRun,
} from "../../src/bot/services/ai2ai/rules.js";
import type { Ai2AiState } from "../../src/bot/session.js";

const LIMITS = { maxMessages: 40, maxChars: 24_000 };

function cast(turns = 3): Ai2AiState {
  const st = newAi2Ai(turns, "Is light a wave?");
  pickSide(st, "m-a");
  pickSide(st, "m-b");
  return st;
}

describe("AI↔AI rules", () => {
  it("picks A, then B, then A again, keeping each side's persona", () => {
    const st = newAi2Ai(3, "t");
    expect(canContinue(st)).toBe("not-picked");
    expect(pickSide(st, "one")).toBe("a");
    expect(pickSide(st, "two")).toBe("b");
    expect(st.a).toEqual({ model: "one", persona: PERSONAS[0] });
    expect(st.b).toEqual({ model: "two", persona: PERSONAS[1] });
    st.a!.persona = PERSONAS[3]!;
    expect(pickSide(st, "three")).toBe("a");
    expect(st.a).toEqual({ model: "three", persona: PERSONAS[3] });
    expect(canContinue(st)).toBeUndefined();
  });

  it("counts an exchange when B has answered, and stops at the limit", () => {
    const st = cast(1);
    expect(sidesToRun(st)).toEqual(["a", "b"]);
    expect(lineFinished(st, "a", "done", "hello", 1, "m-a")).toBe(true);
    expect(sidesToRun(st)).toEqual(["b"]); // a crash now resumes with B
    expect(lineFinished(st, "b", "done", "hi", 2, "m-b")).toBe(true);
    exchangeComplete(st);
    expect(st).toMatchObject({ done: 1, pausedAt: undefined });
    expect(canContinue(st)).toBe("finished");
    addTurns(st, 5);
    expect(canContinue(st)).toBeUndefined();
    expect(st.maxTurns).toBe(6);
  });

  it("after a failure the same side speaks again; its partial line is kept but not sent to the models", () => {
    const st = cast();
    st.auto = true;
    lineFinished(st, "a", "done", "A1", 1, "m-a");
    expect(lineFinished(st, "b", "failed", "half a sent", 2, "m-b")).toBe(false);
    expect(st).toMatchObject({ pausedAt: "b", pauseReason: "failed", auto: false, done: 0 });
    expect(st.lines.at(-1)).toMatchObject({ side: "b", text: "half a sent", status: "failed" });
    const toB = sideMessages(st, "b", LIMITS);
    expect(toB.map((m) => m.content)).not.toContain("half a sent");
    expect(sidesToRun(st)).toEqual(["b"]);
  });

  it("after a Stop, what was said stays and the other side answers it; nothing said: the same side again", () => {
    const st = cast();
    expect(lineFinished(st, "a", "stopped", "A, cut", 1, "m-a")).toBe(false);
    expect(st).toMatchObject({ pausedAt: "b", pauseReason: "stopped" });
    const quiet = cast();
    lineFinished(quiet, "a", "stopped", "  ", 1, "m-a");
    expect(quiet).toMatchObject({ pausedAt: "a", pauseReason: "stopped", lines: [] });
    const late = cast();
    lineFinished(late, "a", "done", "A", 1, "m-a");
    lineFinished(late, "b", "stopped", "B, cut", 2, "m-b");
    expect(late).toMatchObject({ done: 1, pausedAt: undefined }); // B said something: the exchange happened
  });

  it("a line a crash cut off is spoken again by the same side, paused for Continue; its checkpoint is kept, marked", () => {
    const st = cast();
    lineFinished(st, "a", "done", "A1", 1, "m-a");
    lineStarted(st, "b", 2);
    st.speaking!.partial = "B had begun to";
    expect(recoverInterrupted(st, 9)).toBe(true);
    expect(st).toMatchObject({ pausedAt: "b", pauseReason: "interrupted", auto: false, speaking: undefined });
    expect(st.lines.at(-1)).toEqual({
      side: "b",
      text: "B had begun to",
      at: 9,
      model: "m-b",
      status: "interrupted",
    });
    expect(sideMessages(st, "b", LIMITS).map((m) => m.content)).not.toContain("B had begun to");
    expect(sidesToRun(st)).toEqual(["b"]);
    expect(recoverInterrupted(st, 9)).toBe(false); // nothing left to recover
  });

  it("a run on Auto that a crash cut mid-line stays on Auto, to go on by itself from the cut side", () => {
    const st = cast();
    st.auto = true;
    lineFinished(st, "a", "done", "A1", 1, "m-a");
    lineStarted(st, "b", 2);
    expect(recoverInterrupted(st, 9)).toBe(true);
    expect(st).toMatchObject({ pausedAt: "b", pauseReason: "interrupted", auto: true, speaking: undefined });
    expect(sidesToRun(st)).toEqual(["b"]);
  });

  it("an Auto run a stop caught between two exchanges stays on Auto at start-up, from the next exchange", () => {
    const st = cast();
    lineFinished(st, "a", "done", "A1", 1, "m-a");
    lineFinished(st, "b", "done", "B1", 2, "m-b");
    exchangeComplete(st);
    st.auto = true;
    expect(recoverInterrupted(st, 9)).toBe(true);
    expect(st).toMatchObject({ auto: true, pausedAt: "a", pauseReason: "interrupted" });
    expect(sidesToRun(st)).toEqual(["a", "b"]);
  });

  it("a finished conversation given a new model or topic starts over, keeping cast, topic and length", () => {
    const st = cast();
    st.maxTurns = 1;
    lineFinished(st, "a", "done", "A1", 1, "m-a");
    lineFinished(st, "b", "done", "B1", 2, "m-b");
    exchangeComplete(st);
    const token = st.token;
    setTopic(st, "cats versus dogs");
    expect(st).toMatchObject({ done: 0, lines: [], topic: "cats versus dogs", maxTurns: 1 });
    expect(st.token).not.toBe(token);
    expect(st.a?.model).toBe("m-a");
    lineFinished(st, "a", "done", "A1", 3, "m-a");
    lineFinished(st, "b", "done", "B1", 4, "m-b");
    exchangeComplete(st);
    pickSide(st, "new-model");
    expect(st).toMatchObject({ done: 0, lines: [] });
  });

  it("a graceful stop's cut line on Auto leaves Auto on, so the run goes on after the restart", () => {
    const st = cast();
    st.auto = true;
    lineStarted(st, "a", 1);
    lineFinished(st, "a", "interrupted", "A, cut", 2, "m-a");
    expect(st).toMatchObject({ auto: true, pausedAt: "a", pauseReason: "interrupted" });
    expect(recoverInterrupted(st, 3)).toBe(true);
    expect(st.auto).toBe(true);
    lineStarted(st, "a", 4);
    lineFinished(st, "a", "failed", "", 5, "m-a");
    expect(st.auto).toBe(false); // a failure ends Auto
  });

  it("an Auto run with every turn done is not resumed", () => {
    const st = cast();
    st.maxTurns = 1;
    lineFinished(st, "a", "done", "A1", 1, "m-a");
    lineFinished(st, "b", "done", "B1", 2, "m-b");
    exchangeComplete(st);
    st.auto = true;
    expect(recoverInterrupted(st, 9)).toBe(false);
  });

  it("a graceful stop's cut line is kept and marked, the models do not see it, and the same side speaks again", () => {
    const st = cast();
    lineFinished(st, "a", "done", "A1", 1, "m-a");
    lineStarted(st, "b", 2);
    lineFinished(st, "b", "interrupted", "B, cut by the restart", 3, "m-b");
    expect(st.lines.at(-1)).toMatchObject({ status: "interrupted" });
    expect(st).toMatchObject({ pausedAt: "b", pauseReason: "interrupted", done: 0 });
    expect(st.speaking).toMatchObject({ side: "b" }); // left for the start-up, which gives the controls back
    expect(sideMessages(st, "b", LIMITS).map((m) => m.content)).not.toContain("B, cut by the restart");
    expect(recoverInterrupted(st, 9)).toBe(true);
    expect(sidesToRun(st)).toEqual(["b"]);
  });

  it("gives each side the conversation from its own point of view, with the moderator's notes as user lines", () => {
    const st = cast();
    lineFinished(st, "a", "done", "A speaks", 1, "m-a");
    st.lines.push({ side: "moderator", text: "Be brief", at: 2 });
    const toB = sideMessages(st, "b", LIMITS, "German");
    expect(toB[0]!.role).toBe("system");
    expect(toB[0]!.content).toContain("You are talking with Albert Einstein about: Is light a wave?");
    expect(toB[0]!.content).toContain("Speak German.");
    expect(toB.slice(1)).toEqual([
      { role: "user", content: "A speaks" },
      { role: "user", content: "[Moderator] Be brief" },
    ]);
    const toA = sideMessages(st, "a", LIMITS);
    expect(toA.slice(1)).toEqual([
      { role: "user", content: "Let's talk about: Is light a wave?" },
      { role: "assistant", content: "A speaks" },
      { role: "user", content: "[Moderator] Be brief" },
    ]);
  });

  it("bounds the length to at least what is done and at most 1000, and restarts with the same cast", () => {
    const st = cast(10);
    st.done = 4;
    setTurns(st, 2);
    expect(st.maxTurns).toBe(4);
    setTurns(st, 1e9);
    expect(st.maxTurns).toBe(1000);
    const fresh = restarted(st);
    expect(fresh).toMatchObject({
      done: 0,
      lines: [],
      maxTurns: 1000,
      topic: "Is light a wave?",
      a: st.a,
      b: st.b,
    });
    expect(fresh.token).not.toBe(st.token);
  });

  it("keeps a custom persona's name whole and bounded", () => {
    expect(customPersona("Jean-Luc Picard", "a calm captain")).toEqual({
      name: "Jean-Luc Picard",
      description: "You are Jean-Luc Picard: a calm captain",
    });
    expect(customPersona("x".repeat(100), "You are someone.").name).toHaveLength(40);
    expect(customPersona("Ada", "You are Ada, who counts.").description).toBe("You are Ada, who counts.");
  });
});
