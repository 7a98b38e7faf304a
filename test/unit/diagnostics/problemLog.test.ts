import * as assert from 'assert';
import { ProblemLog, problemKey, withProblemLog } from '../../../src/core/diagnostics/problemLog';

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

describe('diagnostics/problemLog: withProblemLog (the extension log)', () => {
  it('passes info through and collapses a storm of warnings into one line', () => {
    const lines: string[] = [];
    const base = { info: (m: string) => lines.push(`I ${m}`), warn: (m: string) => lines.push(`W ${m}`), error: (m: string) => lines.push(`E ${m}`) };
    const log = withProblemLog(base, { now: () => 0 });
    for (let i = 0; i < 2532; i++) log.warn(`dtc: invalid JSON frame at byte ${i * 10}`);
    log.info('dtc: connected');
    log.info('dtc: connected');
    log.error('store: disk full (3 waiting)');
    log.error('store: disk full (4 waiting)');
    assert.deepStrictEqual(lines, ['W dtc: invalid JSON frame at byte 0', 'I dtc: connected', 'I dtc: connected', 'E store: disk full (3 waiting)']);
  });

  it('remembers a bounded number of distinct problems', () => {
    const lines: string[] = [];
    const log = new ProblemLog({ write: (l) => lines.push(l), maxKeys: 2, now: () => 0 });
    log.report('a', 'a');
    log.report('a', 'a');
    log.report('b', 'b');
    log.report('c', 'c');
    assert.deepStrictEqual(log.counts(), { b: 1, c: 1 });
    assert.deepStrictEqual(lines, ['a', 'b', 'a (repeated 1 more time in 1 s, 2 in all)', 'c']);
  });
});
