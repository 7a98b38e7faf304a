import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { openStore } from '../../../src/core/store';
import { TradeJournal } from '../../../src/core/journal';
import { ContractSpecs } from '../../../src/core/trading';
import { SimBalanceLedger, SimBalanceMirror } from '../../../src/core/sim';
import { buildPersistenceReport } from '../../../src/core/diagnostics/report';
import { MessageType } from '../../../src/core/dtc/messageTypes';
import type { DtcMessage } from '../../../src/core/dtc';
import { seededRng, type Rng } from '../../../src/core/dtc/random';
import { orderFill, type FillLine } from '../../fixtures/streams';

const NOW = Date.UTC(2025, 11, 2, 18, 0, 0);

/** HISTORICAL_ORDER_FILL_RESPONSE for a fill (times already in ms, as after normalizeTimes). */
function historicalFill(f: FillLine, n: number, total: number): DtcMessage {
  return {
    Type: MessageType.HISTORICAL_ORDER_FILL_RESPONSE, RequestID: 7, MessageNumber: n, TotalNumberMessages: total,
    Symbol: f.symbol, Exchange: '', ServerOrderID: `O-${f.execId}`, BuySell: f.side === 'BUY' ? 1 : 2,
    Price: f.price, DateTime: f.timeMs, Quantity: f.qty, UniqueExecutionID: f.execId, TradeAccount: f.account,
  };
}

/** One closed round trip (entry + exit fill). */
function roundTrip(id: string, account: string, symbol: string, entryMs: number, entry: number, exit: number): FillLine[] {
  return [
    { account, symbol, side: 'BUY', qty: 1, price: entry, timeMs: entryMs, execId: `${id}a` },
    { account, symbol, side: 'SELL', qty: 1, price: exit, timeMs: entryMs + 120_000, execId: `${id}b` },
  ];
}

function shuffle<T>(rng: Rng, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

// Yesterday's trades come as Sierra's fill history at logon; today's as live order updates.
const history = [
  roundTrip('h1', 'Sim1', 'MESZ5', Date.UTC(2025, 11, 1, 15, 0), 5000, 5004.25),
  roundTrip('h2', 'Sim1', 'MESZ5', Date.UTC(2025, 11, 1, 16, 0), 5010, 5007.5),
  roundTrip('h3', 'Sim1', 'MNQZ5', Date.UTC(2025, 11, 1, 17, 0), 21000, 21012),
  roundTrip('h4', 'Sim2', 'MESZ5', Date.UTC(2025, 11, 1, 15, 30), 5000, 4998),
];
const live = [
  roundTrip('l1', 'Sim1', 'MESZ5', Date.UTC(2025, 11, 2, 15, 0), 5020, 5023),
  roundTrip('l2', 'Sim1', 'MNQZ5', Date.UTC(2025, 11, 2, 15, 10), 21050, 21040.5),
  roundTrip('l3', 'Sim2', 'MESZ5', Date.UTC(2025, 11, 2, 15, 20), 5030, 5031),
];

/** A delivery: a list of steps, each a live round trip or the whole history batch (its fills in any order). */
type Step = { kind: 'live'; fills: FillLine[] } | { kind: 'history'; fills: FillLine[] };

async function deliver(dir: string, steps: Step[]) {
  const url = `sqlite:${path.join(dir, 'j.db')}`;
  const store = await openStore(url);
  const journal = new TradeJournal({ store, specs: new ContractSpecs(), simPattern: '^sim', startingBalance: 10000, now: () => NOW });
  try {
    await journal.open();
    for (const step of steps) {
      if (step.kind === 'live') for (const f of step.fills) await journal.handle(orderFill(f) as DtcMessage);
      else for (const [i, f] of step.fills.entries()) await journal.handle(historicalFill(f, i + 1, step.fills.length));
    }
    await journal.flush();
    assert.strictEqual(journal.counters.errors, 0);
    // What `monitor report` does: a fresh ledger from the stored events, the mirror next to the store.
    const mirror = new SimBalanceMirror(dir);
    assert.deepStrictEqual(mirror.write(journal.ledger, { nowMs: NOW }), { ok: true });
    const ledger = new SimBalanceLedger(10000);
    ledger.load(await store.simEvents());
    const report = await buildPersistenceReport({ store, ledger, mirror, pendingCommits: 0, startingBalance: 10000, nowMs: NOW });
    const trades = (await store.trades()).map((t) => [t.id, t.account, t.netPnl]).sort();
    return { report, trades, balances: ['Sim1', 'Sim2'].map((a) => ledger.balance(a)), live: ['Sim1', 'Sim2'].map((a) => journal.ledger.balance(a)) };
  } finally {
    journal.dispose();
    await store.close();
  }
}

describe('TradeJournal: SIM balance is the same whatever order fills arrive in (issue 9.2; real sql.js file)', function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'appsierra-simorder-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('live fills before the fill history (normal at logon) count every trade and the report is CONSISTENT', async () => {
    const hist: Step = { kind: 'history', fills: history.flat() };
    const first = await deliver(dir, [...live.map((fills): Step => ({ kind: 'live', fills })), hist]);
    const expected = (account: string) => Math.round((10000 + first.trades.filter((t) => t[1] === account).reduce((s, t) => s + (t[2] as number), 0)) * 100) / 100;
    assert.strictEqual(first.trades.length, 7);
    assert.deepStrictEqual(first.balances, [expected('Sim1'), expected('Sim2')], 'balance = start + every SIM trade');
    assert.deepStrictEqual(first.live, first.balances, 'the running ledger agrees with the stored one');
    assert.strictEqual(first.report.consistent, true, first.report.text);
    assert.match(first.report.text, /\*\*CONSISTENT\*\*/);
  });

  it('property: random orders of live round trips and the history batch give the same trades, balances and a CONSISTENT report', async () => {
    const rng = seededRng(9_2);
    let reference: Awaited<ReturnType<typeof deliver>> | null = null;
    for (let round = 0; round < 6; round++) {
      const sub = fs.mkdtempSync(path.join(dir, `r${round}-`));
      // History arrives as one batch (the journal sorts it), possibly split in two requests.
      const hist = shuffle(rng, history).map((t) => t);
      const cut = Math.floor(rng() * (hist.length + 1));
      const steps: Step[] = [
        ...live.map((fills): Step => ({ kind: 'live', fills })),
        ...[hist.slice(0, cut), hist.slice(cut)].filter((h) => h.length).map((h): Step => ({ kind: 'history', fills: shuffle(rng, h.flat()) })),
      ];
      const got = await deliver(sub, shuffle(rng, steps));
      assert.strictEqual(got.report.consistent, true, `round ${round}: ${got.report.text}`);
      if (!reference) reference = got;
      assert.deepStrictEqual(got.trades, reference.trades, `round ${round}: trades`);
      assert.deepStrictEqual(got.balances, reference.balances, `round ${round}: balances`);
    }
  });
});
