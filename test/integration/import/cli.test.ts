/**
 * `appsierra import`, `import list|undo` and `rebuild` as a user runs them: the built CLI in a child
 * process on a real SQLite file (sql.js), checked by opening the store afterwards.
 */
import * as assert from 'assert';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { SqliteStore } from '../../../src/core/store/sqlite';
import type { Trade } from '../../../src/core/trading/types';
import { tmpDir } from '../store/fixtures';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const cli = path.join(root, 'dist', 'cli.js');
const fx = (n: string) => path.join(root, 'test', 'fixtures', 'import', n);
const EXPORT = fx('sierra-export.txt');
const SIM = ['--sim-pattern', '^RTSL'];

function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, APPSIERRA_IMPORT_TIME_ZONE: '', ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

async function readStore<T>(file: string, read: (s: SqliteStore) => Promise<T>): Promise<T> {
  const s = new SqliteStore(file, { readOnly: true });
  try {
    return await read(s);
  } finally {
    await s.close();
  }
}

const byId = (a: Trade, b: Trade) => a.id.localeCompare(b.id);
/** Fills in the store (0 when the file does not exist). */
const storedFills = async (file: string) => (fs.existsSync(file) ? readStore(file, async (s) => (await s.storedFills()).length + (await s.importBatches()).length) : 0);
const tradesOf = (file: string) => readStore(file, async (s) => (await s.trades()).sort(byId));

/** Every file of the store's folder, by name: its bytes. */
function folderBytes(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const n of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, n);
    if (fs.statSync(p).isFile()) out.set(n, crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex'));
  }
  return out;
}

describe('appsierra import / rebuild (CLI, child process, real SQLite file)', function () {
  // Each case spawns several CLI processes; on a loaded 2-core machine that is slow, not stuck.
  this.timeout(180_000);
  let dir: string;
  let db: string;
  let store: string;
  beforeEach(() => {
    dir = tmpDir('imp-cli');
    db = path.join(dir, 'a.db');
    store = `sqlite:${db}`;
  });

  it('prints the summary: files, rows, fills new/duplicate/skipped with reasons, trades closed, open positions, time', () => {
    const r = run(['import', EXPORT, '--store', store]);
    assert.strictEqual(r.code, 0, r.err);
    const lines = r.out.split('\n');
    assert.match(lines[0], /^1 file\(s\), 7 row\(s\) in \d+\.\d s$/);
    assert.match(r.out, /^ {2}sierra-export\.txt: sierra-export, 7 row\(s\), 4 new fill\(s\)$/m);
    assert.match(r.out, /^fills: 4 new, 0 duplicate \(0 by execution id, 0 by account\+symbol\+side\+qty\+price within 2 s\), 1 skipped$/m);
    assert.match(r.out, /^ {2}skipped 1: DateTime "not a time".* \(first: sierra-export\.txt line 7\)$/m);
    assert.match(r.out, /^trades closed: 2; open positions left: 0$/m);
    assert.match(r.out, /^batch imp-\S+ \(undo: appsierra import undo imp-\S+\)$/m);
    // A file holding half the fills of the first (the MES round trip) and an open ES position.
    const part = path.join(dir, 'part.txt');
    const text = fs.readFileSync(EXPORT, 'utf8').split('\n');
    fs.writeFileSync(part, [text[0], text[2], text[3], text[4].replace(/\t103\t/, '\t203\t').replace('2026-09-08 14:02:00.000', '2026-09-09 14:02:00.000')].join('\n') + '\n');
    const again = run(['import', part, EXPORT, '--store', store]);
    assert.strictEqual(again.code, 0, again.err);
    assert.match(again.out, /^2 file\(s\), 3 row\(s\) in /);
    assert.match(again.out, /^ {2}sierra-export\.txt: sierra-export, already imported in batch imp-\S+, not read again$/m);
    assert.match(again.out, /^fills: 1 new, 6 duplicate \(6 by execution id, 0 by account\+symbol\+side\+qty\+price within 2 s\), 0 skipped$/m);
    assert.match(again.out, /^trades closed: 0; open positions left: 1$/m);
  });

  it('--dry-run on a store with trades: every file of the store folder byte for byte the same, the rows too; the summary is what a real run gives', async () => {
    const first = run(['import', EXPORT, '--store', store, ...SIM]);
    assert.strictEqual(first.code, 0, first.err);
    const before = folderBytes(dir);
    assert.ok(before.has('a.db'));
    const rows = await readStore(db, async (s) => ({ fills: await s.storedFills(), trades: (await s.trades()).sort(byId), sim: await s.simEvents(), batches: await s.importBatches() }));
    const other = path.join(tmpDir('imp-cli-src'), 'other.txt');
    fs.writeFileSync(other, fs.readFileSync(EXPORT, 'utf8').replace(/X-100/g, 'Y-100').replace(/2026-09-08/g, '2026-09-10'));
    const dry = run(['import', other, '--store', store, '--dry-run', '--json', ...SIM]);
    assert.strictEqual(dry.code, 0, dry.err);
    const s = JSON.parse(dry.out);
    assert.deepStrictEqual([s.dryRun, s.fills.new, s.tradesClosed, s.batchId === null || typeof s.batchId === 'string'], [true, 4, 2, true]);
    assert.deepStrictEqual(folderBytes(dir), before, 'no file of the store folder changed');
    const after = await readStore(db, async (st) => ({ fills: await st.storedFills(), trades: (await st.trades()).sort(byId), sim: await st.simEvents(), batches: await st.importBatches() }));
    assert.deepStrictEqual(after, rows);
    // The same file for real: what the dry run announced.
    const real = JSON.parse(run(['import', other, '--store', store, '--json', ...SIM]).out);
    assert.deepStrictEqual([real.fills.new, real.tradesClosed, real.openPositions], [s.fills.new, s.tradesClosed, s.openPositions]);
    assert.strictEqual((await tradesOf(db)).length, 4);
  });

  it('--account: rows without an account take it; rows of another account are skipped with the reason', async () => {
    const noAccount = path.join(dir, 'no-account.txt');
    const lines = fs.readFileSync(EXPORT, 'utf8').split('\n');
    const col = lines[0].split('\t').indexOf('TradeAccount');
    fs.writeFileSync(noAccount, lines.map((l) => l.split('\t').filter((_, i) => i !== col).join('\t')).join('\n'));
    const refused = JSON.parse(run(['import', noAccount, '--store', store, '--json']).out);
    assert.strictEqual(refused.fills.new, 0);
    assert.ok(refused.skipped.some((k: { reason: string; count: number }) => /no TradeAccount \(pass --account\)/.test(k.reason) && k.count === 5), JSON.stringify(refused.skipped));
    const r = run(['import', noAccount, '--store', store, '--account', 'Sim7', '--json']);
    assert.strictEqual(r.code, 0, r.err);
    assert.strictEqual(JSON.parse(r.out).fills.new, 4);
    assert.deepStrictEqual([...new Set((await tradesOf(db)).map((t) => t.account))], ['Sim7']);
    // A file whose rows carry RTSL00000000000, with --account naming another: nothing comes in.
    const other = run(['import', EXPORT, '--store', store, '--account', 'Sim7', '--json']);
    const o = JSON.parse(other.out);
    assert.strictEqual(o.fills.new, 0);
    assert.deepStrictEqual(o.skipped.map((k: { reason: string; count: number }) => [k.reason, k.count]).sort(), [
      ['DateTime "not a time" is not YYYY-MM-DD HH:MM:SS', 1],
      ['account RTSL00000000000 is not --account Sim7', 4],
    ]);
    assert.strictEqual((await tradesOf(db)).length, 2);
  });

  it("--specs: the file's fees and point values make the trades; an unusable specs file stops before anything is written", async () => {
    const specs = path.join(dir, 'specs.json');
    fs.writeFileSync(specs, JSON.stringify({ MES: { tickSize: 0.25, pointValue: 5, roundTurnFee: 3 }, ES: { tickSize: 0.25, pointValue: 50, roundTurnFee: 0 } }));
    const r = run(['import', EXPORT, '--store', store, '--specs', specs, '--json']);
    assert.strictEqual(r.code, 0, r.err);
    const t = await tradesOf(db);
    const mes = t.find((x) => x.symbol === 'MESU6.CME')!;
    const es = t.find((x) => x.symbol === 'ESU6.CME')!;
    assert.deepStrictEqual([mes.grossPnl, mes.commissions, mes.netPnl], [25, 6, 19], 'MES: 2 lots x 2.5 points x $5, fee 3 per round turn x 2');
    assert.deepStrictEqual([es.grossPnl, es.commissions, es.netPnl], [50, 0, 50]);
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, 'not json');
    const other = path.join(dir, 'b.db');
    const refused = run(['import', EXPORT, '--store', `sqlite:${other}`, '--specs', bad]);
    assert.strictEqual(refused.code, 1, refused.err);
    assert.ok(!fs.existsSync(other), 'nothing written');
  });

  it('Save Log As: exit 3 without --time-zone saying why and how; with --time-zone the same trades as the Export; a bad zone is exit 3', async () => {
    const log = fx('sierra-save-log-as.txt');
    const refused = run(['import', log, '--store', store]);
    assert.strictEqual(refused.code, 3, refused.err);
    assert.match(refused.err, /Save Log As/);
    assert.match(refused.err, /--time-zone/);
    assert.match(refused.err, /File >> Export/);
    assert.strictEqual(await storedFills(db), 0, 'nothing written');
    const badZone = run(['import', log, '--store', store, '--time-zone', 'Mars/Olympus']);
    assert.strictEqual(badZone.code, 3, badZone.err);
    assert.match(badZone.err, /IANA/);
    const ok = run(['import', log, '--store', store, '--time-zone', 'America/New_York', '--json']);
    assert.strictEqual(ok.code, 0, ok.err);
    assert.strictEqual(JSON.parse(ok.out).fills.new, 4);
    const shape = (t: Trade) => [t.symbol, t.entryTime, t.exitTime, t.avgEntryPrice, t.avgExitPrice];
    const fromLog = (await tradesOf(db)).map(shape);
    const other = path.join(dir, 'b.db');
    assert.strictEqual(run(['import', EXPORT, '--store', `sqlite:${other}`]).code, 0);
    assert.deepStrictEqual(fromLog, (await tradesOf(other)).map(shape));
    // The zone from the environment (the CLI's setting) instead of the flag.
    const third = path.join(dir, 'c.db');
    const byEnv = run(['import', log, '--store', `sqlite:${third}`], { APPSIERRA_IMPORT_TIME_ZONE: 'America/New_York' });
    assert.strictEqual(byEnv.code, 0, byEnv.err);
    assert.deepStrictEqual((await tradesOf(third)).map(shape), fromLog);
  });

  it('garbage and a wrong-format file: exit 3, the message names what was expected and quotes the first line', async () => {
    for (const [file, first, extra] of [
      [fx('other-tool.csv'), '"Date,Symbol,Action,Qty,Price"', []],
      [EXPORT, 'ActivityType <TAB> DateTime', ['--format', 'appsierra-json']],
      [fx('garbage.bin'), 'the first line is "', []],
    ] as const) {
      const r = run(['import', file, '--store', store, ...extra]);
      assert.strictEqual(r.code, 3, `${file}: ${r.err}`);
      assert.match(r.err, /expected/);
      assert.ok(r.err.includes(first), `${path.basename(file)}: ${r.err}`);
    }
    assert.strictEqual(await storedFills(db), 0, 'nothing written');
    // Refused before the store is opened: a store path that did not exist is not made either.
    const fresh = path.join(dir, 'never-made.db');
    const r = run(['import', fx('garbage.bin'), '--store', `sqlite:${fresh}`]);
    assert.strictEqual(r.code, 3, r.err);
    assert.deepStrictEqual(fs.readdirSync(dir).filter((f) => f.startsWith('never-made')), [], 'no store file beside it');
  });

  it('batches: id, file names, SHA-256 of each file and counts; the same file twice adds nothing; undo removes exactly that batch', async () => {
    const late = path.join(dir, 'late.txt');
    fs.writeFileSync(late, fs.readFileSync(EXPORT, 'utf8').replace(/X-100/g, 'L-100').replace(/2026-09-08/g, '2026-09-11'));
    const a = JSON.parse(run(['import', EXPORT, '--store', store, '--json']).out);
    const b = JSON.parse(run(['import', late, '--store', store, '--json']).out);
    const list = JSON.parse(run(['import', 'list', '--store', store, '--json']).out) as { id: string; status: string; files: { name: string; sha256: string; fills: number }[]; counts: Record<string, number> }[];
    const sha = (f: string) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');
    assert.deepStrictEqual(
      list.map((x) => [x.id, x.status, x.files.map((f) => [f.name, f.sha256, f.fills]), x.counts]).sort(),
      [
        [a.batchId, 'complete', [['sierra-export.txt', sha(EXPORT), 4]], { rows: 7, new: 4, duplicate: 0, skipped: 1 }],
        [b.batchId, 'complete', [['late.txt', sha(late), 4]], { rows: 7, new: 4, duplicate: 0, skipped: 1 }],
      ].sort(),
    );
    const withBoth = await readStore(db, async (s) => ({ fills: (await s.storedFills()).length, trades: (await s.trades()).sort(byId) }));
    assert.deepStrictEqual([withBoth.fills, withBoth.trades.length], [8, 4]);
    const twice = JSON.parse(run(['import', EXPORT, '--store', store, '--json']).out);
    assert.deepStrictEqual([twice.batchId, twice.fills.new, twice.files[0].alreadyImportedIn], [null, 0, a.batchId]);
    assert.strictEqual(JSON.parse(run(['import', 'list', '--store', store, '--json']).out).length, 2, 'no batch for a run that added nothing');
    const undo = run(['import', 'undo', a.batchId, '--store', store, '--json']);
    assert.strictEqual(undo.code, 0, undo.err);
    assert.strictEqual(JSON.parse(undo.out).fillsRemoved, 4);
    const left = await readStore(db, async (s) => ({ fills: await s.storedFills(), trades: (await s.trades()).sort(byId), batches: await s.importBatches() }));
    assert.deepStrictEqual([...new Set(left.fills.map((f) => f.batchId))], [b.batchId]);
    assert.deepStrictEqual(left.trades, withBoth.trades.filter((t) => t.entryTime >= Date.UTC(2026, 8, 11)));
    assert.deepStrictEqual(left.batches.map((x) => [x.id, x.status]).sort(), [[a.batchId, 'undone'], [b.batchId, 'complete']].sort());
  });

  it('appsierra rebuild: progress, deterministic ids, a fee change restates trades and the SIM ledger follows, an unknown-spec contract gets its trades', async () => {
    const file = path.join(dir, 'xyz.txt');
    fs.writeFileSync(file, fs.readFileSync(EXPORT, 'utf8').replace(/\tESU6\.CME/g, '\tXYZU6'));
    const imp = JSON.parse(run(['import', file, '--store', store, '--json', ...SIM]).out);
    assert.strictEqual(imp.tradesClosed, 1, 'XYZ has no spec: no trade yet');
    const before = await tradesOf(db);
    const unchanged = run(['rebuild', '--store', store, ...SIM]);
    assert.strictEqual(unchanged.code, 0, unchanged.err);
    assert.match(unchanged.err, /^rebuilding: \d+\/2 contract\(s\)$/m, 'progress on stderr');
    assert.match(unchanged.out, /^rebuilt 2 contract\(s\) from 4 fill\(s\): trades 1 -> 1, 0 open position\(s\), \d+\.\d s$/m);
    assert.deepStrictEqual(await tradesOf(db), before, 'same fills, same specs: the same trades');
    const specs = path.join(dir, 'specs.json');
    fs.writeFileSync(specs, JSON.stringify({ MES: { tickSize: 0.25, pointValue: 5, roundTurnFee: 3 }, XYZ: { tickSize: 0.25, pointValue: 10, roundTurnFee: 1 } }));
    const r = JSON.parse(run(['rebuild', '--store', store, '--specs', specs, '--json', ...SIM]).out);
    assert.deepStrictEqual([r.tradesBefore, r.tradesAfter], [1, 2]);
    const after = await tradesOf(db);
    const mes = after.find((t) => t.symbol === 'MESU6.CME')!;
    assert.strictEqual(mes.id, before[0].id, 'same id');
    assert.deepStrictEqual([mes.commissions, mes.netPnl], [6, 19]);
    const xyz = after.find((t) => t.symbol === 'XYZU6')!;
    assert.deepStrictEqual([xyz.grossPnl, xyz.commissions, xyz.netPnl], [10, 1, 9]);
    const pnl = await readStore(db, async (s) => (await s.simEvents()).filter((e) => e.kind === 'pnl').map((e) => [e.tradeId, e.amount]).sort());
    assert.deepStrictEqual(pnl, after.map((t) => [t.id, t.netPnl]).sort(), 'one SIM pnl event per trade, at its new net P&L');
    JSON.parse(run(['rebuild', '--store', store, '--specs', specs, '--json', ...SIM]).out);
    assert.deepStrictEqual(await tradesOf(db), after, 'deterministic: a second rebuild gives the same trades');
  });
});
