/** Trade history import: parsers per format, detection, and the import run over a store. */
export * from './types';
export { detectFormat, parseAs, readHead, EXPECTED_ANY, HEAD_BYTES } from './detect';
export type { Detected } from './detect';
export { parseSierraText, looksScaled, parseWallTime, timeZoneRequired } from './sierraText';
export { parseSierraData, scDateTimeMs, isSierraDataHeader } from './sierraData';
export { parseAppsierraCsv, parseAppsierraJson } from './appsierraExport';
export { checkTimeZone, zonedToUtc } from './timeZone';
export { readLines } from './lines';
export { runImport, planImport, undoImport, sha256File, DEFAULT_CHUNK_FILLS, ImportCancelled } from './run';
export { DEFAULT_TOLERANCE_MS } from './fillIndex';
export type { ImportRunOptions, ImportSummary, ImportProgress, UndoSummary, ImportFileSummary } from './run';
export { rebuildPartitions, replayPartition, RebuildCancelled } from './rebuild';
export type { RebuildSummary, ReplayOptions, Partition } from './rebuild';
