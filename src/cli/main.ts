/**
 * `losslab`: the command line over Loss Lab's core. The same worker process and results
 * files as the VS Code extension, so anything run here opens in the results panel.
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from '../core/config/configError';
import { loadConfigFile } from '../core/config/validate';
import { expandGrid } from '../core/config/grid';
import type { BackendName } from '../core/config/types';
import { DatasetError } from '../core/data/errors';
import { UserError } from './errors';
import { downloadCommand } from './downloadCommand';
import { runCommand } from './runCommand';
import { reportCommand } from './reportCommand';
import { reproduceCommand } from './reproduceCommand';
import { renderTable, tableCommand, TableFormat } from './tableCommand';

const USAGE = `Usage: losslab <command> [options]

Commands:
  run <config.json>          run every model × loss × seed of an experiment config
      --parallel N           runs at once, each in its own worker process (default: the config's parallelRuns)
      --backend NAME         auto | tensorflow-gpu | tensorflow | webgpu | wasm | cpu
      --threads N            compute threads per run (wasm)
      --out DIR              results root (default: the config's outputDir, .losslab/runs)
      --restart              start runs over instead of resuming finished epochs
      --no-resume            refuse to touch runs that already have results
  table <experiment dir>     mean ± std final test accuracy per model × loss
      --format F             console | csv | md | latex (default console)
      --out FILE             write to a file instead of stdout
  report <experiment dir>    a shareable report: report.html (self-contained), results.json, PNG figures
      --out DIR              where to write it (default <experiment dir>/report)
      --no-png               skip the PNG figures (they need Chromium: apt-get install chromium)
  reproduce <preset>         the paper's full protocol: cifar100 | tiny-imagenet | facescrub (or a config file);
                             measures one epoch per model and prints the estimated time before the rest
      --data DIR             the dataset's folder (default: the preset's, see docs/datasets.md)
      --parallel N, --backend NAME, --out DIR   as for run
      --yes                  go on after the estimate without asking
      --estimate-only        stop after the estimate (the measured epochs are kept)
  validate <config.json>     check a config against the schema and list its runs
  download <dataset>         fetch, verify and extract cifar100 | tiny-imagenet | mnist | fashion-mnist
      --dir DIR              where to put it (default: $LOSSLAB_DATA_DIR or ~/.cache/losslab/datasets/<dataset>)
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      parallel: { type: 'string' },
      backend: { type: 'string' },
      threads: { type: 'string' },
      out: { type: 'string' },
      restart: { type: 'boolean' },
      'no-resume': { type: 'boolean' },
      'no-png': { type: 'boolean' },
      format: { type: 'string' },
      dir: { type: 'string' },
      data: { type: 'string' },
      yes: { type: 'boolean', short: 'y' },
      'estimate-only': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const target = positionals[0];
  if (!command || values.help || command === 'help' || command === '--help') {
    process.stdout.write(USAGE);
    return command ? 0 : 2;
  }
  if (!target) throw new UsageError(`'${command}' needs ${command === 'download' ? 'a dataset name' : command === 'reproduce' ? 'a preset (cifar100, tiny-imagenet, facescrub)' : 'a path'}`);
  switch (command) {
    case 'run':
      return runCommand(
        {
          configPath: target,
          parallel: intOption(values.parallel, '--parallel'),
          threads: intOption(values.threads, '--threads'),
          backend: values.backend as BackendName | undefined,
          outputDir: values.out,
          resume: values.restart ? 'restart' : values['no-resume'] ? 'refuse' : 'resume',
          workerPath: path.join(__dirname, 'worker.js'),
        },
        (dir) => {
          const { text } = renderTable(dir);
          process.stdout.write(`\n${text}\n`);
        },
      );
    case 'reproduce':
      return reproduceCommand(
        {
          preset: target,
          examplesDir: path.join(__dirname, '..', 'examples'),
          workerPath: path.join(__dirname, 'worker.js'),
          dataDir: values.data,
          outputDir: values.out,
          parallel: intOption(values.parallel, '--parallel'),
          backend: values.backend as BackendName | undefined,
          yes: Boolean(values.yes),
          estimateOnly: Boolean(values['estimate-only']),
        },
        (dir) => process.stdout.write(`\n${renderTable(dir).text}\n`),
      );
    case 'table':
      return tableCommand(target, (values.format ?? 'console') as TableFormat, values.out);
    case 'report':
      return reportCommand(target, { outDir: values.out, png: !values['no-png'] });
    case 'download':
      return downloadCommand(target, values.dir);
    case 'validate': {
      const cfg = await loadConfigFile(target);
      const runs = expandGrid(cfg);
      process.stdout.write(`${target}: valid, ${runs.length} runs:\n${runs.map((r) => `  ${r.runId}`).join('\n')}\n`);
      return 0;
    }
    default:
      throw new UsageError(`unknown command '${command}'`);
  }
}

class UsageError extends UserError {}

function isFileError(err: unknown): err is NodeJS.ErrnoException & { path: string } {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string' && typeof (err as NodeJS.ErrnoException).path === 'string';
}

function intOption(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${name} must be a positive integer, got '${v}'`);
  return n;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof UsageError) process.stderr.write(`losslab: ${err.message}\n\n${USAGE}`);
    else if (err instanceof ConfigError || err instanceof DatasetError || err instanceof UserError) process.stderr.write(`losslab: ${err.message}\n`);
    else if (isFileError(err)) process.stderr.write(`losslab: cannot read '${err.path}': ${err.code === 'ENOENT' ? 'no such file or folder' : err.message}\n`);
    else process.stderr.write(`losslab: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(2);
  },
);
