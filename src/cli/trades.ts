/** `appsierra trades` and `appsierra export` (shared/design/CLI.md). */
import * as fs from 'fs';
import { allowFlags, CliError, CommandHandler, EXIT, flag, hasFlag, oneOf, parseArgs } from './args';
import { openCliStore, parseIsoFlag, readStore, storeUrlFrom } from './storeArg';
import { exportTrades, tradeToJson } from '../core/export';
import type { Mode } from '../core/trading/types';
import { formatMoney } from '../shared/format';

export const tradesCommand: CommandHandler = async (argv, io) => {
  const args = parseArgs(argv, ['json', 'partial']);
  allowFlags(args, ['store', 'mode', 'account', 'from', 'to', 'json', 'partial'], 'trades');
  const mode = flag(args, 'mode') ? oneOf<Mode>(flag(args, 'mode'), ['SIM', 'LIVE'], 'mode') : undefined;
  const fromMs = parseIsoFlag(args, 'from');
  const toMs = parseIsoFlag(args, 'to');
  const url = storeUrlFrom(args);
  const store = await openCliStore(url, { readOnly: true, partial: hasFlag(args, 'partial') });
  try {
    const trades = await readStore(store, url, io, 'trades', () => store.trades({ mode, account: flag(args, 'account'), fromMs, toMs }));
    trades.sort((a, b) => a.exitTime - b.exitTime || a.id.localeCompare(b.id));
    if (hasFlag(args, 'json')) {
      io.stdout.write(JSON.stringify(trades.map((t) => { const { root: _root, ...rest } = tradeToJson(t); return rest; })) + '\n');
      return EXIT.OK;
    }
    const rows = trades.map((t) => [new Date(t.exitTime).toISOString().replace('T', ' ').slice(0, 19), t.account, t.mode, t.symbol, t.side, String(t.qty), String(t.avgEntryPrice), String(t.avgExitPrice), formatMoney(t.netPnl, true)]);
    io.stdout.write(table(['exit (UTC)', 'account', 'mode', 'symbol', 'side', 'qty', 'entry', 'exit', 'net'], rows) + `${trades.length} trade(s)\n`);
    return EXIT.OK;
  } finally {
    await store.close();
  }
};

export const exportCommand: CommandHandler = async (argv, io) => {
  const args = parseArgs(argv, ['partial']);
  allowFlags(args, ['store', 'format', 'mode', 'out', 'partial'], 'export');
  const format = oneOf(flag(args, 'format'), ['csv', 'json'] as const, 'format');
  const mode = flag(args, 'mode') ? oneOf<Mode>(flag(args, 'mode'), ['SIM', 'LIVE'], 'mode') : undefined;
  const url = storeUrlFrom(args);
  const store = await openCliStore(url, { readOnly: true, partial: hasFlag(args, 'partial') });
  try {
    const text = await readStore(store, url, io, 'export', async () => exportTrades(await store.trades(mode ? { mode } : undefined), format, await store.tradeTags()));
    const out = flag(args, 'out');
    if (out) {
      try {
        fs.writeFileSync(out, text);
      } catch (e) {
        throw new CliError(`could not write ${out}: ${(e as Error).message}; pick a writable path`, EXIT.RUNTIME);
      }
    } else io.stdout.write(text);
    return EXIT.OK;
  } finally {
    await store.close();
  }
};

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i >= 5 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n') + '\n';
}
