import { endianness } from "node:os";
import { AudioInvalidArgumentError, AudioInvalidError, AudioTooLongError } from "./errors.js";
import type { Pcm } from "./pcm.js";

/**
 * Default bound on a WAV's sample data: 30 minutes of 16-bit mono at 48 kHz (172.8 MB). The hub's clips are 24 kHz,
 * so this allows an hour of them; anything larger is not a voice note.
 */
export const DEFAULT_MAX_WAV_DATA_BYTES = 30 * 60 * 48_000 * 2;

export interface ParseWavOptions {
  /** Refuse a `data` chunk larger than this many bytes, before copying it. Default `DEFAULT_MAX_WAV_DATA_BYTES`. */
  maxDataBytes?: number;
}

export interface WavAudio extends Pcm {
  readonly bitsPerSample: 16;
  readonly durationSeconds: number;
}

const WAVE_FORMAT_PCM = 0x0001;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
/** KSDATAFORMAT_SUBTYPE_PCM after its first two bytes (which hold the format tag, 0x0001). */
const PCM_SUBFORMAT_TAIL = [
  0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71,
];
/** More channels than any speech clip has; the bound keeps a corrupt header from passing for audio. */
const MAX_CHANNELS = 8;
const MAX_SAMPLE_RATE = 768_000;
const LITTLE_ENDIAN_HOST = endianness() === "LE";

/**
 * Reads a RIFF/WAVE file of 16-bit PCM (format 1, or WAVE_FORMAT_EXTENSIBLE with the PCM subformat). Chunks are
 * walked as RIFF lays them out, so a `LIST` (ffmpeg's INFO), `fact` or any other chunk before `data` is skipped,
 * odd-sized chunks with their pad byte; whatever follows `data` is ignored. Anything else (float, 8/24/32-bit, a
 * chunk running past the end, `data` before `fmt `) is an `AudioInvalidError`; sample data over `maxDataBytes`
 * an `AudioTooLongError`. The samples are copied, so `bytes` may be reused afterwards.
 */
export function parseWav(bytes: Uint8Array, options: ParseWavOptions = {}): WavAudio {
  const maxDataBytes = options.maxDataBytes ?? DEFAULT_MAX_WAV_DATA_BYTES;
  if (!Number.isSafeInteger(maxDataBytes) || maxDataBytes < 0) {
    throw new AudioInvalidArgumentError(`maxDataBytes must be a non-negative integer, got ${maxDataBytes}.`);
  }
  const invalid = (detail: string) => new AudioInvalidError("wav", detail);
  if (bytes.length < 12) throw invalid(`${bytes.length} bytes is too short for a RIFF header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (fourcc(bytes, 0) !== "RIFF" || fourcc(bytes, 8) !== "WAVE") throw invalid("no RIFF/WAVE header");
  // A RIFF size larger than the file means a cut file; smaller means trailing bytes that are not ours to read.
  const riffEnd = 8 + view.getUint32(4, true);
  if (riffEnd > bytes.length)
    throw invalid(`the RIFF header says ${riffEnd} bytes, the file has ${bytes.length}`);

  let format: { channels: number; sampleRate: number; blockAlign: number } | undefined;
  let offset = 12;
  while (offset + 8 <= riffEnd) {
    const id = fourcc(bytes, offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (body + size > riffEnd) throw invalid(`chunk '${printable(id)}' runs past the end of the file`);
    if (id === "fmt ") {
      format = readFormat(view, body, size, invalid);
    } else if (id === "data") {
      if (format === undefined) throw invalid("the data chunk comes before the fmt chunk");
      if (size % format.blockAlign !== 0) {
        throw invalid(`${size} data bytes are not whole frames of ${format.blockAlign} bytes`);
      }
      if (size > maxDataBytes) throw new AudioTooLongError(size, maxDataBytes);
      const samples = copySamples(bytes, view, body, size);
      return {
        sampleRate: format.sampleRate,
        channels: format.channels,
        bitsPerSample: 16,
        samples,
        durationSeconds: samples.length / format.channels / format.sampleRate,
      };
    }
    // RIFF pads every odd-sized chunk to an even length; the pad byte is not counted in `size`.
    offset = body + size + (size & 1);
  }
  throw invalid(format === undefined ? "no fmt chunk" : "no data chunk");
}

function readFormat(
  view: DataView,
  at: number,
  size: number,
  invalid: (detail: string) => AudioInvalidError,
): { channels: number; sampleRate: number; blockAlign: number } {
  if (size < 16) throw invalid(`the fmt chunk has ${size} bytes, at least 16 are needed`);
  let tag = view.getUint16(at, true);
  const channels = view.getUint16(at + 2, true);
  const sampleRate = view.getUint32(at + 4, true);
  const blockAlign = view.getUint16(at + 12, true);
  const bitsPerSample = view.getUint16(at + 14, true);
  if (tag === WAVE_FORMAT_EXTENSIBLE) {
    if (size < 40 || view.getUint16(at + 16, true) < 22)
      throw invalid("WAVE_FORMAT_EXTENSIBLE without its fields");
    const subTag = view.getUint16(at + 24, true);
    const tailMatches = PCM_SUBFORMAT_TAIL.every((byte, i) => view.getUint8(at + 26 + i) === byte);
    tag = tailMatches ? subTag : -1;
  }
  if (tag !== WAVE_FORMAT_PCM) throw invalid(`sample format ${tag === -1 ? "unknown" : tag}, not PCM (1)`);
  if (bitsPerSample !== 16) throw invalid(`${bitsPerSample}-bit samples, only 16-bit are read`);
  if (channels < 1 || channels > MAX_CHANNELS) throw invalid(`${channels} channels`);
  if (sampleRate < 1 || sampleRate > MAX_SAMPLE_RATE) throw invalid(`a sample rate of ${sampleRate} Hz`);
  if (blockAlign !== channels * 2)
    throw invalid(`block align ${blockAlign} for ${channels} channels of 16 bits`);
  return { channels, sampleRate, blockAlign };
}

function copySamples(bytes: Uint8Array, view: DataView, at: number, size: number): Int16Array {
  const samples = new Int16Array(size / 2);
  if (LITTLE_ENDIAN_HOST) {
    // One memcpy: the file's little-endian samples are already the host's layout, and the copy need not be aligned.
    new Uint8Array(samples.buffer).set(bytes.subarray(at, at + size));
  } else {
    for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(at + 2 * i, true);
  }
  return samples;
}

function fourcc(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
}

/** A chunk id for a message: garbage bytes become `?` rather than control characters in the log. */
function printable(id: string): string {
  return id.replace(/[^\x20-\x7e]/g, "?");
}
