/**
 * The dashboard's one way to call the API: same-origin fetch, the session travels in the HttpOnly
 * cookie (the page never reads or keeps a token). A failed call throws ApiError with the server's
 * stable code and readable message.
 */
import type { ApiErrorBody } from './types.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly context: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Called on any 401, so the app can go back to the login page. */
let onUnauthenticated: (() => void) | undefined;
export function setUnauthenticatedHandler(f: () => void): void {
  onUnauthenticated = f;
}

export async function api<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  } catch (e) {
    throw new ApiError(0, 'NETWORK', `the server did not answer (${e instanceof Error ? e.message : String(e)})`);
  }
  const text = await res.text();
  const json: unknown = text === '' ? undefined : safeJson(text);
  if (!res.ok) {
    const err = (json as Partial<ApiErrorBody> | undefined)?.error;
    if (res.status === 401 && !path.startsWith('/api/auth/login')) onUnauthenticated?.();
    throw new ApiError(res.status, err?.code ?? `HTTP_${res.status}`, err?.message ?? res.statusText, err?.context ?? {});
  }
  return json as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A list answer may come bare or wrapped ({ orders: [...] }); the dashboard takes either. */
export function listOf<T>(v: unknown, key: string): T[] {
  if (Array.isArray(v)) return v as T[];
  if (typeof v === 'object' && v !== null) {
    const inner = (v as Record<string, unknown>)[key] ?? (v as Record<string, unknown>).items;
    if (Array.isArray(inner)) return inner as T[];
  }
  return [];
}

export function errorText(e: unknown): string {
  if (e instanceof ApiError) return `${e.code}: ${e.message}`;
  return e instanceof Error ? e.message : String(e);
}
