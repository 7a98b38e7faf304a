/**
 * The journal panel's link to the host: requests carry a sequence number and the answer comes back
 * with it, so a late answer to an old question (the user sorted again meanwhile) is dropped.
 */
import { isJournalHostMessage, isJournalViewState, JOURNAL_FIRST_PAINT_ID, type JournalFirstPaint, type JournalHostMessage, type JournalRequest, type JournalViewState } from '../../src/shared/journalProtocol';
import { vscodeApi } from '../lib/common';

type Answer = Extract<JournalHostMessage, { seq: number }>;
type Push = Exclude<JournalHostMessage, { seq: number }>;
type Req = Extract<JournalRequest, { seq: number }>;
type Body<T> = T extends unknown ? Omit<T, 'seq'> : never;

const api = vscodeApi<JournalViewState>();
let seq = 0;
const waiting = new Map<number, (m: Answer) => void>();
const listeners: ((m: Push) => void)[] = [];

window.addEventListener('message', (event: MessageEvent) => {
  const m: unknown = event.data;
  if (!isJournalHostMessage(m)) return;
  if ('seq' in m) {
    const done = waiting.get(m.seq);
    waiting.delete(m.seq);
    done?.(m);
  } else for (const l of listeners) l(m);
});

/** Asks the host; resolves with its answer of the same kind. */
export function ask<T extends Req['type']>(body: Body<Extract<Req, { type: T }>>): Promise<Extract<Answer, { type: T }>> {
  const n = ++seq;
  return new Promise((resolve) => {
    waiting.set(n, (m) => resolve(m as Extract<Answer, { type: T }>));
    api.postMessage({ ...body, seq: n } as JournalRequest);
  });
}

export function tell(m: Exclude<JournalRequest, { seq: number }>): void {
  api.postMessage(m);
}

export function onPush(l: (m: Push) => void): void {
  listeners.push(l);
}

export function savedState(): JournalViewState | undefined {
  return api.getState();
}

/** Kept by VS Code for a reload (getState) and sent to the host for the panel serializer. */
export function saveState(s: JournalViewState): void {
  api.setState(s);
  tell({ type: 'state', state: s });
}

/**
 * The state, facets and first page of rows the host wrote into the HTML (a JSON data element, read
 * with JSON.parse, never as HTML), so the first rows paint without a round trip. Undefined when
 * absent or malformed: the page then asks as usual.
 */
export function embeddedFirstPaint(): JournalFirstPaint | undefined {
  const text = document.getElementById(JOURNAL_FIRST_PAINT_ID)?.textContent;
  if (!text) return undefined;
  try {
    const v = JSON.parse(text) as Partial<JournalFirstPaint> | null;
    if (!v || !isJournalViewState(v.state) || typeof v.facets !== 'object' || !v.facets || !Array.isArray(v.page?.rows)) return undefined;
    return v as JournalFirstPaint;
  } catch {
    return undefined;
  }
}
