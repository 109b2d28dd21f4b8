/**
 * `losslab`'s argument parsing and error reporting; main.ts runs it.
 *
 * Parsing uses commander (a kept, dependency-free library) rather than node:util parseArgs: it
 * gives per-command `--help`, `--version`, allowed-value checks (`--format`, `--backend`) and
 * one-line errors with "did you mean" for free, where parseArgs throws stack-traced TypeErrors.
 *
 * Exit codes: 0 success, 1 a run or command failed, 2 wrong usage, 130 interrupted.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { version } from '../../package.json';
import { BACKEND_NAMES, type BackendName } from '../core/backend/backendNames';
import { ConfigError } from '../core/config/configError';
import { loadConfigWithPaths } from '../core/config/configPaths';
import { expandGrid } from '../core/config/grid';
import { DatasetError } from '../core/data/errors';
import { CustomLossError } from '../core/losses/customLossError';
import { fileFaultText } from '../core/results/fileFaults';
import { DEFAULT_RESULTS_ROOT, UnsafePathError } from '../core/results/paths';
import { ExperimentLockedError } from '../host/experimentLock';
import { ModuleHostError, ModuleHostInterrupted } from '../host/moduleHost';
import { SlurmError } from '../host/slurm/slurmTools';
import { UsageError, UserError } from './errors';
import { buildNativeCommand } from './buildNativeCommand';
import { checkLossCommand } from './checkLossCommand';
import { downloadCommand } from './downloadCommand';
import { newLossCommand } from './newLossCommand';
import { runCommand } from './runCommand';
import { runOneCommand } from './runOneCommand';
import { cliPathOf } from './slurmRun';
import { statusCommand } from './statusCommand';
import { reportCommand } from './reportCommand';
import { reproduceCommand } from './reproduceCommand';
import { renderTable, TABLE_FORMATS, tableCommand, type TableFormat } from './tableCommand';
import { tensorboardCommand } from './tensorboardCommand';
import { configModuleProblems } from './userModules';

const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('It must be a positive integer.');
  return n;
}

const backendOption = () => new Option('--backend <name>', 'compute backend').choices(BACKEND_NAMES);
const parallelOption = () => new Option('--parallel <n>', "runs at once, each in its own worker process (default: the config's parallelRuns)").argParser(positiveInt);

/** Builds the `losslab` program; `setCode` receives each command's exit code. */
function buildProgram({ workerPath, examplesDir, typesFile }: CliPaths, setCode: (code: number) => void): Command {
  const program = new Command('losslab');
  program
    .description('Loss Lab: classification-loss experiments from the command line')
    .version(version, '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help (also: losslab <command> --help)')
    .exitOverride()
    .configureOutput({ outputError: () => undefined }) // printed once, by reportError
    .allowExcessArguments(false)
    .showSuggestionAfterError(true)
    .addHelpText('after', '\nExit codes: 0 success, 1 a run or command failed, 2 wrong usage, 130 interrupted.');

  program
    .command('run')
    .description('run every model × loss × seed of an experiment config')
    .argument('<config>', 'the experiment config (*.losslab.json)')
    .addOption(parallelOption())
    .addOption(backendOption())
    .addOption(new Option('--threads <n>', 'compute threads per run (wasm, torch)').argParser(positiveInt))
    .option('--out <dir>', `results root (default: the config's outputDir, ${DEFAULT_RESULTS_ROOT})`)
    .option('--restart', 'start runs over instead of resuming finished epochs')
    .option('--no-resume', 'refuse to touch runs that already have results')
    .option('--extend', 'stale runs (trained with fewer epochs of this config; see losslab status): train them on from their last checkpoint')
    .option('--retrain-stale', 'stale runs (trained with another config): delete their results and train them from scratch')
    .addOption(new Option('--executor <type>', "where the runs execute (default: the config's executor, local)").choices(['local', 'slurm']))
    .option('--requeue', 'SLURM: a task stopped by SIGTERM (preemption, time limit) requeues itself and resumes')
    .option('--detach', 'SLURM: return once submitted and leave the array running (reattach with losslab status <dir> --watch)')
    .action(
      async (
        configPath: string,
        o: {
          parallel?: number;
          backend?: BackendName;
          threads?: number;
          out?: string;
          restart?: boolean;
          resume: boolean;
          extend?: boolean;
          retrainStale?: boolean;
          executor?: 'local' | 'slurm';
          requeue?: boolean;
          detach?: boolean;
        },
      ) => {
        if (o.extend && o.retrainStale) throw new UsageError('--extend and --retrain-stale exclude each other (allowed: one of them)', 'losslab run');
        setCode(
          await runCommand(
            {
              configPath,
              parallel: o.parallel,
              threads: o.threads,
              backend: o.backend,
              outputDir: o.out,
              resume: o.restart ? 'restart' : o.resume === false ? 'refuse' : 'resume',
              ...(o.extend ? { stale: 'extend' as const } : o.retrainStale ? { stale: 'retrain' as const } : {}),
              workerPath,
              executor: o.executor,
              requeue: o.requeue,
              detach: o.detach,
            },
            (dir) => process.stdout.write(`\n${renderTable(dir).text}\n`),
          ),
        );
      },
    );

  program
    .command('run-one')
    .description('train one run of a grid in the foreground (what each SLURM array task runs)')
    .argument('<config>', 'the experiment config')
    .requiredOption('--run <id>', 'the run id (losslab validate lists them)')
    .option('--out <dir>', "results root (default: the config's outputDir)")
    .option('--requeue', 'on SIGTERM inside a SLURM task: checkpoint, then requeue the task')
    .option('--pause-after <epoch>', "stop after this epoch, checkpoint kept (a search trial's rung)", positiveInt)
    .action(async (configPath: string, o: { run: string; out?: string; requeue?: boolean; pauseAfter?: number }) =>
      setCode(await runOneCommand({ configPath, runId: o.run, outputDir: o.out, requeue: Boolean(o.requeue), pauseAfter: o.pauseAfter, workerPath })),
    );

  program
    .command('status')
    .description("each run's state: its files, and SLURM's queue for a grid submitted there (reattaches to a running grid)")
    .argument('<experiment-dir>', `an experiment folder, such as ${DEFAULT_RESULTS_ROOT}/<experiment>`)
    .option('--watch', 'follow the runs until none is queued or running')
    .action(async (dir: string, o: { watch?: boolean }) => setCode(await statusCommand(dir, { watch: Boolean(o.watch), cliPath: cliPathOf(workerPath) })));

  program
    .command('table')
    .description('mean ± std final test accuracy per model × loss')
    .argument('<experiment-dir>', `an experiment folder, such as ${DEFAULT_RESULTS_ROOT}/<experiment>`)
    .addOption(new Option('--format <format>', 'output format').choices(TABLE_FORMATS).default('console'))
    .option('--out <file>', 'write to a file instead of stdout')
    .action((dir: string, o: { format: TableFormat; out?: string }) => setCode(tableCommand(dir, o.format, o.out)));

  program
    .command('report')
    .description('a shareable report: report.html (self-contained), results.json, PNG figures')
    .argument('<experiment-dir>', 'an experiment folder')
    .option('--out <dir>', 'where to write it (default <experiment-dir>/report)')
    .option('--no-png', 'skip the PNG figures (they need Chromium: apt-get install chromium)')
    .action(async (dir: string, o: { out?: string; png: boolean }) => setCode(await reportCommand(dir, { outDir: o.out, png: o.png })));

  program
    .command('tensorboard')
    .description('(re)write TensorBoard event files of existing runs from their metrics, step points, histograms and weight norms (new runs write them as they train)')
    .argument('<dir>', `a run, an experiment folder, or a results root such as ${DEFAULT_RESULTS_ROOT}`)
    .action((dir: string) => setCode(tensorboardCommand(dir)));

  program
    .command('reproduce')
    .description("the paper's full protocol; measures one epoch per model and prints the estimated time before the rest")
    .argument('<preset>', 'cifar100 | tiny-imagenet | facescrub, or a config file')
    .option('--data <dir>', "the dataset's folder (default: the preset's, see docs/datasets.md)")
    .addOption(parallelOption())
    .addOption(backendOption())
    .option('--out <dir>', 'results root')
    .option('-y, --yes', 'go on after the estimate without asking')
    .option('--estimate-only', 'stop after the estimate (the measured epochs are kept)')
    .action(async (preset: string, o: { data?: string; parallel?: number; backend?: BackendName; out?: string; yes?: boolean; estimateOnly?: boolean }) => {
      setCode(
        await reproduceCommand(
          {
            preset,
            examplesDir,
            workerPath,
            dataDir: o.data,
            outputDir: o.out,
            parallel: o.parallel,
            backend: o.backend,
            yes: Boolean(o.yes),
            estimateOnly: Boolean(o.estimateOnly),
          },
          (dir) => process.stdout.write(`\n${renderTable(dir).text}\n`),
        ),
      );
    });

  program
    .command('validate')
    .description('check a config against the schema and list its runs')
    .argument('<config>', 'the experiment config')
    .action(async (configPath: string) => {
      // Paths relative to the file, as `run` resolves them; custom loss modules are loaded and their options checked.
      const cfg = (await loadConfigWithPaths(configPath)).config;
      const moduleProblems = await configModuleProblems(cfg, configPath, workerPath);
      if (moduleProblems.length > 0) throw new ConfigError(configPath, moduleProblems);
      const runs = expandGrid(cfg);
      process.stdout.write(`${configPath}: valid, ${runs.length} runs:\n${runs.map((r) => `  ${r.runId}`).join('\n')}\n`);
      setCode(EXIT.ok);
    });

  program
    .command('check-loss')
    .description('check a custom loss module without a training run: gradients against finite differences, finite loss on extreme logits, the loss falling on one batch, scores of shape (N, k)')
    .argument('<module>', 'the loss module (.ts or .js)')
    .option('--options <json>', "the loss's options as a JSON object, e.g. '{\"gamma\": 2}'")
    .option('--json', 'print the results as JSON')
    .action(async (module: string, o: { options?: string; json?: boolean }) => setCode(await checkLossCommand(module, o, workerPath)));

  program
    .command('new-loss')
    .description('write a documented example loss module (losses/<name>.ts, a focal loss to adapt) and a config that trains it next to CE')
    .argument('[name]', 'the loss name (default: focal, or the first focal-N not taken)')
    .option('--dir <folder>', 'where to write them (default: the current folder)')
    .action((name: string | undefined, o: { dir?: string }) => setCode(newLossCommand(name, { ...o, typesFile })));

  program
    .command('download')
    .description('fetch, verify and extract cifar100 | tiny-imagenet | mnist | fashion-mnist')
    .argument('<dataset>', 'the dataset name')
    .option('--dir <dir>', 'where to put it (default: $LOSSLAB_DATA_DIR or ~/.cache/losslab/datasets/<dataset>)')
    .action(async (dataset: string, o: { dir?: string }) => setCode(await downloadCommand(dataset, o.dir)));

  program
    .command('build-native')
    .description("compile the native engine (the torch backend) against this machine's libtorch: LIBTORCH, Python's torch package, or Debian's libtorch-dev")
    .option('--force', 'rebuild even when an up-to-date build exists')
    .action(async (o: { force?: boolean }) => setCode(await buildNativeCommand({ force: o.force })));

  return program;
}

export interface CliPaths {
  /** The worker script forked for each run. */
  workerPath: string;
  /** Where the reproduce presets' configs are. */
  examplesDir: string;
  /** The tfjs-core types New Loss copies beside a module (types/tfjs-core.d.ts in the package). */
  typesFile: string;
}

/** Parses `argv` (without node and the script) and runs the command; resolves to the exit code. Usage errors reject with UsageError. */
export async function runCli(argv: string[], paths: CliPaths): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram(paths, (c) => (code = c));
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    // --help and --version: printed by commander, exit 0.
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return EXIT.ok;
    // `losslab help [command]` (0), or `losslab` alone (help on stderr, 2).
    if (e.code === 'commander.help') return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    const command = program.commands.find((c) => c.name() === argv[0]);
    throw new UsageError(e.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' '), command ? `losslab ${command.name()}` : 'losslab');
  }
  return code;
}

/**
 * What the CLI prints for an error that ended a command, and its exit code: one line (two for
 * usage errors, with the hint), never a stack trace. An unexpected error also writes its full
 * trace to a file in the temp folder and names it.
 */
export function reportError(err: unknown, writeTrace: (text: string) => string | undefined = writeTraceFile): { text: string; code: number } {
  if (err instanceof ModuleHostInterrupted) return { text: `losslab: ${err.message}\n`, code: EXIT.interrupted };
  if (err instanceof UsageError) return { text: `losslab: ${err.message}\nRun '${err.command} --help' for usage.\n`, code: EXIT.usage };
  if (
    err instanceof ConfigError ||
    err instanceof DatasetError ||
    err instanceof UserError ||
    err instanceof UnsafePathError ||
    err instanceof ExperimentLockedError ||
    err instanceof SlurmError ||
    err instanceof CustomLossError ||
    err instanceof ModuleHostError
  )
    return { text: `losslab: ${err.message}\n`, code: EXIT.failed };
  const file = fileFaultText(err);
  if (file) return { text: `losslab: ${file}\n`, code: EXIT.failed };
  const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
  const trace = writeTrace(err instanceof Error ? (err.stack ?? err.message) : String(err));
  return { text: `losslab: internal error: ${message}${trace ? ` (full trace in ${trace})` : ''}\n`, code: EXIT.failed };
}

function writeTraceFile(text: string): string | undefined {
  try {
    const file = path.join(os.tmpdir(), `losslab-error-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}.log`);
    fs.writeFileSync(file, `losslab ${version}, node ${process.version}, ${process.platform}-${process.arch}\n${text}\n`);
    return file;
  } catch {
    return undefined;
  }
}
