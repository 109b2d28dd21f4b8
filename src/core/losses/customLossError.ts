/** A problem in a custom loss module, located in the module's own source where known. */
export class CustomLossError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(`${line === undefined ? file : `${file}:${line}${column === undefined ? '' : `:${column}`}`}: ${detail}`);
    this.name = 'CustomLossError';
  }
}
