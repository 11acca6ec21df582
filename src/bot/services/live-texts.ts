import type { LiveTexts } from "../../live/index.js";
import type { T } from "../views/t.js";

/** The live message's words in the reader's language. */
export function liveTexts(t: T): LiveTexts {
  return {
    waiting: (label) => t("live-waiting", { label }),
    preparing: (label, seconds) => t("live-preparing", { label, seconds }),
    thinking: (label, seconds) => t("live-thinking", { label, seconds }),
    empty: t("live-empty"),
    stop: t("live-stop"),
  };
}
