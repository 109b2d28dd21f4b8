/** Problems found in an experiment config, each tied to a JSON pointer so a person (or an editor) can find it. */

export interface ConfigProblem {
  /** JSON pointer of the value the problem is about ('/' for the whole document). */
  path: string;
  /** What is wrong, ending with "(allowed: …)" where there is a fixed set or range. */
  message: string;
  /** Pointer to underline in an editor when it differs from `path`, e.g. the unknown key itself. */
  focus?: string;
  /** 1-based position in the config text; known when the config came through `parseConfigText`. */
  line?: number;
  column?: number;
  /** 1-based position just after the text to underline (the whole wrong value). */
  endLine?: number;
  endColumn?: number;
  /** The text is not valid JSON; `line`/`column` say where, and stand in for the path when formatted. */
  syntax?: boolean;
}

/** `<source>: <path>: <message>`, or `<source>: line L, column C: <message>` for JSON syntax errors. */
function formatProblem(source: string, problem: ConfigProblem): string {
  const where = problem.syntax && problem.line !== undefined ? `line ${problem.line}, column ${problem.column}` : problem.path;
  return `${source}: ${where}: ${problem.message}`;
}

/** Thrown by `validateConfig` / `parseConfigText`; `message` lists every problem, one per line. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    readonly source: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(problems.map((p) => formatProblem(source, p)).join('\n'));
  }
}

/** The config file itself cannot be used (a folder, not a file): one line naming it. */
export class ConfigFileError extends ConfigError {
  constructor(source: string, message: string) {
    super(source, [{ path: '/', message }]);
    this.message = `${source}: ${message}`;
  }
}

/** Edit distance, for "did you mean" hints on misspelt names. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}

/** The closest candidate within a third of the word's length (at least 1 edit), if any. */
export function closestMatch(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = editDistance(word, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}
