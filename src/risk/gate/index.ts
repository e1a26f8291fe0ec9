export { RiskGate } from './risk-gate.ts';
export { DENIAL_CODES, DENIAL_CODE_LIST, deny, type Denial, type DenialCode } from './denials.ts';
export { FLATTEN_TAG } from './facts.ts';
export { RateCounter, type RateWindow } from './rate.ts';
export type { MessageKind } from './throttles.ts';
