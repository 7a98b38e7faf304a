/**
 * `db check --deep` and the extension's Check Database: trades are derived data, so they are
 * rebuilt from the stored fills with the engine (the same replay as an import rebuild) and every
 * stored trade that differs is named; the SIM ledger's pnl events are checked against the trades
 * the same way. Commissions of fills without a source fee come from today's contract specs.
 */
import type { CheckItem } from '../appApi';
import type { TradeStore } from '../store/types';
import type { Fill, SimBalanceEvent, Trade } from '../trading/types';
import { contractKey } from '../trading/keys';
import { replayPartition, type ReplayOptions } from '../import/rebuild';

const money = (n: number) => n.toFixed(2);
const FIELDS: [keyof Trade, string, (v: unknown) => string, number][] = [
  ['qty', 'qty', String, 1e-9],
  ['side', 'side', String, 0],
  ['entryTime', 'entry time', (v) => new Date(Number(v)).toISOString(), 0],
  ['exitTime', 'exit time', (v) => new Date(Number(v)).toISOString(), 0],
  ['avgEntryPrice', 'entry price', String, 1e-6],
  ['avgExitPrice', 'exit price', String, 1e-6],
  ['grossPnl', 'gross', (v) => money(Number(v)), 0.005],
  ['commissions', 'commissions', (v) => money(Number(v)), 0.005],
  ['netPnl', 'net', (v) => money(Number(v)), 0.005],
];

function differences(stored: Trade, rebuilt: Trade): string[] {
  const out: string[] = [];
  for (const [key, label, show, tol] of FIELDS) {
    const a = stored[key];
    const b = rebuilt[key];
    const same = typeof a === 'number' && typeof b === 'number' ? Math.abs(a - b) <= tol : a === b;
    if (!same) out.push(`${label} ${show(a)} stored, ${show(b)} rebuilt`);
  }
  return out;
}

/** Every trade that differs from a replay of the stored fills, in words (empty: all match). */
export async function tradesAgainstFills(store: TradeStore, opts: ReplayOptions): Promise<{ trades: number; fills: number; problems: string[] }> {
  const fills = await store.storedFills();
  const stored = await store.trades();
  const byPartition = new Map<string, { account: string; symbol: string; fills: Fill[] }>();
  for (const f of fills) {
    const k = contractKey(f.account, f.symbol);
    let e = byPartition.get(k);
    if (!e) byPartition.set(k, (e = { account: f.account, symbol: f.symbol, fills: [] }));
    e.fills.push(f);
  }
  const rebuilt = new Map<string, Trade>();
  for (const p of byPartition.values()) for (const t of replayPartition(p, p.fills, opts).trades) rebuilt.set(t.id, t);
  const problems: string[] = [];
  for (const t of stored) {
    const r = rebuilt.get(t.id);
    if (!r) {
      problems.push(`${t.id} (${t.account} ${t.symbol}): stored, but its fills do not make this trade`);
      continue;
    }
    const diff = differences(t, r);
    if (diff.length) problems.push(`${t.id} (${t.account} ${t.symbol}): ${diff.join(', ')}`);
    rebuilt.delete(t.id);
  }
  for (const r of rebuilt.values()) problems.push(`${r.id} (${r.account} ${r.symbol}): its fills make this trade (net ${money(r.netPnl)}), but it is not stored`);
  return { trades: stored.length, fills: fills.length, problems };
}

/** Every SIM trade has its pnl event with the trade's net P&L, and every pnl event its trade. */
export function ledgerAgainstTrades(trades: Trade[], events: SimBalanceEvent[]): string[] {
  const problems: string[] = [];
  const pnl = new Map(events.filter((e) => e.kind === 'pnl').map((e) => [e.tradeId ?? e.id, e]));
  for (const t of trades) {
    if (t.mode !== 'SIM') continue;
    const e = pnl.get(t.id);
    if (!e) problems.push(`${t.account}: trade ${t.id} (net ${money(t.netPnl)}) has no pnl event in the SIM ledger`);
    else if (Math.abs(e.amount - t.netPnl) >= 0.005) problems.push(`${t.account}: the ledger's pnl event for ${t.id} says ${money(e.amount)}, the trade says ${money(t.netPnl)}`);
    pnl.delete(t.id);
  }
  for (const e of pnl.values()) problems.push(`${e.account}: pnl event ${e.id} (${money(e.amount)}) has no stored trade`);
  return problems;
}

export async function deepCheckItems(store: TradeStore, opts: ReplayOptions): Promise<CheckItem[]> {
  const items: CheckItem[] = [];
  try {
    const r = await tradesAgainstFills(store, opts);
    items.push(r.problems.length === 0
      ? { name: 'trades vs fills (deep)', ok: true, detail: `${r.trades} stored trade(s) match a replay of the ${r.fills} stored fill(s)` }
      : { name: 'trades vs fills (deep)', ok: false, detail: `${r.problems.length} trade(s) differ from a replay of their fills (commissions from today's contract specs): ${r.problems.join('; ')}` });
  } catch (err) {
    items.push({ name: 'trades vs fills (deep)', ok: false, detail: (err as Error).message });
  }
  try {
    const problems = ledgerAgainstTrades(await store.trades(), await store.simEvents());
    items.push(problems.length === 0
      ? { name: 'SIM ledger vs trades (deep)', ok: true, detail: 'every SIM trade has its pnl event with the same net P&L' }
      : { name: 'SIM ledger vs trades (deep)', ok: false, detail: `${problems.length} difference(s): ${problems.join('; ')}` });
  } catch (err) {
    items.push({ name: 'SIM ledger vs trades (deep)', ok: false, detail: (err as Error).message });
  }
  return items;
}
