/**
 * The grid in the `appsierra stats` contract forms (CLI.md): JSON with exactly the contract keys
 * in order (null where undefined, profitFactor "Infinity" when infinite), and an aligned table.
 */
import { formatDuration, formatMoney, formatPercent, formatRatio, formatSigned } from '../../shared/format';
import { GRID_KEYS, metricDef, MetricKind } from './metrics';
import type { StatsGrid } from './types';

export type GridJson = Record<keyof StatsGrid, number | string | null>;

/** Plain JSON values: finite numbers, null, and "Infinity" for an infinite profit factor. */
export function gridToJsonObject(grid: StatsGrid): GridJson {
  const out = {} as GridJson;
  for (const key of GRID_KEYS) {
    const v = grid[key] as number | null;
    out[key] = v === null || Number.isNaN(v) ? null : v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : v;
  }
  return out;
}

/** The one-line JSON object `appsierra stats --json` prints. */
export function gridToJson(grid: StatsGrid): string {
  return JSON.stringify(gridToJsonObject(grid));
}

/** A metric value in words, the way the UI shows it. */
export function formatMetric(kind: MetricKind, v: number | null): string {
  switch (kind) {
    case 'money':
      return formatMoney(v);
    case 'percent':
      return formatPercent(v);
    case 'ratio':
      return formatRatio(v);
    case 'r':
      return v === null ? '—' : `${formatRatio(v)}R`;
    case 'duration':
      return formatDuration(v);
    case 'signed':
      return v === null ? '—' : formatSigned(v);
    default:
      return v === null ? '—' : String(v);
  }
}

/** Label / value lines, aligned; coverage shown as "n of N" next to Avg R and MAE/MFE. */
export function gridToTable(grid: StatsGrid): string {
  const rows: [string, string][] = GRID_KEYS.map((key) => {
    const def = metricDef(key);
    let text = formatMetric(def.kind, grid[key] as number | null);
    if (key === 'avgR') text += `  (${grid.rCoverage} of ${grid.trades})`;
    if (key === 'avgMae' || key === 'avgMfe') text += `  (${grid.maeCoverage} of ${grid.trades})`;
    return [def.label, text];
  });
  const width = Math.max(...rows.map(([l]) => l.length));
  return rows.map(([l, v]) => `${l.padEnd(width)}  ${v}`).join('\n') + '\n';
}
