/**
 * The metadata of a strategy for the listing (`warden strategies`): its family, what it does, and
 * its parameters with their defaults.
 */
export interface StrategyInfo {
  readonly family: 'machine learning' | 'sentiment';
  readonly description: string;
  readonly params: readonly { readonly name: string; readonly default: unknown; readonly description: string }[];
}

/** A factory's parameter docs as StrategyInfo params (numeric defaults as numbers). */
export function infoParams(docs: readonly { readonly name: string; readonly default: string; readonly doc: string }[]): StrategyInfo['params'] {
  return docs.map((d) => ({ name: d.name, default: d.default !== '' && Number.isFinite(Number(d.default)) ? Number(d.default) : d.default, description: d.doc }));
}
