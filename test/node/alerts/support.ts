import { parseNodeConfig, type LoadedNodeConfig } from '../../../src/node/config/index.ts';
import { createLogger, type Logger } from '../../../src/node/logging.ts';
import { barsFile, smallConfig, withBuyer, yaml } from '../small-node.ts';
import { tempDir } from '../support.ts';

/** A SIM venue that rejects the first submit, and a breaker that trips on one venue error: BREAKER_TRIPPED (critical) and more. */
export const FAULTY = { SIM: { type: 'sim', faults: { calls: [{ call: 'SUBMIT', nth: 1, fault: { kind: 'REJECT', reason: 'insufficient margin' } }] } } };
export const TRIP = { version: 1, limits: { default: { max_order_quantity: '10', max_order_notional: '1000000', max_position_quantity: '10', max_position_notional: '1000000' } }, breakers: { errors: { max_consecutive_errors: 1, scope: 'ACCOUNT' } } };
export const LIMITS_ONLY = { version: 1, limits: { default: { max_order_quantity: '10', max_order_notional: '1000000', max_position_quantity: '10', max_position_notional: '1000000' } } };

/** A small paper node's config (BTCUSDT.SIM, the `buyer` strategy) with `extra` on top, its secrets from `env`. */
export function alertNodeConfig(bars: number, extra: Record<string, unknown>, env: Record<string, string>): LoadedNodeConfig {
  const dir = tempDir();
  const loaded = parseNodeConfig(yaml(smallConfig(dir, barsFile(dir, bars), extra)), { env, baseDir: dir });
  return { ...loaded, config: withBuyer(loaded.config) };
}

/** A logger at debug writing JSON lines into `lines`, scrubbing `secrets` as the node's does. */
export function memoryLogger(secrets: ReadonlySet<string>): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', format: 'json', destination: 'stdout', redact: [] }, { secrets, stream: { write: (l: string) => lines.push(l) } });
  return { logger, lines };
}
