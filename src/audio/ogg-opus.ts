/**
 * The Ogg mapping of Opus (RFC 7845): the two header packets, granule positions in 48 kHz samples, and a strict
 * reader that checks a file the way a careful player would (the fake Telegram checks uploads with it).
 */
import { AudioInvalidError } from "./errors.js";
import { NO_GRANULE, type OggPage, readOggStream } from "./ogg.js";
import { opusPacketSamples48 } from "./opus.js";

/** Opus timestamps are always counted at 48 kHz, whatever the input rate. */
export const OPUS_GRANULE_RATE = 48_000;
/** Upper bound on one packet: 120 ms of 1275-byte frames is ~61 KB; anything larger is not Opus. */
const MAX_OPUS_PACKET_BYTES = 65_536;
/** Bound on the comment header, which no player needs to be large. */
const MAX_TAGS_BYTES = 1 << 20;

export interface OpusHead {
  /** 1 for every stream RFC 7845 describes (upper nibble 0). */
  readonly version: number;
  readonly channels: number;
  /** Samples at 48 kHz to drop from the start of the decoded audio (the encoder's delay). */
  readonly preSkip: number;
  /** The rate the audio was encoded from; informative only, 0 when unknown. */
  readonly inputSampleRate: number;
  /** Output gain in Q7.8 dB. */
  readonly outputGain: number;
  readonly mappingFamily: number;
}

export function buildOpusHead(head: {
  channels: number;
  preSkip: number;
  inputSampleRate: number;
}): Uint8Array {
  const bytes = new Uint8Array(19);
  const view = new DataView(bytes.buffer);
  bytes.set(ascii("OpusHead"), 0);
  bytes[8] = 1; // version
  bytes[9] = head.channels;
  view.setUint16(10, head.preSkip, true);
  view.setUint32(12, head.inputSampleRate, true);
  view.setInt16(16, 0, true); // output gain
  bytes[18] = 0; // mapping family 0: mono or stereo, no channel table
  return bytes;
}

export function buildOpusTags(vendor: string, comments: readonly string[] = []): Uint8Array {
  const encoder = new TextEncoder();
  const vendorBytes = encoder.encode(vendor);
  const commentBytes = comments.map((comment) => encoder.encode(comment));
  const size = 8 + 4 + vendorBytes.length + 4 + commentBytes.reduce((sum, c) => sum + 4 + c.length, 0);
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  bytes.set(ascii("OpusTags"), 0);
  view.setUint32(8, vendorBytes.length, true);
  bytes.set(vendorBytes, 12);
  let at = 12 + vendorBytes.length;
  view.setUint32(at, commentBytes.length, true);
  at += 4;
  for (const comment of commentBytes) {
    view.setUint32(at, comment.length, true);
    bytes.set(comment, at + 4);
    at += 4 + comment.length;
  }
  return bytes;
}

export interface OggOpusStream {
  readonly head: OpusHead;
  readonly vendor: string;
  readonly comments: readonly string[];
  /** The audio packets, in order (the two header packets excluded). */
  readonly packets: readonly Uint8Array[];
  /** Granule position of the last page: pre-skip plus the playable samples, at 48 kHz. */
  readonly finalGranule: number;
  /** Playable length: (final granule - pre-skip) / 48000. */
  readonly durationSeconds: number;
  readonly pages: number;
}

/**
 * Parses and checks a whole Ogg Opus file: the Ogg framing (see `readOggStream`: capture patterns, CRCs, sequence,
 * BOS/EOS, lacing); `OpusHead` alone on the first page with granule 0, version 1, a channel count that agrees with
 * its mapping; `OpusTags` next, ending its page; every audio packet with a valid TOC; and granule positions that
 * equal the running sum of packet durations on every audio page but the last, where they may be lower (end
 * trimming) but never below the previous page's nor below pre-skip. Anything else is an `AudioInvalidError`.
 */
export function readOggOpus(bytes: Uint8Array): OggOpusStream {
  const invalid = (detail: string) => new AudioInvalidError("ogg-opus", detail);
  const { pages, packets } = readOggStream(bytes);
  const headPacket = packets[0];
  const tagsPacket = packets[1];
  if (headPacket === undefined || !startsWith(headPacket.data, "OpusHead"))
    throw invalid("no OpusHead packet");
  const head = parseHead(headPacket.data, invalid);
  const firstPage = pages[0]!;
  if (headPacket.page !== 0 || firstPage.packetsEnded !== 1 || firstPage.granule !== 0n) {
    throw invalid("the OpusHead page must hold only OpusHead, with granule position 0");
  }
  if (pages[1]?.continued) throw invalid("OpusHead must end on the first page");
  if (tagsPacket === undefined || !startsWith(tagsPacket.data, "OpusTags"))
    throw invalid("no OpusTags packet");
  const tagsPage = pages[tagsPacket.page]!;
  if (tagsPage.packetsEnded !== 1 || tagsPage.granule !== 0n || pages[tagsPacket.page + 1]?.continued) {
    throw invalid("the OpusTags packet must end its page, with granule position 0");
  }
  const { vendor, comments } = parseTags(tagsPacket.data, invalid);

  const audio = packets.slice(2);
  if (audio.length === 0) throw invalid("no audio packets");
  // Running sum of durations up to each page's last finished packet, checked against that page's granule.
  let samples = 0;
  let previousGranule = 0;
  let next = 0;
  const lastPageIndex = pages.length - 1;
  for (let index = tagsPacket.page + 1; index < pages.length; index++) {
    const page: OggPage = pages[index]!;
    while (next < audio.length && audio[next]!.page === index) {
      const packet = audio[next]!.data;
      if (packet.length > MAX_OPUS_PACKET_BYTES)
        throw invalid(`audio packet ${next} has ${packet.length} bytes`);
      const duration = opusPacketSamples48(packet);
      if (duration === undefined) throw invalid(`audio packet ${next} has no valid Opus TOC`);
      samples += duration;
      next++;
    }
    if (page.granule === NO_GRANULE) continue;
    const granule = Number(page.granule);
    if (!Number.isSafeInteger(granule) || granule < previousGranule) {
      throw invalid(`page ${index} has granule position ${page.granule}, before the previous page's`);
    }
    if (index !== lastPageIndex && granule !== samples) {
      throw invalid(`page ${index} has granule position ${granule} but its packets end at ${samples}`);
    }
    if (index === lastPageIndex && granule > samples) {
      throw invalid(`the last page has granule position ${granule} but its packets end at ${samples}`);
    }
    previousGranule = granule;
  }
  if (previousGranule < head.preSkip) {
    throw invalid(`the stream ends at granule ${previousGranule}, before its pre-skip of ${head.preSkip}`);
  }
  return {
    head,
    vendor,
    comments,
    packets: audio.map((packet) => packet.data),
    finalGranule: previousGranule,
    durationSeconds: (previousGranule - head.preSkip) / OPUS_GRANULE_RATE,
    pages: pages.length,
  };
}

export interface OggOpusInfo {
  readonly channels: number;
  readonly inputSampleRate: number;
  readonly durationSeconds: number;
  /** Number of audio packets. */
  readonly packets: number;
  readonly preSkip: number;
  readonly pages: number;
  readonly vendor: string;
}

/** A summary of a checked Ogg Opus file (see `readOggOpus` for what is checked). */
export function oggOpusInfo(bytes: Uint8Array): OggOpusInfo {
  const stream = readOggOpus(bytes);
  return {
    channels: stream.head.channels,
    inputSampleRate: stream.head.inputSampleRate,
    durationSeconds: stream.durationSeconds,
    packets: stream.packets.length,
    preSkip: stream.head.preSkip,
    pages: stream.pages,
    vendor: stream.vendor,
  };
}

function parseHead(data: Uint8Array, invalid: (detail: string) => AudioInvalidError): OpusHead {
  if (data.length < 19) throw invalid(`OpusHead has ${data.length} bytes, at least 19 are needed`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const version = data[8]!;
  // RFC 7845 §5.1: a decoder must accept any version whose upper nibble is 0.
  if (version === 0 || version > 15) throw invalid(`OpusHead version ${version}`);
  const channels = data[9]!;
  if (channels === 0) throw invalid("OpusHead says 0 channels");
  const mappingFamily = data[18]!;
  if (mappingFamily === 0) {
    if (channels > 2) throw invalid(`mapping family 0 with ${channels} channels`);
  } else if (data.length < 21 + channels) {
    throw invalid(`mapping family ${mappingFamily} without its channel table`);
  }
  return {
    version,
    channels,
    preSkip: view.getUint16(10, true),
    inputSampleRate: view.getUint32(12, true),
    outputGain: view.getInt16(16, true),
    mappingFamily,
  };
}

function parseTags(
  data: Uint8Array,
  invalid: (detail: string) => AudioInvalidError,
): { vendor: string; comments: string[] } {
  if (data.length > MAX_TAGS_BYTES) throw invalid(`OpusTags has ${data.length} bytes`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const decoder = new TextDecoder("utf-8", { fatal: false });
  let at = 8;
  const field = (what: string): string => {
    if (at + 4 > data.length) throw invalid(`OpusTags is cut short in ${what}`);
    const length = view.getUint32(at, true);
    if (at + 4 + length > data.length) throw invalid(`OpusTags is cut short in ${what}`);
    const text = decoder.decode(data.subarray(at + 4, at + 4 + length));
    at += 4 + length;
    return text;
  };
  const vendor = field("the vendor string");
  if (at + 4 > data.length) throw invalid("OpusTags has no comment count");
  const count = view.getUint32(at, true);
  at += 4;
  // Each comment takes at least its 4-byte length, so a count larger than that fits is a lie.
  if (count > (data.length - at) / 4) throw invalid(`OpusTags claims ${count} comments`);
  const comments: string[] = [];
  for (let i = 0; i < count; i++) comments.push(field(`comment ${i}`));
  return { vendor, comments };
}

function startsWith(data: Uint8Array, magic: string): boolean {
  return data.length >= magic.length && [...magic].every((char, i) => data[i] === char.charCodeAt(0));
}

function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (char) => char.charCodeAt(0));
}
