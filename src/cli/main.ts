/**
 * `losslab`: the command line over Loss Lab's core. The same worker process and results
 * files as the VS Code extension, so anything run here opens in the results panel.
 * Parsing, commands and error messages are in cli.ts.
 */
import * as path from 'node:path';
import { reportError, runCli } from './cli';

runCli(process.argv.slice(2), {
  workerPath: path.join(__dirname, 'worker.js'),
  examplesDir: path.join(__dirname, '..', 'examples'),
  typesFile: path.join(__dirname, '..', 'types', 'tfjs-core.d.ts'),
}).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const { text, code } = reportError(err);
    process.stderr.write(text);
    process.exit(code);
  },
);
