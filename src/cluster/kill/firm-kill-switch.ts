/**
 * The firm kill switch: one key, `<firm>.kill`, in the firm's control bucket (`<firm>_control`),
 * holding who engaged or reset it, why and when. Anyone with the firm's NATS (a node's API, the
 * CLI) writes it; every node watches it and follows (follow.ts). The key is state, not a message:
 * a node that starts while it is engaged starts halted.
 *
 *   { "engaged": true, "operator": "alice", "reason": "runaway algo", "at": 1765126800000 }
 */
import type { KV } from '@nats-io/kv';
import { ValidationError } from '../../model/errors.ts';
import { openBucket } from '../budget/nats-link.ts';
import type { NatsConnection } from '@nats-io/transport-node';

export interface FirmKillState {
  readonly engaged: boolean;
  /** Who engaged or reset it (an API user, or the CLI's --operator). */
  readonly operator: string;
  readonly reason: string;
  /** Wall clock, epoch ms. */
  readonly at: number;
}

export const controlBucket = (firm: string): string => `${firm}_control`;
export const killKey = (firm: string): string => `${firm}.kill`;

export function openControl(nc: NatsConnection, firm: string): Promise<KV> {
  return openBucket(nc, controlBucket(firm));
}

export function decodeKill(text: string): FirmKillState {
  let x: Partial<FirmKillState>;
  try {
    x = JSON.parse(text) as Partial<FirmKillState>;
  } catch {
    throw new ValidationError('INVALID_FIELD', 'firm kill switch: the value is not JSON', { field: 'kill' });
  }
  if (typeof x.engaged !== 'boolean' || typeof x.operator !== 'string' || typeof x.reason !== 'string' || typeof x.at !== 'number') {
    throw new ValidationError('INVALID_FIELD', 'firm kill switch: the value needs engaged, operator, reason and at', { field: 'kill' });
  }
  return { engaged: x.engaged, operator: x.operator, reason: x.reason, at: x.at };
}

/** Writes the switch (engaged or reset). Operator and reason are required text: an unattributed kill is refused. */
export async function setFirmKill(kv: KV, firm: string, s: FirmKillState): Promise<void> {
  if (s.operator.trim() === '') throw new ValidationError('INVALID_FIELD', 'the firm kill switch needs an operator', { field: 'operator' });
  if (s.reason.trim() === '') throw new ValidationError('INVALID_FIELD', 'the firm kill switch needs a reason', { field: 'reason' });
  await kv.put(killKey(firm), JSON.stringify(s));
}

export async function readFirmKill(kv: KV, firm: string): Promise<FirmKillState | undefined> {
  const e = await kv.get(killKey(firm));
  return e && e.operation === 'PUT' ? decodeKill(e.string()) : undefined;
}

/**
 * Calls `on` with the switch's current state (if it has one) and each change after, until the
 * returned stop is called. A value that is not a switch state is reported to `bad` and skipped.
 */
export async function watchFirmKill(kv: KV, firm: string, on: (s: FirmKillState) => void, bad: (e: unknown) => void): Promise<() => void> {
  const it = await kv.watch({ key: killKey(firm) });
  void (async () => {
    for await (const e of it) {
      if (e.operation !== 'PUT') continue;
      try {
        on(decodeKill(e.string()));
      } catch (err) {
        bad(err);
      }
    }
  })();
  return () => it.stop();
}
