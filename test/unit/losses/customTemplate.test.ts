// The New Loss template is the built-in focal loss written as a module: from the same seed it draws the
// same weight and bias (PyTorch's Linear init, weight then bias) and gives the same scores and loss.
import * as tf from '@tensorflow/tfjs-core';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCustomLoss } from '../../../src/core/losses/customModule';
import { EXAMPLE_LOSS_MODULE } from '../../../src/core/losses/customTemplate';
import { focalHead } from '../../../src/core/losses/focal';
import { ParamStore } from '../../../src/core/nn/params';
import { Rng } from '../../../src/core/util/rng';
import { assertClose, useCpu } from '../helpers/tfTest';

before(useCpu);

test("the template's head starts as built-in focal does from the same seed: same parameters, scores and loss", () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'losslab-template-')), 'focal.ts');
  writeFileSync(file, EXAMPLE_LOSS_MODULE);
  const [d, k, gamma, seed] = [5, 3, 2, 11];
  const builtInStore = new ParamStore(new Rng(seed));
  const builtIn = focalHead(builtInStore, d, k, gamma);
  const templateStore = new ParamStore(new Rng(seed));
  const template = loadCustomLoss(file).create({ tf, store: templateStore, featureDim: d, numClasses: k, options: { gamma } });
  assert.deepEqual(
    templateStore.params.map((p) => [p.name, p.variable.shape, p.isWeight]),
    builtInStore.params.map((p) => [p.name, p.variable.shape, p.isWeight]),
  );
  templateStore.params.forEach((p, i) => assertClose(p.variable.dataSync(), builtInStore.params[i].variable.dataSync(), 0, p.name));
  assert.ok(tf.max(tf.abs(templateStore.params[1].variable)).dataSync()[0] > 0, 'the bias is drawn, not 0');
  const f = tf.randomNormal<tf.Rank.R2>([6, d], 0, 1, 'float32', 4);
  const y = tf.tensor1d([0, 1, 2, 0, 1, 2], 'int32');
  const a = template.train(f, y);
  const b = builtIn.train(f, y);
  assertClose(a.scores.dataSync(), b.scores.dataSync(), 1e-6, 'scores');
  assertClose(a.loss.dataSync(), b.loss.dataSync(), 1e-6, 'loss');
});
