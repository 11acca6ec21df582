/**
 * One class per failure kind, each with a literal `code`; callers decide by `err.code`. Bytes that are not what they
 * claim (a broken WAV, a bad Ogg page) stay apart from audio that is valid but too long, from audio this layer does
 * not encode (a sample rate Opus lacks), from a caller's cancel and from an encoder that could not run at all (our
 * fault, not the audio's). Messages carry sizes and field values, never sample data.
 */

export type AudioErrorCode =
  | "AUDIO_INVALID"
  | "AUDIO_TOO_LONG"
  | "AUDIO_FORMAT_MISMATCH"
  | "AUDIO_UNSUPPORTED_FORMAT"
  | "AUDIO_ABORTED"
  | "AUDIO_ENCODER_FAILED"
  | "AUDIO_INVALID_ARGUMENT";

/** The container an `AudioInvalidError` is about. */
export type AudioContainer = "wav" | "ogg-opus";

export abstract class AudioError extends Error {
  abstract readonly code: AudioErrorCode;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
  }

  override get name(): string {
    return this.constructor.name;
  }
}

export function isAudioError(err: unknown): err is AudioError {
  return err instanceof AudioError;
}

/**
 * The bytes are not a file of the kind we read: not RIFF/WAVE, not 16-bit PCM, a chunk running past the end, an Ogg
 * page with a wrong CRC, a missing OpusHead. `detail` says which rule broke, for the log.
 */
export class AudioInvalidError extends AudioError {
  readonly code = "AUDIO_INVALID";
  constructor(
    readonly container: AudioContainer,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(
      container === "wav"
        ? `Not a usable WAV file (${detail}). Send RIFF/WAVE with 16-bit PCM samples.`
        : `Not a valid Ogg Opus file (${detail}). Encode it again as Opus in an Ogg container.`,
      options,
    );
  }
}

/** The audio is longer than the caller's bound (`maxDataBytes` of `parseWav`). */
export class AudioTooLongError extends AudioError {
  readonly code = "AUDIO_TOO_LONG";
  constructor(
    readonly dataBytes: number,
    readonly maxDataBytes: number,
  ) {
    super(
      `The audio holds ${dataBytes} bytes of samples, more than the limit of ${maxDataBytes}. ` +
        "Send a shorter clip or raise maxDataBytes.",
    );
  }
}

/** What a clip is made of; two clips can be joined only when these agree. */
export interface PcmFormat {
  readonly sampleRate: number;
  readonly channels: number;
}

/** `joinClips` was given clips of different sample rates or channel counts; this layer does not resample. */
export class AudioFormatMismatchError extends AudioError {
  readonly code = "AUDIO_FORMAT_MISMATCH";
  constructor(
    /** Index of the first clip that differs from clip 0. */
    readonly index: number,
    readonly expected: PcmFormat,
    readonly actual: PcmFormat,
  ) {
    super(
      `Clip ${index} is ${describe(actual)} but clip 0 is ${describe(expected)}. ` +
        "Resample the clips to one format before joining them.",
    );
  }
}

/** Valid audio that the Opus encoder cannot take as it is: a sample rate Opus lacks, or more than two channels. */
export class AudioUnsupportedFormatError extends AudioError {
  readonly code = "AUDIO_UNSUPPORTED_FORMAT";
  constructor(
    readonly format: PcmFormat,
    detail: string,
  ) {
    super(`Cannot encode ${describe(format)} audio as Opus: ${detail}`);
  }
}

/** The caller's `AbortSignal` fired; `cause` is its reason. */
export class AudioAbortedError extends AudioError {
  readonly code = "AUDIO_ABORTED";
  constructor(options?: { cause?: unknown }) {
    super("Encoding the voice note was cancelled.", options);
  }
}

/**
 * The Opus codec itself failed: its WebAssembly module did not load, or libopus returned an error for input we had
 * already checked. Not the audio's fault: the log needs the cause; the user can only try again later.
 */
export class AudioEncoderError extends AudioError {
  readonly code = "AUDIO_ENCODER_FAILED";
  constructor(message: string, options?: { cause?: unknown }) {
    super(`The Opus codec failed: ${message}`, options);
  }
}

/** A call was made with options or values that cannot work (a negative pause, no clips, a bitrate of 1). */
export class AudioInvalidArgumentError extends AudioError {
  readonly code = "AUDIO_INVALID_ARGUMENT";
}

function describe(format: PcmFormat): string {
  const channels =
    format.channels === 1 ? "mono" : format.channels === 2 ? "stereo" : `${format.channels}-channel`;
  return `${format.sampleRate} Hz ${channels}`;
}
