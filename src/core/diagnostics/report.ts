/**
 * The persistence report (`monitor report`, "APPSIERRA: Persistence Report"): one look across the
 * layers — SIM balance mirror file, trade store, computed stats, outbox backlog — ending in a
 * consistency verdict: for every SIM account, ledger balance == start + realized net P&L of the
 * stored trades since the last reset, and the mirror file agrees with the ledger.
 */
import type { TradeStore } from '../store/types';
import type { Trade } from '../trading/types';
import { StoreReadError } from '../store/fsErrors';
import type { SimBalanceLedger, SimBalanceMirror } from '../sim';
import { computeGrid } from '../stats';
import { roundCents } from '../trading';
import { formatMoney } from '../../shared/format';import { riskEventLine } from '../risk/guard';


export interface ReportInput {
  store: TradeStore;
  ledger: SimBalanceLedger;
  mirror: SimBalanceMirror;
  pendingCommits: number;
  counters?: object;
  /** Why the store could not be read whole (PostgreSQL down): the verdict is then UNVERIFIED. */
  unreadable?: string;
  startingBalance: number;
  nowMs: number;
}

export interface ReportResult {
  text: string;
  consistent: boolean;
  /** Stable fingerprint of the numbers, so `watch` reprints only on change. */
  fingerprint: string;
}

export async function buildPersistenceReport(input: ReportInput): Promise<ReportResult> {
  const { store, ledger, mirror } = input;
  const lines: string[] = [];
  const problems: string[] = [];
  const health = await store.health();
  let unreadable = input.unreadable;
  let trades: Trade[] = [];
  let openPositions = 0;
  if (!unreadable) {
    try {
      trades = await store.trades();
      openPositions = (await store.openPositions()).length;
    } catch (err) {
      if (!(err instanceof StoreReadError)) throw err;
      unreadable = err.message;
    }
  }
  const sim = trades.filter((t) => t.mode === 'SIM');
  const live = trades.filter((t) => t.mode === 'LIVE');

  lines.push('# APPSIERRA persistence report', '');
  lines.push(`Generated ${new Date(input.nowMs).toISOString()}`, '');
  lines.push('## Trade store', '');
  lines.push(`- Store: ${health.store} (${health.kind}, state ${health.state})`);
  lines.push(`- Schema version: ${health.schemaVersion ?? 'unknown'}`);
  lines.push(`- Health: ${health.ok ? 'ok' : 'NOT OK'} — ${health.detail}`);
  if (unreadable) lines.push(`- Cannot see the whole store: ${unreadable}`);
  else {
    lines.push(`- Closed trades: ${trades.length} (SIM ${sim.length}, LIVE ${live.length})`);
    lines.push(`- Open positions: ${openPositions}`);
  }
  lines.push(`- Outbox backlog: ${health.outboxPending}${health.outboxPending ? ' (PostgreSQL unreachable; will sync when it is back)' : ''}`);
  lines.push(`- Commits waiting in memory: ${input.pendingCommits}`);
  if (health.lockHolder) lines.push(`- Writer lock: ${health.lockHolder}`);
  if (health.recovery) lines.push(`- Recovery: ${health.recovery}`);
  if (!health.ok) problems.push(`the store is not healthy: ${health.detail}`);
  if (input.pendingCommits > 0) problems.push(`${input.pendingCommits} commit(s) are not saved yet`);
  if (unreadable) {
    const text = lines.concat('', '## Verdict', '', `**UNVERIFIED** — the layers cannot be compared without the whole store (${unreadable.replace(/\.$/, '')}); fix that and run the report again.`, '');
    return { text: text.join('\n'), consistent: false, fingerprint: JSON.stringify(['unreadable', unreadable, health.outboxPending, health.state]) };
  }

  lines.push('', '## Computed stats (ALL)', '');
  for (const [mode, list] of [['SIM', sim], ['LIVE', live]] as const) {
    const g = computeGrid(list);
    lines.push(`- ${mode}: ${g.trades} trades, total ${formatMoney(g.totalPnl, true)}, commissions ${formatMoney(g.commissions)}, max drawdown ${formatMoney(g.maxDrawdown)}`);
  }

  lines.push('', '## SIM balance', '');
  const accounts = [...new Set([...ledger.accounts(), ...sim.map((t) => t.account)])].sort();
  if (accounts.length === 0) lines.push('- No SIM account yet.');
  for (const account of accounts) {
    const balance = ledger.balance(account);
    const lastReset = ledger.lastReset(account);
    const base = ledger.history(account).filter((e) => e.event.kind !== 'pnl').at(-1);
    const start = base ? base.event.amount : input.startingBalance;
    const since = sim.filter((t) => t.account === account && (lastReset === null || t.exitTime >= lastReset));
    const realized = roundCents(since.reduce((s, t) => s + t.netPnl, 0));
    const expected = roundCents(start + realized);
    const ok = Math.abs(expected - balance) < 0.005;
    lines.push(`- ${account}: ledger ${formatMoney(balance)}; start ${formatMoney(start)} + realized ${formatMoney(realized, true)} over ${since.length} trades since ${lastReset ? new Date(lastReset).toISOString() : 'the start'} = ${formatMoney(expected)} — ${ok ? 'consistent' : 'MISMATCH'}`);
    if (!ok) problems.push(`${account}: ledger ${formatMoney(balance)} but trades say ${formatMoney(expected)}`);
  }
  const mirrorIssues = mirror.compare(ledger);
  const mirrorState = mirrorIssues.length ? mirrorIssues.join('; ') : mirror.read().ok ? 'matches the ledger' : 'not written yet (no SIM account yet)';
  lines.push(`- sim_balance.json: ${mirrorState}`);
  problems.push(...mirrorIssues.map((m) => `sim_balance.json: ${m}`));

  // The risk guard's breaches, a day each (issue 15): what the trader was told, kept as events.
  const riskEvents = (await input.store.riskEvents?.().catch(() => null)) ?? null;
  if (riskEvents) {
    lines.push('', '## Risk events', '');
    if (!riskEvents.length) lines.push('- No limit breached.');
    for (const e of riskEvents.slice(-20)) lines.push(`- ${riskEventLine(e)}`);
    if (riskEvents.length > 20) lines.push(`- … and ${riskEvents.length - 20} earlier (\`appsierra risk status\` lists a day's)`);
  }

  if (input.counters) {
    lines.push('', '## Pipeline counters', '');
    for (const [k, v] of Object.entries(input.counters)) lines.push(`- ${k}: ${v}`);
  }

  const consistent = problems.length === 0;
  lines.push('', '## Verdict', '', consistent ? '**CONSISTENT** — every layer agrees.' : `**INCONSISTENT** — ${problems.map((p) => p.replace(/\.$/, '')).join('; ')}.`, '');
  const fingerprint = JSON.stringify([trades.length, health.outboxPending, health.state, input.pendingCommits, accounts.map((a) => ledger.balance(a)), mirrorIssues]);
  return { text: lines.join('\n'), consistent, fingerprint };
}

export async function persistenceReport(input: ReportInput): Promise<string> {
  return (await buildPersistenceReport(input)).text;
}
