// The bar type lives in the model (the engine takes bars); re-exported here for the data readers.
export type { Bar } from '../model/bar.ts';
