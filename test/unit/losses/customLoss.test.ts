// A loss head in the user's own module: compiled to CommonJS, sharing this process's tfjs engine,
// its options checked against the module's optionsSchema, its errors reported at the module's file:line.
import * as tf from '@tensorflow/tfjs-core';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveConfigPaths } from '../../../src/core/config/configPaths';
import { customLossName, lossKey, lossLabel } from '../../../src/core/config/grid';
import { validateConfig } from '../../../src/core/config/validate';
import { createHead } from '../../../src/core/losses';
import { CustomLossError, customLossProblems, loadCustomLoss } from '../../../src/core/losses/customModule';
import { ParamStore } from '../../../src/core/nn/params';
import { Rng } from '../../../src/core/util/rng';
import { assertClose, useCpu } from '../helpers/tfTest';

before(useCpu);

const dir = mkdtempSync(path.join(tmpdir(), 'losslab-custom-'));
let n = 0;
function write(body: string, ext = 'ts'): string {
  const file = path.join(dir, `loss${n++}.${ext}`);
  writeFileSync(file, body);
  return file;
}

/** Plain CE written as a user would, with a TypeScript type annotation and an import of tfjs-core. */
export const CE_MODULE = `import * as tf from '@tensorflow/tfjs-core';
interface Ctx { tf: typeof tf; store: any; featureDim: number; numClasses: number; options: { scale: number } }
export const optionsSchema = { type: 'object', properties: { scale: { type: 'number', minimum: 0, default: 1 } }, additionalProperties: false };
export default function createLoss({ store, featureDim, numClasses, options }: Ctx) {
  const w = store.addParam('fc.weight', [featureDim, numClasses], new Float32Array(featureDim * numClasses).fill(0.1), true);
  const logits = (f: tf.Tensor2D) => tf.mul(tf.matMul(f, w), options.scale) as tf.Tensor2D;
  return {
    train(f: tf.Tensor2D, y: tf.Tensor1D) {
      const z = logits(f);
      const loss = tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(z), tf.oneHot(y, numClasses)), 1))) as tf.Scalar;
      return { loss, scores: z };
    },
    classWeights: () => w,
  };
}
`;

test('a TypeScript module is bundled and runs on the same tfjs engine: its variables are in the store, gradients flow, defaults come from its optionsSchema', () => {
  const file = write(CE_MODULE);
  const store = new ParamStore(new Rng(1));
  const head = createHead({ name: 'custom', module: file }, store, 3, 2, 1);
  assert.equal(store.params.length, 1);
  assert.ok(store.params[0].variable instanceof tf.Variable, 'the module created its variable with this engine');
  const f = tf.tensor2d([[1, 2, 3]]);
  const y = tf.tensor1d([0], 'int32');
  const { loss, scores } = head.train(f, y);
  assertClose(loss.dataSync(), [Math.log(2)], 1e-6, 'loss with equal logits');
  assert.deepEqual(scores.shape, [1, 2]);
  const { grads } = tf.variableGrads(() => head.train(f, y).loss, [store.params[0].variable]);
  assert.ok(tf.sum(tf.abs(Object.values(grads)[0])).dataSync()[0] > 0, 'gradient reaches the module parameter');
  // defaults: evaluate = train, outputs = scores, classWeights from the module
  assert.deepEqual(head.outputs(f).before.shape, [1, 2]);
  assert.equal(head.classWeights(), store.params[0].variable);
});

test("options are validated against the module's optionsSchema", () => {
  const file = write(CE_MODULE);
  const store = new ParamStore(new Rng(1));
  assert.throws(
    () => createHead({ name: 'custom', module: file, options: { scale: -1 } }, store, 3, 2, 1),
    (e: Error) => e instanceof CustomLossError && /options\.scale must be >= 0/.test(e.message) && e.message.startsWith(file),
  );
});

test('a syntax error is reported with the module file and line', () => {
  const file = write(`export default function createLoss(ctx) {\n  const x = ;\n  return x;\n}\n`);
  assert.throws(
    () => loadCustomLoss(file),
    (e: Error) => e instanceof CustomLossError && e.file === file && e.line === 2 && e.message.startsWith(`${file}:2:`),
  );
});

test('a runtime error in the head is reported at the module line that threw', () => {
  const file = write(`export default function createLoss({ tf }) {\n  return {\n    train(f, y) {\n      throw new Error('boom');\n    },\n  };\n}\n`, 'js');
  const head = createHead({ name: 'custom', module: file }, new ParamStore(new Rng(1)), 2, 2, 1);
  assert.throws(
    () => head.train(tf.zeros<tf.Rank.R2>([1, 2]), tf.tensor1d([0], 'int32')),
    (e: Error) => e instanceof CustomLossError && e.file === file && e.line === 4 && /boom/.test(e.message),
  );
});

test('a module without a factory, or a head without train, is refused with what to write', () => {
  assert.throws(() => loadCustomLoss(write('export const x = 1;\n')), /exports no factory/);
  const file = write('export default () => ({});\n');
  assert.throws(() => createHead({ name: 'custom', module: file }, new ParamStore(new Rng(1)), 2, 2, 1), /must return an object with train/);
});

test('the config names the module relative to the config file; labels and run ids use the module name', () => {
  const config = validateConfig({
    name: 'c',
    dataset: { name: 'fashion-mnist' },
    models: [{ name: 'simple-cnn' }],
    losses: [{ name: 'custom', module: './losses/focal.ts', options: { gamma: 2 } }],
    seeds: [1],
  });
  const resolved = resolveConfigPaths(config, '/work/exp/a.losslab.json', false);
  const loss = resolved.losses[0] as { name: string; module: string };
  assert.equal(loss.module, path.resolve('/work/exp/losses/focal.ts'));
  assert.equal(customLossName(loss.module), 'focal');
  assert.equal(lossLabel({ name: 'custom', module: loss.module, options: { gamma: 2 } }), 'custom:focal gamma=2');
  assert.equal(lossKey({ name: 'custom', module: loss.module, options: { gamma: 2 } }), 'custom-focal-gamma2');
  const odd = lossKey({ name: 'custom', module: 'a/b c.ts', options: { w: [1, 2], 'x/y': 'a b' } });
  assert.match(odd, /^[A-Za-z0-9._-]+$/, 'a valid path segment');
  assert.throws(() => validateConfig({ name: 'c', dataset: { name: 'mnist' }, models: [{ name: 'simple-cnn' }], losses: [{ name: 'custom' }], seeds: [1] }), /module/);
});

test("a config's custom losses are loaded and their options checked before any run starts", () => {
  const good = write(CE_MODULE);
  const bad = write('export default function createLoss() {\n  return 1 +;\n}\n');
  assert.deepEqual(customLossProblems([{ name: 'ce' }, { name: 'custom', module: good, options: { scale: 2 } } as never]), []);
  const problems = customLossProblems([
    { name: 'custom', module: good, options: { scale: 'big' } },
    { name: 'custom', module: bad },
  ] as never);
  assert.deepEqual(
    problems.map((p) => p.path),
    ['/losses/0/options', '/losses/1/module'],
  );
  assert.match(problems[0].message, /options\.scale must be number/);
  assert.ok(problems[1].message.startsWith(`${bad}:2:`), problems[1].message);
});

test('a module imports its own sibling sources, compiled the same way; their errors are located in the sibling', () => {
  const helper = path.join(dir, 'scaleHelper.ts');
  writeFileSync(
    helper,
    `import * as tf from '@tensorflow/tfjs-core';\nexport const scaled = (z: tf.Tensor2D, s: number): tf.Tensor2D =>\n  s < 0 ? (() => { throw new Error('negative scale'); })() : (tf.mul(z, s) as tf.Tensor2D);\n`,
  );
  const file = write(
    CE_MODULE.replace("import * as tf from '@tensorflow/tfjs-core';", "import * as tf from '@tensorflow/tfjs-core';\nimport { scaled } from './scaleHelper';").replace(
      'tf.mul(tf.matMul(f, w), options.scale) as tf.Tensor2D',
      'scaled(tf.matMul(f, w) as tf.Tensor2D, options.scale)',
    ),
  );
  const store = new ParamStore(new Rng(1));
  const head = loadCustomLoss(file).create({ tf, store, featureDim: 2, numClasses: 3, options: { scale: 2 } });
  const out = head.train(tf.tensor2d([[1, 2]]), tf.tensor1d([0], 'int32'));
  assertClose(out.scores.dataSync(), [0.6, 0.6, 0.6], 1e-6);
  const negative = loadCustomLoss(file).create({ tf, store: new ParamStore(new Rng(1)), featureDim: 2, numClasses: 3, options: { scale: -1 } });
  assert.throws(
    () => negative.train(tf.tensor2d([[1, 2]]), tf.tensor1d([0], 'int32')),
    (e: Error) => e instanceof CustomLossError && e.file === helper && e.line === 3 && /negative scale/.test(e.message),
  );
});
