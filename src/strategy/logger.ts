/** Fields a log line carries besides its message (plain data). */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * A strategy's logger (`ctx.log`). In a node it is a child of the node's pino logger bound to the
 * strategy's id (so secrets are redacted as in every node log line); in a plain backtest it
 * discards, unless the caller gives one.
 */
export interface StrategyLogger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

/** What strategyLogger needs of a pino logger (structural, so this layer needs no pino import). */
export interface PinoLike {
  child(bindings: Record<string, unknown>): Record<'debug' | 'info' | 'warn' | 'error', (obj: object, msg?: string) => void>;
}

const noop = (): void => undefined;

/** A logger that keeps nothing. */
export const SILENT_LOGGER: StrategyLogger = Object.freeze({ debug: noop, info: noop, warn: noop, error: noop });

/** A strategy's logger as a child of a pino logger, every line bound to `{ strategy: strategyId }`. */
export function strategyLogger(parent: PinoLike | undefined, strategyId: string): StrategyLogger {
  if (!parent) return SILENT_LOGGER;
  const child = parent.child({ strategy: strategyId });
  const at =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (msg: string, fields?: LogFields): void =>
      child[level]({ ...(fields ?? {}) }, msg);
  return Object.freeze({ debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') });
}
