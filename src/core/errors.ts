/** Error text for messages and logs: the message, never a stack trace in the user's face. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
