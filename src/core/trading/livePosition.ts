/** The live position panel's figures (TRADING-MATH.md §6), from an open position and its context. */
import { excursionsAt, initialRisk } from './engine';
import { roundCents } from './money';
import { isSpecError, type SpecError } from './specs';
import type { ContractSpec, OpenPosition, OpenPositionView } from './types';

export interface LivePositionInput {
  position: OpenPosition;
  /** The resolved spec, or why there is none (then every money figure is null). */
  spec: ContractSpec | SpecError | null;
  /** Market price when a stream is available. */
  mark?: number | null;
  /** POSITION_UPDATE.OpenProfitLoss, used when there is no mark. */
  serverOpenPnl?: number | null;
  /** Current working stop / target (TradeEngine.workingOrders). */
  stop?: number | null;
  target?: number | null;
  nowMs: number;
}

export interface LivePosition extends OpenPositionView {
  timeInTradeMs: number;
  /** |VWAP entry - initial stop| x opened qty x point value; null without a usable initial stop. */
  initialRisk: number | null;
}

export function livePosition(input: LivePositionInput): LivePosition {
  const p = input.position;
  const abs = Math.abs(p.qty);
  const dir = Math.sign(p.qty);
  const mark = typeof input.mark === 'number' && Number.isFinite(input.mark) ? input.mark : null;
  const stop = typeof input.stop === 'number' && Number.isFinite(input.stop) ? input.stop : null;
  const target = typeof input.target === 'number' && Number.isFinite(input.target) ? input.target : null;
  const specError = p.specError ?? (isSpecError(input.spec) ? input.spec.message : input.spec === null ? `No contract spec for ${p.symbol}.` : null);
  const base = {
    symbol: p.symbol,
    side: p.side,
    qty: abs,
    avgPrice: p.avgPrice,
    markPrice: mark,
    entryTime: p.entryTime,
    timeInTradeMs: Math.max(0, input.nowMs - p.entryTime),
    stop,
    target,
  };
  if (specError !== null || input.spec === null || isSpecError(input.spec)) {
    return { ...base, openPnl: null, heat: null, initialRisk: null, liveR: null, mae: null, mfe: null, specError: specError ?? 'No contract spec.' };
  }
  const pv = input.spec.pointValue;
  const serverPnl = typeof input.serverOpenPnl === 'number' && Number.isFinite(input.serverOpenPnl) ? input.serverOpenPnl : null;
  const openPnl = mark !== null ? roundCents((mark - p.avgPrice) * dir * abs * pv) : serverPnl;
  const heat = stop === null ? null : roundCents(Math.max(0, (p.avgPrice - stop) * dir * abs * pv));
  const vwapEntry = p.entryNotional / p.openedQty;
  const risk = initialRisk(p.side, vwapEntry, p.initialStop, p.openedQty, pv);
  const ex = excursionsAt(p, pv, vwapEntry);
  // The current open P&L is one more observation of the excursion so far.
  const mae = openPnl === null ? ex.mae : roundCents(Math.min(0, ex.mae ?? 0, openPnl));
  const mfe = openPnl === null ? ex.mfe : roundCents(Math.max(0, ex.mfe ?? 0, openPnl));
  return {
    ...base,
    openPnl,
    heat,
    initialRisk: risk === null ? null : roundCents(risk),
    liveR: risk === null || openPnl === null ? null : Math.round((openPnl / risk) * 1e4) / 1e4,
    mae,
    mfe,
    specError: null,
  };
}

/** Equity = balance + open P&L (§6); null when the balance is unknown. */
export function equityOf(balance: number | null, openPnl: number | null): number | null {
  return balance === null ? null : roundCents(balance + (openPnl ?? 0));
}
