import { ValidationError } from '../../model/errors.ts';

/** One thing wrong with a config file: which file, where in it, and what. */
export interface ConfigProblem {
  readonly file: string;
  /** `strategies[1].params.fast`; `(root)` for the whole document, `(syntax)` for a parse error. */
  readonly path: string;
  readonly problem: string;
}

export function problemLine(p: ConfigProblem): string {
  return `${p.file}: ${p.path}: ${p.problem}`;
}

/**
 * A config file that cannot be used, with every problem found (not only the first): the message
 * has one line per problem, `file: path: problem`. Code INVALID_FIELD, as risk config errors
 * (src/risk/config/load.ts); `context.field` is the first problem's path.
 */
export class ConfigError extends ValidationError {
  constructor(readonly problems: readonly ConfigProblem[]) {
    const [first] = problems;
    super('INVALID_FIELD', problems.map(problemLine).join('\n'), {
      field: first?.path ?? '(root)',
      source: first?.file ?? '(config)',
      problems: problems.length,
    });
  }
}

/** The one path format of config errors (`strategies[1].params.fast`), shared with the risk file's. */
export { formatPath } from '../../risk/config/load.ts';
