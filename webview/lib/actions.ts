/** Command buttons (vscode-button) that ask the host to run an APPSIERRA command. */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { WebviewCommand } from '../../src/shared/protocol';
import { el, post } from './common';

export function commandButton(label: string, command: WebviewCommand, secondary = false): HTMLElement {
  const button = el('vscode-button', { 'data-testid': `action-${command}`, title: label });
  button.textContent = label;
  if (secondary) button.setAttribute('secondary', '');
  button.addEventListener('click', () => post({ type: 'command', command }));
  return button;
}
