// The Ogg framing on its own: any packets round-trip through our writer and our strict page parser, and the parser
// reads libogg's pages (ffmpeg's voice note) and refuses every damaged byte.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type AudioError, isAudioError, OggWriter, oggCrc32, readOggStream } from "../../src/audio/index.js";
import { fixture } from "./signals.js";

function failure(run: () => unknown): AudioError {
  try {
    run();
  } catch (err) {
    if (isAudioError(err)) return err;
    throw err;
  }
  throw new Error("expected an AudioError");
}

function packetOf(size: number, seed: number): Uint8Array {
  const data = new Uint8Array(size);
  for (let i = 0; i < size; i++) data[i] = (seed * 31 + i * 7) & 0xff;
  return data;
}

/** Byte equality through Buffer: vitest's deep equality walks a 100 KB typed array element by element. */
function same(a: Uint8Array | undefined, b: Uint8Array): boolean {
  return (
    a !== undefined &&
    Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length))
  );
}

function write(
  packets: readonly Uint8Array[],
  options: { pageBodyBytes?: number; flush?: readonly boolean[] } = {},
): Uint8Array {
  const writer = new OggWriter({ serial: 0x1234abcd, pageBodyBytes: options.pageBodyBytes });
  let granule = 0;
  packets.forEach((packet, i) => {
    granule += packet.length;
    writer.packet(packet, granule, { last: i === packets.length - 1, flush: options.flush?.[i] ?? false });
  });
  return writer.finish();
}

/** Raw fields of the page at `offset`, read without our parser. */
function rawPage(bytes: Uint8Array, offset: number) {
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset);
  const segments = bytes[offset + 26]!;
  const lacing = Array.from(bytes.subarray(offset + 27, offset + 27 + segments));
  return {
    flags: bytes[offset + 5]!,
    granule: view.getBigInt64(6, true),
    sequence: view.getUint32(18, true),
    lacing,
    length: 27 + segments + lacing.reduce((a, b) => a + b, 0),
  };
}

describe("Ogg pages (RFC 3533)", () => {
  it("reads libogg's pages: ffmpeg's voice note has valid CRCs and framing by our parser", () => {
    const stream = readOggStream(fixture("input-voice.ogg"));
    expect(stream.pages.length).toBeGreaterThan(2);
    expect(stream.pages[0]).toMatchObject({ bos: true, granule: 0n });
    expect(stream.pages.at(-1)?.eos).toBe(true);
  });

  it("computes the Ogg CRC (not zlib's): a page's stored CRC is the CRC of the page with that field zeroed", () => {
    const bytes = fixture("input-voice.ogg");
    const first = bytes.slice(0, rawPage(bytes, 0).length);
    const stored = new DataView(first.buffer).getUint32(22, true);
    first.fill(0, 22, 26);
    expect(oggCrc32(first)).toBe(stored);
    expect(oggCrc32(new Uint8Array(0))).toBe(0);
  });

  it("laces a 255*255-byte packet as 255 values of 255 and a 0 on a continued second page", () => {
    const big = packetOf(255 * 255, 1);
    const bytes = write([big]);
    const first = rawPage(bytes, 0);
    expect(first.lacing).toEqual(new Array(255).fill(255));
    expect(first.granule).toBe(-1n); // no packet ends on it
    expect(first.flags).toBe(0x02);
    const second = rawPage(bytes, first.length);
    expect(second).toMatchObject({
      lacing: [0],
      flags: 0x01 | 0x04,
      granule: BigInt(big.length),
      sequence: 1,
    });
    expect(same(readOggStream(bytes).packets[0]?.data, big)).toBe(true);
  });

  it("a packet that ends exactly at a page's 255th segment leaves the next packet uncontinued", () => {
    // 254 * 255 + 10 bytes: 255 lacing values, the last one (10) ends the packet on a full page.
    const bytes = write([packetOf(254 * 255 + 10, 2), packetOf(3, 3)]);
    const first = rawPage(bytes, 0);
    expect(first.lacing.length).toBe(255);
    expect(rawPage(bytes, first.length).flags & 0x01).toBe(0);
    expect(readOggStream(bytes).packets.map((p) => p.data.length)).toEqual([254 * 255 + 10, 3]);
  });

  it("property: any packet sizes, flushes and page sizes round-trip, with consistent page fields", () => {
    const size = fc.oneof(
      { weight: 8, arbitrary: fc.integer({ min: 0, max: 600 }) },
      { weight: 2, arbitrary: fc.constantFrom(254, 255, 256, 509, 510, 511, 65_024, 65_025, 65_026) },
      { weight: 1, arbitrary: fc.integer({ min: 65_000, max: 140_000 }) },
    );
    fc.assert(
      fc.property(
        fc.array(fc.record({ size, flush: fc.boolean() }), { minLength: 1, maxLength: 30 }),
        fc.constantFrom(1, 100, 4096, 70_000),
        (specs, pageBodyBytes) => {
          const packets = specs.map((spec, i) => packetOf(spec.size, i));
          const flush = specs.map((spec) => spec.flush);
          const bytes = write(packets, { pageBodyBytes, flush });
          const stream = readOggStream(bytes);

          expect(stream.packets.length).toBe(packets.length);
          stream.packets.forEach((packet, i) => {
            expect(same(packet.data, packets[i]!), `packet ${i}`).toBe(true);
          });
          // Each page's granule is that of the last packet ending on it; -1 where none ends.
          let granule = 0;
          const lastGranuleOnPage = new Map<number, number>();
          stream.packets.forEach((packet, i) => {
            granule += packets[i]!.length;
            lastGranuleOnPage.set(packet.page, granule);
          });
          stream.pages.forEach((page, index) => {
            expect(page.sequence).toBe(index);
            expect(page.granule).toBe(BigInt(lastGranuleOnPage.get(index) ?? -1));
            expect(rawPage(bytes, page.offset).length).toBeLessThanOrEqual(27 + 255 + 255 * 255);
          });
          // A flushed packet is the last thing on its page.
          flush.forEach((flushed, i) => {
            if (!flushed || i === packets.length - 1) return;
            const page = stream.packets[i]!.page;
            expect(stream.packets[i + 1]!.page).toBeGreaterThan(page);
            expect(stream.pages[page + 1]!.continued).toBe(false);
          });
          // A page is closed between packets once it holds pageBodyBytes: no packet starts on a page that full.
          stream.pages.forEach((page) => {
            let body = 0;
            let startsHere = !page.continued;
            for (const value of rawPage(bytes, page.offset).lacing) {
              if (startsHere && body > 0) expect(body).toBeLessThan(pageBodyBytes);
              body += value;
              startsHere = value < 255;
            }
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  describe("refuses a damaged stream with AUDIO_INVALID", () => {
    const packets = [packetOf(40, 1), packetOf(300, 2), packetOf(10, 3), packetOf(700, 4)];
    const good = write(packets, { flush: [true, false, true, false] });

    it("any single byte changed, anywhere", () => {
      expect(readOggStream(good).packets.length).toBe(4);
      for (let at = 0; at < good.length; at++) {
        const bad = good.slice();
        bad[at]! ^= 0x20;
        expect(failure(() => readOggStream(bad)).code, `byte ${at}`).toBe("AUDIO_INVALID");
      }
    });

    it("cut at any byte", () => {
      for (let cut = 0; cut < good.length; cut++) {
        expect(failure(() => readOggStream(good.subarray(0, cut))).code, `cut at ${cut}`).toBe(
          "AUDIO_INVALID",
        );
      }
    });

    it("a second stream after the first, or garbage after the end", () => {
      const chained = new Uint8Array(good.length * 2);
      chained.set(good, 0);
      chained.set(good, good.length);
      expect(failure(() => readOggStream(chained)).message).toContain("after the end-of-stream page");
      const trailing = new Uint8Array(good.length + 3);
      trailing.set(good, 0);
      expect(failure(() => readOggStream(trailing)).code).toBe("AUDIO_INVALID");
    });

    it("a page missing from the middle", () => {
      const firstLength = rawPage(good, 0).length;
      const secondLength = rawPage(good, firstLength).length;
      const gap = new Uint8Array(good.length - secondLength);
      gap.set(good.subarray(0, firstLength), 0);
      gap.set(good.subarray(firstLength + secondLength), firstLength);
      expect(failure(() => readOggStream(gap)).message).toContain("out of sequence");
    });
  });

  it("the writer refuses what would make a broken stream", () => {
    const writer = new OggWriter({ serial: 1 });
    expect(failure(() => writer.packet(new Uint8Array(1), -1)).code).toBe("AUDIO_INVALID_ARGUMENT");
    expect(failure(() => writer.finish()).code).toBe("AUDIO_INVALID_ARGUMENT");
    writer.packet(new Uint8Array(1), 1, { last: true });
    expect(failure(() => writer.packet(new Uint8Array(1), 2)).code).toBe("AUDIO_INVALID_ARGUMENT");
    expect(failure(() => new OggWriter({ serial: 2 ** 32 })).code).toBe("AUDIO_INVALID_ARGUMENT");
  });
});
