/**
 * The TWS socket API's framing as TWS speaks it after the V100+ handshake: every message is a
 * 4-byte big-endian length, then its fields, each ended by a NUL. The client's first bytes are
 * "API\0" followed by a length-prefixed version range ("v100..193"), which TWS answers with a
 * framed [server version, connection time].
 */

export type Field = string | number | boolean | undefined;

/** One message's bytes: fields as text, booleans as 1/0, undefined as the empty field. */
export function frame(fields: readonly Field[]): Buffer {
  const text = fields.map((f) => (f === undefined ? '' : typeof f === 'boolean' ? (f ? '1' : '0') : String(f))).join('\0') + '\0';
  const body = Buffer.from(text, 'utf8');
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length);
  return Buffer.concat([head, body]);
}

/**
 * A double as Java's Double.toString writes it (TWS is Java): "100.0", "0.01", "1.0E-4",
 * "1.5E7". The digits are the shortest that read back to the same double.
 */
export function javaDouble(x: number): string {
  if (x === 0) return '0.0';
  const a = Math.abs(x);
  if (a >= 1e-3 && a < 1e7) {
    const s = String(x);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [mantissa, exponent] = x.toExponential().split('e') as [string, string];
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
}

/** A double field, or the empty field TWS sends for an unset one (Double.MAX_VALUE). */
export const dbl = (x: number | undefined): string => (x === undefined ? '' : javaDouble(x));

/** Splits the client's byte stream into the handshake and then framed messages. */
export class FrameReader {
  private buf = Buffer.alloc(0);
  private handshaken = false;

  constructor(
    private readonly onHandshake: (versions: string) => void,
    private readonly onMessage: (fields: string[]) => void,
  ) {}

  push(data: Buffer): void {
    this.buf = Buffer.concat([this.buf, data]);
    for (;;) {
      if (!this.handshaken) {
        if (this.buf.length < 8) return;
        if (this.buf.subarray(0, 4).toString('latin1') !== 'API\0') throw new Error('not a TWS API client: no API\\0 prefix');
        const len = this.buf.readUInt32BE(4);
        if (this.buf.length < 8 + len) return;
        const versions = this.buf.subarray(8, 8 + len).toString('utf8');
        this.buf = this.buf.subarray(8 + len);
        this.handshaken = true;
        this.onHandshake(versions);
        continue;
      }
      if (this.buf.length < 4) return;
      const len = this.buf.readUInt32BE(0);
      if (this.buf.length < 4 + len) return;
      const text = this.buf.subarray(4, 4 + len).toString('utf8');
      this.buf = this.buf.subarray(4 + len);
      const fields = text.split('\0');
      if (fields[fields.length - 1] === '') fields.pop();
      this.onMessage(fields);
    }
  }
}

/** Reads a request's fields in order, as TWS's decoder does; `rest` tells what was left unread. */
export class FieldReader {
  private i = 0;
  constructor(private readonly fields: readonly string[]) {}

  str(): string {
    if (this.i >= this.fields.length) throw new Error(`message ended after ${this.i} fields`);
    return this.fields[this.i++]!;
  }
  int(): number {
    const s = this.str();
    return s === '' ? 0 : Number.parseInt(s, 10);
  }
  /** A double, or undefined for the empty field. */
  dbl(): number | undefined {
    const s = this.str();
    return s === '' ? undefined : Number.parseFloat(s);
  }
  bool(): boolean {
    return this.int() !== 0;
  }
  skip(n: number): void {
    for (let k = 0; k < n; k++) this.str();
  }
  get rest(): number {
    return this.fields.length - this.i;
  }
}
