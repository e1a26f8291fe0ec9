/** The server side of the rate limits: a fixed window per endpoint, "burst allowance" as the docs describe. */
export interface FakeLimit {
  readonly limit: number;
  readonly periodMs: number;
}

interface Window {
  start: number;
  used: number;
}

export class FakeLimits {
  private readonly windows = new Map<string, Window>();
  /** 429s the limits themselves gave (not forced by a fault). */
  refused = 0;

  constructor(private readonly limits: Readonly<Record<string, FakeLimit>>) {}

  /** Counts a call; the headers to send and whether it is over the limit. */
  take(endpoint: string, now: number): { headers: Record<string, string>; over: boolean } {
    const l = this.limits[endpoint]!;
    let w = this.windows.get(endpoint);
    if (!w || now >= w.start + l.periodMs) {
      w = { start: now, used: 0 };
      this.windows.set(endpoint, w);
    }
    const over = w.used >= l.limit;
    if (!over) w.used++;
    else this.refused++;
    // Reset as a Unix timestamp in seconds; fractional here, because the tests' periods are sub-second.
    const headers = {
      'x-ratelimit-limit': String(l.limit),
      'x-ratelimit-period': String(l.periodMs / 1000),
      'x-ratelimit-remaining': String(Math.max(0, l.limit - w.used)),
      'x-ratelimit-reset': String((w.start + l.periodMs) / 1000),
      'x-ratelimit-used': String(w.used),
    };
    return { headers, over };
  }
}
