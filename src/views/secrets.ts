import type * as vscode from 'vscode';

import type { SecretKey } from '../core/settings';

export type { SecretKey };

/** AppCore's `getSecret` over VS Code's SecretStorage (OS keychain). */
export function secretReader(secrets: vscode.SecretStorage): (key: SecretKey) => Promise<string | undefined> {
  return async (key) => (await secrets.get(key)) || undefined;
}
