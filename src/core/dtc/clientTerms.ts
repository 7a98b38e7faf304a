/**
 * The DtcClient's terms: its options, its counters (bad input is counted, never silent), and the
 * words it uses for a rejected request and a socket error (cause and fix).
 */
import { MessageType } from './messageTypes';

export interface DtcLogger {
  debug?(msg: string): void;
  info?(msg: string): void;
  warn?(msg: string): void;
  error?(msg: string): void;
}

export interface DtcClientOptions {
  host: string;
  port: number;
  encoding: 'binary' | 'json';
  heartbeatSeconds: number;
  clientName: string;
  username?: string;
  password?: string;
  connectTimeoutMs?: number;
  /** Reconnect after a drop (default true). */
  reconnect?: boolean;
  logger?: DtcLogger;
  /** Backoff start (default 2000 ms), doubling to backoffMaxMs (default 30000 ms). */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Client-side heartbeat period in ms (tests); the wire still carries whole seconds. */
  heartbeatMs?: number;
  /** Time allowed for the encoding and logon answers (default 20000 ms). */
  handshakeTimeoutMs?: number;
  /** History asked for in HISTORICAL_ORDER_FILLS_REQUEST (default 30 days). */
  fillsDays?: number;
  /**
   * Bytes of undecodable data (garbage, malformed or unknown frames) accepted after the last valid
   * message before the connection is dropped and retried (default 256 KiB).
   */
  maxJunkBytes?: number;
}

export type ResolvedClientOptions = Required<Omit<DtcClientOptions, 'username' | 'password' | 'logger'>> & Pick<DtcClientOptions, 'username' | 'password'>;

export function withDefaults(options: DtcClientOptions): ResolvedClientOptions {
  return {
    connectTimeoutMs: 10000,
    reconnect: true,
    backoffBaseMs: 2000,
    backoffMaxMs: 30000,
    heartbeatMs: Math.max(1, options.heartbeatSeconds) * 1000,
    handshakeTimeoutMs: 20000,
    fillsDays: 30,
    maxJunkBytes: 256 * 1024,
    ...options,
  } as ResolvedClientOptions;
}

export interface DtcClientCounters {
  framesIn: number;
  bytesIn: number;
  /** Malformed frames over the whole session (every connection since start()). */
  malformed: number;
  /** Malformed frames on the current (or last) connection. */
  malformedThisConnection: number;
  /** Frames cut off by the connection closing (also counted in malformed). */
  truncatedFrames: number;
  /** Bytes that were not a valid message (garbage, malformed and unknown frames), whole session. */
  undecodableBytes: number;
  unknownTypes: number;
  /** LOGON_RESPONSEs that arrived when no logon was pending (ignored). */
  unsolicitedLogonResponses: number;
  reconnects: number;
  rejects: number;
  lastError: string | null;
}

export const REJECT_WHAT: Partial<Record<number, string>> = {
  [MessageType.OPEN_ORDERS_REJECT]: 'the open orders request',
  [MessageType.CURRENT_POSITIONS_REJECT]: 'the current positions request',
  [MessageType.HISTORICAL_ORDER_FILLS_REJECT]: 'the historical fills request',
  [MessageType.ACCOUNT_BALANCE_REJECT]: 'the account balance request',
  [MessageType.SECURITY_DEFINITION_REJECT]: 'a security definition request',
};

/** A socket error in words: the cause and what to change. */
export function describeSocketError(err: NodeJS.ErrnoException, host: string, where: string): string {
  switch (err.code) {
    case 'ECONNREFUSED':
      return `connection refused by ${where}: enable Sierra Chart's DTC server (Global Settings >> Sierra Chart Server Settings >> DTC Protocol Server) or fix the port setting`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `host '${host}' was not found; fix appsierra.dtc.host (usually 127.0.0.1)`;
    case 'ECONNRESET':
      return `the DTC server at ${where} reset the connection; it will be retried`;
    default:
      return `socket error talking to ${where}: ${err.message}`;
  }
}
