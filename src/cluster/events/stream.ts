/**
 * The firm's event stream, created or brought up to date by whichever node (or firm view) gets
 * there first: every node asks for the same configuration, so creating it twice is harmless.
 * nats-server 2.9 has no per-message TTL: the stream keeps everything (limits retention, file
 * storage); its age and size limits are the operator's to set on the server.
 */
import { jetstreamManager, RetentionPolicy, StorageType, type JetStreamManager, type StreamInfo } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { eventStreamName, firmEventsFilter } from './subjects.ts';

/** Default duplicate window: covers a publisher's retries after a NATS outage and a restart after a crash. */
export const DEFAULT_DUPLICATE_WINDOW_MS = 10 * 60_000;

export interface EventStreamOptions {
  readonly firm: string;
  /** How long the server remembers message ids to drop republished events (default 10 minutes). */
  readonly duplicateWindowMs?: number;
}

const nanos = (ms: number): number => ms * 1_000_000;

/** Creates the firm's stream, or updates its subjects and duplicate window when they differ. */
export async function ensureEventStream(nc: NatsConnection, o: EventStreamOptions): Promise<StreamInfo> {
  const jsm = await jetstreamManager(nc);
  const name = eventStreamName(o.firm);
  const subjects = [firmEventsFilter(o.firm)];
  const window = nanos(o.duplicateWindowMs ?? DEFAULT_DUPLICATE_WINDOW_MS);
  const existing = await streamInfo(jsm, name);
  if (!existing) {
    try {
      return await jsm.streams.add({ name, subjects, retention: RetentionPolicy.Limits, storage: StorageType.File, duplicate_window: window });
    } catch (e) {
      // Another node created it between our look and our add: take theirs (and update it below).
      const again = await streamInfo(jsm, name);
      if (!again) throw e;
      return update(jsm, again, subjects, window);
    }
  }
  return update(jsm, existing, subjects, window);
}

async function update(jsm: JetStreamManager, info: StreamInfo, subjects: string[], window: number): Promise<StreamInfo> {
  const c = info.config;
  const same = c.duplicate_window === window && (c.subjects ?? []).length === 1 && c.subjects?.[0] === subjects[0];
  if (same) return info;
  return jsm.streams.update(c.name, { ...c, subjects, duplicate_window: window });
}

async function streamInfo(jsm: JetStreamManager, name: string): Promise<StreamInfo | undefined> {
  try {
    return await jsm.streams.info(name);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/** JetStream's "stream not found" (API error code 10059). */
export function isNotFound(e: unknown): boolean {
  const err = e as { api_error?: { err_code?: number }; code?: string | number; message?: string };
  return err?.api_error?.err_code === 10059 || /stream not found/i.test(err?.message ?? '');
}
