import type { FastifyError, FastifyReply } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AuthorityError, EngineError, LookupError, StateError, ValidationError, VenueCallError, WardenError, type ErrorContext } from '../model/errors.ts';

/** The body of every error answer: a stable code, a readable message, and context (never a secret). */
export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly context: Record<string, unknown> };
}

/** An error the API answers with as is: its HTTP status and stable code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly context: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export function errorBody(code: string, message: string, context: ErrorContext | Record<string, unknown> = {}): ErrorBody {
  return { error: { code, message, context: { ...context } } };
}

/** The HTTP status for a typed engine error: bad input 400, unknown ids 404, not allowed 403, wrong state 409. */
export function statusOf(e: WardenError): number {
  if (e instanceof ValidationError) return 400;
  if (e instanceof LookupError) return 404;
  if (e instanceof AuthorityError) return 403;
  if (e instanceof StateError) return 409;
  if (e instanceof VenueCallError) return 502;
  if (e instanceof EngineError) return e.code === 'ENGINE_STOPPED' ? 503 : 500;
  return 500;
}

/** What an error becomes on the wire: its status and body. Unknown errors say nothing of their insides. */
export function toErrorAnswer(err: unknown): { status: number; body: ErrorBody } {
  if (err instanceof ApiError) return { status: err.status, body: errorBody(err.code, err.message, err.context) };
  if (err instanceof WardenError) return { status: statusOf(err), body: errorBody(err.code, err.message, err.context ?? {}) };
  const fe = err as FastifyError & { validation?: unknown };
  if (hasZodFastifySchemaValidationErrors(fe)) {
    const issues = fe.validation.map((v) => ({ field: fieldOf(fe.validationContext, v.instancePath), message: v.message ?? 'invalid' }));
    const first = issues[0];
    const message = first ? `${first.field}: ${first.message}` : 'the request does not match its schema';
    return { status: 400, body: errorBody('VALIDATION_FAILED', message, { field: first?.field, issues }) };
  }
  if (fe.statusCode === 429) return { status: 429, body: errorBody('RATE_LIMITED', 'too many requests: slow down', {}) };
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || (fe.statusCode === 400 && typeof fe.code === 'string')) {
    return { status: fe.statusCode ?? 400, body: errorBody('VALIDATION_FAILED', `the request body cannot be read: ${fe.message}`, { field: 'body' }) };
  }
  if (fe.statusCode !== undefined && fe.statusCode >= 400 && fe.statusCode < 500) return { status: fe.statusCode, body: errorBody('BAD_REQUEST', fe.message, {}) };
  return { status: 500, body: errorBody('INTERNAL', 'internal error (logged on the server)', {}) };
}

/** `body.quantity`, `query.limit`, `params.id`: the field a validation issue names. */
function fieldOf(where: string | undefined, path: string): string {
  const p = path.replace(/^\//, '').replaceAll('/', '.');
  return p === '' ? (where ?? 'body') : `${where ?? 'body'}.${p}`;
}

export function sendError(reply: FastifyReply, status: number, code: string, message: string, context: Record<string, unknown> = {}): FastifyReply {
  return reply.code(status).send(errorBody(code, message, context));
}
