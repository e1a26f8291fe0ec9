import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { ValidationError } from '../model/errors.ts';

/**
 * A bad row or document: `ValidationError` (code `INVALID_FIELD`) whose message is
 * `file:line: problem` and whose context holds `file`, `line` and `problem`.
 */
export function dataError(file: string, line: number, problem: string): ValidationError {
  return new ValidationError('INVALID_FIELD', `${file}:${line}: ${problem}`, { field: 'data', file, line, problem });
}

export function fail(file: string, line: number, problem: string): never {
  throw dataError(file, line, problem);
}

/** True when the file starts with the gzip magic bytes (1f 8b), whatever its name. */
export async function isGzip(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(2);
    const { bytesRead } = await fh.read(buf, 0, 2, 0);
    return bytesRead === 2 && buf[0] === 0x1f && buf[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

/** The file's bytes as a stream, gunzipped when it is gzip (by content, not by name). */
export async function openBytes(file: string): Promise<Readable> {
  // Look first: a stream opened on a missing file emits 'error' with nobody listening yet (a crash),
  // while isGzip rejects as an ordinary error the caller can catch.
  const gzip = await isGzip(file);
  const input = createReadStream(file, { highWaterMark: 64 * 1024 });
  if (!gzip) return input;
  const gunzip = createGunzip();
  input.on('error', (e) => gunzip.destroy(e));
  // Stopping early destroys the gunzip stream; close the file with it.
  gunzip.on('close', () => input.destroy());
  return input.pipe(gunzip);
}

/** The file's text in UTF-8 chunks (gunzipped when it is gzip). */
export async function* textChunks(file: string): AsyncGenerator<string> {
  const bytes = await openBytes(file);
  bytes.setEncoding('utf8');
  try {
    for await (const chunk of bytes) yield chunk as string;
  } finally {
    bytes.destroy();
  }
}
