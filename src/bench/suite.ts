/** The performance suite behind `npm run bench`: each area adds a suite; results print as tables. */
export interface BenchTable {
  title: string;
  columns: string[];
  rows: (string | number)[][];
  /** What the numbers are measured against (targets, the original app's published figures). */
  note?: string;
}

export interface BenchOptions {
  trades?: number;
  /** The suite was named in --only (a long suite runs only then). */
  named?: boolean;
}

export interface BenchSuite {
  name: string;
  run(opts: BenchOptions): Promise<BenchTable[]>;
}


/** A logger that says nothing: the benches time the app, not its log. */
export const QUIET_LOG = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

export function formatTables(tables: BenchTable[]): string {
  return tables
    .map((t) => {
      const cells = [t.columns, ...t.rows.map((r) => r.map((c) => (typeof c === 'number' ? formatNumber(c) : c)))];
      const widths = t.columns.map((_, i) => Math.max(...cells.map((r) => String(r[i] ?? '').length)));
      const line = (r: (string | number)[]) => '| ' + r.map((c, i) => String(c ?? '').padEnd(widths[i])).join(' | ') + ' |';
      const sep = '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|';
      return [`## ${t.title}`, line(cells[0]), sep, ...cells.slice(1).map(line), t.note ? `\n${t.note}` : ''].join('\n');
    })
    .join('\n\n') + '\n';
}

function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString('en-US');
  if (Math.abs(n) >= 1) return n.toFixed(2);
  return n.toPrecision(3);
}
