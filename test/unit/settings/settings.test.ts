import * as assert from 'assert';
import { DEFAULT_SETTINGS, checkStoreUrl, validateSettings } from '../../../src/core/settings';

describe('settings validation', () => {
  it('keeps the defaults when nothing is set', () => {
    const { settings, problems } = validateSettings({});
    assert.deepStrictEqual(settings, DEFAULT_SETTINGS);
    assert.deepStrictEqual(problems, []);
  });

  it('replaces only the bad key by its default and names the key and the fix', () => {
    const { settings, problems } = validateSettings({ dtc: { port: 70000, host: 'sierra.local' }, session: { start: '5pm' }, sim: { accountPattern: '(' } });
    assert.strictEqual(settings.dtc.port, 11099);
    assert.strictEqual(settings.dtc.host, 'sierra.local');
    assert.strictEqual(settings.session.start, '17:00');
    assert.strictEqual(settings.sim.accountPattern, '^sim');
    assert.deepStrictEqual(problems.map((p) => p.key).sort(), ['dtc.port', 'session.start', 'sim.accountPattern']);
    assert.match(problems.find((p) => p.key === 'dtc.port')!.message, /appsierra\.dtc\.port must be a whole number from 1 to 65535; using the default \(11099\)/);
  });

  it('accepts good contract spec overrides (upper-cased roots) and ignores bad ones with a reason', () => {
    const { settings, problems } = validateSettings({
      contractSpecs: { mes: { tickSize: 0.25, pointValue: 5, roundTurnFee: 1.24 }, ZZ: { tickSize: 0, pointValue: 5 }, 'not a root!': { tickSize: 1, pointValue: 1 } },
    });
    assert.deepStrictEqual(settings.contractSpecs, { MES: { tickSize: 0.25, pointValue: 5, roundTurnFee: 1.24 } });
    assert.deepStrictEqual(problems.map((p) => p.key).sort(), ['contractSpecs.ZZ', 'contractSpecs.not a root!']);
    assert.match(problems.find((p) => p.key === 'contractSpecs.ZZ')!.message, /ZZ\.tickSize must be a number greater than 0.*ignored/);
  });

  it('dtc.fillHistoryDays: 30 by default, a whole number of days from 1 to 3650, else the default with the key named', () => {
    assert.strictEqual(validateSettings({}).settings.dtc.fillHistoryDays, 30);
    assert.strictEqual(validateSettings({ dtc: { fillHistoryDays: 365 } }).settings.dtc.fillHistoryDays, 365);
    const bad = validateSettings({ dtc: { fillHistoryDays: 0 } });
    assert.strictEqual(bad.settings.dtc.fillHistoryDays, 30);
    assert.deepStrictEqual(bad.problems.map((p) => p.key), ['dtc.fillHistoryDays']);
  });

  it('refuses a store URL with a password in it (passwords live in SecretStorage)', () => {
    assert.match(checkStoreUrl('postgres://me:secret@127.0.0.1:5432/db') ?? '', /must not contain a password/);
    assert.strictEqual(checkStoreUrl('postgres://me@127.0.0.1:5432/db'), null);
    assert.strictEqual(checkStoreUrl('sqlite:/tmp/a.db'), null);
    assert.match(checkStoreUrl('mysql://x') ?? '', /sqlite:' or 'postgres/);
    const { settings, problems } = validateSettings({ database: { url: 'postgres://me:secret@h/db' } });
    assert.strictEqual(settings.database.url, '');
    assert.ok(!problems[0].message.includes('secret'), 'the password is never echoed');
  });
});
