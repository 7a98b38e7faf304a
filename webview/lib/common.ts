/**
 * Shared by the three webviews: the VS Code API handle, the snapshot subscription, small DOM
 * builders (text goes in through textContent only) and tone classes. No business logic here:
 * pages render the snapshots they are sent.
 */
import { isHostMessage, type SnapshotMap, type ViewId, type WebviewMessage } from '../../src/shared/protocol';

// No page state for the sidebar views: the host owns the selection and sends it with every snapshot.
let handle: VsCodeApi<unknown> | undefined;
/** The page's one VS Code API handle (acquireVsCodeApi may be called only once per page). */
export function vscodeApi<S = unknown>(): VsCodeApi<S> {
  handle ??= acquireVsCodeApi<unknown>();
  return handle as VsCodeApi<S>;
}

export function post(message: WebviewMessage): void {
  vscodeApi().postMessage(message);
}

/** Calls `render` with every full snapshot for `view`, then says `ready` so the host starts sending. */
export function onSnapshot<V extends ViewId>(view: V, render: (data: SnapshotMap[V]) => void): void {
  window.addEventListener('message', (event: MessageEvent) => {
    const m: unknown = event.data;
    if (!isHostMessage(m) || m.view !== view) return;
    try {
      render(m.data as SnapshotMap[V]);
    } catch (e) {
      console.error(`appsierra ${view}: render failed`, e);
    }
  });
  post({ type: 'ready' });
}

type Attrs = Record<string, string | undefined>;

/** Creates an element; `text` is set with textContent (never parsed as HTML). */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs, ...children: (Node | string)[]): HTMLElementTagNameMap[K];
export function el(tag: string, attrs?: Attrs, ...children: (Node | string)[]): HTMLElement;
export function el(tag: string, attrs: Attrs = {}, ...children: (Node | string)[]): HTMLElement {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) node.setAttribute(k, v);
  for (const c of children) node.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return node;
}

export const SVG_NS = 'http://www.w3.org/2000/svg';

export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

/** A label/value pair; the value carries the test id. */
export function field(label: string, testId: string, title?: string): { row: HTMLElement; value: HTMLElement } {
  const value = el('span', { class: 'value', 'data-testid': testId });
  const row = el('div', { class: 'field', title }, el('span', { class: 'label' }, label), value);
  return { row, value };
}

/** Sets text and the profit/loss tone class from the sign of `n`. */
export function setMoney(node: HTMLElement, text: string, n: number | null | undefined): void {
  node.textContent = text;
  setTone(node, n);
}

export function setTone(node: Element, n: number | null | undefined): void {
  node.classList.toggle('profit', typeof n === 'number' && n > 0);
  node.classList.toggle('loss', typeof n === 'number' && n < 0);
}

export function show(node: HTMLElement, visible: boolean): void {
  node.hidden = !visible;
}

/** Replaces the page's loading placeholder with the rendered root. */
export function mount(root: HTMLElement): HTMLElement {
  const app = document.getElementById('app')!;
  app.replaceChildren(root);
  app.setAttribute('aria-busy', 'false');
  return app;
}

/** A loading line shown while AppCore loads the store (snapshot.loading). */
export function loadingLine(): HTMLElement {
  return el('p', { class: 'loading', 'data-testid': 'loading', role: 'status' }, 'Loading…');
}

/** `14:05:12` local time, or `Mar 3, 14:05` when not today. */
export function formatTime(ms: number | null): string {
  if (ms === null) return '—';
  const d = new Date(ms);
  const sameDay = new Date().toDateString() === d.toDateString();
  return sameDay
    ? d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' })
    : d.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export function formatDate(ms: number | null): string {
  if (ms === null) return '—';
  return new Date(ms).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}
