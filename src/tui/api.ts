/**
 * The REST client: every call carries the user's bearer credential (a session token or an API
 * key), so the server decides with the user's role; a refusal comes back as its code and message.
 */
export type ApiResult = { readonly ok: true; readonly status: number; readonly body: unknown } | { readonly ok: false; readonly status: number; readonly code: string; readonly message: string };

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly credential: string,
  ) {}

  async call(method: string, path: string, body?: unknown): Promise<ApiResult> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.credential}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(this.baseUrl + path, { method, headers, ...(body !== undefined && { body: JSON.stringify(body) }) });
    } catch (e) {
      return { ok: false, status: 0, code: 'UNREACHABLE', message: `${this.baseUrl} did not answer: ${(e as Error).message}` };
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (res.ok) return { ok: true, status: res.status, body: json };
    const err = (json as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    return { ok: false, status: res.status, code: typeof err?.code === 'string' ? err.code : `HTTP_${res.status}`, message: typeof err?.message === 'string' ? err.message : text.slice(0, 200) };
  }

  /** The stream's address for `from` (0: live only). */
  streamUrl(from: number): string {
    const u = new URL('/api/stream', this.baseUrl);
    u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
    if (from > 0) u.searchParams.set('from', String(from));
    return u.toString();
  }

  get bearer(): string {
    return this.credential;
  }
}

/** POST /api/auth/login: the session token, or the refusal. */
export async function login(baseUrl: string, username: string, password: string): Promise<{ ok: true; token: string } | { ok: false; code: string; message: string }> {
  const r = await new ApiClient(baseUrl, '').call('POST', '/api/auth/login', { username, password });
  if (!r.ok) return r;
  const token = (r.body as { token?: unknown } | undefined)?.token;
  return typeof token === 'string' ? { ok: true, token } : { ok: false, code: 'BAD_ANSWER', message: 'the login answer carried no token' };
}
