// Every built-in loss is one descriptor (src/core/losses/builtin/); what the descriptor cannot carry
// itself, its PyTorch mirror (parity/heads/) and parity cases, is demanded here.
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LossConfig } from '../../../src/core/config/types';
import { validateConfig } from '../../../src/core/config/validate';
import { createHead } from '../../../src/core/losses';
import { LOSS_DESCRIPTORS, outputsLabel } from '../../../src/core/losses/registry';
import { ParamStore } from '../../../src/core/nn/params';
import { Rng } from '../../../src/core/util/rng';
import { useCpu } from '../helpers/tfTest';
import { parityCases } from '../../../parity/run';

before(useCpu);

const HEADS = 'parity/heads';

/** Loss name -> mirror file, from each file's `LOSS = '<name>'` (parity/heads/__init__.py discovers them the same way). */
function mirrorFiles(): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of readdirSync(HEADS).filter((f) => f.endsWith('.py'))) {
    const m = /^LOSS = '([^']+)'$/m.exec(readFileSync(path.join(HEADS, file), 'utf8'));
    if (m) out.set(m[1], file);
  }
  return out;
}

test('every loss descriptor has a PyTorch mirror in parity/heads, and every mirror a descriptor', () => {
  const mirrors = mirrorFiles();
  for (const d of LOSS_DESCRIPTORS) assert.ok(mirrors.has(d.name), `loss '${d.name}' has no PyTorch mirror: add ${HEADS}/<name>.py with LOSS = '${d.name}' and make_head(loss, d, k)`);
  const names = new Set(LOSS_DESCRIPTORS.map((d) => d.name));
  for (const [name, file] of mirrors) assert.ok(names.has(name), `${HEADS}/${file} mirrors '${name}', which no descriptor has`);
});

test('every loss descriptor has a parity case the harness runs, each with its own id', () => {
  const cases = parityCases();
  for (const d of LOSS_DESCRIPTORS) {
    assert.ok(d.parity.length > 0, `loss '${d.name}' has no parity case: add one to its descriptor's parity list`);
    assert.ok(
      cases.some((c) => c.loss.name === d.name),
      `loss '${d.name}': no case of parity/run.ts runs it`,
    );
  }
  assert.equal(new Set(cases.map((c) => c.id)).size, cases.length, 'two parity cases share an id: give one a variant');
});

test('each descriptor’s parity cases and snippet are configs the schema accepts', () => {
  for (const d of LOSS_DESCRIPTORS) {
    for (const options of [...d.parity.map((c) => c.options), d.snippet.options]) {
      const losses = [{ name: d.name, ...options }];
      assert.doesNotThrow(() => validateConfig({ name: 'x', dataset: { name: 'mnist' }, models: [{ name: 'simple-cnn' }], losses, seeds: [1] }), d.name);
    }
  }
});

test('loss names are unique', () => {
  const names = LOSS_DESCRIPTORS.map((d) => d.name);
  assert.equal(new Set(names).size, names.length);
});

test('each head records what its descriptor says: logits after a BN (Fig. 2), class weights (Fig. 3)', () => {
  for (const d of LOSS_DESCRIPTORS) {
    const loss = { name: d.name, ...d.parity[0].options } as LossConfig;
    tf.tidy(() => {
      const head = createHead(loss, new ParamStore(new Rng(1)), 4, 3, 1);
      const features = tf.randomUniform<tf.Rank.R2>([5, 4], 0, 1, 'float32', 1);
      head.train(features, tf.tensor1d([0, 1, 2, 0, 1], 'int32'));
      assert.equal(head.outputs(features).after !== undefined, d.records.logitsAfterBn, `${d.name}: logits after BN`);
      assert.equal(head.classWeights() !== null, d.records.classWeights, `${d.name}: class weights`);
    });
  }
});

test("each descriptor names what its head's outputs are: W·f + b recomputed, s·cos θ bounded by s", () => {
  const kinds = new Set<string>();
  for (const d of LOSS_DESCRIPTORS) {
    const loss = { name: d.name, ...d.parity[0].options } as LossConfig;
    const store = new ParamStore(new Rng(1));
    tf.tidy(() => {
      const head = createHead(loss, store, 4, 3, 1);
      const features = tf.randomUniform<tf.Rank.R2>([5, 4], -1, 1, 'float32', 2);
      const outputs = head.outputs(features).before;
      const param = (name: string) => store.params.find((p) => p.name === name)?.variable;
      if (d.records.outputs === 'logits W·f + b') {
        // The linear layer's own weight and bias, applied by hand.
        const expected = tf.add(tf.matMul(features, param('fc.weight')!), param('fc.bias')!);
        assert.ok(tf.max(tf.abs(tf.sub(outputs, expected))).dataSync()[0] < 1e-5, `${d.name}: outputs are not W·f + b`);
      } else if (d.records.outputs.startsWith('s·cos θ')) {
        const s = (d.parity[0].options as { s: number }).s;
        assert.ok(tf.max(tf.abs(outputs)).dataSync()[0] <= s * (1 + 1e-5), `${d.name}: |outputs| beyond s = ${s}`);
        assert.ok(!param('fc.bias'), `${d.name}: a cosine head has no bias`);
      } else assert.equal(d.records.outputs, '‖x‖·cos θ', `${d.name}: an outputs label this test does not know`);
      kinds.add(d.records.outputs);
    });
    store.dispose();
  }
  assert.ok(kinds.size >= 3, [...kinds].join(', '));
});

test('the outputs label a run view carries: the descriptor’s, or the custom module’s own outputs', () => {
  assert.equal(outputsLabel({ name: 'am-softmax' }), 's·cos θ');
  assert.equal(outputsLabel({ name: 'cosface' }), 's·cos θ', 'CosFace inherits AM-Softmax’s records');
  assert.equal(outputsLabel({ name: 'ce' }), 'logits W·f + b');
  assert.equal(outputsLabel({ name: 'custom' }), "the module's outputs");
});
