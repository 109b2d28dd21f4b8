/** An expected failure the user can fix: printed as one line, without a stack. */
export class UserError extends Error {}

/** Wrong usage of the command line (an unknown option, a missing or invalid value): exit code 2 and a hint to --help. */
export class UsageError extends UserError {
  constructor(
    message: string,
    /** Whose `--help` the hint names: `losslab` or `losslab <command>`. */
    readonly command = 'losslab',
  ) {
    super(message);
  }
}
