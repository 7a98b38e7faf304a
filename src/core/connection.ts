/**
 * DtcConnection: the one DTC client of a window and the built-in demo feed (simulator) it may talk
 * to. A generation counter makes a newer connect/disconnect supersede one still waiting (for the
 * store, for a password), so there is never a second, orphaned client. Messages go to `onMessage`
 * (the session); state changes come out as typed events.
 */
import type { AppLogger } from './appApi';
import type { AppSettings } from './settings';
import type { SessionConfig } from './stats/types';
import type { ConnectionInfo } from './viewModels';
import { DtcClient, DtcSimulator, type ConnectionState, type DtcClientCounters, type DtcMessage } from './dtc';
import { Emitter } from './events';
import { errorText } from './errors';

export interface DemoFeedOptions {
  seed?: number;
  speed?: number;
  scenario?: string;
  /** The trading session the seeded history is placed in (the app's session setting), so "today" has trades. */
  session?: SessionConfig;
}

export interface DtcConnectionOptions {
  dtc: AppSettings['dtc'];
  logger: AppLogger;
  getPassword(): Promise<string | undefined>;
  /** Resolves when messages can be handled (the store is open); a connect waits for it. */
  ready(): Promise<void>;
  onMessage(msg: DtcMessage): void;
  /** After a client stops: lets the session make what it received durable. */
  afterStop(): Promise<void>;
}

export type ConnectionEvents = {
  /** The connection info changed (state, error, target). */
  change: () => void;
};

/** DTC settings whose change makes a live (non-demo) connection log on again. */
const RECONNECT_KEYS = ['host', 'port', 'encoding', 'heartbeatSeconds', 'username', 'clientName'] as const satisfies readonly (keyof AppSettings['dtc'])[];

export class DtcConnection {
  private readonly events: Emitter<ConnectionEvents>;
  private dtc: AppSettings['dtc'];
  private client: DtcClient | null = null;
  private simulator: DtcSimulator | null = null;
  /** Bumped by every connect/disconnect: a connect still awaiting the store is superseded by a newer request. */
  private gen = 0;
  private info: ConnectionInfo;
  private disposed = false;

  constructor(private readonly opts: DtcConnectionOptions) {
    this.dtc = opts.dtc;
    this.info = this.idle('disconnected');
    this.events = new Emitter((event, e) => opts.logger.error(`connection ${event} listener: ${errorText(e)}`));
  }

  on<K extends keyof ConnectionEvents>(event: K, listener: ConnectionEvents[K]): () => void {
    return this.events.on(event, listener);
  }

  get current(): ConnectionInfo {
    return { ...this.info };
  }

  /** What the client counted (malformed, truncated, undecodable... per session and per connection), or null without one. */
  get clientCounters(): DtcClientCounters | null {
    return this.client?.counters ?? null;
  }

  /** A client exists (connected or trying). */
  get active(): boolean {
    return this.client !== null;
  }

  get demoPort(): number | null {
    return this.info.demo && this.simulator ? this.simulator.port : null;
  }

  async connect(): Promise<void> {
    await this.stopClient();
    await this.startClient(this.dtc.host, this.dtc.port, false);
  }

  async disconnect(): Promise<void> {
    await this.stopClient();
    this.set(this.idle('disconnected'));
  }

  async startDemoFeed(options: DemoFeedOptions = {}): Promise<{ port: number }> {
    await this.stopDemoFeed();
    await this.stopClient();
    const scenario = options.scenario ?? 'random-day';
    const sim = new DtcSimulator({
      host: '127.0.0.1',
      port: 0,
      scenario,
      // A new seed per start, so each demo session differs; tests pass one to replay a session.
      seed: options.seed ?? Math.floor(Math.random() * 1e9),
      speed: options.speed ?? 1,
      session: options.session,
      logger: this.opts.logger,
    });
    const { port } = await sim.start();
    this.simulator = sim;
    this.opts.logger.info(`demo feed: simulator on 127.0.0.1:${port} (${scenario})`);
    await this.startClient('127.0.0.1', port, true);
    return { port };
  }

  async stopDemoFeed(): Promise<void> {
    if (!this.simulator) return;
    const wasDemo = this.info.demo;
    if (wasDemo) await this.stopClient();
    await this.simulator.stop().catch(() => undefined);
    this.simulator = null;
    if (wasDemo) this.set(this.idle('disconnected'));
  }

  /** Connects again to the demo feed that is still running (after the store reopened). */
  async resumeDemo(port: number): Promise<void> {
    await this.startClient('127.0.0.1', port, true);
  }

  /** Stops the client (the simulator keeps running); the caller decides what comes next. */
  async stopClient(): Promise<void> {
    this.gen++;
    const client = this.client;
    this.client = null;
    if (client) {
      client.removeAllListeners();
      await client.stop().catch(() => undefined);
    }
    await this.opts.afterStop();
  }

  /**
   * New DTC settings. A live connection logs on again when a setting it uses changed (or the
   * password did); a disconnected one shows where the next Connect goes; turning autoConnect on
   * connects.
   */
  async updateSettings(dtc: AppSettings['dtc'], changed: { keys: readonly (keyof AppSettings['dtc'])[]; password: boolean }): Promise<void> {
    const prev = this.dtc;
    this.dtc = dtc;
    if (!this.client && (changed.keys.includes('host') || changed.keys.includes('port'))) {
      this.set({ ...this.info, host: dtc.host, port: dtc.port, demo: false });
    }
    const relevant = changed.password || RECONNECT_KEYS.some((k) => changed.keys.includes(k));
    if (relevant && this.client && !this.info.demo) {
      this.opts.logger.info('DTC settings changed: reconnecting');
      await this.connect();
    } else if (changed.keys.includes('autoConnect') && dtc.autoConnect && !prev.autoConnect && !this.client) {
      await this.connect();
    }
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.stopClient();
    await this.simulator?.stop().catch(() => undefined);
    this.simulator = null;
    this.events.clear();
  }

  private async startClient(host: string, port: number, demo: boolean): Promise<void> {
    const gen = ++this.gen;
    await this.opts.ready();
    const password = demo ? undefined : await this.opts.getPassword();
    if (gen !== this.gen || this.disposed) return;
    const previous = this.client;
    if (previous) {
      previous.removeAllListeners();
      void previous.stop();
    }
    const dtc = this.dtc;
    const log = this.opts.logger;
    const client = new DtcClient({
      host,
      port,
      encoding: dtc.encoding,
      heartbeatSeconds: dtc.heartbeatSeconds,
      fillsDays: dtc.fillHistoryDays,
      clientName: dtc.clientName,
      username: demo ? undefined : dtc.username || undefined,
      password: password || undefined,
      logger: log,
    });
    this.client = client;
    this.info = { state: 'connecting', host, port, serverName: null, lastError: null, nextRetryAt: null, demo };
    client.on('state', (state: ConnectionState) => {
      if (this.client !== client) return;
      this.info = { ...this.info, state, serverName: client.serverName ?? null, nextRetryAt: client.nextRetryAt ?? null };
      if (state === 'connected') this.info.lastError = null;
      log.info(`dtc ${host}:${port}: ${state}`);
      this.events.emit('change');
    });
    client.on('error', (message: string) => {
      if (this.client !== client) return;
      // The client has logged it already (it shares our logger): one line per warning.
      this.info = { ...this.info, lastError: message };
      this.events.emit('change');
    });
    client.on('message', (msg: DtcMessage) => {
      if (this.client === client) this.opts.onMessage(msg);
    });
    client.start();
    this.events.emit('change');
  }

  private set(info: ConnectionInfo): void {
    this.info = info;
    this.events.emit('change');
  }

  private idle(state: ConnectionState): ConnectionInfo {
    return { state, host: this.dtc.host, port: this.dtc.port, serverName: null, lastError: null, nextRetryAt: null, demo: false };
  }
}
