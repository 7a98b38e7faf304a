import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { MESSAGE_DEFS, fieldAlignment, getMessageDef, getMessageDefByName } from '../../../src/core/dtc/messages';
import { MessageType } from '../../../src/core/dtc/messageTypes';

const root = path.resolve(__dirname, '..', '..', '..', '..');

describe('dtc message table', () => {
  for (const d of MESSAGE_DEFS) {
    it(`${d.name} (${d.type}) has a pack(8) layout: aligned, no overlaps, gaps only padding, size ${d.size}`, () => {
      let end = 4; // after Size + Type
      let maxAlign = 2;
      const names = new Set<string>();
      for (const f of d.fields) {
        const align = fieldAlignment(f);
        maxAlign = Math.max(maxAlign, align);
        assert.ok(!names.has(f.name), `duplicate field ${f.name}`);
        names.add(f.name);
        assert.strictEqual(f.offset % align, 0, `${f.name} at ${f.offset} is not ${align}-aligned`);
        assert.ok(f.offset >= end, `${f.name} at ${f.offset} overlaps the previous field ending at ${end}`);
        // A gap larger than the alignment padding would mean a missing field.
        assert.ok(f.offset - end < align, `${f.name}: ${f.offset - end} unexplained bytes before it`);
        end = f.offset + f.size;
      }
      assert.ok(end <= d.size, `fields end at ${end} past size ${d.size}`);
      const padded = Math.ceil(end / maxAlign) * maxAlign;
      assert.strictEqual(d.size, padded, `size should be the field end ${end} padded to ${maxAlign}`);
    });
  }

  it('matches the offsets, types and sizes written in PROTOCOL.md §8', () => {
    const text = fs.readFileSync(path.join(root, 'test', 'fixtures', 'dtc', 'protocol-layouts.md'), 'utf8');
    const bullets = text.split(/\n- /).slice(1).filter((b) => !b.includes('pack(1)'));
    const alias: Record<string, string> = { _BID_ASK_COMPACT: 'MARKET_DATA_UPDATE_BID_ASK_COMPACT', 'ENCODING_REQUEST/RESPONSE': 'ENCODING_REQUEST' };
    const mismatches: string[] = [];
    let checkedFields = 0;
    let checkedSizes = 0;
    for (const bullet of bullets) {
      const flat = bullet.replace(/\s+/g, ' ');
      const defs = [];
      for (const m of flat.matchAll(/([A-Z_][A-Z_/]+) \((\d+)\)/g)) {
        const name = alias[m[1]] ?? m[1];
        const d = getMessageDefByName(name);
        if (!d) continue;
        defs.push(d);
        checkedSizes++;
        if (d.size !== Number(m[2])) mismatches.push(`${name} size ${d.size} != ${m[2]}`);
      }
      if (!defs.length) continue;
      for (const m of flat.matchAll(/(\d+) (u8|i8|u16|u32|i32|i64|u64|f32|f64|enum|c\d+)(?:\([a-zµ]+\))? ([A-Za-z_0-9]+)(\/?)/g)) {
        if (m[4] === '/') continue; // "Buy/SellRolloverInterest" shorthand
        const [, off, type, name] = m;
        checkedFields++;
        const hit = defs.flatMap((d) => d.fields).find((f) => f.name === name && f.offset === Number(off));
        if (!hit) {
          mismatches.push(`${defs.map((d) => d.name).join('|')}: no field ${name} at ${off}`);
          continue;
        }
        const expected = type === 'enum' ? 'i32' : type.startsWith('c') ? 'str' : type;
        if (hit.type !== expected) mismatches.push(`${name}: type ${hit.type} != ${type}`);
        if (type.startsWith('c') && hit.size !== Number(type.slice(1))) mismatches.push(`${name}: length ${hit.size} != ${type}`);
      }
    }
    assert.deepStrictEqual(mismatches, []);
    assert.ok(checkedFields > 250, `only ${checkedFields} fields were checked`);
    assert.ok(checkedSizes >= 30, `only ${checkedSizes} sizes were checked`);
  });

  it('uses the official numbers and the documented time units', () => {
    assert.strictEqual(getMessageDef(MessageType.ORDER_UPDATE)?.fields.find((f) => f.name === 'LastFillDateTime')?.time, 'ms');
    assert.strictEqual(getMessageDef(MessageType.ACCOUNT_BALANCE_UPDATE)?.fields.find((f) => f.name === 'TransactionDateTime')?.time, 'us');
    assert.strictEqual(getMessageDef(MessageType.ORDER_UPDATE)?.fields.find((f) => f.name === 'LatestTransactionDateTime')?.time, 'dsec');
    assert.strictEqual(getMessageDef(MessageType.POSITION_UPDATE)?.fields.find((f) => f.name === 'EntryDateTime')?.time, 's');
    assert.strictEqual(getMessageDefByName('CURRENT_POSITIONS_REJECT')?.type, 307);
    assert.strictEqual(getMessageDefByName('OPEN_ORDERS_REQUEST')?.type, 300);
  });
});
