/**
 * Contract specs (TRADING-MATH.md §1): the one built-in table, symbol -> root parsing, and the
 * resolver that layers user overrides > server SECURITY_DEFINITION_RESPONSE > built-in.
 * An unknown root is a SpecError value, never a silent default multiplier.
 */
import * as fs from 'fs';
import type { ContractSpec } from './types';

/** Per-root spec as the settings / `--specs FILE` JSON give it. */
export type SpecOverride = Pick<ContractSpec, 'tickSize' | 'pointValue' | 'roundTurnFee'>;
export type SpecOverrides = Record<string, SpecOverride>;

type Row = readonly [tickSize: number, pointValue: number, roundTurnFee: number];

/**
 * Tick size, money per 1.0 of price, and a typical retail all-in round-turn fee (exchange +
 * clearing + NFA + broker). Fees vary by broker: users set theirs with appsierra.contractSpecs.
 */
const BUILTIN: Readonly<Record<string, Row>> = {
  // CME equity index
  ES: [0.25, 50, 4.5],
  MES: [0.25, 5, 1.24],
  NQ: [0.25, 20, 4.5],
  MNQ: [0.25, 2, 1.24],
  YM: [1, 5, 4.5],
  MYM: [1, 0.5, 1.24],
  RTY: [0.1, 50, 4.5],
  M2K: [0.1, 5, 1.24],
  EMD: [0.1, 100, 4.5],
  NKD: [5, 5, 4.5],
  // Energy
  CL: [0.01, 1000, 4.8],
  MCL: [0.01, 100, 1.5],
  QM: [0.025, 500, 3.2],
  NG: [0.001, 10000, 4.8],
  QG: [0.005, 2500, 2.4],
  RB: [0.0001, 42000, 4.8],
  HO: [0.0001, 42000, 4.8],
  // Metals
  GC: [0.1, 100, 4.8],
  MGC: [0.1, 10, 1.5],
  SI: [0.005, 5000, 4.8],
  SIL: [0.005, 1000, 2.4],
  HG: [0.0005, 25000, 4.8],
  MHG: [0.0005, 2500, 1.5],
  PL: [0.1, 50, 4.8],
  // Interest rates (ticks: 1/32, half 1/32, quarter 1/32, eighth 1/32)
  ZB: [0.03125, 1000, 3.6],
  UB: [0.03125, 1000, 3.7],
  ZN: [0.015625, 1000, 3.4],
  TN: [0.015625, 1000, 3.4],
  ZF: [0.0078125, 1000, 3.2],
  ZT: [0.00390625, 2000, 3.2],
  // FX
  '6E': [0.00005, 125000, 4.6],
  M6E: [0.0001, 12500, 1.2],
  '6J': [0.0000005, 12500000, 4.6],
  '6B': [0.0001, 62500, 4.6],
  M6B: [0.0001, 6250, 1.2],
  '6A': [0.00005, 100000, 4.6],
  M6A: [0.0001, 10000, 1.2],
  '6C': [0.00005, 100000, 4.6],
  '6S': [0.00005, 125000, 4.6],
  '6N': [0.00005, 100000, 4.6],
  '6M': [0.00001, 500000, 4.6],
  // Grains and livestock
  ZC: [0.25, 50, 5.2],
  ZS: [0.25, 50, 5.2],
  ZW: [0.25, 50, 5.2],
  ZL: [0.01, 600, 5.2],
  ZM: [0.1, 100, 5.2],
  LE: [0.025, 400, 5.2],
  HE: [0.025, 400, 5.2],
  GF: [0.025, 500, 5.2],
  // Crypto and volatility
  BTC: [5, 5, 12],
  MBT: [5, 0.1, 5],
  ETH: [0.5, 50, 8],
  MET: [0.5, 0.1, 0.8],
  VX: [0.05, 1000, 4.6],
  VXM: [0.05, 100, 1.5],
};

/** Roots of the built-in table (for docs and tests). */
export const BUILTIN_ROOTS: readonly string[] = Object.keys(BUILTIN);

export function builtinSpec(root: string): ContractSpec | null {
  const r = BUILTIN[root.toUpperCase()];
  return r ? { root: root.toUpperCase(), tickSize: r[0], pointValue: r[1], roundTurnFee: r[2], source: 'builtin' } : null;
}

const MONTH_CODES = 'FGHJKMNQUVXZ';
// root + month code + 1, 2 or 4 digit year, e.g. ESZ5, ESZ25, ESZ2025, 6EZ5, M2KH26.
const DATED = new RegExp(`^([A-Z0-9]{1,6}?)[${MONTH_CODES}](\\d{1,2}|\\d{4})$`);
// NinjaTrader-style `ES 12-25`.
const NT_STYLE = /^([A-Z0-9]{1,6}) \d{2}-\d{2}$/;
const BARE = /^[A-Z0-9]{1,6}$/;

/**
 * The contract root of a symbol, e.g. `ESZ5`, `ESZ25`, `MESZ5.CME`, `F.US.MESZ25`,
 * `ESZ2025-CME`, `MNQH26`, `6EZ5` -> `ES`/`MES`/`MNQ`/`6E`; null when nothing root-like is found.
 * `extraRoots` (overrides, server definitions) join the built-in roots for the prefix fallback,
 * where the longest known root wins so that `MES…` never reads as `ES`.
 */
export function rootOf(symbol: string, extraRoots: Iterable<string> = []): string | null {
  if (typeof symbol !== 'string') return null;
  const s = symbol.trim().toUpperCase();
  if (s === '') return null;
  const nt = NT_STYLE.exec(s);
  if (nt) return nt[1];
  // Dotted forms: CQG `F.US.MESZ25` (prefix) or `MESZ5.CME` (exchange suffix); take the dated part.
  const dotted = s.split('.').map((part) => part.split(/[-_ ]/)[0]);
  for (const part of dotted.slice().reverse()) {
    const m = DATED.exec(part);
    if (m) return m[1];
  }
  const body = dotted.find((p) => p.length > 0) ?? '';
  const known = [...BUILTIN_ROOTS, ...[...extraRoots].map((r) => r.toUpperCase())].sort((a, b) => b.length - a.length);
  for (const part of dotted) {
    const hit = known.find((r) => part.startsWith(r));
    if (hit) return hit;
  }
  return BARE.test(body) ? body : null;
}

/** Why a symbol has no spec: names the symbol and both ways to add one. */
export class SpecError {
  readonly kind = 'spec-error' as const;
  constructor(
    readonly symbol: string,
    readonly root: string | null,
    readonly message: string,
  ) {}
}

export function isSpecError(v: unknown): v is SpecError {
  return v instanceof SpecError;
}

function unknownSpec(symbol: string, root: string | null): SpecError {
  const key = root ?? 'ROOT';
  const what = root ? `contract root ${root} (symbol ${symbol})` : `symbol ${JSON.stringify(symbol)} (no contract root could be read from it)`;
  return new SpecError(
    symbol,
    root,
    `No contract spec for ${what}: P&L for it is blocked. Add one with the setting appsierra.contractSpecs ` +
      `(e.g. {"${key}": {"tickSize": 0.25, "pointValue": 5, "roundTurnFee": 1.24}}) or the CLI option --specs FILE with the same JSON.`,
  );
}

/** Spec resolution with sources strongest first: user overrides, server definitions, built-in. */
export class ContractSpecs {
  private overrides = new Map<string, SpecOverride>();
  /** Server definitions by full symbol, and by root as a fallback for other months. */
  private serverBySymbol = new Map<string, ContractSpec>();
  private serverByRoot = new Map<string, ContractSpec>();
  /** Roots already read from symbols (every fill resolves its symbol); cleared when the known roots change. */
  private roots = new Map<string, string | null>();

  constructor(overrides: SpecOverrides = {}) {
    this.setOverrides(overrides);
  }

  /** Replaces all user overrides (settings changed, or `--specs FILE` loaded). */
  setOverrides(overrides: SpecOverrides): void {
    this.overrides.clear();
    this.roots.clear();
    for (const [root, o] of Object.entries(overrides)) this.overrides.set(root.toUpperCase(), { tickSize: o.tickSize, pointValue: o.pointValue, roundTurnFee: o.roundTurnFee ?? 0 });
  }

  /**
   * Records a SECURITY_DEFINITION_RESPONSE. pointValue = CurrencyValuePerIncrement /
   * MinPriceIncrement. The fee comes from the built-in row for the root when there is one (the
   * server does not send fees), else 0. Returns a message when the values are unusable.
   */
  setServerDefinition(symbol: string, minPriceIncrement: number, currencyValuePerIncrement: number): string | null {
    const root = this.rootOf(symbol);
    if (!root) return `Security definition for ${JSON.stringify(symbol)} ignored: no contract root could be read from the symbol.`;
    if (!(minPriceIncrement > 0 && Number.isFinite(minPriceIncrement)) || !(currencyValuePerIncrement > 0 && Number.isFinite(currencyValuePerIncrement))) {
      return `Security definition for ${symbol} ignored: MinPriceIncrement (${minPriceIncrement}) and CurrencyValuePerIncrement (${currencyValuePerIncrement}) must both be positive.`;
    }
    // Division noise (12.5 / 0.00005) is trimmed to 10 significant digits.
    const pointValue = Number((currencyValuePerIncrement / minPriceIncrement).toPrecision(10));
    const spec: ContractSpec = { root, tickSize: minPriceIncrement, pointValue, roundTurnFee: builtinSpec(root)?.roundTurnFee ?? 0, source: 'server' };
    this.serverBySymbol.set(symbol.trim().toUpperCase(), spec);
    this.serverByRoot.set(root, spec);
    this.roots.clear();
    return null;
  }

  /** Root of a symbol, knowing override and server roots too. */
  rootOf(symbol: string): string | null {
    if (typeof symbol !== 'string') return null;
    let root = this.roots.get(symbol);
    if (root === undefined) {
      root = rootOf(symbol, [...this.overrides.keys(), ...this.serverByRoot.keys()]);
      if (this.roots.size >= 10_000) this.roots.clear();
      this.roots.set(symbol, root);
    }
    return root;
  }

  resolve(symbol: string): ContractSpec | SpecError {
    const root = this.rootOf(symbol);
    if (!root) return unknownSpec(String(symbol), null);
    const o = this.overrides.get(root);
    if (o) return { root, tickSize: o.tickSize, pointValue: o.pointValue, roundTurnFee: o.roundTurnFee, source: 'override' };
    const s = this.serverBySymbol.get(symbol.trim().toUpperCase()) ?? this.serverByRoot.get(root);
    if (s) return { ...s };
    return builtinSpec(root) ?? unknownSpec(symbol, root);
  }
}

/** Checks one override entry; returns a message or null. */
export function checkSpecOverride(root: string, v: unknown): string | null {
  if (!/^[A-Z0-9]{1,6}$/i.test(root)) return `"${root}" is not a contract root (1 to 6 letters/digits, e.g. MES).`;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return `${root} must be an object like {"tickSize": 0.25, "pointValue": 5, "roundTurnFee": 1.24}.`;
  const o = v as Record<string, unknown>;
  for (const k of ['tickSize', 'pointValue'] as const) {
    if (typeof o[k] !== 'number' || !Number.isFinite(o[k]) || (o[k] as number) <= 0) return `${root}.${k} must be a number greater than 0 (got ${JSON.stringify(o[k])}).`;
  }
  if (o.roundTurnFee !== undefined && (typeof o.roundTurnFee !== 'number' || !Number.isFinite(o.roundTurnFee) || o.roundTurnFee < 0)) {
    return `${root}.roundTurnFee must be a number 0 or more (got ${JSON.stringify(o.roundTurnFee)}).`;
  }
  return null;
}

export interface SpecsFileResult {
  /** Valid entries, roots upper-cased; a missing roundTurnFee is 0 (as in the setting). */
  overrides: SpecOverrides;
  /** One message per problem, naming the file and the fix; empty when the file is fully valid. */
  problems: string[];
}

/** Reads a `--specs FILE` JSON (`{"MES": {"tickSize":0.25,"pointValue":5,"roundTurnFee":1.24}}`). */
export function loadSpecsFile(path: string): SpecsFileResult {
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { overrides: {}, problems: [`Cannot read specs file ${path} (${code ?? String(e)}): check the path given to --specs.`] };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { overrides: {}, problems: [`Specs file ${path} is not valid JSON (${(e as Error).message}). Expected {"MES": {"tickSize": 0.25, "pointValue": 5, "roundTurnFee": 1.24}}.`] };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { overrides: {}, problems: [`Specs file ${path} must hold one JSON object keyed by root, e.g. {"MES": {"tickSize": 0.25, "pointValue": 5, "roundTurnFee": 1.24}}.`] };
  }
  const overrides: SpecOverrides = {};
  const problems: string[] = [];
  for (const [root, v] of Object.entries(json as Record<string, unknown>)) {
    const why = checkSpecOverride(root, v);
    if (why) {
      problems.push(`Specs file ${path}: ${why} That entry is ignored.`);
      continue;
    }
    const o = v as Record<string, number>;
    overrides[root.toUpperCase()] = { tickSize: o.tickSize, pointValue: o.pointValue, roundTurnFee: o.roundTurnFee ?? 0 };
  }
  return { overrides, problems };
}
