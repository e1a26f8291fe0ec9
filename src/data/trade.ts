// The trade type lives in the model; re-exported here for the data readers.
export type { Trade, Aggressor } from '../model/trade.ts';
