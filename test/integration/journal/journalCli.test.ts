/** The journal's CLI commands end to end over real stores: stats --by, tag, trades filters, journal day. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runInProcess } from '../../fixtures/inProcessCli';
import { closedTradeUnit } from '../../fixtures/tradeUnit';
import { SqliteStore } from '../../../src/core/store/sqlite';
import { PgStore } from '../../../src/core/store/postgres';
import type { TradeStore } from '../../../src/core/store/types';
import type { Trade } from '../../../src/core/trading/types';
import { GRID_KEYS } from '../../../src/core/stats/metrics';
import { WEEK } from '../../unit/reports/fixture';
import { dropSchema, PG_URL, pgUnavailable, uniqueSchema } from '../store/pgTestEnv';

const unitOf = closedTradeUnit;

const run = (argv: string[]) => runInProcess(argv);

async function fill(store: TradeStore): Promise<void> {
  for (const t of WEEK) assert.strictEqual(await store.commit(unitOf(t)), true);
}

const NOW = '2025-01-10T12:00:00Z';

describe('journal CLI: stats --by, tag, trades filters, journal day (real SQLite store)', () => {
  let dir: string;
  let url: string;
  let home: string | undefined;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'appsierra-journal-cli-'));
    home = process.env.APPSIERRA_HOME;
    process.env.APPSIERRA_HOME = dir;
    url = `sqlite:${path.join(dir, 'appsierra.db')}`;
    const store = new SqliteStore(path.join(dir, 'appsierra.db'));
    await store.open();
    await fill(store);
    await store.close();
  });
  after(() => {
    if (home === undefined) delete process.env.APPSIERRA_HOME;
    else process.env.APPSIERRA_HOME = home;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('tag add|remove stores tags, prints them, and refuses an unknown trade or a bad tag', async () => {
    let r = await run(['tag', 'add', 'A', 'breakout', '--store', url, '--json']);
    assert.strictEqual(r.code, 0, r.err);
    assert.deepStrictEqual(JSON.parse(r.out), { id: 'A', tags: ['breakout'] });
    for (const [id, ...tags] of [['B', 'fade'], ['C', 'breakout', 'fomo', 'oops'], ['E', '  breakout '], ['F', 'fade']]) {
      r = await run(['tag', 'add', id, ...tags, '--store', url]);
      assert.strictEqual(r.code, 0, r.err);
    }
    r = await run(['tag', 'remove', 'C', 'oops', '--store', url]);
    assert.deepStrictEqual([r.code, r.out], [0, 'C: breakout, fomo\n']);
    r = await run(['tag', 'add', 'NOPE', 'x', '--store', url]);
    assert.strictEqual(r.code, 1);
    assert.match(r.err, /no trade with id 'NOPE'.*appsierra trades --json/);
    r = await run(['tag', 'add', 'A', 'a;b', '--store', url]);
    assert.strictEqual(r.code, 1);
    assert.match(r.err, /contains ';'/);
    r = await run(['tag', 'rename', 'A', 'x', '--store', url]);
    assert.strictEqual(r.code, 1);
  });

  it('trades --tag --symbol --side filter, and every trade carries its tags', async () => {
    let r = await run(['trades', '--store', url, '--tag', 'breakout', '--json']);
    assert.strictEqual(r.code, 0, r.err);
    assert.deepStrictEqual(JSON.parse(r.out).map((t: { id: string; tags: string[] }) => [t.id, t.tags]), [['A', ['breakout']], ['C', ['breakout', 'fomo']], ['E', ['breakout']]]);
    r = await run(['trades', '--store', url, '--symbol', 'MESZ5', '--side', 'SHORT', '--json']);
    assert.deepStrictEqual(JSON.parse(r.out).map((t: { id: string }) => t.id), ['B', 'F']);
    r = await run(['trades', '--store', url, '--mode', 'SIM', '--tag', '(untagged)', '--json']);
    assert.deepStrictEqual(JSON.parse(r.out).map((t: { id: string }) => t.id), ['D', 'H']);
    r = await run(['trades', '--store', url, '--tag', 'fade']);
    assert.match(r.out, /tags\n/);
    assert.match(r.out, /2 trade\(s\)\n$/);
    r = await run(['trades', '--store', url, '--side', 'UP']);
    assert.strictEqual(r.code, 1);
    assert.match(r.err, /--side must be one of LONG, SHORT/);
  });

  it('stats --by K --json: one row per group, each exactly the stats --json shape for that subset', async () => {
    const base = ['--store', url, '--mode', 'SIM', '--now', NOW, '--json'];
    const keys: Record<string, string[]> = {
      symbol: ['MESZ5', 'MNQZ5'], side: ['LONG', 'SHORT'], hour: ['08', '09', '10', '13', '17'], weekday: ['Mon', 'Tue', 'Thu'],
      duration: ['<1m', '1m-5m', '15m-1h', '1h-4h', '>=4h'], tag: ['breakout', 'fade', 'fomo', '(untagged)'],
    };
    for (const [by, expected] of Object.entries(keys)) {
      const r = await run(['stats', '--by', by, ...base]);
      assert.strictEqual(r.code, 0, r.err);
      const rows = JSON.parse(r.out) as { key: string; stats: Record<string, unknown> }[];
      assert.deepStrictEqual(rows.map((x) => x.key), expected, by);
      for (const row of rows) assert.deepStrictEqual(Object.keys(row.stats), [...GRID_KEYS], `${by} ${row.key}`);
    }
    // A row equals `stats` restricted to that subset (here: the filters stats and trades share).
    const bySymbol = JSON.parse((await run(['stats', '--by', 'symbol', ...base])).out) as { key: string; stats: Record<string, unknown> }[];
    for (const row of bySymbol) {
      const one = await run(['stats', '--symbol', row.key, ...base]);
      assert.deepStrictEqual(JSON.parse(one.out), row.stats);
    }
    assert.deepStrictEqual([bySymbol[0].stats.trades, bySymbol[0].stats.totalPnl, bySymbol[0].stats.hitRate], [4, 5, 0.5]);
    const byTag = JSON.parse((await run(['stats', '--by', 'tag', ...base])).out) as { key: string; stats: Record<string, unknown> }[];
    assert.deepStrictEqual(byTag.map((x) => [x.key, x.stats.trades, x.stats.totalPnl]), [['breakout', 3, 8.76], ['fade', 2, -5], ['fomo', 1, -1.24], ['(untagged)', 2, 90]]);
    // Same --account and --tf filters as stats: the whole set equals plain `stats --json`.
    const whole = await run(['stats', '--store', url, '--mode', 'SIM', '--account', 'Sim1', '--tf', '1W', '--now', NOW, '--json']);
    const bySide = JSON.parse((await run(['stats', '--by', 'side', '--store', url, '--mode', 'SIM', '--account', 'Sim1', '--tf', '1W', '--now', NOW, '--json'])).out);
    assert.strictEqual(bySide.reduce((n: number, x: { stats: { trades: number } }) => n + x.stats.trades, 0), JSON.parse(whole.out).trades);
    // And each row under those filters is `stats --json` of its subset under the same filters, field for field.
    const narrowed = ['--store', url, '--mode', 'SIM', '--account', 'Sim1', '--tf', '1W', '--now', NOW, '--json'];
    const bySymbolNarrowed = JSON.parse((await run(['stats', '--by', 'symbol', ...narrowed])).out) as { key: string; stats: Record<string, unknown> }[];
    assert.ok(bySymbolNarrowed.length > 0, 'no group under --account Sim1 --tf 1W');
    for (const row of bySymbolNarrowed) assert.deepStrictEqual(row.stats, JSON.parse((await run(['stats', '--symbol', row.key, ...narrowed])).out), `Sim1 1W ${row.key}`);
    const table = await run(['stats', '--by', 'weekday', '--store', url, '--mode', 'SIM', '--now', NOW]);
    assert.match(table.out, /^weekday\s+Trades\s+Total PnL\s+Hit Rate/);
    assert.match(table.out, /Tue\s+3\s+\$80\.00\s+66\.7%/);
    const bad = await run(['stats', '--by', 'moon', ...base]);
    assert.strictEqual(bad.code, 1);
    assert.match(bad.err, /--by must be one of symbol, side, hour, weekday, duration, tag/);
  });

  it('journal day prints the generated block of a session day and --write creates the note', async () => {
    let r = await run(['journal', 'day', '2025-01-07', '--store', url, '--mode', 'SIM']);
    assert.strictEqual(r.code, 0, r.err);
    assert.match(r.out, /^<!-- appsierra:summary:start/);
    assert.match(r.out, /- \*\*SIM\*\*: 3 trades · net \*\*\+\$80\.00\*\* · hit rate 66\.7%/);
    assert.match(r.out, /command:appsierra\.openJournal\?/);
    const notes = path.join(dir, 'journal');
    r = await run(['journal', 'day', '--now', '2025-01-07T15:00:00Z', '--store', url, '--write', notes]);
    assert.strictEqual(r.code, 0, r.err);
    assert.match(r.err, /2025-01-07\.md: created/);
    assert.ok(fs.readFileSync(path.join(notes, '2025-01-07.md'), 'utf8').includes('+$80.00'));
    r = await run(['journal', 'day', '2025-02-31', '--store', url]);
    assert.strictEqual(r.code, 1);
    assert.match(r.err, /not a date YYYY-MM-DD/);
  });
});

describe('journal CLI on PostgreSQL', function () {
  let schema: string;
  let dir: string;
  let home: string | undefined;
  before(async function () {
    const why = await pgUnavailable();
    if (why) {
      if (process.env.CI === 'true') throw new Error(`PostgreSQL required under CI: ${why}`);
      return this.skip();
    }
    schema = uniqueSchema('jcli');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'appsierra-journal-pg-'));
    home = process.env.APPSIERRA_HOME;
    process.env.APPSIERRA_HOME = dir; // the CLI's outbox for PostgreSQL lives here
    const s = new PgStore({ connectionString: PG_URL, schema });
    await fill(s);
    await s.close();
  });
  after(async () => {
    if (!schema) return;
    if (home === undefined) delete process.env.APPSIERRA_HOME;
    else process.env.APPSIERRA_HOME = home;
    await dropSchema(schema);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('tags written by the CLI are stored in PostgreSQL and filter trades and stats', async () => {
    const url = `${PG_URL}?schema=${schema}`;
    assert.strictEqual((await run(['tag', 'add', 'D', 'news', 'A+', '--store', url])).code, 0);
    assert.strictEqual((await run(['tag', 'add', 'H', 'news', '--store', url])).code, 0);
    const direct = new PgStore({ connectionString: PG_URL, schema });
    assert.deepStrictEqual([...(await direct.tradeTags())].sort(), [['D', ['A+', 'news']], ['H', ['news']]]);
    await direct.close();
    const r = await run(['trades', '--store', url, '--tag', 'news', '--json']);
    assert.deepStrictEqual(JSON.parse(r.out).map((t: { id: string }) => t.id), ['D', 'H']);
    const s = await run(['stats', '--by', 'tag', '--store', url, '--mode', 'SIM', '--now', NOW, '--json']);
    assert.deepStrictEqual(JSON.parse(s.out).map((x: { key: string; stats: { totalPnl: number } }) => [x.key, x.stats.totalPnl]), [['A+', 100], ['news', 90], ['(untagged)', 3.76]]);
  });
});
