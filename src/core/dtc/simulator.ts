/**
 * DtcSimulator: a DTC server that answers a trading client the way Sierra Chart's DTC server does
 * (encoding negotiation, logon, heartbeats, accounts, orders, positions, fills, balances, security
 * definitions, Sierra's rejects) and plays a scenario of unsolicited order/position/balance updates.
 * Used by the demo feed, the CLI `simulate` command and the integration tests.
 */
import { EventEmitter } from 'events';
import * as net from 'net';
import { DtcMessage, WireEncoding, encodeMessage } from './codec';
import { DtcDecoder } from './framer';
import { Encoding, MessageType } from './messageTypes';
import { messageName } from './messages';
import type { DtcLogger } from './client';
import { seededRng } from './random';
import { ScriptStep, isBuiltInScenario, loadScenarioFile, runRandomDay, runSmoke, seedHistory, ScenarioClock } from './scenarios';
import { SimBook, contractFor, type SimLimits } from './simBook';
import type { SessionConfig } from '../stats/types';

export interface DtcSimulatorOptions {
  host?: string;
  port?: number;
  encoding?: 'auto' | 'binary' | 'json';
  /** 'random-day' (default), 'smoke', or a scenario file path. */
  scenario?: string;
  seed?: number;
  /** Scales every scenario wait: 10 = ten times faster. */
  speed?: number;
  logger?: DtcLogger;
  /** random-day: drop all clients now and then. */
  disconnects?: boolean;
  /** When set, logons must carry these credentials (Require Authentication). */
  username?: string;
  password?: string;
  serverName?: string;
  /** The trading session whose start the seeded history follows (random-day); CME's 17:00 Chicago by default. */
  session?: SessionConfig;
  /** Risk limits sent with every account balance (DailyNetLossLimit, a trailing floor); none by default. */
  limits?: SimLimits;
}

const SIM_ACCOUNTS = [
  { name: 'Sim1', cash: 10000 },
  { name: 'Sim2', cash: 25000 },
  { name: '120045', cash: 50000 },
];

class SimSession {
  readonly decoder: DtcDecoder;
  encoding: WireEncoding;
  loggedOn = false;
  heartbeat: NodeJS.Timeout | null = null;
  lastReceived = Date.now();
  constructor(readonly socket: net.Socket, serverEncoding: 'auto' | 'binary' | 'json') {
    this.decoder = new DtcDecoder({ encoding: serverEncoding === 'json' ? 'auto' : serverEncoding === 'binary' ? 'binary' : 'auto' });
    this.encoding = serverEncoding === 'json' ? 'json' : 'binary';
  }
}

export class DtcSimulator extends EventEmitter {
  private readonly opts: Required<Omit<DtcSimulatorOptions, 'logger' | 'username' | 'password' | 'session' | 'limits'>> & Pick<DtcSimulatorOptions, 'username' | 'password' | 'session' | 'limits'>;
  private readonly log: DtcLogger;
  private server: net.Server | null = null;
  private readonly sessions = new Set<SimSession>();
  private _port = 0;
  private running = false;
  private scenarioStarted = false;
  private script: ScriptStep[] | null = null;
  private silent = false;
  private readonly sleeps = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  readonly book: SimBook;

  constructor(options: DtcSimulatorOptions = {}) {
    super();
    this.opts = {
      host: '127.0.0.1', port: 0, encoding: 'auto', scenario: 'random-day', seed: 1, speed: 1, disconnects: false,
      serverName: 'APPSIERRA DTC Simulator', ...options,
    } as DtcSimulator['opts'];
    if (!(this.opts.speed > 0)) throw new Error(`speed must be a positive number, not ${options.speed}`);
    this.log = options.logger ?? {};
    // Live fills carry the run's start (unique per run); the seeded history has its own run-independent ids.
    this.book = new SimBook(SIM_ACCOUNTS, Date.now, `S${this.opts.seed.toString(36)}x${Date.now().toString(36)}`);
    this.book.limits = options.limits ?? null;
  }

  get port(): number {
    return this._port;
  }
  get clientCount(): number {
    return this.sessions.size;
  }

  async start(): Promise<{ port: number }> {
    if (this.server) return { port: this._port };
    if (!isBuiltInScenario(this.opts.scenario)) this.script = loadScenarioFile(this.opts.scenario);
    else if (this.opts.scenario === 'random-day') seedHistory(this.book, Date.now(), this.opts.session);
    this.book.emit = (msg) => this.broadcast(msg);
    const server = net.createServer((sock) => this.onConnection(sock));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port, this.opts.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this._port = (server.address() as net.AddressInfo).port;
    this.running = true;
    this.log.info?.(`simulator: listening on ${this.opts.host}:${this._port} (scenario ${this.opts.scenario}, speed ${this.opts.speed}, encoding ${this.opts.encoding})`);
    return { port: this._port };
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const s of this.sleeps) {
      clearTimeout(s.timer);
      s.resolve();
    }
    this.sleeps.clear();
    for (const s of this.sessions) this.closeSession(s, true);
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  // ---- test and demo controls ----------------------------------------------------------------

  /** Sends a message to every logged-on client. */
  broadcast(msg: DtcMessage): void {
    if (this.silent) return;
    for (const s of this.sessions) if (s.loggedOn) this.send(s, msg);
  }

  /** Stops all output (heartbeats included) while keeping sockets open: a hung server. */
  setSilent(silent: boolean): void {
    this.silent = silent;
  }

  /** Closes every client connection abruptly. */
  disconnectAll(): void {
    for (const s of this.sessions) this.closeSession(s, true);
  }

  /** Sends LOGOFF to every client, then closes. */
  logoffAll(reason: string, doNotReconnect: boolean): void {
    for (const s of this.sessions) {
      this.send(s, { Type: MessageType.LOGOFF, Reason: reason, DoNotReconnect: doNotReconnect ? 1 : 0 });
      s.socket.end();
    }
  }

  /** Writes `count` messages to every logged-on client, honouring socket back-pressure. */
  async sendBurst(count: number, make: (i: number) => DtcMessage): Promise<void> {
    for (const s of [...this.sessions].filter((x) => x.loggedOn)) {
      const batch: Buffer[] = [];
      for (let i = 0; i < count; i++) {
        batch.push(encodeMessage(make(i), s.encoding));
        if (batch.length === 1000 || i === count - 1) {
          const ok = s.socket.write(Buffer.concat(batch));
          batch.length = 0;
          if (!ok) await new Promise<void>((resolve) => s.socket.once('drain', resolve));
        }
      }
    }
  }

  // ---- sessions ------------------------------------------------------------------------------

  private clock(): ScenarioClock {
    const self = this;
    return {
      get running() {
        return self.running;
      },
      sleep: (ms: number) =>
        new Promise<void>((resolve) => {
          if (!self.running) return resolve();
          const entry = { timer: setTimeout(() => {
            self.sleeps.delete(entry);
            resolve();
          }, ms / self.opts.speed), resolve };
          self.sleeps.add(entry);
        }),
    };
  }

  private onConnection(sock: net.Socket): void {
    if (!this.running) return void sock.destroy();
    sock.setNoDelay(true);
    const s = new SimSession(sock, this.opts.encoding);
    this.sessions.add(s);
    this.log.debug?.(`simulator: client connected from ${sock.remoteAddress}:${sock.remotePort}`);
    sock.on('data', (chunk: Buffer) => {
      s.lastReceived = Date.now();
      const msgs = s.decoder.push(chunk);
      // A client that starts in raw JSON (no ENCODING_REQUEST) is answered in JSON.
      if (!s.loggedOn && s.encoding === 'binary' && s.decoder.currentEncoding === 'json') s.encoding = 'json';
      for (const m of msgs) this.onMessage(s, m);
      for (const e of s.decoder.takeErrors()) this.log.warn?.(`simulator: bad client data at byte ${e.offset}: ${e.message}`);
      if (s.decoder.fatal) this.closeSession(s, true);
    });
    sock.on('error', (e) => this.log.debug?.(`simulator: client socket error: ${e.message}`));
    sock.on('close', () => this.closeSession(s, false));
  }

  private closeSession(s: SimSession, destroy: boolean): void {
    if (s.heartbeat) clearInterval(s.heartbeat);
    s.heartbeat = null;
    s.loggedOn = false;
    this.sessions.delete(s);
    if (destroy) s.socket.destroy();
  }

  private send(s: SimSession, msg: DtcMessage, encoding: WireEncoding = s.encoding): void {
    if (s.socket.destroyed || this.silent) return;
    s.socket.write(encodeMessage(msg, encoding));
  }

  private onMessage(s: SimSession, m: DtcMessage): void {
    if (m.Unknown) return void this.log.debug?.(`simulator: ignoring unknown message type ${m.Type}`);
    switch (m.Type) {
      case MessageType.ENCODING_REQUEST:
        return this.onEncodingRequest(s, m);
      case MessageType.LOGON_REQUEST:
        return this.onLogon(s, m);
      case MessageType.HEARTBEAT:
        return;
      case MessageType.LOGOFF:
        s.socket.end();
        return this.closeSession(s, false);
    }
    if (!s.loggedOn) return void this.log.warn?.(`simulator: ${messageName(m.Type)} before logon ignored`);
    const id = Number(m.RequestID) || 0;
    const account = String(m.TradeAccount ?? '');
    const reject = (type: MessageType, text: string) => this.send(s, { Type: type, RequestID: id, RejectText: text });
    const known = (a: string) => !a || this.book.accounts.has(a);
    switch (m.Type) {
      case MessageType.TRADE_ACCOUNTS_REQUEST:
        return this.sendAll(s, this.book.tradeAccountResponses(id));
      case MessageType.OPEN_ORDERS_REQUEST:
        if (!known(account)) return reject(MessageType.OPEN_ORDERS_REJECT, `Invalid trade account: ${account}`);
        return this.sendAll(s, this.book.openOrdersResponse(id, account));
      case MessageType.CURRENT_POSITIONS_REQUEST:
        if (!known(account)) return reject(MessageType.CURRENT_POSITIONS_REJECT, `Invalid trade account: ${account}`);
        return this.sendAll(s, this.book.positionsResponse(id, account));
      case MessageType.HISTORICAL_ORDER_FILLS_REQUEST: {
        if (!account) return reject(MessageType.HISTORICAL_ORDER_FILLS_REJECT, 'TradeAccount is not set');
        if (!known(account)) return reject(MessageType.HISTORICAL_ORDER_FILLS_REJECT, `Invalid trade account: ${account}`);
        const start = Number(m.StartDateTime) || 0;
        const days = Number(m.NumberOfDays) || 0;
        if (!start && !days) return reject(MessageType.HISTORICAL_ORDER_FILLS_REJECT, 'NumberOfDays or StartDateTime must be set');
        // Sierra reads StartDateTime values beyond 2010-01-01 in microseconds as microseconds.
        const sinceSec = start ? (start >= 1262304000e6 ? Math.floor(start / 1e6) : start) : Math.floor(Date.now() / 1000) - days * 86400;
        return this.sendAll(s, this.book.fillsResponse(id, account, sinceSec));
      }
      case MessageType.ACCOUNT_BALANCE_REQUEST:
        if (!known(account)) return reject(MessageType.ACCOUNT_BALANCE_REJECT, `Invalid trade account: ${account}`);
        return this.sendAll(s, this.book.balancesResponse(id, account));
      case MessageType.SECURITY_DEFINITION_FOR_SYMBOL_REQUEST:
        return this.onSecurityDefinition(s, id, String(m.Symbol ?? ''));
      case MessageType.SUBMIT_NEW_SINGLE_ORDER:
        return this.send(s, {
          Type: MessageType.ORDER_UPDATE, TotalNumMessages: 1, MessageNumber: 1, Symbol: m.Symbol, Exchange: m.Exchange, TradeAccount: m.TradeAccount,
          ClientOrderID: m.ClientOrderID, OrderStatus: 9, OrderUpdateReason: 8, InfoText: 'Order entry is not accepted by this simulator',
        });
      case MessageType.CANCEL_ORDER:
        return this.send(s, {
          Type: MessageType.ORDER_UPDATE, TotalNumMessages: 1, MessageNumber: 1, ServerOrderID: m.ServerOrderID, ClientOrderID: m.ClientOrderID,
          OrderUpdateReason: 9, InfoText: 'Order not found',
        });
      default:
        this.log.debug?.(`simulator: ${messageName(m.Type)} not handled`);
    }
  }

  private sendAll(s: SimSession, msgs: DtcMessage[]): void {
    for (const m of msgs) this.send(s, m);
  }

  private onEncodingRequest(s: SimSession, m: DtcMessage): void {
    const asked = Number(m.Encoding);
    const allowed = this.opts.encoding === 'auto' ? [Encoding.BINARY, Encoding.JSON, Encoding.JSON_COMPACT] : this.opts.encoding === 'json' ? [Encoding.JSON] : [Encoding.BINARY];
    const chosen = allowed.includes(asked) ? asked : allowed[0];
    // The answer goes out in the encoding the request came in (binary on a fresh connection, even
    // for a JSON-only server, PROTOCOL.md §2.6); everything after it in the chosen one.
    const requestEncoding: WireEncoding = s.decoder.currentEncoding === 'binary' ? 'binary' : s.encoding;
    this.send(s, { Type: MessageType.ENCODING_RESPONSE, ProtocolVersion: 8, Encoding: chosen, ProtocolType: 'DTC' }, requestEncoding);
    s.encoding = chosen === Encoding.BINARY ? 'binary' : chosen === Encoding.JSON_COMPACT ? 'compact-json' : 'json';
    s.decoder.setEncoding(chosen === Encoding.BINARY ? 'binary' : 'json');
  }

  private onLogon(s: SimSession, m: DtcMessage): void {
    if (s.loggedOn) return;
    const respond = (result: number, text: string) =>
      this.send(s, {
        Type: MessageType.LOGON_RESPONSE, ProtocolVersion: 8, Result: result, ResultText: text, ServerName: this.opts.serverName,
        TradingIsSupported: 1, SecurityDefinitionsSupported: 1, OrderCancelReplaceSupported: 1, OCOOrdersSupported: 1, BracketOrdersSupported: 1,
        MarketDataSupported: 0, MarketDepthIsSupported: 0, HistoricalPriceDataSupported: 0,
      });
    if (this.opts.username !== undefined && (m.Username !== this.opts.username || m.Password !== (this.opts.password ?? ''))) {
      respond(2, 'Invalid username or password');
      s.socket.end();
      return;
    }
    const hb = Number(m.HeartbeatIntervalInSeconds) || 0;
    if (hb <= 0) {
      respond(2, 'HeartbeatIntervalInSeconds must be set');
      s.socket.end();
      return;
    }
    s.loggedOn = true;
    respond(1, 'Logon successful');
    s.heartbeat = setInterval(() => {
      // Sierra drops clients that stop heartbeating; allow a little over 3 intervals.
      if (Date.now() - s.lastReceived > hb * 3500) {
        this.log.info?.('simulator: client stopped heartbeating; closing it');
        return this.closeSession(s, true);
      }
      this.send(s, { Type: MessageType.HEARTBEAT, NumDroppedMessages: 0, CurrentDateTime: Math.floor(Date.now() / 1000) });
    }, hb * 1000);
    this.emit('logon', { clientName: m.ClientName });
    if (this.script) void this.playScript(s, this.script);
    else this.startScenario();
  }

  private startScenario(): void {
    if (this.scenarioStarted) return;
    this.scenarioStarted = true;
    const clock = this.clock();
    const done = this.opts.scenario === 'smoke'
      ? runSmoke(this.book, clock)
      : runRandomDay(this.book, clock, seededRng(this.opts.seed), { disconnectAll: () => this.disconnectAll() }, { disconnects: this.opts.disconnects });
    done.then(() => this.emit('scenarioDone'), (e) => this.log.error?.(`simulator: scenario failed: ${(e as Error).stack ?? e}`));
  }

  private async playScript(s: SimSession, steps: ScriptStep[]): Promise<void> {
    const clock = this.clock();
    for (const step of steps) {
      if (!clock.running || !this.sessions.has(s)) return;
      // 'scriptStep' (step, time) lets a test check the waits where they happen, not via socket timing.
      this.emit('scriptStep', step, Date.now());
      if (step.kind === 'wait') await clock.sleep(step.ms);
      else if (step.kind === 'disconnect') return this.closeSession(s, true);
      else this.send(s, step.msg);
    }
    this.emit('scenarioDone');
  }

  private onSecurityDefinition(s: SimSession, id: number, symbol: string): void {
    const c = contractFor(symbol);
    if (!c) return this.send(s, { Type: MessageType.SECURITY_DEFINITION_REJECT, RequestID: id, RejectText: `Symbol not found: ${symbol}` });
    const decimals = Math.max(0, -Math.floor(Math.log10(c.tick) + 1e-9));
    this.send(s, {
      Type: MessageType.SECURITY_DEFINITION_RESPONSE, RequestID: id, Symbol: symbol, Exchange: 'CME', SecurityType: 1, Description: c.description,
      MinPriceIncrement: c.tick, PriceDisplayFormat: decimals, CurrencyValuePerIncrement: c.tickValue, IsFinalMessage: 1,
      UnderlyingSymbol: c.root, ExchangeSymbol: symbol, Currency: 'USD', ContractSize: 1, HasMarketDepthData: 0, DisplayPriceMultiplier: 1,
      FloatToIntPriceMultiplier: 1 / c.tick, IntToFloatPriceDivisor: 1 / c.tick,
    });
  }
}
