/** Work that another service asked to wait for (Slack's `Retry-After` past the adapter's patience). */
export class RetryLaterError extends Error {
  override readonly name = 'RetryLaterError';
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
  }
}
