/**
 * What the consultant needs of a provider: ask once, and, after an answer it refused, ask again
 * saying why (the one retry), in the same conversation. Each provider speaks its own API through
 * its own SDK (openai.ts, anthropic.ts) and says which of its errors mean TIMEOUT and which
 * UNAVAILABLE; the consultant reads, validates, journals and alerts.
 */
import type { Prompt } from './prompt.ts';

export interface Usage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/**
 * What came back. `text`: JSON somewhere in text (repair pass, then the schema); `structured`:
 * a value the API already parsed (a forced tool call's input), still validated; `refused`: the
 * model declined (its words, if any, in `text`).
 */
export type Reply =
  | ({ readonly kind: 'text'; readonly text: string } & Usage)
  | ({ readonly kind: 'structured'; readonly value: unknown; readonly text: string } & Usage)
  | ({ readonly kind: 'refused'; readonly text: string } & Usage);

export interface CallOptions {
  /** Aborts the request (the tier's timeout). */
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
}

/** One conversation about one request. */
export interface ModelSession {
  ask(options: CallOptions): Promise<Reply>;
  /** After the last reply was refused by the consultant: the same conversation, told why. */
  retry(problem: string, options: CallOptions): Promise<Reply>;
}

/** Why a call failed, from an error the SDK threw. */
export type CallFailure = { readonly reason: 'TIMEOUT' | 'UNAVAILABLE'; readonly message: string };

export interface ModelProvider {
  readonly provider: 'openai' | 'anthropic';
  readonly model: string;
  session(prompt: Prompt, schemaName: string): ModelSession;
  failure(error: unknown): CallFailure;
}
