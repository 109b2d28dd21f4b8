/**
 * `npm run parity`: step-for-step parity of Loss Lab's training with PyTorch for every
 * model × loss. Prints a table; exits 1 when a case fails, 2 when it cannot run (no PyTorch).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { BACKEND_NAMES, isBackendName } from '../src/core/backend/backendNames';
import { selectBackend } from '../src/core/backend/selectBackend';
import { findTorchPython, formatParityTable, HEAD_PARITY_LOSSES, HEAD_PARITY_MODELS, PARITY_LOSSES, PARITY_MODELS, parityCases, ParityLoss, runParity, TABLE_LEGEND } from './run';

const names = (losses: ParityLoss[]) => [...new Set(losses.map((l) => l.loss.name))].join(', ');

const USAGE = `Usage: npm run parity -- [options]
  --backend NAME   Loss Lab backend to check (default wasm): ${BACKEND_NAMES.join(', ')}
  --models A,B     only these models (simple-cnn, resnet18, vgg16, resnet50)
  --losses A,B     only these losses (${names(PARITY_LOSSES)} on every model;
                   ${names(HEAD_PARITY_LOSSES)} on simple-cnn and resnet18)
  --steps N        training steps per case (default 20)
  --batch N        batch size (default 16)
  --seed N         seed of the weights and data (default 1)
  --lr X           learning rate of the first half of the steps, ×0.1 after (default 0.01)
  --keep DIR       keep the export folders there (default: a temporary folder, deleted)
  --jobs N         PyTorch mirrors at once (default: cores − 1)
  --mutate NAME    plant a known defect in the PyTorch side (see parity/mirror.py): everything should fail
  --json FILE      every result, in full
`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      backend: { type: 'string', default: 'wasm' },
      models: { type: 'string' },
      losses: { type: 'string' },
      steps: { type: 'string' },
      batch: { type: 'string' },
      lr: { type: 'string' },
      seed: { type: 'string' },
      keep: { type: 'string' },
      jobs: { type: 'string' },
      mutate: { type: 'string' },
      json: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const log = (m: string) => process.stderr.write(`${m}\n`);
  const backend = values.backend;
  if (!isBackendName(backend)) {
    log(`unknown backend '${backend}'\n${USAGE}`);
    return 2;
  }
  const found = findTorchPython();
  if (!found.python) {
    log(`parity: no Python with PyTorch (tried ${found.tried.join('; ')}).\nInstall Debian's python3-torch (apt-get install python3-torch) or set LOSSLAB_PYTHON.`);
    return 2;
  }
  const pick = <T>(all: T[], list: string | undefined, name: (x: T) => string): T[] => (list ? all.filter((x) => list.split(',').includes(name(x))) : all);
  const models = (all: typeof PARITY_MODELS) => pick(all, values.models, (m) => m.name);
  const losses = (all: typeof PARITY_LOSSES) => pick(all, values.losses, (l) => l.loss.name);
  const cases = parityCases(models(PARITY_MODELS), losses(PARITY_LOSSES), models(HEAD_PARITY_MODELS), losses(HEAD_PARITY_LOSSES));
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  const info = await selectBackend(backend, { log });
  log(`parity: Loss Lab on ${info.kind}, PyTorch ${found.version} (${found.python}), ${cases.length} cases`);
  const t0 = Date.now();
  const results = await runParity({
    cases,
    python: found.python,
    exportOptions: { steps: num(values.steps), batchSize: num(values.batch), lr: num(values.lr), seed: num(values.seed) },
    keep: values.keep,
    jobs: num(values.jobs),
    mutate: values.mutate,
    log,
  });
  const failed = results.filter((r) => !r.result.pass);
  process.stdout.write(`${formatParityTable(results)}\n\n${TABLE_LEGEND}\n\n`);
  process.stdout.write(`${results.length - failed.length}/${results.length} cases pass (Loss Lab ${info.kind}, PyTorch ${found.version}) in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
  if (values.json) writeFileSync(values.json, `${JSON.stringify({ backend: info, torch: found.version, results }, null, 1)}\n`);
  return failed.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(2);
  },
);
