/**
 * AppCore: the headless product. It composes the DTC client (or the built-in simulator), the trade
 * journal (engine + durable store + SIM ledger), the stats cache and the diagnostics, and turns
 * their state into the snapshots the views draw. The extension and the tests are thin shells over
 * it; the CLI uses the same pieces. Nothing here imports 'vscode'.
 */
import * as path from 'path';
import type { AppCoreApi, AppCoreOptions, CheckItem, SimResetResult, StatusBarModel } from './appApi';
import type { AppSettings } from './settings';
import type { Mode, Trade } from './trading/types';
import type { Timeframe } from './stats/types';
import type { BalanceSnapshot, ConnectionInfo, ConnectionState, PositionSnapshot, SnapshotMap, StatsSnapshot, StoreInfo, ViewId } from '../shared/protocol';
import type { TradeStore } from './store/types';
import { DtcClient, DtcSimulator } from './dtc';
import { ContractSpecs, KEY_SEP, contractKey, isSpecError, livePosition, modeOf, roundCents } from './trading';
import { SimBalanceMirror } from './sim';
import { StatsCache, downsampleEquity } from './stats';
import { openStore, resolveStoreUrl, maskUrl, OUTBOX_FILE, STORE_FILE, storeHome } from './store';
import { checkStore, initStore, storeHealth } from './diagnostics/database';
import { persistenceReport } from './diagnostics/report';
import { TradeJournal, errText } from './journal';
import { exportTrades } from './export';
import { formatMoney } from '../shared/format';

const EQUITY_POINTS = 600;
/** Daily bars the Stats view draws (the most recent sessions). */
const DAILY_BARS = 120;

export class AppCore implements AppCoreApi {
  private settings: AppSettings;
  private readonly log: AppCoreOptions['logger'];
  private readonly now: () => number;
  private readonly listeners = new Set<(views: ViewId[]) => void>();
  private readonly specs: ContractSpecs;
  private readonly stats = new StatsCache();
  /** The latest closed trade per (mode, account), for the Position view's flat state. */
  private readonly lastTrades = new Map<string, Trade>();
  private mirror: SimBalanceMirror;

  private store: TradeStore | null = null;
  private storeUrl = '';
  private storeState: StoreInfo = { description: '', state: 'loading', outboxPending: 0, detail: 'Loading the trade store…' };
  private journal: TradeJournal | null = null;
  private readyPromise: Promise<void> | null = null;
  private unsubscribe: (() => void) | null = null;

  private client: DtcClient | null = null;
  /** Bumped by every connect/disconnect: a connect still awaiting the store is superseded by a newer request. */
  private connectGen = 0;
  private simulator: DtcSimulator | null = null;
  private connection: ConnectionInfo;

  private timeframe: Timeframe = '1D';
  private statsMode: Mode = 'SIM';
  private account: string | null = null;
  private accountChosen = false;
  private alerts = new Map<string, string>();
  private healthTimer: NodeJS.Timeout | null = null;
  private mirrorTimer: NodeJS.Timeout | null = null;
  private disposed = false;

  constructor(private readonly options: AppCoreOptions) {
    this.settings = options.settings;
    this.log = options.logger;
    this.now = options.now ?? Date.now;
    this.specs = new ContractSpecs(this.settings.contractSpecs);
    this.mirror = new SimBalanceMirror(options.storageDir);
    this.connection = this.idleConnection();
  }

  // ---------------------------------------------------------------- lifecycle

  start(): void {
    if (this.readyPromise) return;
    this.readyPromise = this.loadStore().then(
      () => {
        if (this.settings.dtc.autoConnect && !this.disposed && !this.client) void this.connect().catch((e) => this.log.warn(`connect: ${errText(e)}`));
      },
      (err) => {
        this.storeState = { ...this.storeState, state: 'failed', detail: errText(err) };
        this.alert('store', `The trade store could not be opened: ${errText(err)}. Run "APPSIERRA: Check Database" for details.`);
        this.log.error(`store: ${errText(err)}`);
        this.changed('balance', 'stats', 'position');
      },
    );
  }

  ready(): Promise<void> {
    if (!this.readyPromise) this.start();
    return this.readyPromise!.catch(() => undefined);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    if (this.healthTimer) clearInterval(this.healthTimer);
    if (this.mirrorTimer) clearTimeout(this.mirrorTimer);
    await this.stopClient();
    await this.simulator?.stop().catch(() => undefined);
    this.simulator = null;
    if (this.journal) {
      await this.journal.flush();
      this.writeMirrorNow();
      this.journal.dispose();
    }
    this.unsubscribe?.();
    await this.store?.close().catch((e) => this.log.error(`store close: ${errText(e)}`));
    this.store = null;
    this.listeners.clear();
  }

  onDidChange(listener: (views: ViewId[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---------------------------------------------------------------- store

  private async loadStore(): Promise<void> {
    const started = this.now();
    this.storeUrl = resolveStoreUrl(this.settings.database, path.join(this.options.storageDir, STORE_FILE));
    this.storeState = { description: maskUrl(this.storeUrl), state: 'loading', outboxPending: 0, detail: 'Loading the trade store…' };
    this.mirror = new SimBalanceMirror(this.storeHome());
    this.changed('balance');
    const password = this.storeUrl.startsWith('postgres') ? await this.options.getSecret('postgresPassword') : undefined;
    const store = await openStore(this.storeUrl, {
      password,
      wasmPath: this.options.wasmPath,
      outboxPath: path.join(this.storeHome(), OUTBOX_FILE),
      // A follower (another window holds the writer lock) polls for the writer's commits.
      followMs: 2000,
      onChange: () => this.onStoreChanged(),
      onStateChange: () => void this.refreshStoreHealth(),
    });
    if (this.disposed) {
      await store.close();
      return;
    }
    this.store = store;
    this.alerts.delete('store');
    const journal = new TradeJournal({
      store,
      specs: this.specs,
      simPattern: this.settings.sim.accountPattern,
      startingBalance: this.settings.sim.startingBalance,
      now: this.now,
    });
    await journal.open();
    this.journal = journal;
    this.loadTrades(await store.trades());
    this.unsubscribe = journal.subscribe({
      onTradeCommitted: (t) => this.onTrade(t),
      onSimEvent: () => this.scheduleMirror(),
      onStateChange: () => this.changed('balance', 'position'),
      onProblem: (m) => {
        this.log.warn(m);
        this.changed('balance');
      },
    });
    await this.refreshStoreHealth();
    journal.setFollower(this.storeState.state === 'readonly');
    await this.checkSimMirror();
    await this.monthlyResets();
    this.healthTimer = setInterval(() => {
      void this.refreshStoreHealth();
      void this.monthlyResets();
    }, 5000);
    this.healthTimer.unref?.();
    this.log.info(`store ready: ${this.storeState.description} (${this.tradeCount} trades, ${this.now() - started} ms)`);
    this.changed('balance', 'position', 'stats');
  }

  /** The writer committed (we follow it), or we just took over the writer lock: reload what we show. */
  private onStoreChanged(): void {
    void (async () => {
      if (!this.journal || !this.store) return;
      await this.journal.reload();
      this.loadTrades(await this.store.trades());
      await this.refreshStoreHealth();
      this.changed('balance', 'position', 'stats');
    })().catch((e) => this.log.warn(`follow: ${errText(e)}`));
  }

  private async refreshStoreHealth(): Promise<void> {
    if (!this.store) return;
    try {
      const h = await this.store.health();
      const next: StoreInfo = { description: h.store || maskUrl(this.storeUrl), state: h.state === 'failed' ? 'failed' : h.state, outboxPending: h.outboxPending, detail: h.detail };
      const pendingCommits = this.journal?.pendingCommits ?? 0;
      if (pendingCommits > 0) next.detail = `${pendingCommits} commit(s) waiting to be saved. ${next.detail}`;
      if (JSON.stringify(next) !== JSON.stringify(this.storeState)) {
        this.storeState = next;
        this.journal?.setFollower(next.state === 'readonly');
        this.changed('balance');
      }
    } catch (e) {
      this.storeState = { ...this.storeState, state: 'failed', detail: errText(e) };
      this.changed('balance');
    }
  }

  private loadTrades(trades: Trade[]): void {
    this.stats.load(trades);
    this.lastTrades.clear();
    for (const t of trades) this.rememberLast(t);
  }

  private rememberLast(t: Trade): void {
    const k = lastTradeKey(t.mode, t.account);
    const prev = this.lastTrades.get(k);
    if (!prev || prev.exitTime <= t.exitTime) this.lastTrades.set(k, t);
  }

  private get tradeCount(): number {
    return this.stats.size('SIM') + this.stats.size('LIVE');
  }

  private onTrade(t: Trade): void {
    this.stats.append(t);
    this.rememberLast(t);
    this.changed('balance', 'position', 'stats');
  }

  // ---------------------------------------------------------------- SIM balance

  private scheduleMirror(): void {
    if (this.mirrorTimer) return;
    this.mirrorTimer = setTimeout(() => {
      this.mirrorTimer = null;
      this.writeMirrorNow();
    }, 200);
    this.mirrorTimer.unref?.();
    this.changed('balance');
  }

  private writeMirrorNow(): void {
    if (!this.journal || this.storeState.state === 'readonly') return;
    try {
      const r = this.mirror.write(this.journal.ledger, { nowMs: this.now(), accounts: this.journal.simAccounts() });
      if (!r.ok) this.log.warn(`sim_balance.json: ${r.message}`);
    } catch (e) {
      this.log.warn(`sim_balance.json: ${errText(e)}`);
    }
  }

  private async checkSimMirror(): Promise<void> {
    if (!this.journal) return;
    const firstRun = (() => {
      const r = this.mirror.read();
      return !r.ok && r.problem === 'missing';
    })();
    const mismatches = firstRun ? [] : this.mirror.compare(this.journal.ledger, { accounts: this.journal.simAccounts() });
    for (const m of mismatches) this.log.warn(`sim_balance.json: ${m} (the ledger wins; the file is rewritten)`);
    this.writeMirrorNow();
  }

  /** The first session of a new month resets SIM balances (checked at start and while running). */
  private async monthlyResets(): Promise<void> {
    if (!this.journal || !this.settings.sim.monthlyReset || this.storeState.state === 'readonly') return;
    try {
      const reset = await this.journal.applyMonthlyResets();
      if (reset.length) {
        this.log.info(`monthly SIM reset: ${reset.join(', ')} back to ${formatMoney(this.settings.sim.startingBalance)}`);
        this.writeMirrorNow();
        this.changed('balance');
      }
    } catch (e) {
      this.log.warn(`monthly SIM reset failed: ${errText(e)}`);
    }
  }

  simResetPreview(account?: string): { account: string; balance: number; startingBalance: number } | null {
    const target = this.simAccountFor(account);
    if (!target || !this.journal) return null;
    return { account: target, balance: this.journal.ledger.balance(target), startingBalance: this.settings.sim.startingBalance };
  }

  async resetSimBalance(account?: string): Promise<SimResetResult> {
    await this.ready();
    if (!this.journal) throw new Error('The trade store is not open, so the reset cannot be recorded. Run "APPSIERRA: Check Database".');
    if (this.storeState.state === 'readonly') throw new Error('Another VS Code window (or the CLI) holds the store; reset the SIM balance there.');
    const target = this.simAccountFor(account);
    if (!target) throw new Error(`No SIM account is known yet (accounts matching /${this.settings.sim.accountPattern}/i). Connect to Sierra Chart or start the demo feed first.`);
    const r = await this.journal.reset(target, 'manual', this.settings.sim.startingBalance);
    this.writeMirrorNow();
    this.log.info(`SIM balance reset for ${target}: ${formatMoney(r.before)} -> ${formatMoney(r.after)}`);
    this.changed('balance');
    return { account: target, before: r.before, after: r.after };
  }

  private simAccountFor(account?: string): string | null {
    if (account) return modeOf(account, this.settings.sim.accountPattern) === 'SIM' ? account : null;
    const active = this.activeAccount();
    if (active && modeOf(active, this.settings.sim.accountPattern) === 'SIM') return active;
    return this.journal?.simAccounts()[0] ?? null;
  }

  // ---------------------------------------------------------------- connection

  async connect(): Promise<void> {
    await this.stopClient();
    const dtc = this.settings.dtc;
    await this.startClient(dtc.host, dtc.port, false);
  }

  async disconnect(): Promise<void> {
    await this.stopClient();
    this.connection = { ...this.idleConnection(), state: 'disconnected' };
    this.changed('balance', 'position');
  }

  async startDemoFeed(options: { seed?: number; speed?: number; scenario?: string } = {}): Promise<{ port: number }> {
    await this.stopDemoFeed();
    await this.stopClient();
    const sim = new DtcSimulator({
      host: '127.0.0.1',
      port: 0,
      scenario: options.scenario ?? 'random-day',
      // A new seed per start, so each demo session differs; tests pass one to replay a session.
      seed: options.seed ?? Math.floor(Math.random() * 1e9),
      speed: options.speed ?? 1,
      logger: this.log,
    });
    const { port } = await sim.start();
    this.simulator = sim;
    this.log.info(`demo feed: simulator on 127.0.0.1:${port} (${options.scenario ?? 'random-day'})`);
    await this.startClient('127.0.0.1', port, true);
    return { port };
  }

  async stopDemoFeed(): Promise<void> {
    if (!this.simulator) return;
    const wasDemo = this.connection.demo;
    if (wasDemo) await this.stopClient();
    await this.simulator.stop().catch(() => undefined);
    this.simulator = null;
    if (wasDemo) {
      this.connection = { ...this.idleConnection(), state: 'disconnected' };
      this.changed('balance', 'position');
    }
  }

  private async startClient(host: string, port: number, demo: boolean): Promise<void> {
    const gen = ++this.connectGen;
    await this.ready();
    const dtc = this.settings.dtc;
    const password = demo ? undefined : await this.options.getSecret('dtcPassword');
    if (gen !== this.connectGen || this.disposed) return;
    const previous = this.client;
    if (previous) {
      previous.removeAllListeners();
      void previous.stop();
    }
    const client = new DtcClient({
      host,
      port,
      encoding: dtc.encoding,
      heartbeatSeconds: dtc.heartbeatSeconds,
      clientName: dtc.clientName,
      username: demo ? undefined : dtc.username || undefined,
      password: password || undefined,
      logger: this.log,
    });
    this.client = client;
    this.connection = { state: 'connecting', host, port, serverName: null, lastError: null, nextRetryAt: null, demo };
    client.on('state', (state: ConnectionState) => {
      if (this.client !== client) return;
      this.connection = { ...this.connection, state, serverName: client.serverName ?? null, nextRetryAt: client.nextRetryAt ?? null };
      if (state === 'connected') this.connection.lastError = null;
      this.log.info(`dtc ${host}:${port}: ${state}`);
      this.changed('balance', 'position');
    });
    client.on('error', (message: string) => {
      if (this.client !== client) return;
      this.connection = { ...this.connection, lastError: message };
      this.log.warn(`dtc: ${message}`);
      this.changed('balance');
    });
    client.on('message', (msg) => {
      if (this.client !== client || !this.journal) return;
      this.journal.handle(msg).catch((e) => this.log.error(`journal: ${errText(e)}`));
    });
    client.start();
    this.changed('balance', 'position');
  }

  private async stopClient(): Promise<void> {
    this.connectGen++;
    const client = this.client;
    this.client = null;
    if (client) {
      client.removeAllListeners();
      await client.stop().catch(() => undefined);
    }
    await this.journal?.flush();
  }

  // ---------------------------------------------------------------- selection

  setTimeframe(tf: Timeframe): void {
    this.timeframe = tf;
    this.changed('stats');
  }

  setMode(mode: Mode): void {
    if (this.statsMode === mode) return;
    this.statsMode = mode;
    const active = this.activeAccount();
    if (active && modeOf(active, this.settings.sim.accountPattern) !== mode) {
      this.account = this.accountsOf(mode)[0] ?? null;
    }
    this.changed('balance', 'position', 'stats');
  }

  setAccount(account: string | null): void {
    if (account !== null && !this.knownAccounts().includes(account)) return;
    this.account = account;
    this.accountChosen = account !== null;
    if (account) this.statsMode = modeOf(account, this.settings.sim.accountPattern);
    this.changed('balance', 'position', 'stats');
  }

  private knownAccounts(): string[] {
    const set = new Set<string>(this.journal ? [...this.journal.accounts] : []);
    for (const m of ['SIM', 'LIVE'] as const) for (const a of this.stats.accounts(m)) set.add(a);
    return [...set].sort(compareAccounts);
  }

  private accountsOf(mode: Mode): string[] {
    return this.knownAccounts().filter((a) => modeOf(a, this.settings.sim.accountPattern) === mode);
  }

  /** The account the Balance and Position views follow: the chosen one, else the one trading last, else the first of the mode. */
  private activeAccount(): string | null {
    if (this.accountChosen && this.account) return this.account;
    const last = this.journal?.mostRecentTrade;
    const open = this.journal?.engine.positions().filter((p) => p.mode === this.statsMode).sort((a, b) => b.lastFillTime - a.lastFillTime)[0];
    if (open) return open.account;
    if (last && last.mode === this.statsMode) return last.account;
    return this.account ?? this.accountsOf(this.statsMode)[0] ?? null;
  }

  // ---------------------------------------------------------------- snapshots

  snapshot<V extends ViewId>(view: V): SnapshotMap[V] {
    switch (view) {
      case 'balance':
        return this.balanceSnapshot() as SnapshotMap[V];
      case 'position':
        return this.positionSnapshot() as SnapshotMap[V];
      default:
        return this.statsSnapshot() as SnapshotMap[V];
    }
  }

  /** Now, or the latest exit if the server's clock runs ahead of ours, so a trade just closed never drops out of 1D. */
  private clock(mode: Mode): number {
    return Math.max(this.now(), (this.stats.latestExit(mode) ?? 0) + 1);
  }

  private session() {
    return { sessionStart: this.settings.session.start, timeZone: this.settings.session.timeZone };
  }

  private balanceSnapshot(): BalanceSnapshot {
    const account = this.activeAccount();
    const mode = account ? modeOf(account, this.settings.sim.accountPattern) : this.statsMode;
    const today = this.stats.grid({ mode, account, timeframe: '1D', nowMs: this.clock(mode), session: this.session() });
    const openPnl = account ? this.openPnl(account) : null;
    let balance: number | null = null;
    let lastReset: number | null = null;
    if (account && this.journal) {
      if (mode === 'SIM') {
        balance = this.journal.ledger.balance(account);
        lastReset = this.journal.ledger.lastReset(account);
      } else {
        balance = this.journal.balances.get(account)?.cashBalance ?? null;
      }
    }
    return {
      loading: this.storeState.state === 'loading',
      mode,
      account,
      accounts: this.knownAccounts(),
      balance,
      openPnl,
      equity: balance === null ? null : roundCents(balance + (openPnl ?? 0)),
      dailyPnl: today.totalPnl,
      tradesToday: today.trades,
      startingBalance: this.settings.sim.startingBalance,
      lastReset,
      connection: this.connectionInfo(),
      store: { ...this.storeState },
      alerts: this.currentAlerts(),
    };
  }

  private openPnl(account: string): number | null {
    if (!this.journal) return null;
    let total = 0;
    let known = false;
    for (const p of this.journal.engine.positions()) {
      if (p.account !== account || p.qty === 0) continue;
      const live = this.live(p);
      if (live?.openPnl != null) {
        total += live.openPnl;
        known = true;
      }
    }
    return known ? roundCents(total) : this.journal.engine.positions().some((p) => p.account === account && p.qty !== 0) ? null : 0;
  }

  private live(p: ReturnType<TradeJournal['engine']['positions']>[number]) {
    if (!this.journal) return null;
    const spec = this.specs.resolve(p.symbol);
    const server = this.journal.serverPositions.get(contractKey(p.account, p.symbol));
    const orders = this.journal.engine.workingOrders(p.account, p.symbol);
    const serverOpenPnl = server && server.qty === p.qty ? (server.openPnl ?? null) : null;
    return livePosition({
      position: p,
      spec,
      mark: impliedMark(p.avgPrice, p.qty, serverOpenPnl, isSpecError(spec) ? null : spec.pointValue, isSpecError(spec) ? null : spec.tickSize),
      serverOpenPnl,
      stop: orders.stop,
      target: orders.target,
      nowMs: this.now(),
    });
  }

  private positionSnapshot(): PositionSnapshot {
    const account = this.activeAccount();
    const mode = account ? modeOf(account, this.settings.sim.accountPattern) : this.statsMode;
    const base: PositionSnapshot = { loading: this.storeState.state === 'loading', account, mode, open: null, lastTrade: null, now: this.now() };
    if (!this.journal || !account) return base;
    const p = this.journal.engine
      .positions()
      .filter((x) => x.account === account && x.qty !== 0)
      .sort((a, b) => b.lastFillTime - a.lastFillTime)[0];
    const live = p ? this.live(p) : null;
    if (live) {
      // The view shows the live position minus the engine's bookkeeping fields.
      const { timeInTradeMs: _elapsed, initialRisk: _risk, ...open } = live;
      base.open = open;
    }
    const last = this.lastTrades.get(lastTradeKey(mode, account));
    if (last) {
      base.lastTrade = { symbol: last.symbol, side: last.side, qty: last.qty, avgEntryPrice: last.avgEntryPrice, avgExitPrice: last.avgExitPrice, netPnl: last.netPnl, exitTime: last.exitTime };
    }
    return base;
  }

  private statsSnapshot(): StatsSnapshot {
    const active = this.accountChosen ? this.account : null;
    const account = active && modeOf(active, this.settings.sim.accountPattern) === this.statsMode ? active : null;
    const filter = { mode: this.statsMode, account, timeframe: this.timeframe, nowMs: this.clock(this.statsMode), session: this.session() };
    const grid = this.stats.grid(filter);
    let emptyReason: string | null = null;
    if (grid.trades === 0) {
      const scope = account ? `${this.statsMode} trades on ${account}` : `${this.statsMode} trades`;
      emptyReason =
        this.tradeCount === 0
          ? `No closed trades yet. Connect to Sierra Chart (DTC server on ${this.settings.dtc.host}:${this.settings.dtc.port}) or start the demo feed.`
          : `No closed ${scope} in ${this.timeframe === 'ALL' ? 'the history' : this.timeframe}. Pick a longer timeframe or switch SIM/LIVE.`;
    }
    return {
      loading: this.storeState.state === 'loading',
      mode: this.statsMode,
      account,
      accounts: this.accountsOf(this.statsMode),
      timeframe: this.timeframe,
      grid,
      // The chart is ~300 px wide: 600 points keep every peak and trough without flooding postMessage.
      equityCurve: downsampleEquity(this.stats.equityCurve(filter), EQUITY_POINTS),
      daily: this.stats.daily(filter).slice(-DAILY_BARS),
      emptyReason,
    };
  }

  connectionInfo(): ConnectionInfo {
    return { ...this.connection };
  }

  statusBar(): StatusBarModel {
    const b = this.balanceSnapshot();
    const pnl = b.dailyPnl;
    const tone = pnl > 0 ? 'profit' : pnl < 0 ? 'loss' : 'flat';
    const connected = this.connection.state === 'connected';
    const degraded = this.storeState.state === 'outbox' || this.storeState.state === 'failed' || (this.journal?.pendingCommits ?? 0) > 0;
    const icon = degraded ? '$(warning)' : connected ? '$(pulse)' : '$(debug-disconnect)';
    let text = `${icon} ${b.mode} ${formatMoney(pnl, true)}`;
    if (this.settings.statusBar.format === 'pnl-and-balance' && b.balance !== null) text += ` · ${formatMoney(b.balance)}`;
    if (this.storeState.state === 'loading') text = `$(sync~spin) APPSIERRA`;
    const rows = [
      `**APPSIERRA** — ${b.mode}${b.account ? ` · ${b.account}` : ''}`,
      '',
      `| | |`,
      `|---|---|`,
      `| Today's P&L | ${formatMoney(pnl, true)} (${b.tradesToday} trade${b.tradesToday === 1 ? '' : 's'}) |`,
      `| Balance | ${b.balance === null ? '—' : formatMoney(b.balance)} |`,
      `| Open P&L | ${b.openPnl === null ? '—' : formatMoney(b.openPnl, true)} |`,
      `| Connection | ${connectionText(this.connection)} |`,
      `| Store | ${this.storeState.description} (${this.storeState.state}${this.storeState.outboxPending ? `, outbox: ${this.storeState.outboxPending} pending` : ''}) |`,
    ];
    const alerts = this.currentAlerts();
    if (alerts.length) rows.push('', ...alerts.map((a) => `$(warning) ${a}`));
    rows.push('', 'Click to open the Balance view.');
    return { text, tone, warning: !connected || degraded, tooltip: rows.join('\n') };
  }

  // ---------------------------------------------------------------- diagnostics

  private storeOpts() {
    return { wasmPath: this.options.wasmPath, outboxPath: path.join(this.storeHome(), OUTBOX_FILE) };
  }

  /** This store's own folder (outbox, SIM mirror): two stores never share them. */
  private storeHome(): string {
    const url = this.storeUrl || resolveStoreUrl(this.settings.database, path.join(this.options.storageDir, STORE_FILE));
    try {
      return storeHome(url, this.options.storageDir);
    } catch {
      return this.options.storageDir; // an invalid URL fails at open with its own message
    }
  }

  /**
   * The same checks as `appsierra db check` (configuration, connectivity, schema, a real
   * write/read round trip, outbox, lock holder; SQLite is opened read-only beside our writer),
   * plus what only this window knows: commits waiting in memory and the SIM mirror.
   */
  async checkDatabase(): Promise<CheckItem[]> {
    await this.ready();
    const password = await this.options.getSecret('postgresPassword');
    const url = this.storeUrl || resolveStoreUrl(this.settings.database, path.join(this.options.storageDir, STORE_FILE));
    const items = await checkStore(url, { ...this.storeOpts(), password });
    if (this.journal) {
      const pending = this.journal.pendingCommits;
      items.push({ name: 'unsaved commits', ok: pending === 0, detail: pending ? `${pending} waiting in memory to be retried` : 'none' });
      const mirror = this.mirror.compare(this.journal.ledger, { accounts: this.journal.simAccounts() });
      items.push({ name: 'SIM balance mirror', ok: mirror.length === 0, detail: mirror.length ? mirror.join('; ') : `sim_balance.json matches the ledger` });
    }
    return items;
  }

  async initDatabase(): Promise<string> {
    await this.ready();
    if (this.store) return `${this.storeState.description}: schema version ${await this.store.schemaVersion()} is current (migrations run when the store opens).`;
    const password = await this.options.getSecret('postgresPassword');
    return initStore(this.storeUrl, { ...this.storeOpts(), password });
  }

  async databaseHealth(): Promise<{ ok: boolean; detail: string }> {
    await this.ready();
    if (this.store) {
      const h = await this.store.health();
      return { ok: h.ok && (this.journal?.pendingCommits ?? 0) === 0, detail: `${h.store}: ${h.state}, ${h.detail}` };
    }
    const password = await this.options.getSecret('postgresPassword');
    return storeHealth(this.storeUrl, { ...this.storeOpts(), password });
  }

  async persistenceReport(): Promise<string> {
    await this.ready();
    if (!this.store || !this.journal) return `# APPSIERRA persistence report\n\nThe trade store is not open: ${this.storeState.detail}\n`;
    return persistenceReport({
      store: this.store,
      ledger: this.journal.ledger,
      mirror: this.mirror,
      pendingCommits: this.journal.pendingCommits,
      counters: this.journal.counters,
      startingBalance: this.settings.sim.startingBalance,
      nowMs: this.now(),
    });
  }

  async exportTrades(format: 'csv' | 'json', mode?: Mode): Promise<string> {
    await this.ready();
    if (!this.store) throw new Error(`The trade store is not open: ${this.storeState.detail}`);
    return exportTrades(await this.store.trades(mode ? { mode } : undefined), format, await this.store.tradeTags());
  }

  // ---------------------------------------------------------------- settings

  async updateSettings(settings: AppSettings, changed: string[]): Promise<void> {
    const prev = this.settings;
    this.settings = settings;
    const touched = (prefix: string) => changed.some((k) => k === prefix || k.startsWith(prefix + '.'));
    if (touched('contractSpecs')) this.specs.setOverrides(settings.contractSpecs);
    if (touched('database') || (changed.includes('secrets.postgresPassword') && this.storeUrl.startsWith('postgres'))) {
      await this.reopenStore('database settings changed');
    } else if (changed.includes('sim.accountPattern')) {
      // The pattern decides every partition's mode: the engine is rebuilt, not patched.
      await this.reopenStore('SIM account pattern changed');
    }
    const dtcKeys = ['dtc.host', 'dtc.port', 'dtc.encoding', 'dtc.heartbeatSeconds', 'dtc.username', 'dtc.clientName'];
    if (!this.client && (changed.includes('dtc.host') || changed.includes('dtc.port'))) {
      // Disconnected: the views show where the next Connect will go.
      this.connection = { ...this.connection, host: settings.dtc.host, port: settings.dtc.port, demo: false };
    }
    if ([...dtcKeys, 'secrets.dtcPassword'].some((k) => changed.includes(k)) && this.client && !this.connection.demo) {
      this.log.info('DTC settings changed: reconnecting');
      await this.connect();
    } else if (changed.includes('dtc.autoConnect') && settings.dtc.autoConnect && !prev.dtc.autoConnect && !this.client) {
      await this.connect();
    }
    if (changed.includes('sim.startingBalance')) {
      // A new starting balance applies to new SIM accounts and the next reset; history is never rewritten.
      this.journal?.setStartingBalance(settings.sim.startingBalance);
    }
    this.changed('balance', 'position', 'stats');
  }

  private async reopenStore(reason: string): Promise<void> {
    this.log.info(`${reason}: reopening the store`);
    const demoPort = this.connection.demo && this.simulator ? this.simulator.port : null;
    const wasConnected = this.client !== null && !this.connection.demo;
    await this.stopClient();
    if (this.journal) {
      await this.journal.flush();
      this.journal.dispose();
    }
    this.unsubscribe?.();
    if (this.healthTimer) clearInterval(this.healthTimer);
    await this.store?.close().catch(() => undefined);
    this.store = null;
    this.journal = null;
    this.readyPromise = null;
    this.loadTrades([]);
    this.start(); // reconnects by itself when dtc.autoConnect is on
    await this.ready();
    if (demoPort !== null) await this.startClient('127.0.0.1', demoPort, true);
    else if (wasConnected && !this.settings.dtc.autoConnect) await this.connect();
  }

  // ---------------------------------------------------------------- helpers

  private alert(key: string, message: string): void {
    this.alerts.set(key, message);
  }

  private currentAlerts(): string[] {
    return [...this.alerts.values(), ...(this.journal ? [...this.journal.problems.values()] : [])];
  }

  private idleConnection(): ConnectionInfo {
    return { state: 'disconnected', host: this.settings.dtc.host, port: this.settings.dtc.port, serverName: null, lastError: null, nextRetryAt: null, demo: false };
  }

  private changed(...views: ViewId[]): void {
    if (this.disposed) return;
    for (const l of this.listeners) {
      try {
        l(views);
      } catch (e) {
        this.log.error(`listener: ${errText(e)}`);
      }
    }
  }
}

function lastTradeKey(mode: Mode, account: string): string {
  return mode + KEY_SEP + account;
}

/**
 * Sierra's DTC server sends no market data (PROTOCOL.md §9), but POSITION_UPDATE carries the open
 * P&L at its own mark: mark = avg + openPnl / (signed qty x point value), rounded to the tick.
 */
export function impliedMark(avg: number, qty: number, openPnl: number | null, pointValue: number | null, tickSize: number | null): number | null {
  if (openPnl === null || !pointValue || qty === 0) return null;
  const mark = avg + openPnl / (qty * pointValue);
  return tickSize ? Math.round(mark / tickSize) * tickSize : mark;
}

function connectionText(c: ConnectionInfo): string {
  const where = c.demo ? `demo feed (127.0.0.1:${c.port})` : `${c.host}:${c.port}`;
  return `${c.state} — ${where}${c.lastError ? ` — ${c.lastError}` : ''}`;
}

/** Sim accounts first, then the rest, each in natural order (Sim2 before Sim10). */
function compareAccounts(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

