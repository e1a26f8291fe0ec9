/**
 * Anthropic's Messages API on loopback, for the real `@anthropic-ai/sdk`: POST /v1/messages
 * answers a `message` (content blocks `text` / `tool_use`, `stop_reason`, `usage`), errors with
 * the API's error JSON (`{ type: "error", error: { type, message }, request_id }`) and the status
 * of each type: 401 authentication_error, 400 invalid_request_error, 429 rate_limit_error,
 * 500 api_error, 529 overloaded_error. Each request answers the next scripted turn (else
 * `fallback`): a tool call (the tool `tool_choice` forces), text, a refusal, an error, a stall.
 *
 * It checks what the API checks: the key (`x-api-key` or `Authorization: Bearer`; 401), `anthropic-version`, `max_tokens`, and that a
 * `tool_use` in an assistant turn is answered by a `tool_result` with its id at the start of the
 * next user turn (400 otherwise).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { json, loopbackServer } from './fake-alerting/http.ts';

export type AnthropicTurn =
  | { readonly tool: unknown; readonly usage?: readonly [number, number] }
  | { readonly text: string; readonly usage?: readonly [number, number] }
  | { readonly refusal: string }
  | { readonly error: 'rate_limit_error' | 'api_error' | 'overloaded_error'; readonly retryAfterMs?: number }
  | { readonly stallMs: number };

type Block = { type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: unknown } | { type: 'tool_result'; tool_use_id: string; is_error?: boolean; content?: unknown };

export interface AnthropicRequest {
  readonly headers: IncomingHttpHeaders;
  readonly body: {
    model: string;
    max_tokens: number;
    system?: string;
    messages: { role: 'user' | 'assistant'; content: string | Block[] }[];
    tools?: { name: string; input_schema: Record<string, unknown> }[];
    tool_choice?: { type: string; name?: string };
    temperature?: number;
  };
}

const ERRORS = {
  rate_limit_error: { status: 429, message: 'This request would exceed the rate limit for your organization of 50 requests per minute.' },
  api_error: { status: 500, message: 'Internal server error' },
  overloaded_error: { status: 529, message: 'Overloaded' },
} as const;

export async function fakeAnthropic(opts: { apiKey: string }) {
  const requests: AnthropicRequest[] = [];
  const turns: AnthropicTurn[] = [];
  let fallback: AnthropicTurn = { text: '{}' };
  let n = 0;
  const error = (res: Parameters<typeof json>[0], status: number, type: string, message: string, headers: Record<string, string> = {}) =>
    json(res, status, { type: 'error', error: { type, message }, request_id: `req_fake${n}` }, { 'request-id': `req_fake${n}`, ...headers });
  const server = await loopbackServer(async (req, text, res) => {
    n++;
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method !== 'POST' || url.pathname !== '/v1/messages') return error(res, 404, 'not_found_error', 'Not found');
    // The key arrives as `x-api-key` (older SDKs, curl) or `Authorization: Bearer` (SDK 1.x): both are taken.
    const key = req.headers['x-api-key'] ?? req.headers.authorization?.replace(/^Bearer /, '');
    if (key !== opts.apiKey) return error(res, 401, 'authentication_error', `invalid x-api-key: ${String(key)}`);
    if (!req.headers['anthropic-version']) return error(res, 400, 'invalid_request_error', 'anthropic-version: header is required');
    const body = JSON.parse(text) as AnthropicRequest['body'];
    requests.push({ headers: req.headers, body });
    const bad = badRequest(body);
    if (bad) return error(res, 400, 'invalid_request_error', bad);
    const turn = turns.shift() ?? fallback;
    if ('stallMs' in turn) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, turn.stallMs);
        res.on('close', () => {
          clearTimeout(t);
          resolve();
        });
      });
      if (!res.writableEnded && !res.destroyed) json(res, 200, message(body, n, { text: '{}' }));
      return;
    }
    if ('error' in turn) {
      const e = ERRORS[turn.error];
      return error(res, e.status, turn.error, e.message, turn.retryAfterMs !== undefined ? { 'retry-after-ms': String(turn.retryAfterMs) } : {});
    }
    json(res, 200, message(body, n, turn), { 'request-id': `req_fake${n}` });
  });
  return {
    ...server,
    /** The SDK's baseURL (it adds /v1/messages). */
    baseURL: server.url,
    requests,
    script(...next: AnthropicTurn[]): void {
      turns.push(...next);
    },
    otherwise(turn: AnthropicTurn): void {
      fallback = turn;
    },
  };
}

function badRequest(body: AnthropicRequest['body']): string | undefined {
  if (!Number.isInteger(body.max_tokens) || body.max_tokens < 1) return 'max_tokens: Field required';
  if (body.tool_choice?.type === 'tool' && !body.tools?.some((t) => t.name === body.tool_choice?.name)) return `tool_choice: tool '${body.tool_choice.name ?? ''}' not found in tools`;
  for (let i = 0; i < body.messages.length; i++) {
    const m = body.messages[i]!;
    if (m.role !== 'assistant' || typeof m.content === 'string') continue;
    const uses = m.content.flatMap((b) => (b.type === 'tool_use' ? [b.id] : []));
    if (uses.length === 0) continue;
    const next = body.messages[i + 1];
    const results = next && typeof next.content !== 'string' ? next.content.flatMap((b) => (b.type === 'tool_result' ? [b.tool_use_id] : [])) : [];
    const missing = uses.filter((id) => !results.includes(id));
    if (next && missing.length > 0) {
      return `messages.${i + 1}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`;
    }
  }
  return undefined;
}

type Answer = Exclude<AnthropicTurn, { error: string } | { stallMs: number }>;

function message(body: AnthropicRequest['body'], n: number, turn: Answer) {
  const [input, output] = 'refusal' in turn ? [150, 5] : (turn.usage ?? [150, 40]);
  const forced = body.tool_choice?.type === 'tool' ? body.tool_choice.name : undefined;
  let content: Block[];
  let stop: string;
  if ('tool' in turn) {
    content = [{ type: 'tool_use', id: `toolu_fake${n}`, name: forced ?? 'answer', input: turn.tool }];
    stop = 'tool_use';
  } else if ('text' in turn) {
    content = [{ type: 'text', text: turn.text }];
    stop = 'end_turn';
  } else {
    content = turn.refusal ? [{ type: 'text', text: turn.refusal }] : [];
    stop = 'refusal';
  }
  return {
    id: `msg_fake${n}`,
    type: 'message',
    role: 'assistant',
    model: body.model,
    content,
    stop_reason: stop,
    stop_sequence: null,
    stop_details: stop === 'refusal' ? { type: 'refusal', category: null, explanation: null } : null,
    usage: { input_tokens: input, output_tokens: output, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, service_tier: 'standard' },
  };
}
