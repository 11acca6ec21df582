/**
 * libopus through opusscript's WebAssembly build (libopus 1.4, MIT/BSD, no native compile, no ffmpeg).
 *
 * We drive opusscript's compiled handler directly instead of its `OpusScript` JavaScript class, for two defects of
 * that class in 0.1.1 (read from its index.js): (1) it makes its PCM views with `HEAPU16.subarray(pointer, ...)`,
 * an element index taken from a byte address, so `encode()` and `decode()` write into the heap at twice the
 * address it allocated, over whatever lives there (with encoders and decoders in one process we saw Node hang at
 * exit); (2) it keeps those views from construction, so they go stale when the WebAssembly heap grows, which it
 * does once enough encoders exist at once. The handler itself is sound: `_encode(input, 0, ...)` reads `input` as
 * native int16 samples (its byte-shuffling loop runs `0` times), and we allocate every buffer with the module's own
 * `_malloc`, read the heap through a fresh view on each call, and ask for the lookahead, which the class cannot.
 */
import { createRequire } from "node:module";
import { AudioEncoderError, AudioInvalidArgumentError } from "./errors.js";

/** The sample rates libopus encodes and decodes natively. */
export const OPUS_SAMPLE_RATES: readonly number[] = [8000, 12000, 16000, 24000, 48000];

// From opus_defines.h.
const OPUS_APPLICATION_VOIP = 2048;
const OPUS_SET_BITRATE_REQUEST = 4002;
const OPUS_SET_COMPLEXITY_REQUEST = 4010;
const OPUS_SET_SIGNAL_REQUEST = 4024;
const OPUS_GET_LOOKAHEAD_REQUEST = 4027;
const OPUS_SIGNAL_VOICE = 3001;
const OPUS_ERRORS: Record<number, string> = {
  [-1]: "bad argument",
  [-2]: "buffer too small",
  [-3]: "internal error",
  [-4]: "invalid packet",
  [-5]: "unimplemented",
  [-6]: "invalid state",
  [-7]: "memory allocation failed",
};
/** The handler passes this as `max_data_bytes` to `opus_encode`, so the output buffer must hold it. */
const HANDLER_MAX_PACKET_BYTES = 1276 * 3;
/** The handler decodes up to 120 ms at 48 kHz and then writes 4 bytes per sample (one byte per int16). */
const HANDLER_MAX_DECODED_SAMPLES = 5760;

interface NativeHandler {
  _encode(input: number, bytes: number, output: number, frameSize: number): number;
  _decode(input: number, length: number, output: number): number;
  _encoder_ctl(request: number, arg: number): number;
}

interface NativeModule {
  readonly HEAPU8: Uint8Array;
  readonly HEAP16: Int16Array;
  readonly HEAPU16: Uint16Array;
  readonly HEAP32: Int32Array;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  readonly OpusScriptHandler: {
    new (sampleRate: number, channels: number, application: number): NativeHandler;
    destroy_handler(handler: NativeHandler): void;
  };
  readonly ready: Promise<unknown>;
}

type NativeFactory = (overrides: {
  print: (text: string) => void;
  printErr: (text: string) => void;
}) => NativeModule;

interface Loaded {
  readonly module: NativeModule;
  /** The module's last printed lines: a failed WebAssembly compile says why only there. */
  readonly printed: string[];
}

const NATIVE_ENTRY = "opusscript/build/opusscript_native_wasm.js";
const requireCjs = createRequire(import.meta.url);
let loaded: Loaded | undefined;

/** The one WebAssembly instance, made on first use (about 300 KB of wasm, compiled synchronously). */
function native(): Loaded {
  if (loaded !== undefined) return loaded;
  const printed: string[] = [];
  const keep = (text: string) => {
    printed.push(String(text).slice(0, 300));
    if (printed.length > 5) printed.shift();
  };
  try {
    const factory = requireCjs(NATIVE_ENTRY) as NativeFactory;
    // Its output goes to `printed`, not to the console: our log is pino's, and each error carries those lines.
    const module = factory({ print: keep, printErr: keep });
    // Emscripten reports an abort twice: it throws from the call that failed (we turn that into an
    // AudioEncoderError for our caller) and rejects this promise, which nobody awaits; left unhandled it would
    // take the whole process down for a failure already reported.
    module.ready.catch(() => undefined);
    loaded = { module, printed };
    return loaded;
  } catch (err) {
    throw new AudioEncoderError(
      `its WebAssembly module did not load (${describe(err, printed)}). Reinstall the dependencies (npm ci).`,
      { cause: err },
    );
  }
}

/**
 * Runs `call` against the module. A trap or an abort leaves the instance unusable (emscripten refuses every later
 * call), so it is dropped and the next encoder gets a new one.
 */
function guarded<T>(what: string, call: (module: NativeModule) => T): T {
  const current = native();
  try {
    return call(current.module);
  } catch (err) {
    if (err instanceof AudioEncoderError) throw err;
    if (loaded === current) loaded = undefined;
    throw new AudioEncoderError(`${what} (${describe(err, current.printed)})`, { cause: err });
  }
}

function describe(err: unknown, printed: readonly string[]): string {
  const own = err instanceof Error ? err.message : String(err);
  return printed.length > 0 ? `${own}; ${printed.join("; ")}` : own;
}

function check(result: number, what: string): number {
  if (result < 0) throw new AudioEncoderError(`${what}: ${OPUS_ERRORS[result] ?? `error ${result}`}`);
  return result;
}

function checkFormat(sampleRate: number, channels: number): void {
  if (!OPUS_SAMPLE_RATES.includes(sampleRate)) {
    throw new AudioInvalidArgumentError(
      `Opus has no ${sampleRate} Hz mode; use ${OPUS_SAMPLE_RATES.join(", ")}.`,
    );
  }
  if (channels !== 1 && channels !== 2) {
    throw new AudioInvalidArgumentError(`An Opus stream here is mono or stereo, not ${channels} channels.`);
  }
}

export interface OpusEncoderOptions {
  /** Target bitrate in bits per second (6000–510000). */
  bitrate: number;
  /** libopus complexity 0–10: higher is better sound for more CPU. */
  complexity: number;
}

/** One libopus encoder in VOIP mode with the voice signal hint, fed whole 20 ms frames. */
export class OpusEncoder {
  /** Samples per channel in one 20 ms frame at the input rate. */
  readonly frameSize: number;
  /** The encoder's delay in samples at the input rate; Ogg Opus announces it as pre-skip. */
  readonly lookahead: number;
  #handler: NativeHandler | undefined;
  #input = 0;
  #output = 0;
  #module: NativeModule | undefined;

  constructor(
    readonly sampleRate: number,
    readonly channels: number,
    options: OpusEncoderOptions,
  ) {
    checkFormat(sampleRate, channels);
    this.frameSize = sampleRate / 50;
    const { lookahead } = this.#settingUp(() =>
      guarded("creating the encoder failed", (module) => {
        this.#module = module;
        this.#handler = new module.OpusScriptHandler(sampleRate, channels, OPUS_APPLICATION_VOIP);
        this.#input = module._malloc(this.frameSize * channels * 2);
        this.#output = module._malloc(HANDLER_MAX_PACKET_BYTES);
        const handler = this.#handler;
        check(handler._encoder_ctl(OPUS_SET_BITRATE_REQUEST, options.bitrate), "setting the bitrate");
        check(
          handler._encoder_ctl(OPUS_SET_COMPLEXITY_REQUEST, options.complexity),
          "setting the complexity",
        );
        check(handler._encoder_ctl(OPUS_SET_SIGNAL_REQUEST, OPUS_SIGNAL_VOICE), "setting the signal type");
        // A GET request writes through the pointer passed as its argument.
        const cell = module._malloc(4);
        try {
          check(handler._encoder_ctl(OPUS_GET_LOOKAHEAD_REQUEST, cell), "reading the lookahead");
          return { lookahead: module.HEAP32[cell >> 2]! };
        } finally {
          module._free(cell);
        }
      }),
    );
    this.lookahead = lookahead;
  }

  /** Frees what a constructor that failed half-way had already allocated. */
  #settingUp<T>(build: () => T): T {
    try {
      return build();
    } catch (err) {
      this.close();
      throw err;
    }
  }

  /** Encodes one frame of exactly `frameSize * channels` interleaved samples into one Opus packet (a copy). */
  encode(frame: Int16Array): Uint8Array {
    const handler = this.#handler;
    const module = this.#module;
    if (handler === undefined || module === undefined)
      throw new AudioInvalidArgumentError("The encoder is closed.");
    if (frame.length !== this.frameSize * this.channels) {
      throw new AudioInvalidArgumentError(
        `A frame has ${this.frameSize * this.channels} samples, got ${frame.length}.`,
      );
    }
    return guarded("encoding a frame failed", () => {
      module.HEAP16.set(frame, this.#input >> 1);
      const length = check(handler._encode(this.#input, 0, this.#output, this.frameSize), "encoding a frame");
      return module.HEAPU8.slice(this.#output, this.#output + length);
    });
  }

  /** Frees the encoder's memory in the module; safe to call twice. */
  close(): void {
    const handler = this.#handler;
    const module = this.#module;
    this.#handler = undefined;
    if (handler === undefined || module === undefined || loaded?.module !== module) return;
    module.OpusScriptHandler.destroy_handler(handler);
    module._free(this.#input);
    module._free(this.#output);
  }
}

/** One libopus decoder; for checking what we encoded and for reading Ogg Opus files back. */
export class OpusDecoder {
  #handler: NativeHandler | undefined;
  #module: NativeModule | undefined;
  #input = 0;
  #inputBytes = 0;
  #output = 0;

  constructor(
    readonly sampleRate: number,
    readonly channels: number,
  ) {
    checkFormat(sampleRate, channels);
    guarded("creating the decoder failed", (module) => {
      this.#module = module;
      // The handler always builds an encoder and a decoder; only the decoder is used here.
      this.#handler = new module.OpusScriptHandler(sampleRate, channels, OPUS_APPLICATION_VOIP);
      this.#output = module._malloc(HANDLER_MAX_DECODED_SAMPLES * channels * 4);
    });
  }

  /** Decodes one packet into interleaved samples at `sampleRate`. */
  decode(packet: Uint8Array): Int16Array {
    const handler = this.#handler;
    const module = this.#module;
    if (handler === undefined || module === undefined)
      throw new AudioInvalidArgumentError("The decoder is closed.");
    return guarded("decoding a packet failed", () => {
      if (packet.length > this.#inputBytes) {
        if (this.#input !== 0) module._free(this.#input);
        this.#inputBytes = packet.length;
        this.#input = module._malloc(packet.length);
      }
      module.HEAPU8.set(packet, this.#input);
      const frames = check(handler._decode(this.#input, packet.length, this.#output), "decoding a packet");
      // The handler stores each int16 as two int16 cells holding its low and its high byte.
      const cells = module.HEAPU16.subarray(
        this.#output >> 1,
        (this.#output >> 1) + frames * this.channels * 2,
      );
      const samples = new Int16Array(frames * this.channels);
      for (let i = 0; i < samples.length; i++) samples[i] = (cells[2 * i + 1]! << 8) | cells[2 * i]!;
      return samples;
    });
  }

  close(): void {
    const handler = this.#handler;
    const module = this.#module;
    this.#handler = undefined;
    if (handler === undefined || module === undefined || loaded?.module !== module) return;
    module.OpusScriptHandler.destroy_handler(handler);
    module._free(this.#output);
    if (this.#input !== 0) module._free(this.#input);
  }
}

/**
 * Duration of an Opus packet in 48 kHz samples, from its TOC byte and frame count (RFC 6716 §3.1), or `undefined`
 * when the packet is malformed (empty, code 3 without a count, more than 120 ms).
 */
export function opusPacketSamples48(packet: Uint8Array): number | undefined {
  const toc = packet[0];
  if (toc === undefined) return undefined;
  const config = toc >> 3;
  const frameSamples =
    config < 12
      ? [480, 960, 1920, 2880][config & 3]!
      : config < 16
        ? [480, 960][config & 1]!
        : [120, 240, 480, 960][config & 3]!;
  let frames: number;
  switch (toc & 3) {
    case 0:
      frames = 1;
      break;
    case 1:
    case 2:
      frames = 2;
      break;
    default: {
      const count = packet[1];
      if (count === undefined || (count & 0x3f) === 0) return undefined;
      frames = count & 0x3f;
    }
  }
  const samples = frames * frameSamples;
  return samples > 5760 ? undefined : samples;
}
