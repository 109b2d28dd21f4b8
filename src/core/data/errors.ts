/**
 * Every problem with dataset files surfaces as a DatasetError, so the CLI and
 * the extension can show the offending file next to the message.
 */
export class DatasetError extends Error {
  /** The file or folder the problem is about. */
  readonly file: string;

  constructor(file: string, message: string) {
    super(message);
    this.name = 'DatasetError';
    this.file = file;
  }
}
