// User loss modules load in the module host's own process (from source, through tsx): a module that exits,
// loops forever or kills its process becomes one error naming it, and the test process lives on.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { askModuleHost, ModuleHostError, moduleHostPathOf, moduleTimeoutS } from '../../../src/host/moduleHost';

const dir = mkdtempSync(path.join(tmpdir(), 'losslab-host-'));
const hostPath = moduleHostPathOf(path.join(dir, 'no-dist', 'worker.js'));
const FACTORY = 'export default function createLoss() { return { train: () => null }; }\n';
let n = 0;
function write(body: string): string {
  const file = path.join(dir, `loss${n++}.ts`);
  writeFileSync(file, body);
  return file;
}

test('without a bundle beside the worker, the host runs from its source', () => {
  assert.match(hostPath, /src[\\/]worker[\\/]moduleHost\.ts$/);
});

test("a module's optionsSchema is answered from the host's process", async () => {
  const file = write(`export const optionsSchema = { type: 'object', properties: { gamma: { type: 'number', default: 2 } } };\n${FACTORY}`);
  const reply = await askModuleHost({ type: 'schema', module: file }, { hostPath });
  assert.deepEqual(reply.schema, { type: 'object', properties: { gamma: { type: 'number', default: 2 } } });
});

test('process.exit(0) at import is a failure that names the module', async () => {
  const file = write(`process.exit(0);\n${FACTORY}`);
  await assert.rejects(askModuleHost({ type: 'problems', losses: [{ name: 'custom', module: file }] }, { hostPath }), (e: Error) => {
    assert.ok(e instanceof ModuleHostError);
    assert.equal(e.message, `the loss module ${file} called process.exit(0) while loading`);
    return true;
  });
});

test('an exit the module catches is still a failure', async () => {
  const file = write(`try { process.exit(3); } catch {}\n${FACTORY}`);
  await assert.rejects(askModuleHost({ type: 'schema', module: file }, { hostPath }), /called process\.exit\(3\) while loading/);
});

test('an endless loop at import is stopped at the time limit, naming the module', async () => {
  const file = write(`while (true) {}\n${FACTORY}`);
  const started = Date.now();
  await assert.rejects(askModuleHost({ type: 'problems', losses: [{ name: 'ce' }, { name: 'custom', module: file }] }, { hostPath, timeoutS: 3 }), (e: Error) => {
    assert.match(e.message, new RegExp(`the loss module ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} did not finish loading within 3 s`));
    assert.match(e.message, /LOSSLAB_MODULE_TIMEOUT/);
    return true;
  });
  assert.ok(Date.now() - started < 15_000);
});

test('a module that ends its process some other way is a failure too', async () => {
  const file = write(`process.kill(process.pid, 'SIGKILL');\n${FACTORY}`);
  await assert.rejects(askModuleHost({ type: 'schema', module: file }, { hostPath }), /the loss module .* ended its process \(signal SIGKILL\) while loading/);
});

test('LOSSLAB_MODULE_TIMEOUT sets the limit in seconds; 30 without it', () => {
  assert.equal(moduleTimeoutS({}), 30);
  assert.equal(moduleTimeoutS({ LOSSLAB_MODULE_TIMEOUT: '2.5' }), 2.5);
  assert.throws(() => moduleTimeoutS({ LOSSLAB_MODULE_TIMEOUT: 'soon' }), /positive number of seconds/);
});
