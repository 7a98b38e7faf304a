/** Saved stats columns as format 2 wrote them (before ids were kept as bytes): for the tests that read old files. */
import type { ModeColumns } from '../../../src/core/stats/columnsFile';

export function format2(modes: readonly ModeColumns[]): Uint8Array {
  const allIds = modes.flatMap((m) => Array.from({ length: m.len }, (_, i) => m.ids.at(i)));
  const idsJson = allIds.some((id) => id.includes('\n'));
  const ids = Buffer.from(idsJson ? JSON.stringify(allIds) : allIds.join('\n'), 'utf8');
  const json = Buffer.from(JSON.stringify({ format: 2, modes: modes.map((m) => ({ mode: m.mode, len: m.len, accounts: m.accounts })), idBytes: ids.length, idsJson }));
  const align8 = (n: number) => (n + 7) & ~7;
  const parts: Buffer[] = [];
  const head = Buffer.alloc(align8(8 + json.length + ids.length));
  head.writeUInt32LE(0x31435341, 0);
  head.writeUInt32LE(json.length, 4);
  json.copy(head, 8);
  ids.copy(head, 8 + json.length);
  parts.push(head);
  for (const m of modes) {
    const cols = [m.exit, m.net, m.fees, m.dur, m.r, m.mae, m.mfe, m.account, m.cls].map((a) => Buffer.from(a.buffer, a.byteOffset, m.len * a.BYTES_PER_ELEMENT));
    const body = Buffer.concat(cols);
    parts.push(body, Buffer.alloc(align8(body.length) - body.length));
  }
  const out = Buffer.concat(parts);
  const aligned = new Uint8Array(new ArrayBuffer(out.length));
  aligned.set(out);
  return aligned;
}
