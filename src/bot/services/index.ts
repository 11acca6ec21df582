/** The bot's services, built once per bot from its core; features get them by closure. */

import { join } from "node:path";
import type { HostPlace } from "../../hosts/index.js";
import { PaceRegistry } from "../../live/index.js";
import { FairQueue } from "../queue.js";
import { Ai2AiRunner } from "./ai2ai/runner.js";
import { ChatService } from "./chats.js";
import type { Core, TurnQueue } from "./core.js";
import { ImageCache, TelegramFiles } from "./files.js";
import { MediaService } from "./media.js";
import { MediaIntake } from "./media-intake.js";
import { ModelAdmin } from "./model-admin.js";
import { ModelCatalog } from "./models.js";
import { PickerService } from "./pickers.js";
import { PullService } from "./pulls.js";
import { SpeechService } from "./speech.js";
import { StopButtons } from "./stops.js";
import { SummaryService } from "./summaries.js";
import { TurnService } from "./turns.js";

export interface Services {
  core: Core;
  chats: ChatService;
  queue: TurnQueue;
  stops: StopButtons;
  paces: PaceRegistry;
  pickers: PickerService;
  pulls: PullService;
  models: ModelCatalog;
  media: MediaService;
  intake: MediaIntake;
  modelAdmin: ModelAdmin;
  summaries: SummaryService;
  speech: SpeechService;
  turns: TurnService;
  ai2ai: Ai2AiRunner;
}

export function createServices(core: Core): Services {
  const queue: TurnQueue = new FairQueue<HostPlace>(
    // Several hosts: each has its own slots, and the line holds no more than all of them together.
    core.hosts ? core.hosts.concurrency : core.config.maxConcurrentGenerations,
    Date.now,
    (err) =>
      core.log.error(
        { err, code: (err as { code?: unknown })?.code },
        core.shared
          ? "a queued job failed, or a generation slot could not be had from Redis (tried again in a second)"
          : "a queued job failed",
      ),
    core.hosts ? undefined : core.shared?.slots,
    core.hosts,
  );
  if (core.hosts) core.hosts.onChange = () => queue.wake();
  const stops = new StopButtons(core.log);
  const paces = new PaceRegistry({
    privateIntervalMs: core.config.privateEditIntervalMs,
    groupIntervalMs: core.config.groupEditIntervalMs,
  });
  const pulls = new PullService(core, paces);
  const models = new ModelCatalog(core);
  const pickers = new PickerService(core, models);
  const m = core.config.media;
  const media = new MediaService(
    core,
    new TelegramFiles(core.api, core.config.token, core.config.apiRoot, core.config.apiLocal, core.log),
    new ImageCache(join(core.config.dataDir, "images"), m.imageCacheBytes, core.log),
    { maxFileBytes: m.maxFileBytes, downloadTimeoutMs: m.downloadTimeoutMs, historyImages: m.historyImages },
  );
  const speech = new SpeechService(core, stops);
  const turns = new TurnService(core, queue, stops, paces, pulls, pickers, models, media, speech);
  return {
    speech,
    media,
    core,
    models,
    modelAdmin: new ModelAdmin(core, models, pulls),
    summaries: new SummaryService(core, queue, models),
    chats: new ChatService(core, models),
    queue,
    stops,
    paces,
    pickers,
    pulls,
    turns,
    intake: new MediaIntake(core, turns, models, media, pulls),
    ai2ai: new Ai2AiRunner(core, queue, stops, paces, models, speech),
  };
}

export { type BotDeps, type Core, chatKey, type ModelClient, ShutdownReason } from "./core.js";
