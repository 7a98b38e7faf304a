import * as vscode from 'vscode';
import type { AppLogger } from '../core/appApi';
import { redactSecrets } from '../core/redact';
import { withProblemLog } from '../core/diagnostics/problemLog';

export { errorText } from '../core/errors';

/** An AppLogger over the LogOutputChannel that prefixes every line with its component, e.g. `[views]`. */
export function createLogger(channel: vscode.LogOutputChannel, component: string): AppLogger {
  const tag = `[${component}] `;
  // Every line passes the one core redaction (a store URL with a password never reaches the log), and a repeated
  // warning or error is one line plus a running count, not a line per occurrence.
  return withProblemLog({
    trace: (m) => channel.trace(tag + redactSecrets(m)),
    debug: (m) => channel.debug(tag + redactSecrets(m)),
    info: (m) => channel.info(tag + redactSecrets(m)),
    warn: (m) => channel.warn(tag + redactSecrets(m)),
    error: (m) => channel.error(tag + redactSecrets(m)),
  });
}
