/**
 * The training worker: a Node process forked by the extension host or the CLI.
 * It trains exactly one run, streams typed messages to its parent, and exits.
 * Results on disk are the source of truth; messages are only for live display.
 */
import { selectBackend } from '../core/backend/selectBackend';
import { backendLabel, runsOnGpu } from '../core/backend/backendNames';
import { DatasetError } from '../core/data/errors';
import { CustomLossError } from '../core/losses/customModule';
import { recordLossModule } from '../core/losses/recordLossModule';
import { exitCalled, guardProcessExit } from '../core/losses/userCode';
import { readLossModuleRecord } from '../core/results/lossModuleRecord';
import { readRun } from '../core/results/runReader';
import { loadDataset } from '../core/data/loadDataset';
import { fileFaultText } from '../core/results/fileFaults';
import { openRunSink, RunAlreadyDoneError, RunDamagedError, RunExistsError } from '../core/results/runSink';
import { withTensorBoard } from '../core/results/tensorboardSink';
import { DamagedCheckpointError } from '../core/train/checkpoint';
import { NonFiniteLossError, RunStoppedError } from '../core/train/events';
import { trainRun } from '../core/train/trainer';
import { FailureCategory, FromWorker, parseToWorker, ToWorker, WORKER_PROTOCOL_VERSION } from '../protocol/worker';
import type { FolderLock } from '../host/folderLock';
import { earlierAttemptOf, lockRun, RunLockedError } from '../host/runLock';

let stopRequested = false;
// A loss module's process.exit fails its run by name instead of ending the worker with the module's exit code;
// one from its timers or promises is only recorded: training stops at the next step and the run fails (run()).
const exit = guardProcessExit(() => undefined);

function send(msg: FromWorker): Promise<void> {
  return new Promise((resolve) => (process.send ? process.send(msg, () => resolve()) : resolve()));
}

async function run(msg: Extract<ToWorker, { type: 'start' }>): Promise<number> {
  const { spec, runDir } = msg;
  const runId = spec.runId;
  let sink: ReturnType<typeof openRunSink> | null = null;
  let epoch = 0;
  let lock: FolderLock | undefined;
  try {
    // Before anything touches the folder: a run trained by another live process is left as it is.
    lock = lockRun(runDir, {
      by: msg.by,
      parentPid: process.ppid,
      gone: earlierAttemptOf(msg.by),
      onCompromised: (err) => void send({ type: 'log', runId, level: 'warn', message: `lost the lock on ${runDir}: ${err.message}` }),
    });
    const backend = await selectBackend(spec.backend, { threads: spec.threads, log: (m) => void send({ type: 'log', runId, level: 'info', message: m }) });
    if (backend.notice) await send({ type: 'log', runId, level: 'warn', message: backend.notice });
    const label = backendLabel(backend.kind, backend.name, backend.device);
    await send({
      type: 'backend',
      runId,
      backend: label,
      gpu: runsOnGpu(backend.kind, backend.device),
      unavailable: backend.tried.map((t) => t.name),
      torchUnavailable: backend.tried.find((t) => t.name === 'torch')?.error,
      detail: backend.tried.map((t) => `${t.name}: ${t.error}`).join('; '),
    });
    // Read before the sink opens the folder (a restart clears it): the code the kept epochs were trained with.
    const prior = spec.loss.name === 'custom' ? { record: readLossModuleRecord(runDir), epochs: msg.resume === 'restart' ? 0 : readRun(runDir).metrics.length } : undefined;
    // TensorBoard event files beside the run's own files; a failure to write them is a warning in the log, never the run's failure.
    sink = withTensorBoard(openRunSink(runDir, spec, msg.resume), spec, { warn: (m) => void send({ type: 'log', runId, level: 'warn', message: m }) });
    if (spec.loss.name === 'custom' && prior) {
      const { hash } = recordLossModule(runDir, runId, spec.loss.module, prior);
      const opened = sink;
      // The summary names the code too, so a copied summary.json still says which module it came from.
      sink = { ...opened, finished: (summary, logits, norms) => opened.finished({ ...summary, lossModuleHash: hash }, logits, norms) };
    }
    const dataset = loadDataset(spec.dataset, spec.seed, { log: (m) => void send({ type: 'log', runId, level: 'info', message: m }) });
    if (dataset.summary) {
      sink.datasetLoaded(dataset.summary);
      await send({ type: 'dataset', runId, summary: dataset.summary });
    }
    await trainRun({
      spec,
      dataset,
      backend: label,
      sink,
      shouldStop: () => stopRequested || exitCalled() !== undefined,
      pauseAfter: msg.pauseAfter,
      onEvent: (event) => {
        if (event.type === 'epoch') epoch = event.metrics.epoch;
        void send({ type: 'train', event });
      },
    });
    // The module caught the error its exit threw: it still exited.
    const exited = exitCalled();
    if (exited) throw exited;
    return 0;
  } catch (thrown) {
    // The module exited (and perhaps caught the error, or exited from a timer): that is why the run ended.
    const err = exitCalled() ?? thrown;
    if (err instanceof RunLockedError) {
      await send({ type: 'failed', runId, category: 'locked', message: err.message, epoch });
      return 1;
    }
    if (err instanceof RunStoppedError) {
      sink?.stopped(err.message);
      await send({ type: 'stopped', runId, epoch });
      return 0;
    }
    const [category, message] = classify(err);
    const unrecorded = sink?.failed(message);
    await send({ type: 'failed', runId, category, message: unrecorded ? `${message}; its status.json could not be updated (${unrecorded})` : message, epoch });
    return 1;
  } finally {
    lock?.release();
  }
}

function classify(err: unknown): [FailureCategory, string] {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof NonFiniteLossError) return ['non-finite-loss', message];
  if (err instanceof DatasetError) return ['dataset', message];
  // The user's loss module: the message names its file and line.
  if (err instanceof CustomLossError) return ['config', message];
  if (err instanceof RunAlreadyDoneError) return ['already-done', message];
  if (err instanceof RunDamagedError || err instanceof DamagedCheckpointError) return ['damaged', message];
  if (err instanceof RunExistsError) return ['config-changed', message];
  if (/backend/i.test(message) && /tried|setBackend|not installed/i.test(message)) return ['backend', message];
  if (err instanceof RangeError && /allocat|memory/i.test(message)) return ['out-of-memory', message];
  const file = fileFaultText(err, true);
  if (file) return ['file', file];
  return ['internal', err instanceof Error && err.stack ? err.stack : message];
}

process.on('message', (raw) => {
  const msg = parseToWorker(raw);
  if (!msg) {
    void send({ type: 'log', runId: '', level: 'warn', message: `worker ignored an unexpected message: ${JSON.stringify(raw).slice(0, 200)}` });
    return;
  }
  if (msg.type === 'stop') {
    stopRequested = true;
    return;
  }
  // Exit explicitly: a threaded wasm backend keeps its pool alive otherwise.
  void run(msg).then((code) => exit(code));
});

// Ctrl-C in a terminal reaches the whole process group: treat it as a stop request, so the
// run ends after its current step and is recorded as stopped, not as a crash.
process.on('SIGINT', () => {
  stopRequested = true;
});

// SLURM sends SIGTERM on scancel, preemption and a time limit (then SIGKILL after KillWait):
// stop after the current step like a stop request, so the run is recorded as stopped and
// resumes from its last checkpoint. The hosts' own hard stop is SIGKILL.
process.on('SIGTERM', () => {
  stopRequested = true;
});

// The parent went away (closed VS Code, killed CLI): stop rather than train for nobody.
process.on('disconnect', () => exit(0));

void send({ type: 'ready', version: WORKER_PROTOCOL_VERSION, pid: process.pid });
