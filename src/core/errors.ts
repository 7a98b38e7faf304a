import { redactSecrets } from './redact';

/** Error text for messages and logs: the message, never a stack trace in the user's face, never a password. */
export function errorText(err: unknown): string {
  return redactSecrets(err instanceof Error ? err.message : String(err));
}
