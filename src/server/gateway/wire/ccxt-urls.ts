/** What ccxt's binance client is pointed at to trade spot at a Binance-compatible server (its `urls.api`). */
export interface BinanceSpotUrls {
  readonly public: string;
  readonly private: string;
  readonly v1: string;
  readonly sapi: string;
  readonly ws: { readonly spot: string; readonly 'ws-api': { readonly spot: string } };
}

/** ccxt's spot REST and WebSocket keys at `host` (host:port), over plain http and ws: the gateway's, and the fake Binance's spot side. */
export function binanceSpotUrls(host: string): BinanceSpotUrls {
  const http = `http://${host}`;
  const ws = `ws://${host}`;
  return {
    public: `${http}/api/v3`,
    private: `${http}/api/v3`,
    v1: `${http}/api/v1`,
    sapi: `${http}/sapi/v1`,
    ws: { spot: `${ws}/ws`, 'ws-api': { spot: `${ws}/ws-api/v3` } },
  };
}
