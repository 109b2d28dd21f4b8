import { mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import realFs from 'node:fs'; // the module object itself, which mock.method can patch
import * as os from 'node:os';
import * as path from 'node:path';
import { reportError } from '../../../src/cli/cli';
import { expandGrid } from '../../../src/core/config/grid';
import { validateConfig } from '../../../src/core/config/validate';
import { appendLine, writeFileAtomic } from '../../../src/core/results/atomicFile';
import { fileFaultText } from '../../../src/core/results/fileFaults';
import { openRunSink } from '../../../src/core/results/runSink';

const ROOT = path.join(__dirname, '..', '..', '..');
const HAS_DEV_FULL = fs.existsSync('/dev/full');
const errno = (code: string, syscall: string, file?: string) => Object.assign(new Error(`${code}: oops, ${syscall}${file ? ` '${file}'` : ''}`), { code, syscall, ...(file ? { path: file } : {}) });
const noTrace = () => assert.fail('a file error is not an internal error');

test('a full disk while appending names the file, in one line without a stack (exit 1)', { skip: !HAS_DEV_FULL && 'no /dev/full' }, () => {
  const err = (() => {
    try {
      appendLine('/dev/full', { epoch: 1 });
    } catch (e) {
      return e;
    }
    return assert.fail('writing to /dev/full must fail');
  })();
  assert.deepEqual(reportError(err, noTrace), {
    text: "losslab: cannot write '/dev/full': no space left on the device; free some space and run the same command again (finished epochs are kept)\n",
    code: 1,
  });
});

test('a full disk during an atomic write names the file meant, not its temporary', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'losslab-enospc-'));
  const file = path.join(dir, 'status.json');
  const write = mock.method(realFs, 'writeFileSync', () => {
    throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
  });
  try {
    assert.throws(
      () => writeFileAtomic(file, '{}'),
      (e: unknown) => reportError(e, noTrace).text.startsWith(`losslab: cannot write '${file}': no space left on the device`),
    );
  } finally {
    write.mock.restore();
    assert.deepEqual(fs.readdirSync(dir), [], 'the temporary is removed');
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('permission errors name the file; other errno errors too; unexpected errors give one line and where the trace is', () => {
  assert.equal(reportError(errno('EACCES', 'open', '/data/cifar/train.bin'), noTrace).text, "losslab: cannot open '/data/cifar/train.bin': permission denied\n");
  assert.equal(reportError(errno('EACCES', 'mkdir', '/runs/x'), noTrace).text, "losslab: cannot write '/runs/x': permission denied\n");
  assert.equal(reportError(errno('ENOENT', 'open', '/nope.json'), noTrace).text, "losslab: cannot read '/nope.json': no such file or folder\n");
  const internal = reportError(new TypeError('boom\nsecond line'), (trace) => (assert.match(trace, /TypeError: boom/), '/tmp/trace.log'));
  assert.deepEqual(internal, { text: 'losslab: internal error: boom (full trace in /tmp/trace.log)\n', code: 1 });
});

test("a worker's disk and permission faults are one line too (category 'file'); other errors are not", () => {
  assert.equal(fileFaultText(errno('ENOSPC', 'write'), true), 'cannot write a file: no space left on the device; free some space and run the same command again (finished epochs are kept)');
  assert.equal(fileFaultText(errno('EACCES', 'open', '/d/x.bin'), true), "cannot open '/d/x.bin': permission denied");
  assert.equal(fileFaultText(errno('ENOENT', 'open', '/d/x.bin'), true), undefined);
  assert.equal(fileFaultText(new Error('plain')), undefined);
});

test('losslab table --out: a full disk or a missing folder is one line naming the file, exit 1', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'losslab-tableout-'));
  try {
    const config = validateConfig({ name: 'out', dataset: { name: 'mnist' }, models: [{ name: 'simple-cnn' }], losses: [{ name: 'ce' }], training: { epochs: 1, milestones: [1] } });
    const [spec] = expandGrid(config);
    const sink = openRunSink(path.join(dir, spec.runId), spec);
    sink.started('cpu');
    const losslab = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli/main.ts'), ...args], { encoding: 'utf8', cwd: ROOT });
    const missing = losslab('table', dir, '--out', '/nonexistent/dir/t.md');
    assert.equal(missing.status, 1);
    assert.equal(missing.stderr, "losslab: cannot write '/nonexistent/dir/t.md': its folder does not exist\n");
    if (HAS_DEV_FULL) {
      const full = losslab('table', dir, '--out', '/dev/full');
      assert.equal(full.status, 1);
      assert.match(full.stderr, /^losslab: cannot write '\/dev\/full': no space left on the device; [^\n]*\n$/);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
