import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  daySummaryBlock, ensureTradeNote, findTradeNote, journalCommandUri, newDayNote, refreshSummaryBlock, SUMMARY_END, SUMMARY_START, tradeNoteHeading, writeDayNote,
} from '../../../src/core/notes';
import { TradeIndex } from '../../../src/core/reports';
import { CME } from '../stats/trades';
import { WEEK, WEEK_TAGS } from '../reports/fixture';

function tuesday(): string {
  const index = new TradeIndex({ session: CME });
  index.load(WEEK, WEEK_TAGS);
  return daySummaryBlock('2025-01-07', index.select({ fromDay: '2025-01-07', toDay: '2025-01-07' }), { session: CME });
}

describe('day note summary block', () => {
  it('lists the session day\'s trades in exit order with links back to the panel, net and hit rate per mode', () => {
    const block = tuesday();
    const lines = block.split('\n');
    assert.strictEqual(lines[0], SUMMARY_START);
    assert.strictEqual(lines[lines.length - 1], SUMMARY_END);
    // F (Monday 17:45 CT, Tuesday's session), E, D: +20 - 40 + 100.
    assert.ok(block.includes('- **SIM**: 3 trades · net **+$80.00** · hit rate 66.7% · profit factor 3.00 · fees $0.00'), block);
    const rows = lines.filter((l) => /^\| \d/.test(l));
    assert.deepStrictEqual(rows.map((r) => r.split(' | ').slice(0, 1).concat(r.split(' | ').slice(4, 6), r.split(' | ').slice(9, 12))), [
      ['| 1', 'MESZ5', 'SHORT', '+$20.00', '—', 'fade |'],
      ['| 2', 'MESZ5', 'LONG', '-$40.00', '-1.00R', 'breakout |'],
      ['| 3', 'MNQZ5', 'LONG', '+$100.00', '2.00R', ' |'],
    ]);
    assert.ok(rows[0].includes(`[17:45:00](${journalCommandUri({ tradeId: 'F' })})`), rows[0]);
    assert.strictEqual(journalCommandUri({ tradeId: 'F' }), 'command:appsierra.openJournal?%5B%7B%22tradeId%22%3A%22F%22%7D%5D');
    assert.ok(block.includes('**[Tuesday 2025-01-07]'));
  });

  it('says so on a day without trades', () => {
    assert.ok(daySummaryBlock('2025-01-08', [], { session: CME }).includes('No closed trades in this session.'));
    assert.throws(() => daySummaryBlock('2025-02-30', [], { session: CME }), /not a date YYYY-MM-DD/);
  });
});

describe('refreshing the block in place', () => {
  const OLD = [SUMMARY_START, 'old generated line', SUMMARY_END].join('\n');
  const block = tuesday();

  it('replaces only the marked block and keeps the trader\'s edits around it byte for byte', () => {
    const before = '# My day  \n\nFelt rushed. <!-- my own comment -->\n\n' + OLD + '\n\n## Trade 2\nStopped early.\n\ttabbed line   \n';
    const r = refreshSummaryBlock(before, block);
    assert.strictEqual(r.action, 'replaced');
    const i = before.indexOf(OLD);
    assert.strictEqual(r.text, before.slice(0, i) + block + before.slice(i + OLD.length));
    assert.deepStrictEqual(refreshSummaryBlock(r.text, block), { text: r.text, action: 'unchanged' });
  });

  it('replaces edits made inside the markers', () => {
    const edited = newDayNote('2025-01-07', block).replace('| 1 |', '| 1 | I typed here |');
    const r = refreshSummaryBlock(edited, block);
    assert.strictEqual(r.text, newDayNote('2025-01-07', block));
  });

  it('appends the block when the markers are missing, leaving the text before it as it was', () => {
    const mine = '# Notes\nno trailing newline';
    const r = refreshSummaryBlock(mine, block);
    assert.strictEqual(r.action, 'appended');
    assert.strictEqual(r.text, mine + '\n\n' + block + '\n');
    assert.strictEqual(refreshSummaryBlock('', block).text, block + '\n');
  });

  it('keeps a CRLF file CRLF (no bare LF added), and the trader\'s bytes untouched', () => {
    const before = '# Day\r\n\r\n' + OLD.split('\n').join('\r\n') + '\r\n\r\nMy notes\r\n';
    const r = refreshSummaryBlock(before, block);
    assert.strictEqual(r.action, 'replaced');
    assert.ok(!/[^\r]\n/.test(r.text), 'every line ends with CRLF');
    assert.ok(r.text.startsWith('# Day\r\n\r\n' + SUMMARY_START + '\r\n'));
    assert.ok(r.text.endsWith(SUMMARY_END + '\r\n\r\nMy notes\r\n'));
    const appended = refreshSummaryBlock('a\r\nb\r\n', block);
    assert.ok(appended.text.startsWith('a\r\nb\r\n\r\n') && !/[^\r]\n/.test(appended.text));
  });

  it('never swallows the trader\'s text after a start marker that lost its end marker', () => {
    const broken = `intro\n${SUMMARY_START}\nmy precious paragraph\n\nmore of mine\n`;
    const once = refreshSummaryBlock(broken, block);
    assert.strictEqual(once.action, 'appended');
    assert.ok(once.text.startsWith(broken));
    const twice = refreshSummaryBlock(once.text, block.replace('+$80.00', '+$81.00'));
    assert.strictEqual(twice.action, 'replaced');
    assert.ok(twice.text.startsWith(broken), 'the orphan and the text after it are kept');
  });
});

describe('trade notes and the note file', () => {
  it('a trade note is a heading carrying the trade id; it is found again after edits and added once', () => {
    const t = WEEK[5];
    const heading = tradeNoteHeading(1, t, CME);
    assert.strictEqual(heading, '### Trade 1: MESZ5 SHORT 1 at 17:45:00 (`F`)');
    const note = newDayNote('2025-01-07', tuesday());
    const a = ensureTradeNote(note, heading, 'F');
    assert.strictEqual(a.text.split('\n')[a.line], heading);
    const renamed = a.text.replace('### Trade 1: MESZ5 SHORT 1', '## My best fade');
    assert.strictEqual(findTradeNote(renamed, 'F'), a.line);
    assert.deepStrictEqual(ensureTradeNote(renamed, heading, 'F'), { text: renamed, line: a.line });
    assert.strictEqual(findTradeNote(renamed, 'E'), -1);
  });

  it('writeDayNote creates, refreshes and leaves an unchanged note alone', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'appsierra-notes-'));
    try {
      const block = tuesday();
      assert.deepStrictEqual(writeDayNote(path.join(dir, 'journal'), '2025-01-07', block), { path: path.join(dir, 'journal', '2025-01-07.md'), action: 'created' });
      const file = path.join(dir, 'journal', '2025-01-07.md');
      fs.appendFileSync(file, 'My own words.\n');
      assert.strictEqual(writeDayNote(path.join(dir, 'journal'), '2025-01-07', block).action, 'unchanged');
      assert.strictEqual(writeDayNote(path.join(dir, 'journal'), '2025-01-07', block.replace('+$80.00', '+$1.00')).action, 'replaced');
      const text = fs.readFileSync(file, 'utf8');
      assert.ok(text.includes('+$1.00') && text.endsWith('My own words.\n'));
      assert.deepStrictEqual(fs.readdirSync(path.join(dir, 'journal')), ['2025-01-07.md']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
