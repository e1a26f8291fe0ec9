/**
 * `cluster:` — this node as one of a firm's nodes (src/cluster/): its journaled events published to
 * NATS JetStream, a firm-wide risk budget in a JetStream key-value bucket, and the firm kill switch.
 * Absent: a stand-alone node, nothing on NATS.
 */
import { z } from 'zod';

/** A node id, firm or bucket name: one NATS subject token. */
export const CLUSTER_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
export const CLUSTER_NAME_RULE = 'must be 1-64 letters, digits, "_" or "-", starting with a letter or digit';

const name = z.string().regex(CLUSTER_NAME, { error: `${CLUSTER_NAME_RULE} (a NATS subject token)` });
const amount = z.string().regex(/^\d+(\.\d+)?$/, { error: 'must be a non-negative decimal written as a quoted string, e.g. "250000"' });

export const firmBudgetSchema = z.strictObject({
  /** The bucket that holds the firm's limits and every node's reservations. */
  bucket: name.default('warden_firm_budget'),
  /** Gross exposure of all nodes together, in the settlement currency. */
  max_gross_exposure: amount.optional(),
  /** Net exposure per instrument id, all nodes together. */
  max_net_exposure: z.record(z.string().min(1), amount).default({}),
  /** Realised + unrealised loss of the day, all nodes together (a positive amount). */
  max_daily_loss: amount.optional(),
  /** Orders per second, all nodes together. */
  max_order_rate: z.number().int().positive().optional(),
  /** A reservation's lease: renewed while the node lives; a dead node's expire after it. */
  lease_ms: z.number().int().min(500).max(600_000).default(10_000),
  /**
   * The node's credit line: how much gross (and net) exposure it reserves from the firm at a time and
   * draws down locally, refilled in the background (absent or "0": reserve exactly each order, one
   * compare-and-set per order). The firm limit holds either way: the lines of all nodes never sum past it.
   */
  credit_chunk: amount.optional(),
});

export const clusterSchema = z.strictObject({
  /** NATS server(s), e.g. nats://127.0.0.1:4222. */
  nats: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).default('nats://127.0.0.1:4222'),
  /** This node's name in subjects, keys and the firm view: unique within the firm. */
  node_id: name,
  /** The firm's name: prefixes the stream, subjects and buckets, so two firms can share a server. */
  firm: name.default('warden'),
  /** Publish every journaled event to JetStream once it is durable. */
  publish: z.boolean().default(true),
  /** The firm-wide risk budget; absent: limits are per node only. */
  budget: firmBudgetSchema.optional(),
  /** What the node does when NATS is lost: go reduce-only (default), halt, or keep trading (alert only). */
  on_nats_loss: z.enum(['reduce_only', 'halt', 'continue']).default('reduce_only'),
  /** Follow the firm kill switch (a KV key watched by every node; engaged from any node, the API or the CLI). */
  kill_switch: z.boolean().default(true),
});

export type ClusterConfig = z.infer<typeof clusterSchema>;
export type FirmBudgetConfig = z.infer<typeof firmBudgetSchema>;
