import type { Logger } from 'pino';
import type { TradingNode } from '../node/trading-node.ts';
import { createServer, type CreateServerOptions } from './app.ts';
import type { App } from './context.ts';

export interface RunningServer {
  readonly url: string;
  readonly app: App;
  /** Stops taking requests, closes WebSocket clients (1001) and waits for requests in flight. */
  close(): Promise<void>;
}

/**
 * Builds the server over a node and listens on config.host:config.port (port 0: any free one).
 * Closing is graceful and tied to the node's stop: a node stopping (end of data, a signal) leaves
 * the server to be closed first by whoever stops it (`close` before `node.stop()`), so no command
 * reaches an engine that is closing its journal; commands that still do get 503 ENGINE_STOPPED.
 */
export async function startServer(node: TradingNode, o: CreateServerOptions & { readonly logger: Logger }): Promise<RunningServer> {
  const app = await createServer(node, o);
  await app.listen({ host: o.config.host, port: o.config.port });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : o.config.port;
  const host = o.config.host.includes(':') ? `[${o.config.host}]` : o.config.host;
  const url = `http://${host}:${port}`;
  o.logger.info({ url }, 'server listening');
  let closing: Promise<void> | undefined;
  return {
    url,
    app,
    close: () => (closing ??= app.close().then(() => o.logger.info({ url }, 'server closed'))),
  };
}
