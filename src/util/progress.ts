import { formatBytes } from "./format.js";

export { formatBytes };

/**
 * Pure rendering shared by the CLI and the bot: sizes, durations, and the pull progress bar with speed and ETA.
 * No I/O here, so every line the CLI prints can be tested as a string.
 */

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "--:--";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const mm = String(m).padStart(2, "0");
  const ss = String(sec).padStart(2, "0");
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/**
 * Download speed over a sliding window of samples, so the ETA follows the current rate rather than the
 * average since the start (a pull often stalls on the manifest, then runs fast).
 */
export class SpeedMeter {
  private samples: Array<{ t: number; bytes: number }> = [];

  constructor(private readonly windowMs = 5_000) {}

  /** Records that `bytes` were done at time `t` (ms); a new layer resets the meter. */
  add(t: number, bytes: number): void {
    const last = this.samples.at(-1);
    if (last && bytes < last.bytes) this.samples = [];
    this.samples.push({ t, bytes });
    while (this.samples.length > 2 && t - this.samples[0]!.t > this.windowMs) this.samples.shift();
  }

  /** Bytes per second, or undefined until two samples span some time. */
  bytesPerSecond(): number | undefined {
    const first = this.samples[0];
    const last = this.samples.at(-1);
    if (!first || !last || last.t - first.t <= 0) return undefined;
    return ((last.bytes - first.bytes) * 1000) / (last.t - first.t);
  }
}

export interface ProgressLine {
  status: string;
  completed?: number | undefined;
  total?: number | undefined;
  bytesPerSecond?: number | undefined;
}

/** `pulling 6a0746a1ec1a  [██████░░░░]  62%  620 MB/1.0 GB  12.3 MB/s  ETA 00:31`, fitted to `width`. */
export function renderProgress(p: ProgressLine, width = 80): string {
  if (p.total === undefined || p.total <= 0) return clampWidth(p.status, width);
  const done = Math.min(p.completed ?? 0, p.total);
  const ratio = done / p.total;
  const pct = `${Math.floor(ratio * 100)}%`.padStart(4);
  const sizes = `${formatBytes(done)}/${formatBytes(p.total)}`;
  const speed =
    p.bytesPerSecond !== undefined && p.bytesPerSecond > 0 ? `${formatBytes(p.bytesPerSecond)}/s` : "";
  const eta =
    p.bytesPerSecond !== undefined && p.bytesPerSecond > 0
      ? `ETA ${formatDuration((p.total - done) / p.bytesPerSecond)}`
      : "";
  const tail = [pct, sizes, speed, eta].filter(Boolean).join("  ");
  const label = p.status.length > 24 ? `${p.status.slice(0, 23)}…` : p.status;
  const barWidth = Math.max(10, Math.min(30, width - label.length - tail.length - 8));
  const filled = Math.round(ratio * barWidth);
  const bar = `[${"█".repeat(filled)}${"░".repeat(barWidth - filled)}]`;
  return clampWidth(`${label}  ${bar} ${tail}`, width);
}

function clampWidth(s: string, width: number): string {
  return s.length > width ? `${s.slice(0, width - 1)}…` : s;
}
