/**
 * Ogg framing (RFC 3533), codec-agnostic: packets in, pages out, and back. The Opus mapping on top of it lives in
 * ogg-opus.ts.
 */
import { AudioInvalidArgumentError, AudioInvalidError } from "./errors.js";

const CAPTURE = [0x4f, 0x67, 0x67, 0x53]; // "OggS"
const HEADER_BYTES = 27;
const MAX_SEGMENTS = 255;
/** Header type flags (RFC 3533 §6). */
const CONTINUED = 0x01;
const BOS = 0x02;
const EOS = 0x04;
/** The granule position of a page on which no packet ends. */
export const NO_GRANULE = -1n;
/**
 * Default body size after which a page is closed between packets: libogg's own choice, a page small enough to lose
 * little when one is damaged, large enough that headers cost under 1%.
 */
export const DEFAULT_PAGE_BODY_BYTES = 4096;

/** CRC-32 of the Ogg spec: polynomial 0x04C11DB7, MSB first, initial value 0, no final xor (not zlib's CRC-32). */
const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let bit = 0; bit < 8; bit++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    table[i] = r >>> 0;
  }
  return table;
})();

export function oggCrc32(bytes: Uint8Array, crc = 0): number {
  let r = crc;
  for (let i = 0; i < bytes.length; i++) r = (r << 8) ^ CRC_TABLE[((r >>> 24) ^ bytes[i]!) & 0xff]!;
  return r >>> 0;
}

export interface OggWriterOptions {
  /** The logical stream's serial number (any 32-bit value). */
  serial: number;
  /** Close a page between packets once its body has this many bytes. Default `DEFAULT_PAGE_BODY_BYTES` (4096). */
  pageBodyBytes?: number;
}

export interface OggPacketOptions {
  /** Close the page after this packet, so the next packet starts a page (Ogg Opus needs it for its headers). */
  flush?: boolean;
  /** This is the stream's last packet: its page is closed with the end-of-stream flag. */
  last?: boolean;
}

/**
 * Builds one logical Ogg stream page by page as packets come, so an encoder can hand over packets without keeping
 * them. A packet longer than a page holds (255 lacing values, 65,025 bytes) continues on the next page with the
 * continued flag set, and only the page on which a packet ends carries a granule position.
 */
export class OggWriter {
  readonly #serial: number;
  readonly #pageBodyBytes: number;
  readonly #pages: Uint8Array[] = [];
  #sequence = 0;
  #finished = false;
  // The open page.
  #lacing: number[] = [];
  #body: Uint8Array[] = [];
  #bodyBytes = 0;
  #granule = NO_GRANULE;
  #continued = false;

  constructor(options: OggWriterOptions) {
    if (!Number.isInteger(options.serial) || options.serial < 0 || options.serial > 0xffffffff) {
      throw new AudioInvalidArgumentError(`serial must be a 32-bit unsigned integer, got ${options.serial}.`);
    }
    const pageBodyBytes = options.pageBodyBytes ?? DEFAULT_PAGE_BODY_BYTES;
    if (!Number.isInteger(pageBodyBytes) || pageBodyBytes < 1) {
      throw new AudioInvalidArgumentError(`pageBodyBytes must be a positive integer, got ${pageBodyBytes}.`);
    }
    this.#serial = options.serial;
    this.#pageBodyBytes = pageBodyBytes;
  }

  /**
   * Adds a packet. `granule` is the codec's granule position once this packet is decoded (for Opus: 48 kHz samples
   * up to its end); it must not go backwards.
   */
  packet(data: Uint8Array, granule: number | bigint, options: OggPacketOptions = {}): void {
    if (this.#finished)
      throw new AudioInvalidArgumentError("The Ogg stream already ended with its last packet.");
    const position = BigInt(granule);
    if (position < 0n) throw new AudioInvalidArgumentError(`granule must not be negative, got ${granule}.`);
    if (this.#lacing.length > 0 && this.#bodyBytes >= this.#pageBodyBytes) this.#closePage(false);
    let offset = 0;
    // floor(n / 255) values of 255, then the remainder (0 when n is a multiple of 255) that ends the packet.
    for (;;) {
      if (this.#lacing.length === MAX_SEGMENTS) {
        this.#closePage(false);
        // Only a packet that already put bytes on the closed page goes on as a continuation.
        this.#continued = offset > 0;
      }
      const length = Math.min(255, data.length - offset);
      this.#lacing.push(length);
      if (length > 0) this.#body.push(data.subarray(offset, offset + length));
      this.#bodyBytes += length;
      offset += length;
      if (length < 255) break;
    }
    this.#granule = position;
    if (options.last === true) {
      this.#closePage(true);
      this.#finished = true;
    } else if (options.flush === true) {
      this.#closePage(false);
    }
  }

  /** The whole stream. The last packet must have been added with `last: true`. */
  finish(): Uint8Array {
    if (!this.#finished)
      throw new AudioInvalidArgumentError("Add the last packet with { last: true } first.");
    return concat(this.#pages);
  }

  #closePage(eos: boolean): void {
    const segments = this.#lacing.length;
    const page = new Uint8Array(HEADER_BYTES + segments + this.#bodyBytes);
    const view = new DataView(page.buffer);
    page.set(CAPTURE, 0);
    page[4] = 0; // stream structure version
    page[5] = (this.#continued ? CONTINUED : 0) | (this.#sequence === 0 ? BOS : 0) | (eos ? EOS : 0);
    view.setBigInt64(6, this.#granule, true);
    view.setUint32(14, this.#serial, true);
    view.setUint32(18, this.#sequence, true);
    page[26] = segments;
    page.set(this.#lacing, HEADER_BYTES);
    let at = HEADER_BYTES + segments;
    for (const part of this.#body) {
      page.set(part, at);
      at += part.length;
    }
    view.setUint32(22, oggCrc32(page), true);
    this.#pages.push(page);
    this.#sequence++;
    this.#lacing = [];
    this.#body = [];
    this.#bodyBytes = 0;
    this.#granule = NO_GRANULE;
    this.#continued = false;
  }
}

export interface OggPage {
  /** Byte offset of the page in the stream. */
  readonly offset: number;
  readonly continued: boolean;
  readonly bos: boolean;
  readonly eos: boolean;
  /** `NO_GRANULE` (-1n) when no packet ends on the page. */
  readonly granule: bigint;
  readonly serial: number;
  readonly sequence: number;
  /** Number of packets that end on this page. */
  readonly packetsEnded: number;
}

export interface OggPacket {
  readonly data: Uint8Array;
  /** Index in `pages` of the page on which the packet ends. */
  readonly page: number;
}

export interface OggStream {
  readonly pages: readonly OggPage[];
  readonly packets: readonly OggPacket[];
}

/**
 * Parses one whole logical Ogg stream and checks its framing strictly, as a validator should: every page starts with
 * the capture pattern and has a correct CRC, version 0, a single serial number, consecutive sequence numbers, BOS on
 * the first page only, EOS on the last only, continued flags that match the lacing, a granule position of -1 exactly
 * on the pages where no packet ends, and nothing after the last page. Multiplexed or chained streams are refused:
 * a voice note has one. Packets are returned as copies only when they span pages; otherwise as views of `bytes`.
 */
export function readOggStream(bytes: Uint8Array): OggStream {
  const invalid = (detail: string) => new AudioInvalidError("ogg-opus", detail);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const pages: OggPage[] = [];
  const packets: OggPacket[] = [];
  let pending: Uint8Array[] = [];
  let pendingOpen = false;
  let offset = 0;
  while (offset < bytes.length) {
    const index = pages.length;
    if (pages[index - 1]?.eos) throw invalid(`${bytes.length - offset} bytes after the end-of-stream page`);
    if (offset + HEADER_BYTES > bytes.length) throw invalid(`page ${index} is cut short in its header`);
    if (!CAPTURE.every((byte, i) => bytes[offset + i] === byte)) {
      throw invalid(`no OggS capture pattern at byte ${offset} (page ${index})`);
    }
    if (bytes[offset + 4] !== 0)
      throw invalid(`page ${index} has stream structure version ${bytes[offset + 4]}`);
    const flags = bytes[offset + 5]!;
    if ((flags & ~(CONTINUED | BOS | EOS)) !== 0)
      throw invalid(`page ${index} has unknown header flags ${flags}`);
    const segments = bytes[offset + 26]!;
    const lacingAt = offset + HEADER_BYTES;
    if (lacingAt + segments > bytes.length) throw invalid(`page ${index} is cut short in its segment table`);
    let bodyBytes = 0;
    for (let i = 0; i < segments; i++) bodyBytes += bytes[lacingAt + i]!;
    const end = lacingAt + segments + bodyBytes;
    if (end > bytes.length) throw invalid(`page ${index} is cut short in its body`);
    const stored = view.getUint32(offset + 22, true);
    const page = bytes.subarray(offset, end);
    // The CRC covers the page with its own field read as zero: hash around it instead of copying the page.
    let crc = oggCrc32(page.subarray(0, 22));
    crc = oggCrc32(new Uint8Array(4), crc);
    crc = oggCrc32(page.subarray(26), crc);
    if (crc !== stored) throw invalid(`page ${index} has a wrong CRC`);

    const serial = view.getUint32(offset + 14, true);
    const sequence = view.getUint32(offset + 18, true);
    const granule = view.getBigInt64(offset + 6, true);
    const continued = (flags & CONTINUED) !== 0;
    const bos = (flags & BOS) !== 0;
    const eos = (flags & EOS) !== 0;
    const previous = pages[index - 1];
    if (bos !== (index === 0))
      throw invalid(bos ? `page ${index} is a second beginning of stream` : "no BOS page");
    if (previous !== undefined) {
      if (serial !== previous.serial) throw invalid(`page ${index} belongs to another logical stream`);
      if (sequence !== (previous.sequence + 1) >>> 0) throw invalid(`page ${index} is out of sequence`);
    }
    if (continued !== pendingOpen) {
      throw invalid(
        continued ? `page ${index} continues a packet that was not begun` : `page ${index} drops a packet`,
      );
    }

    let packetsEnded = 0;
    let at = lacingAt + segments;
    for (let i = 0; i < segments; i++) {
      const length = bytes[lacingAt + i]!;
      pending.push(bytes.subarray(at, at + length));
      at += length;
      if (length < 255) {
        packets.push({ data: pending.length === 1 ? pending[0]! : concat(pending), page: index });
        pending = [];
        packetsEnded++;
      }
    }
    pendingOpen = pending.length > 0;
    if ((packetsEnded === 0) !== (granule === NO_GRANULE)) {
      throw invalid(
        packetsEnded === 0
          ? `page ${index} ends no packet but has a granule position`
          : `page ${index} ends a packet but has no granule position`,
      );
    }
    pages.push({ offset, continued, bos, eos, granule, serial, sequence, packetsEnded });
    offset = end;
  }
  const last = pages.at(-1);
  if (last === undefined) throw invalid("no pages");
  if (!last.eos) throw invalid("the last page has no end-of-stream flag (a cut file?)");
  if (pendingOpen) throw invalid("the last packet is not finished");
  return { pages, packets };
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
