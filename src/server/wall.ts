/** The wall clock of the server (ids, session-free timing): the engine's clock is the node's, never this. */
export const wallNow = (): number => Math.floor(performance.timeOrigin + performance.now());
