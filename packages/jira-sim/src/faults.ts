/** Failures a test asks for: the next matching request(s) answer with this status instead. */
export interface FaultSpec {
  status: number;
  /** How many matching requests fail (default 1). */
  times?: number;
  /** Seconds, sent as `Retry-After` (429 and 503). */
  retryAfter?: number;
  method?: string;
  /** A path prefix or a pattern, matched against the path without the query string. */
  path?: string | RegExp;
  /** More response headers (e.g. `beta-retry-after`, `x-ratelimit-reset`). */
  headers?: Record<string, string>;
  /** A body other than Jira's default for the status. */
  body?: unknown;
}

interface ActiveFault extends FaultSpec {
  left: number;
}

export class FaultQueue {
  private faults: ActiveFault[] = [];

  add(spec: FaultSpec): void {
    this.faults.push({ ...spec, left: spec.times ?? 1 });
  }

  clear(): void {
    this.faults = [];
  }

  /** Consumes and returns the first fault matching the request, if any. */
  take(method: string, path: string): FaultSpec | undefined {
    const f = this.faults.find(
      (x) =>
        x.left > 0 &&
        (x.method === undefined || x.method.toUpperCase() === method) &&
        (x.path === undefined || (typeof x.path === 'string' ? path.startsWith(x.path) : x.path.test(path))),
    );
    if (!f) return undefined;
    f.left -= 1;
    this.faults = this.faults.filter((x) => x.left > 0);
    return f;
  }
}

export function defaultFaultBody(status: number): unknown {
  if (status === 429) return { errorMessages: ['Rate limit exceeded.'], errors: {} };
  if (status >= 500) return { errorMessages: ['Internal server error'], errors: {} };
  return { errorMessages: [`HTTP ${status}`], errors: {} };
}
