/** Alpaca's error body `{code, message}` and the codes its trading API answers with. */
export const ERR = {
  unauthorized: 40110000,
  forbidden: 40310000,
  notFound: 40410000,
  unprocessable: 42210000,
  rateLimited: 42910000,
  internal: 50010000,
} as const;

export class AlpacaError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }

  body(): { code: number; message: string } {
    return { code: this.code, message: this.message };
  }
}
