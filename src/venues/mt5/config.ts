import { z } from 'zod';

/**
 * A MetaTrader 5 terminal through the DWX ZeroMQ bridge expert advisor, as the node's config
 * gives it (the node adds its common venue fields). The bridge has no credentials of its own: the
 * terminal is logged in to the broker, and the EA's ports are reached on a trusted host only.
 */
export const Mt5VenueConfigSchema = z.strictObject({
  type: z.literal('mt5'),
  /** The host running the terminal with the EA (loopback or a private network: the bridge has no authentication). */
  host: z.string().min(1).default('127.0.0.1'),
  /** The EA's PUSH_PORT input: where commands go (our PUSH connects to its PULL). */
  command_port: z.number().int().min(1).max(65535).default(32768),
  /** The EA's PULL_PORT input: where replies come from. */
  reply_port: z.number().int().min(1).max(65535).default(32769),
  /** The EA's PUB_PORT input: prices. */
  price_port: z.number().int().min(1).max(65535).default(32770),
  call_timeout_ms: z.number().int().min(100).max(60_000).default(5_000),
  heartbeat_ms: z.number().int().min(100).max(60_000).default(2_000),
  /** How often open trades are read to see pending orders fill (DWX pushes no order events). */
  poll_ms: z.number().int().min(100).max(60_000).default(1_000),
  /** Initial margin as a fraction of notional (1 / leverage) for every symbol; DWX does not say. Default 1: unlevered, the safe side. */
  margin_init: z.string().regex(/^(0|[1-9]\d*)?(\.\d+)?$/).optional(),
});

export type Mt5VenueConfig = z.infer<typeof Mt5VenueConfigSchema>;
