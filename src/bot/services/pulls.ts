/**
 * Pulls from the chat: one message shows the progress (the same bar as the CLI's), edited at the chat's pace
 * (the newest state wins; states in between are skipped). Pulls run in the background and are tracked, so a
 * shutdown waits for them within the grace period and then stops them; one model is pulled once at a time, and
 * an admin can cancel a pull (its message then says it was cancelled, not that it failed).
 */
import type { InlineKeyboard } from "grammy";
import {
  type ChatPace,
  chatKindOf,
  classifyTelegramError,
  type PaceRegistry,
  pacedCall,
} from "../../live/index.js";
import { renderProgress, SpeedMeter } from "../../util/progress.js";
import type { T } from "../views/t.js";
import { type Core, logFailure } from "./core.js";
import { backendName, describeFailure } from "./failure.js";
import { type ChatScope, noteShown, recoverShown, type ShownItem } from "./shown.js";

/**
 * The bar's line, without the status (shown on its own line above it): wide enough for the bar, the percentage,
 * the sizes, the speed and the ETA. With the status on the same line, a phone-wide 34 cut them all off.
 */
const PROGRESS_WIDTH = 60;
/** How long the last message of a pull keeps being retried through 429s and outages. */
const FINAL_DEADLINE_MS = 60_000;
/** Progress messages a chat keeps track of at once. */
const MAX_PULLS_SHOWN = 5;

export interface PullRequest {
  chatId: number;
  chatType: string;
  model: string;
  t: T;
  /** Buttons under the failure message: what the user can do next (try again, pick another model). */
  onFailure: InlineKeyboard;
  /** Buttons under the progress message while the pull runs (a ✖ Cancel). Default: none. */
  whileRunning?: InlineKeyboard | undefined;
}

export type PullResult =
  | { ok: true }
  | { ok: false; error: unknown }
  | { ok: false; busy: true }
  | { ok: false; cancelled: true };

/** The reason a pull's signal fires when an admin cancels it (the shutdown has its own, ShutdownReason). */
export class PullCancelled extends Error {
  readonly code = "PULL_CANCELLED";
  constructor(readonly model: string) {
    super(`the pull of ${model} was cancelled`);
  }
}

export class PullService {
  private readonly running = new Map<string, { job: Promise<PullResult>; stop: AbortController }>();

  constructor(
    private readonly core: Core,
    private readonly paces: PaceRegistry,
  ) {}

  /** Whether `model` is being pulled now. */
  isPulling(model: string): boolean {
    return this.running.has(model);
  }

  /** Resolves when no pull runs (at shutdown, within the grace period). */
  async drained(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()].map((r) => r.job));
  }

  /** Stops the pull of `model` (its message says it was cancelled). False when no such pull runs. */
  cancel(model: string): boolean {
    const pull = this.running.get(model);
    if (!pull || pull.stop.signal.aborted) return false;
    pull.stop.abort(new PullCancelled(model));
    return true;
  }

  /** Pulls `req.model`, showing progress in the chat. Never throws: the result says how it ended. */
  pull(req: PullRequest): Promise<PullResult> {
    if (this.running.has(req.model)) return Promise.resolve({ ok: false, busy: true });
    const stop = new AbortController();
    const job = this.run(req, stop.signal).finally(() => this.running.delete(req.model));
    this.running.set(req.model, { job, stop });
    return job;
  }

  private note(
    chatId: number,
    change: (list: ShownItem<"pullsShown">[]) => ShownItem<"pullsShown">[],
  ): Promise<void> {
    return noteShown(this.core, chatId, "pullsShown", MAX_PULLS_SHOWN, change);
  }

  /** At start-up: the progress of pulls a kill cut off says so (Ollama stopped them with the connection). */
  recover(scope?: ChatScope): Promise<number> {
    return recoverShown(
      this.core,
      "pullsShown",
      (chatId, p, t) =>
        this.core.api
          .editMessageText(chatId, p.messageId, t("pull-interrupted", { model: p.model }))
          .then(
            () => undefined,
            logFailure(this.core.log, "could not mark a pull a restart cut off", { chatId }),
          ),
      scope,
    );
  }

  private async run(req: PullRequest, cancelled: AbortSignal): Promise<PullResult> {
    const { chatId, model, t } = req;
    const { clock } = this.core;
    // Several hosts: the pull goes to one, named in every text of the pull.
    const host = this.core.hosts?.pullTarget(model);
    const shown = host === undefined ? model : t("pull-on-host", { model, host });
    const log = host === undefined ? this.core.log : this.core.log.child({ host });
    const api = this.core.liveApi;
    const pace: ChatPace = this.paces.for(chatId, chatKindOf(req.chatType), clock.now());
    const deadline = () => clock.now() + FINAL_DEADLINE_MS;
    const running = req.whileRunning ? { reply_markup: req.whileRunning } : {};
    const shared = { budget: this.core.budget, chat: chatId, priority: "final" as const };
    const first = await pacedCall(
      pace,
      clock,
      deadline(),
      () => api.sendMessage(chatId, t("pull-started", { model: shown }), running),
      shared,
    );
    if (!first.ok) log.warn({ chatId, err: first.error }, "could not show a pull's progress message");
    const messageId = first.ok ? first.value?.message_id : undefined;
    // Recorded, so a kill mid-pull leaves no "pulling… 43%" forever: the start-up says it was interrupted.
    if (messageId !== undefined)
      await this.note(chatId, (list) => [...list, { messageId, model, at: Date.now() }]);
    let writing: Promise<unknown> | undefined;
    const show = (text: string) => {
      // Skipped, never queued: also while other chats wait for the bot-wide budget (progress can wait).
      if (messageId === undefined || writing || pace.delay(clock.now()) > 0 || this.core.budget.pending > 0)
        return;
      pace.started(clock.now());
      writing = this.core.budget
        .acquire(chatId, "live")
        .then(() => api.editMessageText(chatId, messageId, text, running))
        .then(() => pace.succeeded())
        .catch((err: unknown) => {
          const failure = classifyTelegramError(err);
          if (failure.kind === "flood") pace.tooMany(clock.now(), failure.retryAfter);
          else log.debug({ chatId, err }, "a pull progress update was refused");
        })
        .finally(() => {
          writing = undefined;
        });
    };
    const finish = async (text: string, keyboard?: InlineKeyboard) => {
      await writing;
      if (messageId !== undefined)
        await this.note(chatId, (list) => list.filter((p) => p.messageId !== messageId));
      const other = keyboard ? { reply_markup: keyboard } : {};
      const result =
        messageId === undefined
          ? await pacedCall(pace, clock, deadline(), () => api.sendMessage(chatId, text, other), shared)
          : await pacedCall(
              pace,
              clock,
              deadline(),
              () => api.editMessageText(chatId, messageId, text, other),
              shared,
            );
      if (!result.ok) log.warn({ chatId, err: result.error }, "could not show the end of a pull");
    };
    const speed = new SpeedMeter();
    try {
      const signal = AbortSignal.any([this.core.shutdown, cancelled]);
      for await (const ev of this.core.hosts
        ? this.core.hosts.pullOn(host, model, signal)
        : this.core.client.pull(model, signal)) {
        if (ev.type === "success") break;
        if (ev.completed !== undefined) speed.add(clock.now(), ev.completed);
        const bar =
          ev.total !== undefined && ev.total > 0
            ? renderProgress(
                {
                  status: "",
                  completed: ev.completed,
                  total: ev.total,
                  bytesPerSecond: speed.bytesPerSecond(),
                },
                PROGRESS_WIDTH,
              ).trim()
            : undefined;
        show([t("pull-progress", { model: shown }), ev.status, bar].filter(Boolean).join("\n"));
      }
      await finish(t("pull-done", { model: shown }));
      log.info({ chatId, model }, "model pulled");
      return { ok: true };
    } catch (err) {
      if (cancelled.aborted && !this.core.shutdown.aborted) {
        await finish(t("models-pull-cancelled", { model: shown }), req.onFailure);
        log.info({ chatId, model }, "pull cancelled");
        return { ok: false, cancelled: true };
      }
      // The failure is named by describeFailure, as every other; a pull words its three outcomes its own way.
      const failure = describeFailure(err, { model });
      const code = failure.code;
      const key = this.core.shutdown.aborted
        ? "pull-interrupted"
        : failure.key === "failure-model-missing" || failure.key === "failure-not-in-library"
          ? "pull-not-in-library"
          : failure.key === "failure-unreachable" ||
              failure.key === "failure-timeout" ||
              failure.key === "failure-ollama-down"
            ? "pull-unreachable"
            : "pull-failed";
      await finish(
        t(key, { model: shown, backend: backendName(t, failure.backend ?? this.core.client) }),
        req.onFailure,
      );
      log.warn({ err, code, chatId, model }, "pull failed");
      return { ok: false, error: err };
    }
  }
}
