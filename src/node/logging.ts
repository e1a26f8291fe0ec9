import { pino, type DestinationStream, type Logger } from 'pino';
import { prettyFactory } from 'pino-pretty';
import type { LoggingConfig } from './config/schema.ts';
import { REDACTED, scrubber } from './secrets.ts';

export { errorText, REDACTED, scrubber } from './secrets.ts';
export type { Logger } from 'pino';

/** Field names whose values never reach a log line, at the top level and two levels down. */
const SECRET_KEYS = [
  'apiKey',
  'api_key',
  'apiSecret',
  'api_secret',
  'secret',
  'secretKey',
  'secret_key',
  'privateKey',
  'private_key',
  'password',
  'passphrase',
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'authorization',
  'Authorization',
  'cookie',
  'credentials',
];

export const REDACT_PATHS: readonly string[] = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);

export interface LoggerOptions {
  /** Values to scrub from every line, wherever they appear (LoadedNodeConfig.secrets). */
  readonly secrets?: Iterable<string>;
  /** Write here instead of the configured destination (tests; an in-memory buffer). */
  readonly stream?: { write(line: string): unknown };
  /** Fields on every line, e.g. `{ node: 'paper-1' }`. */
  readonly base?: Readonly<Record<string, unknown>>;
}

/**
 * The node's pino logger from the config's `logging` section: level, JSON or pretty lines, to
 * stdout, stderr or a file (written synchronously, so a crash loses no line). Secrets are kept
 * out twice over: pino's `redact` censors fields named like secrets (apiKey, password, token,
 * authorization, ... and `logging.redact`), and every finished line, messages, objects, errors
 * and stack traces alike, has each configured secret value replaced by `[REDACTED]` before it
 * is written.
 */
export function createLogger(logging: LoggingConfig, options: LoggerOptions = {}): Logger {
  const scrub = scrubber(options.secrets ?? []);
  const target = options.stream ?? destination(logging.destination);
  const sink = logging.format === 'pretty' ? prettyStream(target, logging.destination !== 'stdout' && logging.destination !== 'stderr') : target;
  const scrubbed: DestinationStream = { write: (line: string) => void sink.write(scrub(line)) };
  return pino(
    {
      level: logging.level,
      base: { ...(options.base ?? {}) },
      redact: { paths: [...REDACT_PATHS, ...logging.redact], censor: REDACTED },
      serializers: { err: pino.stdSerializers.err },
    },
    scrubbed,
  );
}

function destination(d: LoggingConfig['destination']): DestinationStream {
  if (d === 'stdout') return pino.destination({ dest: 1, sync: true });
  if (d === 'stderr') return pino.destination({ dest: 2, sync: true });
  return pino.destination({ dest: d.file, sync: true, mkdir: true, append: true });
}

/** pino-pretty's formatter in this thread (not a transport worker): each line is formatted as it is written, in order. */
function prettyStream(target: { write(line: string): unknown }, toFile: boolean): { write(line: string): unknown } {
  const format = prettyFactory({ colorize: !toFile && process.stdout.isTTY === true });
  return { write: (line: string) => target.write(format(line)) };
}
