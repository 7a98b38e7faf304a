import * as assert from 'assert';
import { ProblemLog, problemKey } from '../../../src/core/diagnostics/problemLog';

describe('diagnostics/problemLog: a repeated problem is logged once, with a running count', () => {
  const make = () => {
    const lines: string[] = [];
    let t = 0;
    const log = new ProblemLog({ write: (l) => lines.push(l), summaryMs: 10_000, now: () => t });
    return { lines, log, tick: (ms: number) => (t += ms) };
  };

  it('a changing count inside the text does not make a new problem', () => {
    const { lines, log } = make();
    for (let n = 1; n <= 600; n++) log.report(`Trades are NOT saved yet (${n} waiting): disk full.`);
    assert.deepStrictEqual(lines, ['Trades are NOT saved yet (1 waiting): disk full.']);
    log.flush();
    assert.deepStrictEqual(lines.slice(1), ['Trades are NOT saved yet (600 waiting): disk full. (repeated 599 more times in 1 s, 600 in all)']);
    assert.strictEqual(problemKey('a 12 b 3.5'), 'a # b #');
  });

  it('summarises at most once per period while it recurs, and says when it is over', () => {
    const { lines, log, tick } = make();
    log.report('frame 1 invalid');
    for (let i = 0; i < 5; i++) (tick(1000), log.report('frame 2 invalid'));
    assert.strictEqual(lines.length, 1);
    tick(6000);
    log.report('frame 9 invalid');
    assert.deepStrictEqual(lines.slice(1), ['frame 9 invalid (repeated 6 more times in 11 s, 7 in all)']);
    log.report('frame 10 invalid');
    log.resolve(problemKey('frame 1 invalid'), 'frames are valid again');
    assert.deepStrictEqual(lines.slice(2), ['frame 10 invalid (repeated 1 more time in 1 s, 8 in all)', 'frames are valid again']);
    log.report('frame 11 invalid');
    assert.strictEqual(lines.at(-1), 'frame 11 invalid', 'a problem that comes back after it was resolved is new');
  });

  it('different problems are counted apart', () => {
    const { lines, log } = make();
    log.report('PostgreSQL down', 'pg');
    log.report('disk full', 'disk');
    log.report('PostgreSQL down', 'pg');
    assert.deepStrictEqual(lines, ['PostgreSQL down', 'disk full']);
    assert.deepStrictEqual(log.counts(), { pg: 2, disk: 1 });
  });
});
