/**
 * DTC time fields to epoch milliseconds, per the message table's unit, or by magnitude where the
 * unit differs between header versions.
 */
import type { DtcMessage } from './codec';
import { getMessageDef } from './messages';

const TO_MS = { s: 1000, ms: 1, us: 0.001, dsec: 1000 } as const;
// Epoch ms from 1973-03-03 to 5138-11-16: exactly one of s/ms/us/ns readings of a real time falls here.
const PLAUSIBLE_MIN_MS = 1e11;
const PLAUSIBLE_MAX_MS = 1e14;

function plausible(ms: number): boolean {
  const a = Math.abs(ms);
  return a >= PLAUSIBLE_MIN_MS && a < PLAUSIBLE_MAX_MS;
}

/**
 * Epoch ms of a time field. Some fields changed unit between header versions (ORDER_UPDATE
 * OrderReceivedDateTime: ms in older headers, s in the newest), so when the table's unit gives an
 * absurd date (year 57,900 or 1970) the value is read by magnitude as s, ms, us or ns instead.
 */
export function timeFieldToMs(v: number, unit: keyof typeof TO_MS): number {
  const ms = v * TO_MS[unit];
  if (plausible(ms)) return Math.round(ms);
  for (const scale of [1000, 1, 0.001, 0.000001]) if (plausible(v * scale)) return Math.round(v * scale);
  return Math.round(ms);
}

/**
 * A copy with every time field (per the table's unit, or by magnitude, see timeFieldToMs)
 * converted to epoch milliseconds. Zero and unset times become null: DTC uses 0 for "no time"
 * (e.g. LastFillDateTime of an unfilled order).
 */
export function normalizeTimes(msg: DtcMessage): DtcMessage {
  const d = getMessageDef(msg.Type);
  if (!d) return { ...msg };
  const out: DtcMessage = { ...msg };
  for (const f of d.fields) {
    if (!f.time) continue;
    const v = out[f.name];
    if (typeof v !== 'number' || v === 0) {
      if (v === 0) out[f.name] = null;
      continue;
    }
    out[f.name] = timeFieldToMs(v, f.time);
  }
  return out;
}
