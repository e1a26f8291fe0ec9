/**
 * An OpenAI-compatible chat completions server (OpenAI, Ollama, LM Studio, vLLM speak this) on
 * loopback, for the real `openai` SDK: POST /v1/chat/completions answers with the response shapes
 * of the API (`chat.completion` with `usage`, `message.refusal`, `finish_reason`), errors with the
 * API's error JSON (`{ error: { message, type, param, code } }`) and status, GET /v1/models the
 * model list. Each completion answers the next scripted turn (else `fallback`): content, a
 * refusal, an error status, or a stall that never answers (until the client gives up).
 *
 * It checks what OpenAI checks: the bearer key (401 `invalid_api_key`, echoing the key it got,
 * worse than OpenAI's masking, so tests prove Warden scrubs it), a `json_schema` response format's
 * name, and that a `strict` schema closes every object (400 otherwise).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { json, loopbackServer } from './fake-alerting/http.ts';

export type OpenAITurn =
  | { readonly content: string; readonly finish?: 'stop' | 'length' | 'content_filter'; readonly usage?: readonly [number, number] }
  | { readonly refusal: string }
  | { readonly status: 429 | 500 | 503; readonly retryAfterMs?: number }
  | { readonly stallMs: number };

export interface OpenAIRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: {
    model: string;
    messages: { role: string; content: string | null }[];
    response_format?: { type: string; json_schema?: { name: string; schema: Record<string, unknown>; strict?: boolean } };
    temperature?: number;
    max_tokens?: number;
    max_completion_tokens?: number;
  };
}

const ERRORS = {
  429: { message: 'Rate limit reached for gpt-4o-mini in organization org-fake on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s.', type: 'requests', param: null, code: 'rate_limit_exceeded' },
  500: { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', param: null, code: null },
  503: { message: 'The engine is currently overloaded, please try again later', type: 'server_error', param: null, code: null },
} as const;

export async function fakeOpenAI(opts: { apiKey?: string; models?: readonly string[] } = {}) {
  const requests: OpenAIRequest[] = [];
  const turns: OpenAITurn[] = [];
  let fallback: OpenAITurn = { content: '{}' };
  let n = 0;
  const server = await loopbackServer(async (req, text, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const auth = req.headers.authorization ?? '';
    if (opts.apiKey !== undefined && auth !== `Bearer ${opts.apiKey}`) {
      const got = auth.replace(/^Bearer /, '');
      return json(res, 401, { error: { message: `Incorrect API key provided: ${got}. You can find your API key at https://platform.openai.com/account/api-keys.`, type: 'invalid_request_error', param: null, code: 'invalid_api_key' } });
    }
    if (req.method === 'GET' && url.pathname === '/v1/models') {
      return json(res, 200, { object: 'list', data: (opts.models ?? ['gpt-4o-mini']).map((id) => ({ id, object: 'model', created: 1_715_367_049, owned_by: 'system' })) });
    }
    if (req.method !== 'POST' || url.pathname !== '/v1/chat/completions') {
      return json(res, 404, { error: { message: `Invalid URL (${req.method ?? ''} ${url.pathname})`, type: 'invalid_request_error', param: null, code: null } });
    }
    const body = JSON.parse(text) as OpenAIRequest['body'];
    requests.push({ path: url.pathname, headers: req.headers, body });
    const bad = badRequest(body);
    if (bad) return json(res, 400, { error: { message: bad, type: 'invalid_request_error', param: 'response_format', code: null } });
    const turn = turns.shift() ?? fallback;
    if ('stallMs' in turn) {
      // Holds the request open; the client's abort closes the socket first.
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, turn.stallMs);
        res.on('close', () => {
          clearTimeout(t);
          resolve();
        });
      });
      if (!res.writableEnded && !res.destroyed) json(res, 200, completion(body.model, ++n, { content: '{}' }));
      return;
    }
    if ('status' in turn) {
      return json(res, turn.status, { error: ERRORS[turn.status] }, {
        'x-request-id': `req_${n}`,
        ...(turn.retryAfterMs !== undefined ? { 'retry-after-ms': String(turn.retryAfterMs) } : {}),
      });
    }
    json(res, 200, completion(body.model, ++n, turn), { 'x-request-id': `req_${n}`, 'openai-processing-ms': '42' });
  });
  return {
    ...server,
    baseURL: `${server.url}/v1`,
    requests,
    /** The next completions answer these turns, in order. */
    script(...next: OpenAITurn[]): void {
      turns.push(...next);
    },
    /** What a completion answers once the script is spent. */
    otherwise(turn: OpenAITurn): void {
      fallback = turn;
    },
    completions(): number {
      return requests.filter((r) => r.path === '/v1/chat/completions').length;
    },
  };
}

function badRequest(body: OpenAIRequest['body']): string | undefined {
  const f = body.response_format;
  if (!f || f.type !== 'json_schema') return undefined;
  const s = f.json_schema;
  if (!s || !/^[A-Za-z0-9_-]{1,64}$/.test(s.name)) return "Invalid 'response_format.json_schema.name': string does not match pattern.";
  if (s.strict && !closed(s.schema)) return "Invalid schema for response_format 'x': In context=(), 'additionalProperties' is required to be supplied and to be false.";
  return undefined;
}

function closed(schema: unknown): boolean {
  if (Array.isArray(schema)) return schema.every(closed);
  if (typeof schema !== 'object' || schema === null) return true;
  const s = schema as Record<string, unknown>;
  if (s.type === 'object' && s.additionalProperties !== false) return false;
  return Object.values(s).every(closed);
}

type Answer = Extract<OpenAITurn, { content: string }> | Extract<OpenAITurn, { refusal: string }>;

function completion(model: string, n: number, turn: Answer) {
  const [prompt, completionTokens] = 'content' in turn ? (turn.usage ?? [120, 30]) : [120, 12];
  return {
    id: `chatcmpl-fake${n}`,
    object: 'chat.completion',
    created: 1_735_689_600 + n,
    model,
    choices: [
      {
        index: 0,
        message: 'content' in turn ? { role: 'assistant', content: turn.content, refusal: null, annotations: [] } : { role: 'assistant', content: null, refusal: turn.refusal, annotations: [] },
        logprobs: null,
        finish_reason: 'content' in turn ? (turn.finish ?? 'stop') : 'stop',
      },
    ],
    usage: {
      prompt_tokens: prompt,
      completion_tokens: completionTokens,
      total_tokens: prompt + completionTokens,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    },
    service_tier: 'default',
    system_fingerprint: 'fp_fake',
  };
}
