import type { Logger } from "pino";
import { describe, expect, it } from "vitest";
import { DraftPolicy } from "../../src/live/index.js";

const logger = () => {
  const warned: string[] = [];
  const log = { warn: (_o: unknown, msg: string) => warned.push(msg), info: () => undefined };
  return { warned, log: log as unknown as Pick<Logger, "warn" | "info"> };
};

describe("DraftPolicy", () => {
  it("drafts only in private chats, never with LIVE_MODE=edit", () => {
    expect(new DraftPolicy("auto").usesDrafts(1, "private")).toBe(true);
    expect(new DraftPolicy("auto").usesDrafts(-100, "group")).toBe(false);
    expect(new DraftPolicy("edit").usesDrafts(1, "private")).toBe(false);
  });

  it("auto remembers a chat whose draft was refused; draft mode tries again; each kind is logged once", () => {
    const { warned, log } = logger();
    const auto = new DraftPolicy("auto", log);
    const refusal = { error_code: 400, description: "Bad Request: TEXTDRAFT_PEER_INVALID" };
    auto.refused(1, refusal);
    auto.refused(2, refusal);
    expect(auto.usesDrafts(1, "private")).toBe(false);
    expect(auto.usesDrafts(2, "private")).toBe(false);
    expect(auto.usesDrafts(3, "private")).toBe(true);
    expect(warned).toHaveLength(1);
    const draft = new DraftPolicy("draft", log);
    draft.refused(1, refusal);
    expect(draft.usesDrafts(1, "private")).toBe(true);
  });

  it("a Bot API server without the method turns drafts off for every chat, said once", () => {
    const { warned, log } = logger();
    const p = new DraftPolicy("draft", log);
    p.refused(1, { error_code: 404, description: "Not Found: method not found" });
    p.refused(2, { error_code: 404, description: "Not Found: method not found" });
    expect(p.usesDrafts(5, "private")).toBe(false);
    expect(warned).toEqual([expect.stringContaining("does not know sendMessageDraft")]);
  });
});
