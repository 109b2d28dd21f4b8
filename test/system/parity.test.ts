// The parity harness in CI: every model × loss trained 20 steps by Loss Lab (wasm) and by
// the PyTorch mirror from the same weights and batches must agree (parity/mirror.py states the
// tolerances), and each planted classic defect must make it fail, so the tolerances are shown
// to catch what they are meant to. PyTorch is Debian's python3-torch: without it this test
// fails; it never skips.
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectBackend } from '../../src/core/backend/selectBackend';
import { checkFolders, findTorchPython, formatParityTable, HEAD_PARITY_LOSSES, HEAD_PARITY_MODELS, PARITY_LOSSES, PARITY_MODELS, parityCases, runParity } from '../../parity/run';
import { tempDir } from './helpers';

/**
 * Each planted defect, and cases it must be caught on: the hardest for it (biased running
 * variance where BN normalises over 4,096 values; momentum and decay on the noisiest network).
 * parity/mirror.py --mutate NAME --full on every case gives the whole matrix.
 */
const PLANTED: [string, string[]][] = [
  ['dampening', ['simple-cnn-w1/ce', 'resnet50-w0.125/ce']],
  ['nesterov', ['simple-cnn-w1/ce']],
  ['lr-in-buffer', ['simple-cnn-w1/ce']],
  ['biased-running-var', ['simple-cnn-w1/ce', 'simple-cnn-w1/scaled-bn']],
  ['decay-weights-only', ['simple-cnn-w1/ce', 'resnet50-w0.125/ce']],
  ['decay-all', ['vgg16-w0.25/ce/no-bias-bn-decay']],
  ['margin-wrong-logit', ['simple-cnn-w1/am-softmax', 'simple-cnn-w1/pedcc']],
  ['eval-batch-stats', ['simple-cnn-w1/scaled-bn']],
  ['pad-after-normalize', ['simple-cnn-w1/ce']],
  ['arcface-cosine-margin', ['simple-cnn-w1/arcface', 'resnet18-w0.25/arcface-easy-margin']],
  ['center-update-mean', ['simple-cnn-w1/center']],
];

test('Loss Lab trains step for step as PyTorch: 4 models × 4 losses, 2 models × the 7 later heads, and every planted defect is caught', async () => {
  const found = findTorchPython();
  assert.ok(found.python, `the parity test needs PyTorch: apt-get install python3-torch (or set LOSSLAB_PYTHON). Tried: ${found.tried.join('; ')}`);
  const python = found.python;
  await selectBackend('wasm');
  const keep = tempDir('losslab-parity-');
  try {
    const t0 = Date.now();
    const results = await runParity({ python, keep });
    process.stdout.write(`${formatParityTable(results)}\nparity: ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
    assert.deepEqual(
      results.map((r) => r.case.id),
      parityCases().map((c) => c.id),
    );
    const expected = PARITY_MODELS.length * PARITY_LOSSES.length + 1 + HEAD_PARITY_MODELS.length * HEAD_PARITY_LOSSES.length;
    assert.equal(results.length, expected, '4 models × the paper’s 4 losses, VGG-16 without bias/BN decay, and 2 models × every later head case (PEDCC mean / no BN among them)');
    for (const loss of ['arcface', 'arcface-easy-margin', 'cosface', 'normface', 'label-smoothing', 'focal', 'center', 'pedcc-mean-no-bn'])
      assert.ok(
        results.some((r) => r.case.id === `resnet18-w0.25/${loss}`),
        loss,
      );
    for (const { case: c, result } of results) {
      assert.ok(result.pass, `${c.id}: ${result.problems.join('\n  ')}`);
      assert.equal(result.steps, 20);
    }

    const folderOf = new Map(results.map((r) => [r.case.id, r.folder!]));
    const t1 = Date.now();
    // Two mirror processes at a time (the machine CI runs on has two cores).
    const queue = [...PLANTED];
    const lane = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const [mutation, ids] = next;
        const rs = await checkFolders(
          python,
          ids.map((id) => folderOf.get(id)!),
          mutation,
        );
        rs.forEach((r, i) => {
          assert.ok(!r.error, `planted '${mutation}' on ${ids[i]}: the mirror failed instead of comparing: ${r.problems[0]}`);
          assert.equal(r.mutation, mutation);
          assert.equal(r.pass, false, `planted defect '${mutation}' went unnoticed on ${ids[i]}`);
          process.stdout.write(`planted ${mutation} on ${ids[i]}: caught: ${r.problems[0]}\n`);
        });
      }
    };
    await Promise.all([lane(), lane()]);
    process.stdout.write(`planted defects: ${((Date.now() - t1) / 1000).toFixed(0)} s\n`);
  } finally {
    rmSync(path.resolve(keep), { recursive: true, force: true });
  }
});

// The torch engine's parity, on each PyTorch build users have, is in torchBuilds.test.ts.
