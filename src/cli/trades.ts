/** `appsierra trades` and `appsierra export` (docs/CLI.md). */
import * as fs from 'fs';
import { allowFlags, CliError, CommandHandler, EXIT, flag, hasFlag, oneOf, parseArgs } from './args';
import { booleanOptions, optionNames } from './help';
import { openCliStore, parseIsoFlag, readStore, storeUrlFrom } from './storeArg';
import { exportTrades, tradeToJson } from '../core/export';
import type { Mode } from '../core/trading/types';
import { formatMoney } from '../shared/format';
import { TradeIndex } from '../core/reports';
import { subsetFilter, SUBSET_FLAGS } from './journal';

export const tradesCommand: CommandHandler = async (argv, io) => {
  const args = parseArgs(argv, booleanOptions('trades'));
  allowFlags(args, optionNames('trades'), 'trades');
  const subset = subsetFilter((n) => flag(args, n));
  const mode = flag(args, 'mode') ? oneOf<Mode>(flag(args, 'mode'), ['SIM', 'LIVE'], 'mode') : undefined;
  const fromMs = parseIsoFlag(args, 'from');
  const toMs = parseIsoFlag(args, 'to');
  const url = storeUrlFrom(args);
  const store = await openCliStore(url, { readOnly: true, partial: hasFlag(args, 'partial') });
  try {
    const [trades, tags] = await readStore(store, url, io, 'trades', async () => [await store.trades({ mode, account: flag(args, 'account'), fromMs, toMs }), await store.tradeTags()] as const);
    // The journal's filter (symbol, side, tag) over what the store query narrowed, in exit order.
    const index = new TradeIndex();
    index.load(trades, tags);
    const listed = index.select({ mode, account: flag(args, 'account'), fromMs, toMs, ...subset });
    if (hasFlag(args, 'json')) {
      io.stdout.write(JSON.stringify(listed.map(({ trade, tags }) => { const { root: _root, ...rest } = tradeToJson(trade, tags); return rest; })) + '\n');
      return EXIT.OK;
    }
    const rows = listed.map(({ trade: t, tags }) => [new Date(t.exitTime).toISOString().replace('T', ' ').slice(0, 19), t.account, t.mode, t.symbol, t.side, String(t.qty), String(t.avgEntryPrice), String(t.avgExitPrice), formatMoney(t.netPnl, true), tags.join(', ')]);
    io.stdout.write(table(['exit (UTC)', 'account', 'mode', 'symbol', 'side', 'qty', 'entry', 'exit', 'net', 'tags'], rows).replace(/ +$/gm, '') + `${listed.length} trade(s)\n`);
    return EXIT.OK;
  } finally {
    await store.close();
  }
};

export const exportCommand: CommandHandler = async (argv, io) => {
  const args = parseArgs(argv, booleanOptions('export'));
  allowFlags(args, optionNames('export'), 'export');
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

/** An aligned table; columns from `rightFrom` on are right-aligned (numbers). */
export function table(header: string[], rows: string[][], rightFrom = 5): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i >= rightFrom ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n') + '\n';
}
