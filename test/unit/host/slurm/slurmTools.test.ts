import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedFilesystemProblem } from '../../../../src/host/slurm/sharedFilesystem';
import { requireSlurmTools, SlurmError, whichCommand } from '../../../../src/host/slurm/slurmTools';
import { reportError } from '../../../../src/cli/cli';

test('a PATH without sbatch: one message naming the missing commands and where they were looked for', () => {
  const bin = mkdtempSync(path.join(tmpdir(), 'losslab-path-'));
  const fake = path.join(bin, 'squeue');
  writeFileSync(fake, '#!/bin/sh\n');
  chmodSync(fake, 0o755);
  const env = { PATH: bin };
  assert.equal(whichCommand('squeue', env), fake);
  assert.throws(
    () => requireSlurmTools(['sbatch', 'squeue', 'scancel'], env),
    (e: Error) => {
      assert.ok(e instanceof SlurmError);
      assert.match(e.message, /needs sbatch, scancel, not found on PATH \(/);
      assert.ok(e.message.includes(bin));
      assert.match(e.message, /slurm-client/);
      // The CLI prints it as one line, without a stack trace.
      const shown = reportError(e);
      assert.equal(shown.code, 1);
      assert.equal(shown.text.trim().split('\n').length, 1);
      assert.ok(shown.text.startsWith('losslab: the SLURM executor needs sbatch'));
      return true;
    },
  );
  mkdirSync(path.join(bin, 'sbatch')); // a folder named sbatch is not the command
  assert.throws(() => requireSlurmTools(['sbatch'], env), /needs sbatch,? not found/);
});

test('a local disk is refused only when the partition has other nodes; network filesystems pass', () => {
  assert.equal(sharedFilesystemProblem('/tmp/x', { fsType: 'ext2/ext3', nodes: ['localhost', hostname()] }), undefined);
  assert.equal(sharedFilesystemProblem('/home/x', { fsType: 'nfs', nodes: ['n1', 'n2'] }), undefined);
  assert.equal(sharedFilesystemProblem('/home/x', { fsType: 'lustre', nodes: ['n1'] }), undefined);
  const problem = sharedFilesystemProblem('/tmp/x', { fsType: 'tmpfs', nodes: ['n1', 'n2'] }, 'gpu');
  assert.match(problem ?? '', /\/tmp\/x is on a local tmpfs filesystem .* partition 'gpu' runs on n1, n2: .*outputDir/);
});
