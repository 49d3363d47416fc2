/**
 * One root error for everything that goes wrong talking to Jira, a subclass per failure a caller
 * handles differently, chosen by one factory (`jiraErrorFrom`). The original error stays in `cause`.
 */
export interface JiraErrorDetails {
  status: number;
  method: string;
  path: string;
  errorMessages?: readonly string[];
  errors?: Readonly<Record<string, string>>;
  cause?: unknown;
}

export class JiraApiError extends Error {
  override readonly name: string = 'JiraApiError';
  readonly status: number;
  readonly method: string;
  readonly path: string;
  readonly errorMessages: readonly string[];
  readonly errors: Readonly<Record<string, string>>;

  constructor(message: string, d: JiraErrorDetails) {
    super(message, d.cause === undefined ? undefined : { cause: d.cause });
    this.status = d.status;
    this.method = d.method;
    this.path = d.path;
    this.errorMessages = d.errorMessages ?? [];
    this.errors = d.errors ?? {};
  }
}

/** 400: the request was wrong (bad JQL, invalid ADF, a user who cannot be assigned). Retrying won't help. */
export class JiraBadRequestError extends JiraApiError {
  override readonly name = 'JiraBadRequestError';
}
/** 401/403: not authenticated, not permitted, or the XSRF check failed. */
export class JiraAuthError extends JiraApiError {
  override readonly name = 'JiraAuthError';
}
/** 404: the issue, property or resource does not exist, or the caller cannot see it. */
export class JiraNotFoundError extends JiraApiError {
  override readonly name = 'JiraNotFoundError';
}
/** 429: slow down; `retryAfter` is in seconds when Jira said. */
export class RateLimitedError extends JiraApiError {
  override readonly name = 'RateLimitedError';
  readonly retryAfter: number | undefined;
  constructor(message: string, d: JiraErrorDetails & { retryAfter: number | undefined }) {
    super(message, d);
    this.retryAfter = d.retryAfter;
  }
}
/** 5xx: Jira failed; the request may or may not have taken effect. */
export class JiraServerError extends JiraApiError {
  override readonly name = 'JiraServerError';
}
/** No HTTP answer at all (the fetch threw); `status` is 0. */
export class JiraNetworkError extends JiraApiError {
  override readonly name = 'JiraNetworkError';
}
/** Jira answered 2xx with a body that does not have the shape this client relies on. */
export class JiraResponseShapeError extends JiraApiError {
  override readonly name = 'JiraResponseShapeError';
}

/** `Retry-After` as seconds: either a number of seconds or an HTTP date (relative to `now`). */
export function parseRetryAfter(header: string | null, now: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const n = Number(header);
  if (Number.isFinite(n)) return Math.max(0, n);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/** Reads one header, as `Headers.get` does (case-insensitive). */
export interface HeaderSource {
  get(name: string): string | null;
}

/**
 * How long a 429 asks to wait, in seconds, from every header Jira Cloud uses for it
 * (https://developer.atlassian.com/cloud/jira/platform/rate-limiting/): `Retry-After` (seconds or
 * a date), `Beta-Retry-After` (the points-based quota's), and, when neither is sent,
 * `X-RateLimit-Reset` (when the limit resets: an ISO 8601 time). The longest wait satisfies every
 * limit that answered; `undefined` when no header says.
 */
export function retryAfterFrom(headers: HeaderSource, now: number): number | undefined {
  const waits = [headers.get('retry-after'), headers.get('beta-retry-after')]
    .map((h) => parseRetryAfter(h, now))
    .filter((w): w is number => w !== undefined);
  if (waits.length > 0) return Math.max(...waits);
  const reset = headers.get('x-ratelimit-reset');
  if (reset === null || !/^\d{4}-\d{2}-\d{2}T/.test(reset.trim())) return undefined;
  const at = Date.parse(reset.trim());
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

function jiraBody(text: string): { errorMessages?: string[]; errors?: Record<string, string> } {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null) {
      const o = parsed as Record<string, unknown>;
      return {
        ...(Array.isArray(o.errorMessages) ? { errorMessages: o.errorMessages.map(String) } : {}),
        ...(typeof o.errors === 'object' && o.errors !== null
          ? { errors: Object.fromEntries(Object.entries(o.errors).map(([k, v]) => [k, String(v)])) }
          : {}),
      };
    }
  } catch {
    // not JSON (e.g. "XSRF check failed"): the text becomes the message
  }
  return text.trim() === '' ? {} : { errorMessages: [text.trim().slice(0, 500)] };
}

/** The one place that decides which error a failed response becomes. */
export function jiraErrorFrom(input: {
  status: number;
  method: string;
  path: string;
  bodyText?: string;
  retryAfterHeader?: string | null;
  /** The wait read from all of a 429's headers (`retryAfterFrom`); wins over `retryAfterHeader`. */
  retryAfter?: number | undefined;
  now?: number;
  cause?: unknown;
}): JiraApiError {
  const body = jiraBody(input.bodyText ?? '');
  const d: JiraErrorDetails = {
    status: input.status,
    method: input.method,
    path: input.path,
    ...body,
    cause: input.cause,
  };
  const detail = [
    ...(body.errorMessages ?? []),
    ...Object.entries(body.errors ?? {}).map(([k, v]) => `${k}: ${v}`),
  ].join('; ');
  const msg = `${input.method} ${input.path} → ${input.status === 0 ? 'no response' : input.status}${detail ? `: ${detail}` : ''}`;
  if (input.status === 0) return new JiraNetworkError(msg, d);
  if (input.status === 429)
    return new RateLimitedError(msg, {
      ...d,
      retryAfter: input.retryAfter ?? parseRetryAfter(input.retryAfterHeader ?? null, input.now ?? 0),
    });
  if (input.status === 401 || input.status === 403) return new JiraAuthError(msg, d);
  if (input.status === 404) return new JiraNotFoundError(msg, d);
  if (input.status >= 500) return new JiraServerError(msg, d);
  if (input.status >= 400) return new JiraBadRequestError(msg, d);
  return new JiraResponseShapeError(msg, d);
}
