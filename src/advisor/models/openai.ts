/**
 * Any OpenAI-compatible chat completions endpoint (OpenAI, Ollama, LM Studio, vLLM) through the
 * `openai` SDK and its `baseURL`. The answer's shape is asked for by `response_format`:
 * json_schema (strict when the schema allows OpenAI's strict mode), json_object, or nothing;
 * refusals come back in `message.refusal` (or as a content_filter finish).
 */
import type OpenAI from 'openai';
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { ModelTierConfig } from './config.ts';
import type { Prompt } from './prompt.ts';
import { retryMessage } from './prompt.ts';
import type { CallFailure, CallOptions, ModelProvider, ModelSession, Reply } from './provider.ts';

/**
 * The OpenAI SDK will not start without a key; a local server (Ollama, LM Studio) needs none and
 * ignores the bearer token, so a tier without `api_key_env` sends this placeholder.
 */
const NO_KEY = 'no-key';

export class OpenAIProvider implements ModelProvider {
  readonly provider = 'openai' as const;
  readonly model: string;
  private client: Promise<OpenAI> | undefined;
  private readonly clientOptions: ConstructorParameters<typeof OpenAI>[0];

  constructor(
    private readonly tier: ModelTierConfig,
    apiKey: string | undefined,
  ) {
    this.model = tier.model;
    // Every option the SDK would otherwise read from the environment is given, so the config alone decides.
    this.clientOptions = {
      apiKey: apiKey ?? NO_KEY,
      baseURL: tier.base_url ?? 'https://api.openai.com/v1',
      organization: null,
      project: null,
      adminAPIKey: null,
      webhookSecret: null,
      maxRetries: tier.max_retries,
      timeout: tier.timeout_ms,
      logLevel: 'off',
    };
  }

  /** The SDK's client, made on first use (the SDK is imported then: a node without an advisor never loads it). */
  private sdkClient(): Promise<OpenAI> {
    this.client ??= loadOpenAI().then((Sdk) => new Sdk(this.clientOptions));
    return this.client;
  }

  session(prompt: Prompt, schemaName: string): ModelSession {
    const messages: ChatCompletionMessageParam[] = [
      { role: 'system', content: prompt.system },
      { role: 'user', content: prompt.user },
    ];
    const format = responseFormat(this.tier.structured_output, prompt.jsonSchema, schemaName);
    const call = async (options: CallOptions): Promise<Reply> => {
      const body: ChatCompletionCreateParamsNonStreaming = {
        model: this.tier.model,
        messages,
        temperature: this.tier.temperature,
        ...this.lengthLimit(),
        ...(format ? { response_format: format } : {}),
      };
      const completion = await (await this.sdkClient()).chat.completions.create(body, { signal: options.signal, timeout: options.timeoutMs });
      const reply = replyOf(completion);
      messages.push({ role: 'assistant', content: reply.text });
      return reply;
    };
    return {
      ask: call,
      retry: (problem, options) => {
        messages.push({ role: 'user', content: retryMessage(problem) });
        return call(options);
      },
    };
  }

  /**
   * OpenAI itself takes `max_completion_tokens` (its reasoning models refuse `max_tokens`); the
   * compatible servers (Ollama, LM Studio, older vLLM) read `max_tokens`.
   */
  private lengthLimit(): { max_completion_tokens: number } | { max_tokens: number } {
    const host = new URL(this.tier.base_url ?? 'https://api.openai.com/v1').hostname;
    return host === 'api.openai.com' ? { max_completion_tokens: this.tier.max_tokens } : { max_tokens: this.tier.max_tokens };
  }

  failure(error: unknown): CallFailure {
    const OpenAI = loadedOpenAI;
    if (!OpenAI) return { reason: 'UNAVAILABLE', message: error instanceof Error ? error.message : String(error) };
    if (error instanceof OpenAI.APIUserAbortError || error instanceof OpenAI.APIConnectionTimeoutError) return { reason: 'TIMEOUT', message: 'no answer within the timeout' };
    if (error instanceof OpenAI.APIConnectionError) return { reason: 'UNAVAILABLE', message: `cannot reach ${this.tier.base_url ?? 'api.openai.com'}: ${error.message}` };
    if (error instanceof OpenAI.APIError) return { reason: 'UNAVAILABLE', message: `the provider answered ${error.message}` };
    return { reason: 'UNAVAILABLE', message: error instanceof Error ? error.message : String(error) };
  }
}

type ResponseFormat = NonNullable<ChatCompletionCreateParamsNonStreaming['response_format']>;

function responseFormat(mode: ModelTierConfig['structured_output'], schema: Record<string, unknown>, name: string): ResponseFormat | undefined {
  switch (mode) {
    case 'auto':
    case 'json_schema':
      return { type: 'json_schema', json_schema: { name: schemaName(name), schema, strict: strictCompatible(schema) } };
    case 'json_object':
      return { type: 'json_object' };
    case 'none':
      return undefined;
  }
}

/** OpenAI's schema names: letters, digits, `_` and `-`, at most 64. */
function schemaName(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64) || 'answer';
}

/**
 * Whether OpenAI's strict mode takes the schema: every object closed (additionalProperties
 * false) with every property required. Strict mode refuses other schemas with a 400, so they go
 * best-effort (the answer is validated either way).
 */
export function strictCompatible(schema: unknown): boolean {
  if (Array.isArray(schema)) return schema.every(strictCompatible);
  if (typeof schema !== 'object' || schema === null) return true;
  const s = schema as Record<string, unknown>;
  if (s.type === 'object' || s.properties !== undefined) {
    const props = Object.keys((s.properties as Record<string, unknown> | undefined) ?? {});
    const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
    if (s.additionalProperties !== false || props.some((p) => !required.has(p))) return false;
  }
  return Object.values(s).every(strictCompatible);
}

function replyOf(c: ChatCompletion): Reply {
  const choice = c.choices[0];
  const usage = { inputTokens: c.usage?.prompt_tokens ?? 0, outputTokens: c.usage?.completion_tokens ?? 0 };
  const message = choice?.message;
  if (message?.refusal) return { kind: 'refused', text: message.refusal, ...usage };
  if (choice?.finish_reason === 'content_filter') return { kind: 'refused', text: message?.content ?? '', ...usage };
  return { kind: 'text', text: message?.content ?? '', ...usage };
}

let loadedOpenAI: typeof OpenAI | undefined;

/** The SDK, imported once on first use; its error classes are checked against this same copy. */
async function loadOpenAI(): Promise<typeof OpenAI> {
  loadedOpenAI ??= (await import('openai')).default;
  return loadedOpenAI;
}
