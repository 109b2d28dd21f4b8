/**
 * The module host: a Node process the CLI forks to load and check the user's loss modules, so that a
 * module that loops forever or calls process.exit ends this process, not the CLI (which times it out,
 * or sees it exit, and says which module did it). It answers one request (src/protocol/moduleHost.ts) and exits.
 */
import { Worker } from 'node:worker_threads';
import { skipCpuBanner } from '../core/backend/cpuBanner';
import { selectBackend } from '../core/backend/selectBackend';
import { checkLoss } from '../core/losses/checkLoss';
import { customLossProblems, loadCustomLoss } from '../core/losses/customModule';
import { exitCalled, guardProcessExit } from '../core/losses/userCode';
import { FromModuleHost, MODULE_HOST_PROTOCOL_VERSION, parseToModuleHost, type ModuleHostRequest } from '../protocol/moduleHost';

// An exit from a module's timer: the answer is that failure.
const exit = guardProcessExit((e) => void send({ type: 'error', message: e.message }).then(() => exit(1)));

function send(msg: FromModuleHost): Promise<void> {
  return new Promise((resolve) => (process.send ? process.send(msg, () => resolve()) : resolve()));
}

async function answer(req: ModuleHostRequest): Promise<FromModuleHost> {
  switch (req.type) {
    case 'problems':
      return { type: 'problems', problems: customLossProblems(req.losses, (module) => void send({ type: 'loading', module })) };
    case 'schema':
      void send({ type: 'loading', module: req.module });
      return { type: 'schema', schema: loadCustomLoss(req.module).optionsSchema ?? null };
    case 'check':
      void send({ type: 'loading', module: req.module });
      await selectBackend('cpu');
      // The checks' output is the command's; tfjs's tfjs-node advice is no news here.
      skipCpuBanner();
      try {
        loadCustomLoss(req.module); // cached for the checks, which report its errors
      } catch {
        // the checks' first result says why
      }
      void send({ type: 'checking', module: req.module });
      return { type: 'checked', results: checkLoss(req.module, req.options) };
  }
}

process.once('message', (raw) => {
  const req = parseToModuleHost(raw);
  if (!req) {
    void send({ type: 'error', message: `the module host got an unexpected request: ${JSON.stringify(raw).slice(0, 200)}` }).then(() => exit(1));
    return;
  }
  // Cannot reject: send never does, and answer's errors become the reply.
  void answer(req)
    .catch((e: unknown): FromModuleHost => ({ type: 'error', message: e instanceof Error ? e.message : String(e) }))
    // A module that caught its own exit's error still exited: that, not the answer, is the outcome.
    .then((reply) => send(exitCalled() ? { type: 'error', message: exitCalled()!.message } : reply))
    .then(() => exit(0));
});

// Ctrl-C reaches the whole process group: the CLI decides, and ends this process itself.
process.on('SIGINT', () => undefined);
// A module spinning forever blocks this thread: a watchdog thread ends the process once the CLI is gone
// (killed before it could), so no orphan keeps burning a core.
const WATCHDOG = `const { workerData } = require('node:worker_threads');
setInterval(() => { if (process.ppid !== workerData.parent) process.kill(workerData.self, 'SIGKILL'); }, 500);`;
const watchdog = new Worker(WATCHDOG, { eval: true, workerData: { parent: process.ppid, self: process.pid } });
watchdog.unref();
// The CLI went away: nobody waits for the answer.
process.on('disconnect', () => exit(0));

void send({ type: 'ready', version: MODULE_HOST_PROTOCOL_VERSION, pid: process.pid });
