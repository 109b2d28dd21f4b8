import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findOnPath, startTensorboard, tensorboardCommandLine, tensorboardUrl } from '../../../src/host/tensorboard';

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'losslab-tb-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A stand-in `tensorboard`: a shell script that echoes its arguments into `args.txt`, then runs `body`. */
function fakeTensorboard(dir: string, body: string): string {
  const exe = path.join(dir, 'tensorboard');
  fs.writeFileSync(exe, `#!/bin/sh\necho "$@" > "${path.join(dir, 'args.txt')}"\n${body}\n`, { mode: 0o755 });
  return exe;
}

test('TensorBoard’s address is read from its startup line', () => {
  assert.equal(tensorboardUrl('TensorBoard 2.14.0 at http://localhost:40213/ (Press CTRL+C to quit)\n'), 'http://localhost:40213');
  assert.equal(tensorboardUrl('W1207 Unable to read\nTensorBoard 1.13.1 at http://host:6006 (Press CTRL+C to quit)'), 'http://host:6006');
  assert.equal(tensorboardUrl('Serving TensorBoard on localhost; to expose'), undefined);
});

test('the command line users are told to run quotes a folder with spaces', () => {
  assert.equal(tensorboardCommandLine('.losslab/runs/quick'), 'tensorboard --logdir .losslab/runs/quick');
  assert.equal(tensorboardCommandLine('/my runs/quick'), 'tensorboard --logdir "/my runs/quick"');
});

test('found on PATH only where an executable file of that name is', (t) => {
  const dir = tempDir(t);
  const bin = path.join(dir, 'bin');
  const other = path.join(dir, 'other');
  fs.mkdirSync(bin);
  fs.mkdirSync(other);
  fs.writeFileSync(path.join(other, 'tensorboard'), 'not executable', { mode: 0o644 });
  fs.mkdirSync(path.join(other, 'tensorboard.d'));
  assert.equal(findOnPath('tensorboard', { PATH: [other, bin].join(path.delimiter) }, 'linux'), undefined);
  const exe = fakeTensorboard(bin, 'exit 0');
  assert.equal(findOnPath('tensorboard', { PATH: [other, bin].join(path.delimiter) }, 'linux'), exe);
  assert.equal(findOnPath('tensorboard', {}, 'linux'), undefined);
});

test('started with the experiment as logdir on a free port; resolves with its address, and stops when killed', async (t) => {
  const dir = tempDir(t);
  const exe = fakeTensorboard(dir, 'echo "TensorBoard 2.14.0 at http://localhost:41234/ (Press CTRL+C to quit)" >&2\nexec sleep 30');
  const server = await startTensorboard(exe, '/runs/quick');
  assert.equal(server.url, 'http://localhost:41234');
  assert.equal(fs.readFileSync(path.join(dir, 'args.txt'), 'utf8').trim(), '--logdir /runs/quick --port 0 --host localhost');
  const exited = new Promise((resolve) => server.process.once('exit', resolve));
  server.process.kill();
  await exited;
  assert.notEqual(server.process.exitCode ?? server.process.signalCode, null);
});

test('a TensorBoard that exits first is reported with its last output', async (t) => {
  const dir = tempDir(t);
  const exe = fakeTensorboard(dir, 'echo "ImportError: No module named tensorboard" >&2\nexit 1');
  await assert.rejects(startTensorboard(exe, '/runs/quick'), /^Error: TensorBoard exited with code 1: ImportError: No module named tensorboard$/);
  const silent = fakeTensorboard(dir, 'exec sleep 30');
  await assert.rejects(startTensorboard(silent, '/runs/quick', 300), /gave no address within 0.3 s/);
});
