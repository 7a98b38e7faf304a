/** The DTC layer's public surface: message table, codecs, framer, client and simulator. */
export { MessageType, Encoding } from './messageTypes';
export { MESSAGE_DEFS, SENTINELS, getMessageDef, getMessageDefByName, messageName, fieldAlignment } from './messages';
export type { FieldDef, FieldType, MessageDef, TimeUnit } from './messages';
export {
  DtcCodecError, decodeBinary, decodeBinaryAt, defaultMessage, encodeBinary, encodeMessage, fromJsonObject, normalizeTimes,
  parseDtcJsonLine, parseDtcJsonText, timeFieldToMs, toDtcJson,
} from './codec';
export type { DtcMessage, WireEncoding } from './codec';
export { DtcDecoder, MAX_FRAME_BYTES, detectEncoding } from './framer';
export type { DecoderCounters, DecoderEncoding, DtcDecoderOptions, DtcFrameError } from './framer';
export { SERVER_TEXT_MAX_CHARS, sanitizeServerText } from './serverText';
export { DtcClient } from './client';
export type { DtcClientCounters, DtcClientOptions, DtcLogger } from './client';
export type { ConnectionState } from './state';
export { DtcSimulator } from './simulator';
export type { DtcSimulatorOptions } from './simulator';
export { SIM_CONTRACTS, contractFor } from './simBook';
export type { SimContract } from './simBook';
export { BUILT_IN_SCENARIOS, loadScenarioFile } from './scenarios';
