/**
 * AppCore: the headless product, a facade over three rooms: the TradeSession (store, journal
 * pipeline, SIM ledger and mirror, stats, alerts), the DtcConnection (client and demo feed), and
 * the projections (view models). It routes DTC messages into the session, turns both rooms'
 * events into "these views changed", and decides what a settings change reopens or reconnects.
 * The extension and the tests are thin shells over it. Nothing here imports 'vscode'.
 */
import type { AppCoreApi, AppCoreOptions, SimResetResult } from './appApi';
import type { AppSettings, ChangedKey } from './settings';
import type { Mode } from './trading/types';
import { DEFAULT_SELECTION, type ConnectionInfo, type Selection, type SnapshotMap, type ViewId } from './viewModels';
import { DtcConnection, type DemoFeedOptions } from './connection';
import { TradeSession } from './session';
import type { SessionBulk } from './import/sessionBulk';
import { project, type ProjectionInput } from './projections';
import { ContractSpecs } from './trading';
import { sessionForSettings } from './storeSession';
import { StoreCommands } from './diagnostics/storeCommands';
import { errorText } from './errors';
import { Emitter } from './events';
import { JournalModel } from './reports/journalModel';
import type { Trade } from './trading/types';
import { RiskWatch, type AccountRisk, type RiskNotice } from './risk';

export class AppCore implements AppCoreApi {
  private settings: AppSettings;
  private readonly log: AppCoreOptions['logger'];
  private readonly now: () => number;
  private readonly listeners = new Set<(views: ViewId[]) => void>();
  private readonly specs: ContractSpecs;
  private readonly connection: DtcConnection;
  private session: TradeSession;
  private sessionOffs: (() => void)[] = [];
  private storeUrl = '';
  private readyPromise: Promise<void> | null = null;
  private disposed = false;
  /** Views changed since the last notification: one notification per tick, however many events (issue 12). */
  private readonly pendingViews = new Set<ViewId>();
  private flushHandle: NodeJS.Immediate | null = null;
  /** Trades and reloads of whichever session is current (the store may be reopened). */
  private readonly sessionEvents = new Emitter<{ trade: (t: Trade) => void; reloaded: () => void }>((e, err) => this.log.error(`${e} listener: ${errorText(err)}`));
  /** The journal's trade index, built on first use (never on the activation path). */
  readonly journal: JournalModel;
  /** Check, init, health, persistence report and export of the configured store. */
  readonly database: StoreCommands;
  /** The risk guard (issue 15): checked when the balance state changes; it only warns. */
  private readonly risk: RiskWatch;

  constructor(private readonly options: AppCoreOptions) {
    this.settings = options.settings;
    this.log = options.logger;
    this.now = options.now ?? Date.now;
    this.specs = new ContractSpecs(this.settings.contractSpecs);
    this.session = this.createSession();
    this.journal = new JournalModel({
      store: () => (this.session.isOpen ? this.session : null),
      onTrade: (l) => this.sessionEvents.on('trade', l),
      onReloaded: (l) => this.sessionEvents.on('reloaded', l),
      session: () => ({ sessionStart: this.settings.session.start, timeZone: this.settings.session.timeZone }),
    });
    this.connection = new DtcConnection({
      dtc: this.settings.dtc,
      logger: this.log,
      getPassword: () => options.getSecret('dtcPassword'),
      ready: () => this.ready(),
      onMessage: (msg) => void this.session.handle(msg).catch((e) => this.log.error(`journal: ${errorText(e)}`)),
      afterStop: () => this.session.flush(),
    });
    this.connection.on('change', () => this.changed('balance', 'position'));
    this.database = new StoreCommands({
      storeUrl: () => this.storeUrl,
      storageDir: options.storageDir,
      wasmPath: options.wasmPath,
      getSecret: options.getSecret,
      settings: () => this.settings,
      specs: this.specs,
      session: () => this.ready().then(() => this.session),
      clientCounters: () => this.connection.clientCounters,
      riskCounters: () => this.risk.counters,
    });
    this.risk = new RiskWatch({ settings: () => this.settings.risk, input: () => this.projectionInput(DEFAULT_SELECTION), logger: this.log, now: this.now, record: (e) => this.session.recordRiskEvent(e) });
    this.onDidChange((views) => views.includes('balance') && this.risk.schedule());
  }

  // ---------------------------------------------------------------- lifecycle

  start(): void {
    if (this.readyPromise) return;
    this.readyPromise = this.session.open().then(
      () => {
        if (this.settings.dtc.autoConnect && !this.disposed && !this.connection.active) void this.connect().catch((e) => this.log.warn(`connect: ${errorText(e)}`));
      },
      (err) => {
        this.log.error(`store: ${errorText(err)}`);
        this.changed('balance', 'stats', 'position');
      },
    );
  }

  ready(): Promise<void> {
    if (!this.readyPromise) this.start();
    return this.readyPromise!.catch(() => undefined);
  }

  async history(): Promise<SessionBulk> {
    await this.ready();
    return this.session.history;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    if (this.flushHandle) clearImmediate(this.flushHandle);
    this.flushHandle = null;
    await this.connection.dispose();
    await this.session.close();
    this.listeners.clear();
  }

  onDidChange(listener: (views: ViewId[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A session for the configured store; its events become view changes. */
  private createSession(): TradeSession {
    const { session, url } = sessionForSettings(this.settings, this.specs, { ...this.options, now: this.now });
    this.storeUrl = url;
    this.sessionOffs = [
      session.on('trade', (t) => {
        this.changed('balance', 'position', 'stats');
        this.sessionEvents.emit('trade', t);
      }),
      session.on('state', () => this.changed('balance', 'position')),
      session.on('store', () => this.changed('balance')),
      session.on('reloaded', () => {
        this.changed('balance', 'position', 'stats');
        this.sessionEvents.emit('reloaded');
      }),
    ];
    return session;
  }

  // ---------------------------------------------------------------- views

  snapshot<V extends ViewId>(view: V, selection: Selection = DEFAULT_SELECTION): SnapshotMap[V] {
    return project(view, this.projectionInput(selection));
  }

  storeDescription(): string {
    return this.session.storeInfo.description;
  }

  connectionInfo(): ConnectionInfo {
    return this.connection.current;
  }

  accounts(): { account: string; mode: Mode }[] {
    return this.session.accounts().map((account) => ({ account, mode: this.session.modeOf(account) }));
  }

  /** The risk guard's status now: every account with a limit, or one account. */
  riskStatus(account?: string | null): AccountRisk[] {
    return this.risk.status(this.projectionInput(DEFAULT_SELECTION), account);
  }

  /** A risk threshold crossed for the first time this session (the shell shows it once). */
  onRiskNotice(listener: (n: RiskNotice) => void): () => void {
    return this.risk.onNotice(listener);
  }

  private projectionInput(selection: Selection): ProjectionInput {
    const s = this.settings;
    const input: ProjectionInput = {
      session: this.session,
      specs: this.specs,
      connection: this.connection.current,
      startingBalance: s.sim.startingBalance,
      tradingSession: { sessionStart: s.session.start, timeZone: s.session.timeZone },
      dtc: s.dtc,
      nowMs: this.now(),
      selection,
      riskOf: (account) => this.risk.statusOf(input, account),
    };
    return input;
  }

  // ---------------------------------------------------------------- SIM balance

  simResetPreview(account?: string | null): { account: string; balance: number; startingBalance: number } | null {
    const target = this.simAccountFor(account);
    const balance = target ? this.session.simBalance(target) : null;
    return target && balance !== null ? { account: target, balance, startingBalance: this.settings.sim.startingBalance } : null;
  }

  async resetSimBalance(account?: string | null): Promise<SimResetResult> {
    await this.ready();
    const target = this.simAccountFor(account);
    if (!target) {
      if (!this.session.isOpen) throw new Error('The trade store is not open, so the reset cannot be recorded. Run "APPSIERRA: Check Database".');
      throw new Error(`No SIM account is known yet (accounts matching /${this.settings.sim.accountPattern}/i). Connect to Sierra Chart or start the demo feed first.`);
    }
    const r = await this.session.resetSim(target);
    return { account: target, before: r.before, after: r.after };
  }

  /** The given account when it is SIM, else the first SIM account. */
  private simAccountFor(account?: string | null): string | null {
    if (account && this.session.modeOf(account) === 'SIM') return account;
    return this.session.simAccounts()[0] ?? null;
  }

  // ---------------------------------------------------------------- connection

  async connect(): Promise<void> {
    await this.connection.connect();
  }

  async disconnect(): Promise<void> {
    await this.connection.disconnect();
  }

  async startDemoFeed(options: DemoFeedOptions = {}): Promise<{ port: number }> {
    const session = { sessionStart: this.settings.session.start, timeZone: this.settings.session.timeZone };
    return this.connection.startDemoFeed({ session, ...options });
  }

  async stopDemoFeed(): Promise<void> {
    await this.connection.stopDemoFeed();
  }

  // ---------------------------------------------------------------- settings

  async updateSettings(settings: AppSettings, changed: readonly ChangedKey[]): Promise<void> {
    this.settings = settings;
    const touched = (prefix: string) => changed.some((k) => k === prefix || k.startsWith(prefix + '.'));
    if (touched('contractSpecs')) this.session.setSpecOverrides(settings.contractSpecs);
    if (touched('session')) this.journal.invalidate(); // days, hours and weekdays move with the session start
    if (touched('database') || (changed.includes('secrets.postgresPassword') && this.storeUrl.startsWith('postgres'))) {
      await this.reopenStore('database settings changed');
    } else if (changed.includes('sim.accountPattern')) {
      // The pattern decides every partition's mode: the engine is rebuilt, not patched.
      await this.reopenStore('SIM account pattern changed');
    }
    const dtcKeys = changed.filter((k) => k.startsWith('dtc.')).map((k) => k.slice('dtc.'.length) as keyof AppSettings['dtc']);
    await this.connection.updateSettings(settings.dtc, { keys: dtcKeys, password: changed.includes('secrets.dtcPassword') });
    this.session.setStartingBalance(settings.sim.startingBalance);
    this.session.setMonthlyReset(settings.sim.monthlyReset);
    if (touched('risk')) this.session.setAssumedStop({ defaultStopTicks: settings.risk.defaultStopTicks, byRoot: settings.risk.stopTicksByRoot });
    this.changed('balance', 'position', 'stats');
  }

  private async reopenStore(reason: string): Promise<void> {
    this.log.info(`${reason}: reopening the store`);
    const demoPort = this.connection.demoPort;
    const wasConnected = this.connection.active && !this.connection.current.demo;
    await this.connection.stopClient();
    for (const off of this.sessionOffs) off();
    await this.session.close();
    this.session = this.createSession();
    this.readyPromise = null;
    this.start(); // reconnects by itself when dtc.autoConnect is on
    await this.ready();
    this.sessionEvents.emit('reloaded'); // another store: the journal rebuilds its index
    if (demoPort !== null) await this.connection.resumeDemo(demoPort);
    else if (wasConnected && !this.settings.dtc.autoConnect) await this.connect();
  }

  /** Marks views changed; listeners hear once per tick (setImmediate), after every event of that tick. */
  private changed(...views: ViewId[]): void {
    if (this.disposed) return;
    for (const v of views) this.pendingViews.add(v);
    this.flushHandle ??= setImmediate(() => this.flushChanges());
  }

  private flushChanges(): void {
    this.flushHandle = null;
    const views = [...this.pendingViews];
    this.pendingViews.clear();
    if (this.disposed || !views.length) return;
    for (const l of this.listeners) {
      try {
        l(views);
      } catch (e) {
        this.log.error(`listener: ${errorText(e)}`);
      }
    }
  }
}

