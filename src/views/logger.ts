import * as vscode from 'vscode';
import type { AppLogger } from '../core/appApi';

export { errorText } from '../core/errors';

/** An AppLogger over the LogOutputChannel that prefixes every line with its component, e.g. `[views]`. */
export function createLogger(channel: vscode.LogOutputChannel, component: string): AppLogger {
  const tag = `[${component}] `;
  return {
    trace: (m) => channel.trace(tag + m),
    debug: (m) => channel.debug(tag + m),
    info: (m) => channel.info(tag + m),
    warn: (m) => channel.warn(tag + m),
    error: (m) => channel.error(tag + m),
  };
}
