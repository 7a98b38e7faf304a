import * as vscode from 'vscode';
import type { AppLogger } from '../core/appApi';

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

/** Error text for notifications and logs (no stack traces in the user's face). */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
