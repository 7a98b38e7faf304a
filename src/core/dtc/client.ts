/**
 * DtcClient: one read-only trading session with a DTC server (Sierra Chart). Connect with a
 * timeout, negotiate the encoding with a binary ENCODING_REQUEST, log on, ask for accounts,
 * orders, positions, fills (per account), balances and security definitions, keep heartbeats
 * both ways, and reconnect with capped, jittered backoff. It never sends orders or cancels.
 */
import { EventEmitter } from 'events';
import * as net from 'net';
import type { ConnectionState } from './state';
import { DtcMessage, WireEncoding, encodeMessage, normalizeTimes } from './codec';
import { DtcDecoder } from './framer';
import { Encoding, MessageType } from './messageTypes';
import { messageName } from './messages';
import { sanitizeServerText } from './serverText';
import { REJECT_WHAT, describeSocketError, withDefaults, type ResolvedClientOptions, type DtcClientCounters, type DtcClientOptions, type DtcLogger } from './clientTerms';

export type { DtcClientCounters, DtcClientOptions, DtcLogger };

export class DtcClient extends EventEmitter {
  private readonly opts: ResolvedClientOptions;
  private readonly log: DtcLogger;
  private _state: ConnectionState = 'disconnected';
  private socket: net.Socket | null = null;
  private decoder: DtcDecoder | null = null;
  private sendEncoding: WireEncoding = 'binary';
  private timers = new Set<NodeJS.Timeout>();
  private heartbeatTimer: NodeJS.Timeout | null = null;
  /** When the last valid (known, decodable) message arrived: the liveness clock. */
  private lastValidAt = 0;
  /** decoder.counters.junkBytes right after the last valid message. */
  private junkMark = 0;
  private attempt = 0;
  private stopping = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private _nextRetryAt: number | null = null;
  private _serverName: string | null = null;
  private requestId = 0;
  private accounts: string[] = [];
  private symbolsRequested = new Set<string>();
  private closeWaiters: (() => void)[] = [];
  private readonly _counters: DtcClientCounters = {
    framesIn: 0, bytesIn: 0, malformed: 0, malformedThisConnection: 0, truncatedFrames: 0, undecodableBytes: 0, unknownTypes: 0,
    unsolicitedLogonResponses: 0, reconnects: 0, rejects: 0, lastError: null,
  };
  /** Decoder counts of the connections already closed (the session part of the counters). */
  private closedMalformed = 0;
  private closedJunkBytes = 0;
  private droppedByUs: net.Socket | null = null;

  constructor(options: DtcClientOptions) {
    super();
    this.opts = withDefaults(options);
    this.log = options.logger ?? {};
  }

  get state(): ConnectionState {
    return this._state;
  }
  get serverName(): string | null {
    return this._serverName;
  }
  get nextRetryAt(): number | null {
    return this._nextRetryAt;
  }
  get counters(): DtcClientCounters {
    const d = this.decoder?.counters;
    const now = d?.malformed ?? 0;
    return {
      ...this._counters,
      malformed: this.closedMalformed + now,
      malformedThisConnection: now,
      undecodableBytes: this.closedJunkBytes + (d?.junkBytes ?? 0),
    };
  }
  get tradeAccounts(): string[] {
    return [...this.accounts];
  }

  start(): void {
    if (this.socket || this.retryTimer) return;
    this.stopping = false;
    this.connect();
  }

  /** Sends LOGOFF if logged on, closes the socket and cancels every timer and retry. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.clearRetry();
    const sock = this.socket;
    if (sock && !sock.destroyed) {
      if (this._state === 'connected') this.send({ Type: MessageType.LOGOFF, Reason: 'Client stopping', DoNotReconnect: 0 });
      const closed = new Promise<void>((resolve) => this.closeWaiters.push(resolve));
      this.droppedByUs = sock;
      sock.end();
      const t = setTimeout(() => sock.destroy(), 1000);
      await closed;
      clearTimeout(t);
    }
    this.clearTimers();
    this.setState('stopped', 'stopped by request');
  }

  // ------------------------------------------------------------------------------------------

  private setState(state: ConnectionState, detail: string): void {
    if (state === this._state) return;
    this._state = state;
    this.log.debug?.(`dtc: ${state} (${detail})`);
    this.emit('state', state, detail);
  }

  private fail(message: string): void {
    this._counters.lastError = message;
    this.log.warn?.(`dtc: ${message}`);
    if (this.listenerCount('error') > 0) this.emit('error', message);
  }

  private timer(ms: number, fn: () => void): NodeJS.Timeout {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
    return t;
  }

  private clearTimers(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this._nextRetryAt = null;
  }

  private where(): string {
    return `${this.opts.host}:${this.opts.port}`;
  }

  private connect(): void {
    this.clearRetry();
    this.requestId = 0;
    this.accounts = [];
    this.symbolsRequested.clear();
    this.sendEncoding = 'binary';
    this.retireDecoder();
    this.junkMark = 0;
    this.decoder = new DtcDecoder({
      // 'auto': a server that answers the binary ENCODING_REQUEST in JSON (first byte '{') is read too.
      encoding: 'auto',
      followEncodingResponse: true,
      onError: (e) => this.fail(`bad data from the DTC server at byte ${e.offset}: ${e.message}`),
    });
    this.setState('connecting', `connecting to ${this.where()}`);
    const sock = net.connect({ host: this.opts.host, port: this.opts.port });
    this.socket = sock;
    const connectTimer = this.timer(this.opts.connectTimeoutMs, () => {
      this.fail(`could not connect to the DTC server at ${this.where()} within ${this.opts.connectTimeoutMs / 1000} s; check that Sierra Chart is running with its DTC server enabled and the host/port settings`);
      this.drop(sock);
    });
    sock.setNoDelay(true);
    sock.on('connect', () => {
      clearTimeout(connectTimer);
      this.timers.delete(connectTimer);
      this.lastValidAt = Date.now();
      this.setState('negotiating', `connected to ${this.where()}, negotiating ${this.opts.encoding} encoding`);
      // The encoding request always goes out in binary (PROTOCOL.md §2.6).
      this.send({ Type: MessageType.ENCODING_REQUEST, ProtocolVersion: 8, Encoding: this.opts.encoding === 'json' ? Encoding.JSON : Encoding.BINARY, ProtocolType: 'DTC' });
      this.handshakeTimer('encoding response');
    });
    sock.on('data', (chunk: Buffer) => this.onData(sock, chunk));
    sock.on('error', (err: NodeJS.ErrnoException) => this.fail(describeSocketError(err, this.opts.host, this.where())));
    sock.on('close', () => this.onClose(sock));
  }

  private handshakeTimer(what: string): void {
    const expected = this._state;
    this.timer(this.opts.handshakeTimeoutMs, () => {
      if (this._state !== expected || !this.socket) return;
      this.fail(`the DTC server at ${this.where()} sent no ${what} within ${this.opts.handshakeTimeoutMs / 1000} s; check the server's Encoding setting (Automatic or ${this.opts.encoding}) and that the port is the DTC trading port, not the historical data port`);
      this.drop(this.socket);
    });
  }

  private send(msg: DtcMessage): void {
    const s = this.socket;
    if (!s || s.destroyed) return;
    s.write(encodeMessage(msg, this.sendEncoding));
  }

  private nextId(): number {
    return ++this.requestId;
  }

  /** Closes a connection on our side (its unfinished last frame is then not the peer's fault). */
  private drop(sock: net.Socket | null): void {
    if (!sock) return;
    this.droppedByUs = sock;
    sock.destroy();
  }

  /** Moves the current decoder's counts into the session totals before it is replaced. */
  private retireDecoder(): void {
    const d = this.decoder;
    if (!d) return;
    this.closedMalformed += d.counters.malformed;
    this.closedJunkBytes += d.counters.junkBytes;
    this.decoder = null;
  }

  private onData(sock: net.Socket, chunk: Buffer): void {
    const decoder = this.decoder;
    if (sock !== this.socket || !decoder) return;
    this._counters.bytesIn += chunk.length;
    const msgs = decoder.push(chunk);
    for (const m of msgs) {
      if (m.Unknown) {
        this._counters.unknownTypes++;
        continue;
      }
      // Only a valid message is a sign of life: bytes alone (garbage) never are.
      this.lastValidAt = Date.now();
      this.junkMark = decoder.counters.junkBytes;
      this._counters.framesIn++;
      this.handle(m);
      if (sock !== this.socket) return; // handler closed the connection
    }
    if (decoder.fatal) {
      this.drop(sock);
      return;
    }
    const junk = decoder.counters.junkBytes - this.junkMark;
    if (junk > this.opts.maxJunkBytes) {
      this.fail(`the DTC server at ${this.where()} sent ${junk} bytes that are not valid DTC messages since its last valid one; dropping the connection and reconnecting (check that the port is Sierra Chart's DTC trading port and the encoding setting)`);
      this.drop(sock);
    }
  }

  private handle(raw: DtcMessage): void {
    switch (raw.Type) {
      case MessageType.ENCODING_RESPONSE:
        if (this._state === 'negotiating') this.onEncodingResponse(raw);
        break;
      case MessageType.LOGON_RESPONSE:
        if (this._state === 'logging-on') this.onLogonResponse(raw);
        else this.onUnsolicitedLogonResponse(raw);
        break;
      case MessageType.LOGOFF:
        this.onLogoff(raw);
        break;
      case MessageType.TRADE_ACCOUNT_RESPONSE:
        this.onTradeAccount(raw);
        break;
      case MessageType.ORDER_UPDATE:
      case MessageType.POSITION_UPDATE:
      case MessageType.HISTORICAL_ORDER_FILL_RESPONSE:
        this.requestSecurityDefinition(raw.Symbol);
        break;
      default: {
        const what = REJECT_WHAT[raw.Type];
        if (what) {
          this._counters.rejects++;
          this.fail(`the DTC server rejected ${what} (RequestID ${raw.RequestID}): ${sanitizeServerText(raw.RejectText) || 'no reason given'}`);
        }
      }
    }
    this.emit('message', normalizeTimes(raw));
  }

  private onEncodingResponse(m: DtcMessage): void {
    const enc = m.Encoding;
    this.sendEncoding = enc === Encoding.JSON || enc === Encoding.JSON_COMPACT ? 'json' : 'binary';
    if (enc !== Encoding.BINARY && enc !== Encoding.JSON && enc !== Encoding.JSON_COMPACT) {
      this.fail(`the DTC server answered with encoding ${enc}, which this client cannot read; set the server's Encoding to Automatic, Binary or JSON`);
      this.drop(this.socket);
      return;
    }
    if ((enc === Encoding.BINARY ? 'binary' : 'json') !== this.opts.encoding) {
      this.log.info?.(`dtc: server chose ${messageName(MessageType.ENCODING_RESPONSE)} encoding ${enc} instead of ${this.opts.encoding}; using it`);
    }
    this.setState('logging-on', 'logging on');
    const user = this.opts.username ?? '';
    this.log.info?.(`dtc: logon to ${this.where()} as '${user || '(no user)'}' (password ${this.opts.password ? 'set' : 'not set'}), client '${this.opts.clientName}'`);
    this.send({
      Type: MessageType.LOGON_REQUEST,
      ProtocolVersion: 8,
      Username: user,
      Password: this.opts.password ?? '',
      HeartbeatIntervalInSeconds: Math.max(1, Math.round(this.opts.heartbeatMs / 1000)),
      ClientName: this.opts.clientName,
    });
    this.handshakeTimer('logon response');
  }

  private onLogonResponse(m: DtcMessage): void {
    if (m.Result === 1) {
      this._serverName = sanitizeServerText(m.ServerName, 60) || null;
      this.attempt = 0;
      this.setState('connected', `logged on to ${this._serverName ?? this.where()}`);
      this.startHeartbeats();
      this.send({ Type: MessageType.TRADE_ACCOUNTS_REQUEST, RequestID: this.nextId() });
      this.send({ Type: MessageType.OPEN_ORDERS_REQUEST, RequestID: this.nextId(), RequestAllOrders: 1 });
      this.send({ Type: MessageType.CURRENT_POSITIONS_REQUEST, RequestID: this.nextId() });
      this.send({ Type: MessageType.ACCOUNT_BALANCE_REQUEST, RequestID: this.nextId() });
      if (m.TradingIsSupported === 0) this.log.warn?.('dtc: the server says trading is not supported; enable Allow Trading in Sierra Chart\'s DTC server settings to see orders and fills');
      return;
    }
    const text = sanitizeServerText(m.ResultText) || 'no reason given';
    if (m.Result === 3) {
      this.fail(`logon refused by the DTC server, do not reconnect: ${text}; check the username/password and the server's authentication settings`);
      this.stopLoop('logon refused (no reconnect)');
      return;
    }
    this.fail(`logon failed: ${text}; check the username/password (Require Authentication) and retry`);
    this.drop(this.socket);
  }

  /**
   * A LOGON_RESPONSE when no logon is pending (e.g. a failed one after we are connected) answers
   * nothing we asked: it is counted and reported, and the session is left as it is.
   */
  private onUnsolicitedLogonResponse(m: DtcMessage): void {
    this._counters.unsolicitedLogonResponses++;
    if (this._counters.unsolicitedLogonResponses > 1) return; // reported once per session; the counter keeps the rest
    this.fail(`the DTC server sent a LOGON_RESPONSE (Result ${sanitizeServerText(m.Result, 12)}: ${sanitizeServerText(m.ResultText) || 'no text'}) while no logon was pending (state ${this._state}); ignored`);
  }

  private onLogoff(m: DtcMessage): void {
    const reason = sanitizeServerText(m.Reason) || 'no reason given';
    if (m.DoNotReconnect === 1) {
      this.fail(`the DTC server logged us off and asked not to reconnect: ${reason}; connect again by hand when the server is ready`);
      this.stopLoop('logoff with DoNotReconnect');
    } else {
      this.fail(`the DTC server logged us off: ${reason}; reconnecting`);
      this.drop(this.socket);
    }
  }

  /** Ends the session and the reconnect loop (server asked not to reconnect). */
  private stopLoop(detail: string): void {
    this.stopping = true;
    const sock = this.socket;
    this.clearTimers();
    this.clearRetry();
    this.drop(sock);
    this.setState('stopped', detail);
  }

  private onTradeAccount(m: DtcMessage): void {
    const acct = String(m.TradeAccount ?? '');
    if (acct && !this.accounts.includes(acct)) this.accounts.push(acct);
    const total = Number(m.TotalNumberMessages) || 0;
    const num = Number(m.MessageNumber) || 0;
    if (num < total) return;
    this.emit('accounts', [...this.accounts]);
    // Sierra rejects fills requests without an account, so ask once per account.
    for (const a of this.accounts) {
      this.send({ Type: MessageType.HISTORICAL_ORDER_FILLS_REQUEST, RequestID: this.nextId(), NumberOfDays: this.opts.fillsDays, TradeAccount: a });
    }
  }

  private requestSecurityDefinition(symbol: unknown): void {
    if (typeof symbol !== 'string' || !symbol || this.symbolsRequested.has(symbol) || this._state !== 'connected') return;
    this.symbolsRequested.add(symbol);
    this.send({ Type: MessageType.SECURITY_DEFINITION_FOR_SYMBOL_REQUEST, RequestID: this.nextId(), Symbol: symbol });
  }

  private startHeartbeats(): void {
    const period = this.opts.heartbeatMs;
    let lastSent = 0;
    const sendBeat = () => {
      lastSent = Date.now();
      this.send({ Type: MessageType.HEARTBEAT, CurrentDateTime: Math.floor(lastSent / 1000) });
    };
    sendBeat();
    // Checked twice per period so a dead server is noticed within 3 intervals, not 3.5.
    this.heartbeatTimer = setInterval(() => {
      const now = Date.now();
      if (now - this.lastValidAt > 3 * period) {
        const junk = this.decoder ? this.decoder.counters.junkBytes - this.junkMark : 0;
        const what = junk > 0 ? `no valid message (only ${junk} bytes of undecodable data)` : 'no data';
        this.fail(`${what} from the DTC server at ${this.where()} for 3 heartbeat intervals (${(3 * period) / 1000} s); treating the connection as dead and reconnecting`);
        this.drop(this.socket);
        return;
      }
      if (now - lastSent >= period - 5) sendBeat();
    }, Math.max(25, Math.floor(period / 2)));
  }

  private onClose(sock: net.Socket): void {
    if (sock !== this.socket) return;
    // A frame cut off by the close is reported (via the decoder's onError), never dropped silently.
    if (sock !== this.droppedByUs && this.decoder?.end('the server closed the connection in the middle of a message')) this._counters.truncatedFrames++;
    this.socket = null;
    this.clearTimers();
    const waiters = this.closeWaiters;
    this.closeWaiters = [];
    waiters.forEach((w) => w());
    if (this.stopping) return;
    if (!this.opts.reconnect) {
      this.setState('disconnected', 'connection closed');
      return;
    }
    const exp = Math.min(this.opts.backoffMaxMs, this.opts.backoffBaseMs * 2 ** this.attempt);
    const delay = Math.round(exp * (0.8 + Math.random() * 0.4));
    this.attempt++;
    this._nextRetryAt = Date.now() + delay;
    this.setState('reconnecting', `retrying in ${(delay / 1000).toFixed(1)} s`);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this._counters.reconnects++;
      this.connect();
    }, delay);
  }
}
