/**
 * The selection every view shows (mode, account, timeframe), owned by the shell and remembered
 * per workspace (workspaceState). Webviews only ask to change it; the host is its one source of
 * truth, so a reloaded page gets it back in its first snapshot. No 'vscode' import: the memento
 * is passed in (unit-testable).
 */
import { TIMEFRAMES, type Timeframe } from '../core/stats/types';
import type { Mode } from '../core/trading/types';
import { DEFAULT_SELECTION, type Selection } from '../core/viewModels';

export const SELECTION_KEY = 'appsierra.selection';
const MAX_ACCOUNT_LENGTH = 64;

/** The part of vscode.Memento this needs. */
export interface SelectionMemento {
  get(key: string): unknown;
  update(key: string, value: unknown): Thenable<void>;
}

/** What it asks the core: the accounts it may pick, with their modes. */
export interface AccountSource {
  accounts(): { account: string; mode: Mode }[];
}

export class SelectionState {
  private value: Selection;
  private readonly listeners = new Set<(s: Selection) => void>();

  constructor(
    private readonly memento: SelectionMemento,
    private readonly source: AccountSource,
  ) {
    this.value = parseSelection(memento.get(SELECTION_KEY));
  }

  get current(): Selection {
    return { ...this.value };
  }

  onDidChange(listener: (s: Selection) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  setTimeframe(timeframe: Timeframe): void {
    this.set({ ...this.value, timeframe });
  }

  /** Another mode: an account of the other mode no longer applies (all accounts of the new mode). */
  setMode(mode: Mode): void {
    if (mode === this.value.mode) return;
    this.set({ ...this.value, mode, account: null });
  }

  /** One known account (its mode follows), or null for all accounts of the current mode. */
  setAccount(account: string | null): void {
    if (account === null) return this.set({ ...this.value, account: null });
    const known = this.source.accounts().find((a) => a.account === account);
    if (!known) return;
    this.set({ ...this.value, account, mode: known.mode });
  }

  private set(next: Selection): void {
    if (next.mode === this.value.mode && next.account === this.value.account && next.timeframe === this.value.timeframe) return;
    this.value = next;
    void Promise.resolve(this.memento.update(SELECTION_KEY, next)).catch(() => undefined);
    for (const l of this.listeners) l(this.current);
  }
}

/** A stored selection, checked field by field (an old or hand-edited value falls back per field). */
export function parseSelection(raw: unknown): Selection {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const mode: Mode = r.mode === 'LIVE' || r.mode === 'SIM' ? r.mode : DEFAULT_SELECTION.mode;
  const timeframe = typeof r.timeframe === 'string' && (TIMEFRAMES as readonly string[]).includes(r.timeframe) ? (r.timeframe as Timeframe) : DEFAULT_SELECTION.timeframe;
  const account = typeof r.account === 'string' && r.account.length > 0 && r.account.length <= MAX_ACCOUNT_LENGTH ? r.account : null;
  return { mode, account, timeframe };
}
