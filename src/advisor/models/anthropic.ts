/**
 * Anthropic through `@anthropic-ai/sdk` (Messages API).
 *
 * Structured output by a forced tool call: the answer's JSON Schema is the input schema of one
 * tool, and `tool_choice` makes the model call it, so the answer arrives as a parsed object in a
 * `tool_use` block with no prose to strip. We chose it over JSON in text plus repair because it
 * is the Messages API's own way to get JSON of a given shape, works on every current model, and
 * leaves nothing to guess; the answer is still validated, and a refused one is answered with a
 * `tool_result` marked `is_error` saying why, which is how the API expects a tool call to be
 * corrected. A schema whose top level is not an object (a tool input must be one), and the
 * tiers set to json_object or none, use JSON in text plus the repair pass. A refusal is
 * `stop_reason: "refusal"`.
 *
 * Newer models also take `output_config.format` (constrained JSON in a text block); the forced
 * tool call is kept because every tool-capable model honours it, and the answer is validated
 * either way. The Messages API of this SDK no longer takes `temperature` (deprecated): a tier's
 * temperature applies to OpenAI-compatible endpoints only.
 *
 * Not its OpenAI-compatible endpoint: that one ignores response_format and strict schemas, and
 * reports refusals no differently from text, so the native API gives more for the same code.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { Message, MessageCreateParamsNonStreaming, MessageParam, Tool } from '@anthropic-ai/sdk/resources/messages/messages';
import type { ModelTierConfig } from './config.ts';
import type { Prompt } from './prompt.ts';
import { retryMessage } from './prompt.ts';
import type { CallFailure, CallOptions, ModelProvider, ModelSession, Reply } from './provider.ts';

export class AnthropicProvider implements ModelProvider {
  readonly provider = 'anthropic' as const;
  readonly model: string;
  private client: Promise<Anthropic> | undefined;
  private readonly clientOptions: ConstructorParameters<typeof Anthropic>[0];

  constructor(
    private readonly tier: ModelTierConfig,
    apiKey: string | undefined,
  ) {
    this.model = tier.model;
    // Every option the SDK would otherwise read from the environment is given, so the config alone decides.
    this.clientOptions = {
      apiKey: apiKey ?? null,
      baseURL: tier.base_url ?? 'https://api.anthropic.com',
      webhookKey: null,
      maxRetries: tier.max_retries,
      timeout: tier.timeout_ms,
      logLevel: 'off',
    };
  }

  /** The SDK's client, made on first use (the SDK is imported then: a node without an advisor never loads it). */
  private sdkClient(): Promise<Anthropic> {
    this.client ??= loadAnthropic().then((Sdk) => new Sdk(this.clientOptions));
    return this.client;
  }

  session(prompt: Prompt, schemaName: string): ModelSession {
    const messages: MessageParam[] = [{ role: 'user', content: prompt.user }];
    const tool = this.answerTool(prompt, schemaName);
    let lastToolUse: string | undefined;
    const call = async (options: CallOptions): Promise<Reply> => {
      const body: MessageCreateParamsNonStreaming = {
        model: this.tier.model,
        max_tokens: this.tier.max_tokens,
        system: prompt.system,
        messages,
        ...(tool ? { tools: [tool], tool_choice: { type: 'tool', name: tool.name } } : {}),
      };
      const message = await (await this.sdkClient()).messages.create(body, { signal: options.signal, timeout: options.timeoutMs });
      messages.push({ role: 'assistant', content: message.content });
      const reply = replyOf(message, tool?.name);
      lastToolUse = message.content.find((b) => b.type === 'tool_use')?.id;
      return reply;
    };
    return {
      ask: call,
      retry: (problem, options) => {
        const text = retryMessage(problem);
        messages.push({ role: 'user', content: lastToolUse ? [{ type: 'tool_result', tool_use_id: lastToolUse, is_error: true, content: text }] : text });
        return call(options);
      },
    };
  }

  /** The tool whose input is the answer, when the tier and the schema allow one. */
  private answerTool(prompt: Prompt, schemaName: string): Tool | undefined {
    const mode = this.tier.structured_output;
    if (mode === 'json_object' || mode === 'none' || prompt.jsonSchema.type !== 'object') return undefined;
    return {
      name: schemaName.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64) || 'answer',
      description: 'Give your answer: its input is the whole answer, as the JSON Schema describes.',
      input_schema: prompt.jsonSchema as Tool.InputSchema,
    };
  }

  failure(error: unknown): CallFailure {
    const Anthropic = loadedAnthropic;
    if (!Anthropic) return { reason: 'UNAVAILABLE', message: error instanceof Error ? error.message : String(error) };
    if (error instanceof Anthropic.APIUserAbortError || error instanceof Anthropic.APIConnectionTimeoutError) return { reason: 'TIMEOUT', message: 'no answer within the timeout' };
    if (error instanceof Anthropic.APIConnectionError) return { reason: 'UNAVAILABLE', message: `cannot reach ${this.tier.base_url ?? 'api.anthropic.com'}: ${error.message}` };
    if (error instanceof Anthropic.APIError) return { reason: 'UNAVAILABLE', message: `the provider answered ${error.message}` };
    return { reason: 'UNAVAILABLE', message: error instanceof Error ? error.message : String(error) };
  }
}

function replyOf(m: Message, toolName: string | undefined): Reply {
  const u = m.usage;
  const usage = { inputTokens: u.input_tokens + (u.cache_creation_input_tokens ?? 0) + (u.cache_read_input_tokens ?? 0), outputTokens: u.output_tokens };
  const text = m.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('\n');
  if (m.stop_reason === 'refusal') return { kind: 'refused', text, ...usage };
  const call = toolName === undefined ? undefined : m.content.find((b) => b.type === 'tool_use' && b.name === toolName);
  if (call && call.type === 'tool_use') return { kind: 'structured', value: call.input, text: JSON.stringify(call.input), ...usage };
  return { kind: 'text', text, ...usage };
}

let loadedAnthropic: typeof Anthropic | undefined;

/** The SDK, imported once on first use; its error classes are checked against this same copy. */
async function loadAnthropic(): Promise<typeof Anthropic> {
  loadedAnthropic ??= (await import('@anthropic-ai/sdk')).default;
  return loadedAnthropic;
}
