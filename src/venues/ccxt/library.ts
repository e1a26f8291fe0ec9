/**
 * ccxt, loaded on first use: importing it costs about a second, which every `warden` command
 * (backtests, config checks) would pay at start though only a live ccxt venue needs it. One loader
 * so `instanceof` checks see the same classes as the clients made from it.
 */
type Ccxt = (typeof import('ccxt'))['default'];

let lib: Ccxt | undefined;

/** ccxt's namespace, importing it the first time. */
export async function loadCcxt(): Promise<Ccxt> {
  lib ??= (await import('ccxt')).default;
  return lib;
}

/**
 * ccxt's namespace if it has been loaded, else undefined: an error can only be one of ccxt's when
 * a client made by `loadCcxt` threw it, so a classifier needs nothing more.
 */
export function loadedCcxt(): Ccxt | undefined {
  return lib;
}
