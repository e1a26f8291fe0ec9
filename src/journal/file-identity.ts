import { statSync } from 'node:fs';
import { EngineError } from '../model/errors.ts';

interface OpenFile {
  readonly path: string;
  readonly dev: bigint;
  readonly ino: bigint;
}

/**
 * The files an open journal writes, by device and inode. SQLite keeps writing to a file that was
 * deleted or renamed under it (the descriptor outlives the name), so a journal whose file is gone
 * would acknowledge writes nobody will ever read back: the next open of the path sees an empty
 * journal. `check` compares what the paths name now with what was opened; one stat per file, so
 * it runs once per group-commit batch, after the write and before the batch is acknowledged.
 */
export class OpenFiles {
  private constructor(private readonly files: readonly OpenFile[]) {}

  /** The identity of each path that exists now (a WAL file that is not there yet is not watched). */
  static of(paths: readonly string[]): OpenFiles {
    const files: OpenFile[] = [];
    for (const path of paths) {
      const st = statSync(path, { bigint: true, throwIfNoEntry: false });
      if (st) files.push({ path, dev: st.dev, ino: st.ino });
    }
    return new OpenFiles(files);
  }

  /** Throws JOURNAL_FILE_GONE if a watched path no longer names the file that was opened. */
  check(): void {
    for (const f of this.files) {
      const st = statSync(f.path, { bigint: true, throwIfNoEntry: false });
      if (st && st.dev === f.dev && st.ino === f.ino) continue;
      throw new EngineError(
        'JOURNAL_FILE_GONE',
        `journal file ${f.path} was ${st ? 'replaced by another file' : 'deleted or moved'} while open; nothing after it is acknowledged`,
        { path: f.path, cause: st ? 'REPLACED' : 'MISSING' },
      );
    }
  }
}
