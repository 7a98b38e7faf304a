import * as net from 'net';
import { DtcMessage, WireEncoding, encodeMessage } from '../../../src/core/dtc/codec';
import { DtcDecoder } from '../../../src/core/dtc/framer';
import type { DtcClient } from '../../../src/core/dtc/client';
import type { ConnectionState } from '../../../src/shared/protocol';

export function waitFor<T>(check: () => T | undefined | false, what: string, timeoutMs = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      const v = check();
      if (v) return resolve(v);
      if (Date.now() - started > timeoutMs) return reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      setTimeout(tick, 10);
    };
    tick();
  });
}

export function waitForState(client: DtcClient, state: ConnectionState, timeoutMs = 5000): Promise<void> {
  return waitFor(() => client.state === state, `client state ${state} (now ${client.state})`, timeoutMs).then(() => undefined);
}

/** A bare DTC peer over a real socket, for driving the simulator message by message. */
export class RawPeer {
  readonly received: DtcMessage[] = [];
  readonly decoder: DtcDecoder;
  closed = false;
  private constructor(private readonly sock: net.Socket, public encoding: WireEncoding) {
    this.decoder = new DtcDecoder({ encoding: encoding === 'binary' ? 'binary' : 'json', followEncodingResponse: true });
    sock.on('data', (c: Buffer) => this.received.push(...this.decoder.push(c)));
    sock.on('close', () => (this.closed = true));
    sock.on('error', () => undefined);
  }
  static connect(port: number, encoding: WireEncoding = 'binary'): Promise<RawPeer> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => resolve(new RawPeer(s, encoding)));
      s.once('error', reject);
    });
  }
  send(msg: DtcMessage, encoding: WireEncoding = this.encoding): void {
    this.sock.write(encodeMessage(msg, encoding));
  }
  writeRaw(b: Buffer): void {
    this.sock.write(b);
  }
  of(type: number): DtcMessage[] {
    return this.received.filter((m) => m.Type === type);
  }
  waitType(type: number, count = 1, timeoutMs = 5000): Promise<DtcMessage[]> {
    return waitFor(() => (this.of(type).length >= count ? this.of(type) : undefined), `${count} message(s) of type ${type}`, timeoutMs);
  }
  close(): void {
    this.sock.destroy();
  }
}
