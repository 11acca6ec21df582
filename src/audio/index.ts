export * from "./errors.js";
export {
  DEFAULT_MAX_JOINED_SECONDS,
  DEFAULT_PAUSE_SECONDS,
  type JoinedAudio,
  type JoinOptions,
  joinClips,
} from "./join.js";
export {
  DEFAULT_PAGE_BODY_BYTES,
  NO_GRANULE,
  type OggPacket,
  type OggPacketOptions,
  type OggPage,
  type OggStream,
  OggWriter,
  type OggWriterOptions,
  oggCrc32,
  readOggStream,
} from "./ogg.js";
export {
  buildOpusHead,
  buildOpusTags,
  type OggOpusInfo,
  type OggOpusStream,
  OPUS_GRANULE_RATE,
  type OpusHead,
  oggOpusInfo,
  readOggOpus,
} from "./ogg-opus.js";
export {
  OPUS_SAMPLE_RATES,
  OpusDecoder,
  OpusEncoder,
  type OpusEncoderOptions,
  opusPacketSamples48,
} from "./opus.js";
export { durationOf, type Pcm } from "./pcm.js";
export {
  DEFAULT_VOICE_BITRATE,
  DEFAULT_VOICE_COMPLEXITY,
  type DecodeOggOpusOptions,
  decodeOggOpus,
  type EncodeVoiceOptions,
  encodeVoice,
  VOICE_VENDOR,
  type VoiceNote,
} from "./voice.js";
export { DEFAULT_MAX_WAV_DATA_BYTES, type ParseWavOptions, parseWav, type WavAudio } from "./wav.js";
