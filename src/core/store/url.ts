/** Store URLs for humans and logs: the password is hidden by the one core redaction (core/redact.ts). */
export { maskUrl } from '../redact';
