/** AI↔AI as views: the header, the controls, the options, the transcript. Pure: state and words in, text out. */
import { InlineKeyboard } from "grammy";
import type { Ai2AiLine, Ai2AiState } from "../session.js";
import type { T, View } from "./t.js";
import { languageRows, type VoiceChoice, voiceRows } from "./voices.js";

/** Who talks with whom, about what, how far along. */
export function ai2aiHeader(t: T, s: Ai2AiState): string {
  const side = (x: Ai2AiState["a"], label: string) =>
    x
      ? t("ai-side", { side: label, persona: x.persona.name, model: x.model })
      : t("ai-side-unset", { side: label });
  return [
    t("ai-title"),
    side(s.a, "A"),
    side(s.b, "B"),
    t("ai-topic", { topic: s.topic }),
    t("ai-turns", { done: s.done, max: s.maxTurns }),
  ].join(" · ");
}

/** The line above a side's live message. */
export function lineHeader(t: T, st: Ai2AiState, side: "a" | "b"): string {
  const me = st[side]!;
  return t("ai-line-header", {
    persona: me.persona.name,
    model: me.model,
    turn: st.done + 1,
    max: st.maxTurns,
  });
}

/** `episode`: the hub can speak and the conversation has lines, so 🎧 Episode is offered when it ends. */
export function controls(t: T, st: Ai2AiState, episode = false): View {
  const k = st.token;
  const left = st.maxTurns - st.done;
  if (left <= 0) {
    const kb = new InlineKeyboard()
      .text(t("ai-more", { n: 5 }), `x:more:${k}`)
      .text(t("ai-restart"), `x:restart:${k}`)
      .row()
      .text(t("ai-transcript"), `x:transcript:${k}`)
      .text(t("ai-options"), `x:opt:${k}`);
    if (episode) kb.row().text(t("ai-episode"), `x:episode:${k}`);
    return { text: `${t("ai-finished", { turns: st.maxTurns })}\n${ai2aiHeader(t, st)}`, keyboard: kb };
  }
  const kb = new InlineKeyboard();
  if (st.done === 0 && st.lines.length === 0 && !st.pausedAt) kb.text(t("ai-start"), `x:cont:${k}`);
  else kb.text(st.pauseReason === "failed" ? t("ai-retry") : t("ai-continue"), `x:cont:${k}`);
  kb.text(st.auto ? t("ai-auto-on") : t("ai-auto"), `x:auto:${k}`)
    .row()
    .text(t("ai-stop"), `x:stop:${k}`)
    .text(t("ai-options"), `x:opt:${k}`);
  const who = st.pausedAt ? (st[st.pausedAt]?.persona.name ?? st.pausedAt.toUpperCase()) : "";
  const status =
    st.pausedAt && st.pauseReason === "failed"
      ? t("ai-paused-failed", { persona: who })
      : st.pausedAt && st.pauseReason === "interrupted"
        ? t(st.auto ? "ai-resuming-restart" : st.queued ? "ai-continuing-restart" : "ai-paused-restart", {
            persona: who,
          })
        : t("ai-progress", { done: st.done, max: st.maxTurns, left });
  return { text: `${status}\n${ai2aiHeader(t, st)}`, keyboard: kb };
}

/** The cast's voices as the options show them, where the hub can speak. */
export interface CastVoicesShown {
  on: boolean;
  a?: string | undefined;
  b?: string | undefined;
}

export function optionsView(
  t: T,
  st: Ai2AiState,
  personas: readonly { name: string }[],
  voices?: CastVoicesShown,
): View {
  const k = st.token;
  const kb = new InlineKeyboard();
  for (const side of ["a", "b"] as const) {
    personas.forEach((p, i) => {
      const current = st[side]?.persona.name === p.name ? "✅ " : "";
      kb.text(`${side.toUpperCase()}: ${current}${p.name.split(" ").at(-1)}`, `xp:${side}:${i}:${k}`);
      if (i % 3 === 2) kb.row();
    });
    kb.text(t("ai-custom", { side: side.toUpperCase() }), `xc:${side}:${k}`).row();
  }
  kb.text(t("ai-topic-button"), `x:topic:${k}`);
  for (const n of [5, 10, 20]) kb.text(t("ai-n-turns", { n }), `xn:${n}:${k}`);
  kb.row();
  if (voices) {
    kb.text(t("ai-voices-button", { on: voices.on ? "on" : "off" }), `xv:t:${k}`);
    if (st.lines.length > 0) kb.text(t("ai-episode"), `x:episode:${k}`);
    kb.row();
    for (const side of ["a", "b"] as const) {
      const shown = voices[side];
      if (st[side] && shown) kb.text(`🗣 ${side.toUpperCase()}: ${shown}`.slice(0, 40), `xv:${side}:${k}`);
    }
    kb.row();
  }
  kb.text(t("ai-transcript"), `x:transcript:${k}`).text(t("ai-back-to-chat"), `x:chat:${k}`);
  const text = [t("ai-options-title"), ai2aiHeader(t, st)];
  if (voices) {
    text.push(
      t("ai-voices-line", {
        on: voices.on ? "on" : "off",
        a: voices.a ?? "—",
        b: voices.b ?? "—",
      }),
    );
  }
  return { text: text.join("\n"), keyboard: kb };
}

/** The conversation as Markdown, for /transcript. */
export function transcriptMarkdown(t: T, st: Ai2AiState): string {
  const name = (side: Ai2AiLine["side"]) =>
    side === "moderator"
      ? t("ai-moderator")
      : `${st[side]?.persona.name ?? side} (${st[side]?.model ?? "?"})`;
  const lines = [
    `# ${t("ai-transcript-title")}`,
    "",
    `- **${t("ai-transcript-topic")}** ${st.topic}`,
    `- **A:** ${st.a?.persona.name} — ${st.a?.model}: ${st.a?.persona.description}`,
    `- **B:** ${st.b?.persona.name} — ${st.b?.model}: ${st.b?.persona.description}`,
    `- **${t("ai-transcript-turns")}** ${st.done} / ${st.maxTurns}`,
    "",
  ];
  for (const l of st.lines) {
    const mark =
      l.status === "failed"
        ? ` _(${t("ai-mark-failed")})_`
        : l.status === "stopped"
          ? ` _(${t("ai-mark-stopped")})_`
          : l.status === "interrupted"
            ? ` _(${t("ai-mark-interrupted")})_`
            : "";
    lines.push(`## ${name(l.side)}${mark}`, "", l.text.trim(), "");
  }
  return lines.join("\n");
}

/** One side's voice: the languages as flags, then that language's voices, the current one marked. */
export function sideVoiceView(
  t: T,
  st: Ai2AiState,
  side: "a" | "b",
  menu: {
    languages: ReadonlyArray<{ letter: string; flag: string }>;
    letter: string;
    voices: readonly VoiceChoice[];
    current: string | undefined;
    /** The other side's voice: not offered, the two sides sound different. */
    taken: string | undefined;
  },
): View {
  const k = st.token;
  const kb = new InlineKeyboard();
  languageRows(kb, menu.languages, menu.letter, (letter) => `xw:${side}:${letter}:${k}`);
  const offered = menu.voices.filter((v) => v.id !== menu.taken);
  voiceRows(kb, offered, menu.current, (id) => `xs:${side}:${id}:${k}`);
  kb.text(t("settings-use-default"), `xs:${side}:-:${k}`).text(t("settings-back"), `xv:o:${k}`);
  const who = st[side]?.persona.name ?? side.toUpperCase();
  return { text: t("ai-voice-pick", { side: side.toUpperCase(), persona: who }), keyboard: kb };
}
