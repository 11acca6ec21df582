/**
 * Several model hosts (hubs and/or Ollama servers, `MODEL_HOSTS`) behind the one client the bot knows. Each host
 * has its own concurrency; a turn is placed on a host that has its model and a free slot (the least busy), and a
 * host that fails before a stream starts is marked down and the stream goes to another host that has the model.
 * Every host is checked in the background (its model list doubles as the health check), so placement knows who
 * has what without asking at each turn.
 *
 * The pool knows nothing of Telegram or of the bot: it is a client facade plus a slot count per host.
 */

import type {
  AudioFile,
  ChatRequest,
  ClientMode,
  Completion,
  DeleteResult,
  Health,
  ModelInfo,
  ModelSummary,
  PullEvent,
  RunningModel,
  StreamEvent,
  Synthesis,
  SynthesisRequest,
  TranscribeOptions,
  Transcript,
  VoiceList,
  VoicePreview,
} from "../hub/index.js";
import { isServerAway, sameModel } from "../hub/index.js";
import { deadline } from "../util/deadline.js";
import { HostUnknownError, NoHostError } from "./errors.js";

/** What the pool needs of one host's client: the hub client (`OllamaClient`), in either mode. */
export interface HostClient {
  readonly mode: ClientMode;
  readonly baseUrl: string;
  readonly label: string;
  listModels(signal?: AbortSignal): Promise<ModelSummary[]>;
  runningModels(signal?: AbortSignal): Promise<RunningModel[]>;
  showModel(name: string, signal?: AbortSignal): Promise<ModelInfo>;
  deleteModel(name: string, signal?: AbortSignal): Promise<DeleteResult>;
  pull(name: string, signal?: AbortSignal): AsyncIterable<PullEvent>;
  chatStream(req: ChatRequest, signal?: AbortSignal): AsyncIterable<StreamEvent>;
  chat(req: ChatRequest, signal?: AbortSignal): Promise<Completion>;
  health(signal?: AbortSignal): Promise<Health>;
  transcribe(audio: Uint8Array, options: TranscribeOptions, signal?: AbortSignal): Promise<Transcript>;
  voices(signal?: AbortSignal): Promise<VoiceList>;
  synthesise(req: SynthesisRequest, signal?: AbortSignal): Promise<Synthesis>;
  fetchAudio(path: string, signal?: AbortSignal): Promise<AudioFile>;
  previewVoice(voiceId: string, language?: string, signal?: AbortSignal): Promise<VoicePreview>;
  close?(): Promise<void>;
}

export interface HostSpec {
  /** Short name, shown in /queue, doctor, pulls and logs (e.g. `mac`, `gpu1`). */
  name: string;
  client: HostClient;
  /** Generations this host runs at once. */
  concurrency: number;
}

/** One host as the pool sees it now (for /queue, doctor and logs). */
export interface HostState {
  name: string;
  label: string;
  mode: ClientMode;
  /** Answered its last check (or has not been checked yet). */
  up: boolean;
  /** Why the last check (or stream) failed, when it did: the error's code. */
  error?: string;
  /** Generations running (or placed and about to run) on it. */
  busy: number;
  concurrency: number;
  /** Its models at the last successful check; undefined before the first. */
  models: string[] | undefined;
}

/**
 * Where a queued turn runs: a slot on one host, held until `release`. `ready` resolves once the slot is really
 * the turn's (with several bot processes, the host's slots are shared through Redis).
 */
export interface HostPlace {
  readonly host: string;
  /** The placed host's client for this turn: a stream that fails before any event moves to another host. */
  readonly client: Pick<HostClient, "chatStream" | "chat">;
  ready(signal: AbortSignal): Promise<void>;
  release(): Promise<void>;
}

/** A slot of host `name` (one of `limit`) shared with other processes; resolves with its release. */
export type SharedHostSlot = (
  name: string,
  limit: number,
  signal: AbortSignal,
) => Promise<() => Promise<void>>;

export interface PoolLog {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export interface PoolOptions {
  log: PoolLog;
  /** Between two background checks of every host. Default 15 s. */
  checkIntervalMs?: number;
  /** The longest one check of every host may take; a host not answering by then is down. Default 10 s. */
  checkTimeoutMs?: number;
  /** Several processes: each host's slots shared through Redis. */
  sharedSlot?: SharedHostSlot;
}

/** The longest one check of every host may take (PoolOptions.checkTimeoutMs). */
const CHECK_TIMEOUT_MS = 10_000;
/** The longest wait for a slot on another host, for a stream whose host failed before it started. */
const MOVE_WAIT_MS = 30_000;
/** The longest wait for a slot on the host of a request's model, when the placed host lacks it (AI↔AI sides). */
const SWITCH_WAIT_MS = 1_000;

interface Host {
  spec: HostSpec;
  up: boolean;
  error: string | undefined;
  busy: number;
  models: ModelSummary[] | undefined;
}

export class HostPool {
  private readonly hosts: Host[];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private checking: Promise<void> | undefined;
  private closed = false;

  constructor(
    specs: readonly HostSpec[],
    private readonly options: PoolOptions,
  ) {
    if (specs.length === 0) throw new RangeError("a host pool needs at least one host");
    const names = new Set<string>();
    for (const s of specs) {
      if (names.has(s.name)) throw new RangeError(`two hosts are named "${s.name}"`);
      if (!Number.isInteger(s.concurrency) || s.concurrency < 1) {
        throw new RangeError(`host "${s.name}" needs a concurrency of at least 1`);
      }
      names.add(s.name);
    }
    this.hosts = specs.map((spec) => ({ spec, up: true, error: undefined, busy: 0, models: undefined }));
  }

  /** Hub when any host is a hub: speech goes to the hubs. */
  get mode(): ClientMode {
    return this.hosts.some((h) => h.spec.client.mode === "hub") ? "hub" : "direct";
  }

  get baseUrl(): string {
    return this.hosts.map((h) => h.spec.client.baseUrl).join(", ");
  }

  get label(): string {
    return this.hosts.map((h) => `${h.spec.name} (${h.spec.client.label})`).join(", ");
  }

  /** The generations all hosts run at once. */
  get concurrency(): number {
    return this.hosts.reduce((n, h) => n + h.spec.concurrency, 0);
  }

  get names(): string[] {
    return this.hosts.map((h) => h.spec.name);
  }

  snapshot(): HostState[] {
    return this.hosts.map((h) => ({
      name: h.spec.name,
      label: h.spec.client.label,
      mode: h.spec.client.mode,
      up: h.up,
      ...(h.error !== undefined ? { error: h.error } : {}),
      busy: h.busy,
      concurrency: h.spec.concurrency,
      models: h.models?.map((m) => m.name),
    }));
  }

  /**
   * Checks every host now (resolves when each answered, failed, or `signal` ended its check), then every
   * `checkIntervalMs` until `close`. Never rejects: a host that does not answer is marked down.
   */
  start(signal?: AbortSignal): Promise<void> {
    const first = this.check(signal);
    const loop = () => {
      this.timer = setTimeout(() => {
        void this.check().finally(() => {
          if (!this.closed) loop();
        });
      }, this.options.checkIntervalMs ?? 15_000);
      this.timer.unref?.();
    };
    // Started again (a restart of the bot in the same process): one loop is enough.
    if (this.timer === undefined) loop();
    return first;
  }

  /** Asks every host for its models (its health check); resolves when all answered or failed. */
  check(signal?: AbortSignal): Promise<void> {
    // Bounded: a host that accepts and never answers is down after this, not after the client's retries of its
    // 30 s request timeout (an admin's pull and delete wait for a check).
    const bounded = deadline(this.options.checkTimeoutMs ?? CHECK_TIMEOUT_MS, signal);
    this.checking ??= Promise.all(this.hosts.map((h) => this.checkHost(h, bounded))).then(() => {
      this.checking = undefined;
    });
    return this.checking;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await Promise.all(this.hosts.map((h) => h.spec.client.close?.()));
  }

  // --- Placement -----------------------------------------------------------------------------------------------

  /**
   * A slot for a turn of `model` (undefined: any host), taken now, or undefined when every host that could run
   * it is busy. The hosts up that have the model come first, the least busy of them. When none is up, a host that
   * has it (or has never answered, so may have it) takes it: the turn then says that host is away, and rides out
   * the outage, instead of being sent where the model is not. When no host may have it, any free host takes it,
   * and the turn says the model is missing (with Pull) instead of waiting for ever.
   */
  place(model?: string): HostPlace | undefined {
    const host = this.pick(model, (h) => h.busy < h.spec.concurrency);
    if (!host) return undefined;
    return new Placement(this, host);
  }

  /** Hosts with a free slot that can run `model`, best first (see `place`). */
  private pick(model: string | undefined, free: (h: Host) => boolean): Host | undefined {
    const load = (h: Host) => h.busy / h.spec.concurrency;
    const best = (list: Host[]) => list.filter(free).sort((a, b) => load(a) - load(b))[0];
    const up = this.hosts.filter((h) => h.up);
    if (model === undefined) return best(up) ?? best(this.hosts);
    const having = this.hosts.filter((h) => this.has(h, model));
    const upHaving = having.filter((h) => h.up);
    if (upHaving.length > 0) return best(upHaving);
    const maybe = [...having, ...this.hosts.filter((h) => h.models === undefined && !h.up)];
    if (maybe.length > 0) return best(maybe);
    return best(up) ?? best(this.hosts);
  }

  /** @internal */ has(h: Host, model: string): boolean {
    return h.models?.some((m) => sameModel(m.name, model)) ?? false;
  }

  /** @internal */ hold(h: Host): void {
    h.busy++;
  }

  /** @internal */ unhold(h: Host): void {
    h.busy--;
    // Each place releases once (`Placement.released`): below zero is a bug, said, not hidden.
    if (h.busy < 0)
      this.options.log.warn({ host: h.spec.name, busy: h.busy }, "a host's slot count went below zero");
  }

  /** @internal */ logMoveFailure(to: Host, err: unknown): void {
    this.options.log.warn(
      { host: to.spec.name, err },
      "could not move a turn's slot to another host in time; it stays where it was",
    );
  }

  /** @internal */ logGiveBackFailure(err: unknown): void {
    this.options.log.warn({ err }, "could not give back a shared slot; it ends with its lease");
  }

  /** @internal */ logOutsideCount(h: Host, model: string): void {
    this.options.log.info(
      { host: h.spec.name, model },
      "a request for a model its placed host lacks runs on a host that has it, outside that host's slots",
    );
  }

  /** @internal */ sharedSlot(h: Host, signal: AbortSignal): Promise<(() => Promise<void>) | undefined> {
    const shared = this.options.sharedSlot;
    return shared ? shared(h.spec.name, h.spec.concurrency, signal) : Promise.resolve(undefined);
  }

  /** @internal A host that failed before a stream started: down until its next check answers. */
  markDown(h: Host, err: unknown): void {
    if (h.up) {
      this.options.log.warn(
        { host: h.spec.name, err, code: (err as { code?: unknown })?.code },
        "a model host is not answering; turns go to the others until it does",
      );
    }
    h.up = false;
    h.error = errorText(err);
  }

  /** @internal Another host up with `model` and a free slot, for a stream whose host failed. */
  otherFor(model: string, not: Host): Host | undefined {
    return this.pick(model, (h) => h !== not && h.up && h.busy < h.spec.concurrency && this.has(h, model));
  }

  /** @internal The host an unplaced call of `model` goes to: up and having it, least busy, slots or not. */
  routeFor(model: string | undefined): Host {
    return this.pick(model, () => true) ?? this.hosts[0]!;
  }

  private async checkHost(h: Host, signal?: AbortSignal): Promise<void> {
    try {
      this.answered(h, await h.spec.client.listModels(signal));
    } catch (err) {
      this.markDown(h, err);
    }
  }

  /** A host gave its models: up, with them. */
  private answered(h: Host, models: ModelSummary[]): void {
    const changed = !h.up || h.models?.length !== models.length;
    if (!h.up) this.options.log.info({ host: h.spec.name }, "a model host answers again");
    h.models = models;
    h.up = true;
    h.error = undefined;
    // A host back, or with a model more: turns waiting for it may start now, not when some other turn ends.
    if (!changed) return;
    try {
      this.onChange?.();
    } catch (err) {
      // The listener's failure says nothing about the host.
      this.options.log.warn({ err }, "the listener of host changes failed");
    }
  }

  /** Told when a host comes back or its models change (the fair queue looks again at who can start). */
  onChange: (() => void) | undefined;

  private byName(name: string): Host {
    const h = this.hosts.find((x) => x.spec.name === name);
    if (!h) throw new HostUnknownError(name, this.names);
    return h;
  }

  // --- The client facade (what the bot calls when no place is involved) ---------------------------------------

  /** Every host's models, once per name (the first host's entry), from the hosts that answer now. */
  async listModels(signal?: AbortSignal): Promise<ModelSummary[]> {
    const lists = await Promise.all(
      this.hosts.map(async (h) => {
        try {
          const models = await h.spec.client.listModels(signal);
          this.answered(h, models);
          return { ok: true as const, models };
        } catch (err) {
          // The caller gave up: that says nothing about the host.
          if (!signal?.aborted) this.markDown(h, err);
          return { ok: false as const, err: tagHost(err, h) };
        }
      }),
    );
    if (lists.every((l) => !l.ok)) throw (lists[0] as { err: unknown }).err;
    const seen = new Map<string, ModelSummary>();
    for (const l of lists) {
      if (!l.ok) continue;
      for (const m of l.models) if (!seen.has(m.name)) seen.set(m.name, m);
    }
    return [...seen.values()];
  }

  async hasModel(name: string, signal?: AbortSignal): Promise<boolean> {
    return (await this.listModels(signal)).some((m) => sameModel(m.name, name));
  }

  /** The hosts that had `name` at their last check. */
  holders(name: string): string[] {
    return this.hosts.filter((h) => this.has(h, name)).map((h) => h.spec.name);
  }

  chatStream(req: ChatRequest, signal?: AbortSignal): AsyncGenerator<StreamEvent, void, undefined> {
    return streamWithFailover(this, this.routeFor(req.model), req, signal, () => {});
  }

  async chat(req: ChatRequest, signal?: AbortSignal): Promise<Completion> {
    return chatWithFailover(this, this.routeFor(req.model), req, signal, () => {});
  }

  async showModel(name: string, signal?: AbortSignal): Promise<ModelInfo> {
    const h = this.routeFor(name);
    return h.spec.client.showModel(name, signal).catch((err: unknown) => {
      throw tagHost(err, h);
    });
  }

  /** The models in memory on the hosts that answer, once per name (the first host's entry). */
  async runningModels(signal?: AbortSignal): Promise<RunningModel[]> {
    const lists = await Promise.allSettled(this.hosts.map((h) => h.spec.client.runningModels(signal)));
    const failed = lists.findIndex((l) => l.status === "rejected");
    if (lists.every((l) => l.status === "rejected")) {
      throw tagHost((lists[0] as PromiseRejectedResult).reason, this.hosts[0]!);
    }
    if (failed >= 0) {
      this.options.log.warn(
        { host: this.hosts[failed]!.spec.name, err: (lists[failed] as PromiseRejectedResult).reason },
        "could not read a host's loaded models; the others are shown",
      );
    }
    const seen = new Map<string, RunningModel>();
    for (const l of lists) {
      if (l.status !== "fulfilled") continue;
      for (const m of l.value) if (!seen.has(m.name)) seen.set(m.name, m);
    }
    return [...seen.values()];
  }

  /**
   * Deletes `name` from every host that has it (at least one must confirm); the names of those hosts. A model
   * no host has is the first host's MODEL_NOT_FOUND.
   */
  async deleteModel(name: string, signal?: AbortSignal): Promise<DeleteResult> {
    return (await this.deleteEverywhere(name, signal)).result;
  }

  async deleteEverywhere(
    name: string,
    signal?: AbortSignal,
  ): Promise<{ result: DeleteResult; hosts: string[] }> {
    await this.check(signal);
    const holders = this.hosts.filter((h) => this.has(h, name));
    if (holders.length === 0) {
      const h = this.hosts[0]!;
      const result = await h.spec.client.deleteModel(name, signal).catch((err: unknown) => {
        throw tagHost(err, h);
      });
      return { result, hosts: [h.spec.name] };
    }
    const results = await Promise.allSettled(holders.map((h) => h.spec.client.deleteModel(name, signal)));
    const done = holders.filter((_, i) => results[i]!.status === "fulfilled");
    const first = results.find((r) => r.status === "fulfilled");
    if (!first) throw tagHost((results[0] as PromiseRejectedResult).reason, holders[0]!);
    for (const [i, r] of results.entries()) {
      if (r.status === "rejected") {
        this.options.log.warn(
          { host: holders[i]!.spec.name, err: r.reason, model: name },
          "could not delete a model from one of its hosts",
        );
      }
    }
    await this.check(signal);
    return {
      result: (first as PromiseFulfilledResult<DeleteResult>).value,
      hosts: done.map((h) => h.spec.name),
    };
  }

  /**
   * The host a pull of `name` goes to when none is named: the first host (in MODEL_HOSTS order) that lacks the
   * model, up ones first; one that is away then says it cannot be reached, rather than the pull going again to a
   * host that has the model. Every host has it: the first up.
   */
  pullTarget(name: string): string {
    const lacking = this.hosts.filter((h) => !this.has(h, name));
    const target = lacking.find((h) => h.up) ?? lacking[0] ?? this.hosts.find((h) => h.up) ?? this.hosts[0]!;
    return target.spec.name;
  }

  /** Pulls `name` on host `host` (default: `pullTarget`). */
  async *pullOn(host: string | undefined, name: string, signal?: AbortSignal): AsyncGenerator<PullEvent> {
    const h = this.byName(host ?? this.pullTarget(name));
    let failed = false;
    try {
      yield* h.spec.client.pull(name, signal);
    } catch (err) {
      failed = true;
      throw tagHost(err, h);
    } finally {
      // Also when the caller stops reading at "success": placement must know at once that this host has it.
      // Without the caller's signal, which may have ended. After a failure the check runs on its own: the
      // caller hears of the failure now, not after a check of a host that may be away.
      const by = deadline(this.options.checkTimeoutMs ?? CHECK_TIMEOUT_MS);
      if (failed) void this.checkHost(h, by);
      else await this.checkHost(h, by);
    }
  }

  pull(name: string, signal?: AbortSignal): AsyncGenerator<PullEvent> {
    return this.pullOn(undefined, name, signal);
  }

  /** Up when any host is up: the fastest one's answer. */
  async health(signal?: AbortSignal): Promise<Health> {
    const all = await Promise.allSettled(this.hosts.map((h) => h.spec.client.health(signal)));
    const ok = all.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    if (ok.length === 0) throw (all[0] as PromiseRejectedResult).reason;
    return ok.sort((a, b) => a.latencyMs - b.latencyMs)[0]!;
  }

  /** Each host's own health (doctor). */
  async healthOfEach(
    signal?: AbortSignal,
  ): Promise<Array<{ name: string; label: string; health?: Health; err?: unknown }>> {
    return Promise.all(
      this.hosts.map(async (h) => {
        try {
          return {
            name: h.spec.name,
            label: h.spec.client.label,
            health: await h.spec.client.health(signal),
          };
        } catch (err) {
          return { name: h.spec.name, label: h.spec.client.label, err };
        }
      }),
    );
  }

  // Speech lives on hubs; the audio a hub made is fetched from that same hub, so one hub serves all speech: the
  // first hub (in MODEL_HOSTS order) that is up.
  private speechHost(): HostClient {
    const hubs = this.hosts.filter((h) => h.spec.client.mode === "hub");
    const h = hubs.find((x) => x.up) ?? hubs[0];
    if (!h) throw new NoHostError("speech needs a hub among MODEL_HOSTS (a host of kind hub)");
    return h.spec.client;
  }

  transcribe(audio: Uint8Array, options: TranscribeOptions, signal?: AbortSignal): Promise<Transcript> {
    return this.speechHost().transcribe(audio, options, signal);
  }

  voices(signal?: AbortSignal): Promise<VoiceList> {
    return this.speechHost().voices(signal);
  }

  synthesise(req: SynthesisRequest, signal?: AbortSignal): Promise<Synthesis> {
    return this.speechHost().synthesise(req, signal);
  }

  fetchAudio(path: string, signal?: AbortSignal): Promise<AudioFile> {
    return this.speechHost().fetchAudio(path, signal);
  }

  previewVoice(voiceId: string, language?: string, signal?: AbortSignal): Promise<VoicePreview> {
    return this.speechHost().previewVoice(voiceId, language, signal);
  }
}

/** One turn's slot on a host; moves (with its slot) when its host fails before a stream starts. */
class Placement implements HostPlace {
  private released = false;
  private sharedRelease: (() => Promise<void>) | undefined;
  readonly client: Pick<HostClient, "chatStream" | "chat">;

  constructor(
    private readonly pool: HostPool,
    private at: Host,
  ) {
    pool.hold(at);
    const moved = (to: Host, signal: AbortSignal | undefined) => this.move(to, signal);
    const self = this;
    this.client = {
      async *chatStream(req, signal) {
        yield* streamWithFailover(pool, await self.hostFor(req.model, signal), req, signal, moved);
      },
      chat: async (req, signal) =>
        chatWithFailover(pool, await this.hostFor(req.model, signal), req, signal, moved),
    };
  }

  get host(): string {
    return this.at.spec.name;
  }

  async ready(signal: AbortSignal): Promise<void> {
    this.sharedRelease = await this.pool.sharedSlot(this.at, signal);
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    this.pool.unhold(this.at);
    await this.sharedRelease?.();
  }

  /**
   * The placed host, unless it lacks `model` (the chat picked another model while the turn waited, or an
   * AI↔AI exchange's other side) and another host has it: the slot moves there when that host has one free;
   * otherwise the request runs there outside the count (logged), rather than fail on a host without the model.
   */
  private async hostFor(model: string, signal: AbortSignal | undefined): Promise<Host> {
    if (this.pool.has(this.at, model)) return this.at;
    const free = this.pool.otherFor(model, this.at);
    if (free) {
      // Briefly: the other host's shared slot may be taken by another process; waiting here holds the answer.
      await this.move(free, signal, SWITCH_WAIT_MS).catch((err: unknown) =>
        this.pool.logMoveFailure(free, err),
      );
      if (this.at === free) return free;
    }
    const other = this.pool.routeFor(model);
    if (!this.pool.has(other, model)) return this.at;
    this.pool.logOutsideCount(other, model);
    return other;
  }

  /**
   * The slot goes with the stream to `to` (its shared slot too, with several processes, taken first and within
   * MOVE_WAIT_MS: other processes may hold all of `to`'s). On failure nothing has moved.
   */
  private async move(to: Host, signal: AbortSignal | undefined, waitMs = MOVE_WAIT_MS): Promise<void> {
    if (this.released) return;
    const bounded = deadline(waitMs, signal);
    const next = await this.pool.sharedSlot(to, bounded);
    if (this.released) {
      // The turn ended while the slot came: it goes back at once (it would be renewed for ever otherwise).
      await next?.();
      return;
    }
    const old = this.sharedRelease;
    this.pool.unhold(this.at);
    this.pool.hold(to);
    this.sharedRelease = next;
    this.at = to;
    // Moved already: a give-back that fails is the old slot's business (it ends with its lease), not the move's.
    await old?.().catch((err: unknown) => this.pool.logGiveBackFailure(err));
  }
}

/**
 * The stream of `req` on `first`; if it fails before its first event because the host is away, the host is
 * marked down and the stream starts again on another host that is up and has the model (once per host).
 */
async function* streamWithFailover(
  pool: HostPool,
  first: Host,
  req: ChatRequest,
  signal: AbortSignal | undefined,
  moved: (to: Host, signal: AbortSignal | undefined) => Promise<void> | void,
): AsyncGenerator<StreamEvent, void, undefined> {
  let host = first;
  const tried = new Set<Host>();
  for (;;) {
    tried.add(host);
    let started = false;
    try {
      for await (const ev of host.spec.client.chatStream(req, signal)) {
        started = true;
        yield ev;
      }
      return;
    } catch (err) {
      if (started) throw tagHost(err, host);
      host = await failOver(pool, host, err, req.model, signal, tried, moved);
    }
  }
}

async function chatWithFailover(
  pool: HostPool,
  first: Host,
  req: ChatRequest,
  signal: AbortSignal | undefined,
  moved: (to: Host, signal: AbortSignal | undefined) => Promise<void> | void,
): Promise<Completion> {
  let host = first;
  const tried = new Set<Host>();
  for (;;) {
    tried.add(host);
    try {
      return await host.spec.client.chat(req, signal);
    } catch (err) {
      host = await failOver(pool, host, err, req.model, signal, tried, moved);
    }
  }
}

/**
 * `host` failed before anything came: the host to try next, once the slot moved there. Throws `err` (tagged with
 * `host`) when it is not the host's absence, the caller gave up, or no other untried host can take it.
 */
async function failOver(
  pool: HostPool,
  host: Host,
  err: unknown,
  model: string,
  signal: AbortSignal | undefined,
  tried: ReadonlySet<Host>,
  moved: (to: Host, signal: AbortSignal | undefined) => Promise<void> | void,
): Promise<Host> {
  if (signal?.aborted || !isServerAway(err)) throw tagHost(err, host);
  pool.markDown(host, err);
  const next = pool.otherFor(model, host);
  if (!next || tried.has(next)) throw tagHost(err, host);
  try {
    await moved(next, signal);
  } catch (moveErr) {
    pool.logMoveFailure(next, moveErr);
    throw tagHost(err, host);
  }
  return next;
}

/** The host a failure came from, on the error (`hostOf`), so what the user reads names that host. */
export interface HostTag {
  name: string;
  mode: ClientMode;
  baseUrl: string;
}

const HOST = Symbol("model host");

function tagHost(err: unknown, h: Host): unknown {
  if (typeof err === "object" && err !== null && !(HOST in err)) {
    // Not enumerable: log lines and JSON stay as they were.
    Object.defineProperty(err, HOST, {
      value: {
        name: h.spec.name,
        mode: h.spec.client.mode,
        baseUrl: h.spec.client.baseUrl,
      } satisfies HostTag,
    });
  }
  return err;
}

/** The host an error from the pool came from, when it came from one. */
export function hostOf(err: unknown): HostTag | undefined {
  return typeof err === "object" && err !== null ? (err as { [HOST]?: HostTag })[HOST] : undefined;
}

/** Short, for /queue: the error's code (its message, which says what to fix, is in the log line). */
function errorText(err: unknown): string {
  const code = (err as { code?: unknown })?.code;
  return typeof code === "string" ? code : err instanceof Error ? err.message : String(err);
}
