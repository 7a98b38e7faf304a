/** The trading domain's public surface: specs, mode, engine, DTC mapping, live position math. */
export * from './types';
export { BUILTIN_ROOTS, ContractSpecs, SpecError, builtinSpec, checkSpecOverride, isSpecError, loadSpecsFile, rootOf } from './specs';
export type { SpecOverride, SpecOverrides, SpecsFileResult } from './specs';
export { DEFAULT_SIM_PATTERN, modeOf } from './mode';
export { roundCents } from './money';
export { TradeEngine, excursionsAt, initialRisk, tradeIdFor } from './engine';
export { KEY_SEP, contractKey, fillKey } from './keys';
export { FILL_BOUNDS, checkFill, sanePrice } from './fillBounds';
export { assumedRisk, assumedStopTicks } from './assumedR';
export type { AssumedStopSettings } from './assumedR';
export type { FillProblem, FillProblemCode } from './fillBounds';
export type { EngineCounters, FillOutcome, MissingFillFlag, ServerPositionObservation, WorkingOrderObservation, WorkingOrderType, WorkingOrdersView } from './engine';
export { BuySellEnum, OrderStatusEnum, OrderTypeEnum, OrderUpdateReasonEnum, WORKING_ORDER_STATUSES } from './dtcEnums';
export {
  balanceFromUpdate, fillFromHistoricalFill, fillFromOrderUpdate, isDtcProblem, serverPositionFromUpdate, specFromSecurityDefinition,
  workingOrderFromOrderUpdate,
} from './fromDtc';
export type { AccountBalance, DtcMessage, DtcProblem, SecurityDefinition } from './fromDtc';
export { equityOf, livePosition } from './livePosition';
export type { LivePosition, LivePositionInput } from './livePosition';
