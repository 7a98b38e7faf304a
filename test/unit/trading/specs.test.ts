import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ContractSpecs, isSpecError, loadSpecsFile, rootOf } from '../../../src/core/trading/specs';
import { modeOf } from '../../../src/core/trading/mode';
import type { ContractSpec } from '../../../src/core/trading/types';

describe('trading/specs: roots read once per symbol', () => {
  it('a new override root is seen by symbols read before it (the remembered roots are dropped)', () => {
    const specs = new ContractSpecs();
    assert.strictEqual(specs.rootOf('FOOBAR'), 'FOOBAR');
    assert.ok(isSpecError(specs.resolve('FOOBAR')));
    specs.setOverrides({ FOO: { tickSize: 1, pointValue: 10, roundTurnFee: 2 } });
    assert.strictEqual(specs.rootOf('FOOBAR'), 'FOO');
    assert.strictEqual((specs.resolve('FOOBAR') as ContractSpec).pointValue, 10);
    specs.setOverrides({});
    assert.strictEqual(specs.rootOf('FOOBAR'), 'FOOBAR');
    assert.strictEqual(specs.rootOf('BARQUX'), 'BARQUX');
    assert.strictEqual(specs.setServerDefinition('BARZ5', 0.5, 5), null);
    assert.strictEqual(specs.rootOf('BARQUX'), 'BAR');
  });
});

describe('trading/specs: rootOf', () => {
  const table: Array<[string, string | null]> = [
    ['ESZ5', 'ES'],
    ['ESZ25', 'ES'],
    ['ESZ2025', 'ES'],
    ['MESZ5', 'MES'],
    ['MESZ5.CME', 'MES'],
    ['F.US.MESZ25', 'MES'],
    ['ESZ2025-CME', 'ES'],
    ['ESZ25-CME', 'ES'],
    ['MNQH26', 'MNQ'],
    ['NQH26', 'NQ'],
    ['6EZ5', '6E'],
    ['M6EZ5', 'M6E'],
    ['M2KH6', 'M2K'],
    ['RTYH6', 'RTY'],
    ['ZNZ5', 'ZN'],
    ['HGH6', 'HG'],
    ['GFZ5', 'GF'],
    ['SILZ5', 'SIL'],
    ['SIZ5', 'SI'],
    ['mesz5', 'MES'],
    ['  CLF26  ', 'CL'],
    ['ES 12-25', 'ES'],
    ['MES', 'MES'],
    ['XYZZ5', 'XYZ'],
    ['', null],
    ['   ', null],
    ['???', null],
  ];
  for (const [symbol, root] of table) {
    it(`${JSON.stringify(symbol)} -> ${root}`, () => assert.strictEqual(rootOf(symbol), root));
  }
});

describe('trading/specs: ContractSpecs', () => {
  const spec = (s: ContractSpec | unknown): ContractSpec => {
    assert.ok(!isSpecError(s), `expected a spec, got ${JSON.stringify(s)}`);
    return s as ContractSpec;
  };

  it('built-in examples from TRADING-MATH §1', () => {
    const specs = new ContractSpecs();
    const want: Record<string, [number, number]> = { ESZ5: [0.25, 50], MESZ5: [0.25, 5], NQZ5: [0.25, 20], MNQZ5: [0.25, 2], YMZ5: [1, 5], MYMZ5: [1, 0.5], CLF6: [0.01, 1000], GCG6: [0.1, 100] };
    for (const [sym, [tick, pv]] of Object.entries(want)) {
      const s = spec(specs.resolve(sym));
      assert.deepStrictEqual([s.tickSize, s.pointValue, s.source], [tick, pv, 'builtin'], sym);
      assert.ok(s.roundTurnFee > 0);
    }
  });

  it('unknown root is a SpecError naming the symbol and both fixes', () => {
    const r = new ContractSpecs().resolve('XYZZ5');
    assert.ok(isSpecError(r));
    assert.strictEqual(r.root, 'XYZ');
    assert.match(r.message, /XYZZ5/);
    assert.match(r.message, /appsierra\.contractSpecs/);
    assert.match(r.message, /--specs FILE/);
  });

  it('sources: override > server > built-in', () => {
    const specs = new ContractSpecs();
    assert.strictEqual(specs.setServerDefinition('ESZ5', 0.25, 12.5), null);
    assert.deepStrictEqual(spec(specs.resolve('ESZ5')), { root: 'ES', tickSize: 0.25, pointValue: 50, roundTurnFee: 4.5, source: 'server' });
    // Another month of the same root uses the root's server definition.
    assert.strictEqual(spec(specs.resolve('ESH6')).source, 'server');
    specs.setOverrides({ ES: { tickSize: 0.25, pointValue: 50, roundTurnFee: 3.1 } });
    assert.deepStrictEqual(spec(specs.resolve('ESZ5')), { root: 'ES', tickSize: 0.25, pointValue: 50, roundTurnFee: 3.1, source: 'override' });
  });

  it('server definition: pointValue = CurrencyValuePerIncrement / MinPriceIncrement, for an unknown root too', () => {
    const specs = new ContractSpecs();
    assert.ok(isSpecError(specs.resolve('XYZZ5')));
    assert.strictEqual(specs.setServerDefinition('XYZZ5', 0.00005, 6.25), null);
    const s = spec(specs.resolve('XYZZ5'));
    assert.strictEqual(s.pointValue, 125000);
    assert.strictEqual(s.roundTurnFee, 0);
    assert.match(specs.setServerDefinition('ABCZ5', 0, 5) ?? '', /must both be positive/);
  });

  it('micro is never its full-size sibling (longest root wins)', () => {
    const specs = new ContractSpecs();
    assert.strictEqual(spec(specs.resolve('MESZ5')).pointValue, 5);
    assert.strictEqual(spec(specs.resolve('F.US.MESZ25')).pointValue, 5);
    assert.strictEqual(spec(specs.resolve('MES')).pointValue, 5);
  });

  it('loadSpecsFile: good file, bad entries, bad JSON, missing file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'specs-'));
    const good = path.join(dir, 'good.json');
    fs.writeFileSync(good, JSON.stringify({ mes: { tickSize: 0.25, pointValue: 5, roundTurnFee: 1.24 }, XYZ: { tickSize: 1, pointValue: 10 } }));
    assert.deepStrictEqual(loadSpecsFile(good), { overrides: { MES: { tickSize: 0.25, pointValue: 5, roundTurnFee: 1.24 }, XYZ: { tickSize: 1, pointValue: 10, roundTurnFee: 0 } }, problems: [] });

    const mixed = path.join(dir, 'mixed.json');
    fs.writeFileSync(mixed, JSON.stringify({ ES: { tickSize: 0.25, pointValue: -50 }, NQ: { tickSize: 0.25, pointValue: 20, roundTurnFee: 4 } }));
    const m = loadSpecsFile(mixed);
    assert.deepStrictEqual(Object.keys(m.overrides), ['NQ']);
    assert.strictEqual(m.problems.length, 1);
    assert.match(m.problems[0], /ES\.pointValue must be a number greater than 0/);

    const broken = path.join(dir, 'broken.json');
    fs.writeFileSync(broken, '{"MES": {');
    assert.match(loadSpecsFile(broken).problems[0], /not valid JSON/);
    fs.writeFileSync(broken, '[1,2]');
    assert.match(loadSpecsFile(broken).problems[0], /one JSON object keyed by root/);
    assert.match(loadSpecsFile(path.join(dir, 'nope.json')).problems[0], /Cannot read specs file .*ENOENT/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('trading/mode', () => {
  it('default pattern: Sim accounts are SIM, case-insensitive; others LIVE', () => {
    assert.strictEqual(modeOf('Sim1'), 'SIM');
    assert.strictEqual(modeOf('SIM2'), 'SIM');
    assert.strictEqual(modeOf('sim'), 'SIM');
    assert.strictEqual(modeOf('123456'), 'LIVE');
    assert.strictEqual(modeOf('MySim1'), 'LIVE');
  });
  it('custom pattern, and an invalid pattern falls back to the default', () => {
    assert.strictEqual(modeOf('Paper-7', '^paper'), 'SIM');
    assert.strictEqual(modeOf('Sim1', '^paper'), 'LIVE');
    assert.strictEqual(modeOf('Sim1', '(['), 'SIM');
  });
});
