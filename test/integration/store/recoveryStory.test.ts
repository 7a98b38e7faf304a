/** One recovery story, told the same way by db health, trades, monitor report and ingest, and recorded (issue 10.3). */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { roundTrips } from '../../fixtures/streams';
import { runCli, tmpDir } from './fixtures';

/**
 * The memory engine's layout (a snapshot, `.prev`, the journal) is what existing stores have on
 * disk; the file engine (the default writer) takes it over on first open with the same story.
 */
describe('one recovery story: a missing or corrupt SQLite snapshot with .prev and the journal intact', function () {
  this.timeout(180_000);
  let dir: string;
  let file: string;
  let store: string;
  const env = () => ({ APPSIERRA_HOME: dir });
  beforeEach(() => {
    dir = tmpDir('story');
    file = path.join(dir, 's.db');
    store = `sqlite:${file}`;
    const r = runCli(['ingest', '--store', store, '-'], { ...env(), APPSIERRA_SQLITE_ENGINE: 'memory' }, roundTrips(8).join('\n') + '\n');
    assert.strictEqual(r.code, 0, r.err);
    assert.ok(fs.existsSync(file + '.prev') && fs.existsSync(file + '.journal'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('rm of the snapshot: every command tells the same story, ingest repairs it, and the next run still shows it', () => {
    fs.rmSync(file);
    const story = new RegExp(`recovered when opened: ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} was missing; recovered from the previous snapshot .*s\\.db\\.prev plus \\d+ journaled operation\\(s\\)`);

    const health = runCli(['db', 'health', '--store', store], env());
    assert.strictEqual(health.code, 0, health.out);
    assert.match(health.out, /✓ healthy/);
    assert.match(health.out, story);

    const trades = runCli(['trades', '--json', '--store', store], env());
    assert.strictEqual(trades.code, 0, trades.err);
    assert.strictEqual(JSON.parse(trades.out).length, 8);
    assert.match(trades.err, story);

    const report = runCli(['monitor', 'report', '--store', store], env());
    assert.match(report.out, new RegExp(`- Recovery: ${story.source}`));

    const ingest = runCli(['ingest', '--store', store, '-'], env(), '');
    assert.strictEqual(ingest.code, 0, ingest.err);
    assert.match(ingest.err, story);
    assert.ok(fs.existsSync(file), 'the writer wrote the snapshot again');

    // Recorded: a later run still shows what happened, as the last recovery.
    const later = runCli(['db', 'health', '--store', store], env());
    assert.match(later.out, /last recovery \d{4}-\d\d-\d\dT[\d:.]+Z: .*s\.db was missing; recovered from the previous snapshot/);
    assert.doesNotMatch(runCli(['trades', '--store', store], env()).err, /recovered when opened/, 'nothing recovered this time');
  });

  it('ingest says when it sets a corrupt snapshot aside', () => {
    fs.writeFileSync(file, 'not a database at all, but long enough to look like one '.repeat(4));
    const r = runCli(['ingest', '--store', store, '-'], env(), '');
    assert.strictEqual(r.code, 0, r.err);
    assert.match(r.err, /^appsierra ingest: the store sqlite:.*s\.db was recovered when opened: corrupt snapshot .*s\.db \(not a SQLite file\) was set aside as .*s\.db\.corrupt-.*; recovered from the previous snapshot/m);
    assert.strictEqual(JSON.parse(runCli(['trades', '--json', '--store', store], env()).out).length, 8);
  });
});
