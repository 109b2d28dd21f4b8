import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ConfigError } from '../../../src/core/config/configError';
import { problems } from './configProblems';
import { parseConfigText, validateConfig } from '../../../src/core/config/validate';
import { LOSS_DESCRIPTORS } from '../../../src/core/losses/registry';

const minimal = () => ({
  name: 'demo',
  dataset: { name: 'fashion-mnist' },
  models: [{ name: 'simple-cnn' }],
  losses: [{ name: 'ce' }],
});

function withChange(change: (cfg: Record<string, any>) => void): Record<string, any> {
  const cfg: Record<string, any> = minimal();
  change(cfg);
  return cfg;
}

test('both examples are valid', () => {
  for (const file of ['examples/quick-fashion-mnist.losslab.json', 'examples/paper-cifar100.losslab.json']) {
    const cfg = parseConfigText(readFileSync(file, 'utf8'), file);
    assert.ok(cfg.losses.length >= 4, file);
  }
});

test('defaults are filled in from the schema (paper protocol) and the input is left alone', () => {
  const input = minimal();
  const cfg = validateConfig(input);
  assert.deepEqual(cfg.training, {
    epochs: 100,
    batchSize: 128,
    lr: 0.1,
    momentum: 0.9,
    weightDecay: 5e-4,
    milestones: [30, 60, 90],
    gamma: 0.1,
    decayBiasAndBn: true,
    augment: { crop: true, padding: 4, flip: true },
  });
  assert.equal('logEvery' in cfg.training, false, 'left to the trainer, which knows the steps per epoch: src/core/train/stepLog.ts');
  assert.equal(cfg.backend, 'auto');
  assert.equal(cfg.threads, 1);
  assert.equal(cfg.parallelRuns, undefined, 'left to the machine: src/host/parallelism.ts');
  assert.equal(cfg.outputDir, '.losslab/runs');
  assert.deepEqual(cfg.seeds, [1, 2, 3]);
  assert.deepEqual(cfg.models, [{ name: 'simple-cnn', width: 1 }]);
  assert.deepEqual(input, minimal());
});

test('dataset- and loss-specific defaults apply only to their own name', () => {
  const cfg = validateConfig({
    ...minimal(),
    dataset: { name: 'facescrub' },
    losses: [
      { name: 'scaled-bn', m: 0.9 },
      { name: 'am-softmax', s: 7.5, m: 0.35 },
    ],
  });
  assert.deepEqual(cfg.dataset, { name: 'facescrub', shuffleSubset: true, minImagesPerClass: 70, testFraction: 0.1, imageSize: 64 });
  assert.deepEqual(cfg.losses, [
    { name: 'scaled-bn', m: 0.9, eval: 'running', momentum: 0.1, eps: 1e-5 },
    { name: 'am-softmax', s: 7.5, m: 0.35 },
  ]);
  assert.equal(validateConfig({ ...minimal(), dataset: { name: 'cifar100' } }).dataset.labels, 'fine');
});

test('an unknown field names the path and lists the allowed fields', () => {
  const [line] = problems(withChange((c) => (c.training = { lrr: 0.1 })));
  assert.equal(
    line,
    "cfg.json: /training: unknown field 'lrr', did you mean 'lr'? (allowed: epochs, batchSize, lr, momentum, weightDecay, milestones, gamma, decayBiasAndBn, augment, logEvery, divergence)",
  );
});

test('a wrong enum value lists the allowed values', () => {
  assert.deepEqual(problems(withChange((c) => (c.backend = 'gpu'))), [
    `cfg.json: /backend: "gpu" is not allowed, did you mean 'cpu'? (allowed: auto, torch, tensorflow-gpu, webgpu, tensorflow, wasm, cpu)`,
  ]);
  assert.deepEqual(problems(withChange((c) => (c.dataset = { name: 'cifar10' }))), [
    `cfg.json: /dataset/name: "cifar10" is not allowed, did you mean 'cifar100'? (allowed: fashion-mnist, mnist, cifar100, tiny-imagenet, facescrub, image-folder)`,
  ]);
});

test('a negative learning rate reports the allowed range', () => {
  assert.deepEqual(problems(withChange((c) => (c.training = { lr: -0.1 }))), ['cfg.json: /training/lr: -0.1 is too small (allowed: number > 0 and ≤ 100)']);
});

test('a wrong type says what was expected and what was given', () => {
  assert.deepEqual(problems(withChange((c) => (c.training = { epochs: 'ten' }))), [
    'cfg.json: /training/epochs: expected integer, or a list of them, or a range { from, to, step }, got the string "ten"',
  ]);
});

test('losses report only the errors of the branch their name selects', () => {
  assert.deepEqual(problems(withChange((c) => (c.losses = [{ name: 'ce' }, { name: 'scaled-bn' }]))), [
    "cfg.json: /losses/1: missing required field 'm' for 'scaled-bn' (allowed: number > 0 and ≤ 100, e.g. 0.9)",
  ]);
  assert.deepEqual(problems(withChange((c) => (c.losses = [{ name: 'am-softmax', s: 7.5, mm: 0.35 }]))), [
    "cfg.json: /losses/0: missing required field 'm' for 'am-softmax' (allowed: number ≥ 0 and ≤ 2, e.g. 0.35)",
    "cfg.json: /losses/0: unknown field 'mm' for 'am-softmax', did you mean 'm'? (allowed: name, s, m)",
  ]);
  assert.deepEqual(problems(withChange((c) => (c.losses = [{ name: 'ce', m: 1 }]))), ["cfg.json: /losses/0: unknown field 'm' for 'ce' (allowed: name)"]);
  assert.deepEqual(problems(withChange((c) => (c.losses = [{ name: 'triplet' }]))), [
    `cfg.json: /losses/0/name: "triplet" is not allowed (allowed: ${[...LOSS_DESCRIPTORS.map((d) => d.name), 'custom'].join(', ')})`,
  ]);
});

test('dataset fields apply to their dataset only; image-folder needs a path', () => {
  assert.deepEqual(problems(withChange((c) => (c.dataset = { name: 'mnist', labels: 'coarse' }))), [
    "cfg.json: /dataset: unknown field 'labels' for 'mnist' (allowed: name, path, trainSubset, testSubset, shuffleSubset, validationFraction, validation)",
  ]);
  assert.deepEqual(problems(withChange((c) => (c.dataset = { name: 'image-folder' }))), ["cfg.json: /dataset: missing required field 'path' for 'image-folder' (allowed: string)"]);
  const cfg = validateConfig(withChange((c) => (c.dataset = { name: 'image-folder', path: 'data/train', testPath: 'data/test' })));
  assert.equal(cfg.dataset.testPath, 'data/test');
});

test('the experiment name must be usable as a folder name', () => {
  const rule = "letters, digits, '.', '_' and '-' only, not dots alone (the name is a folder name)";
  assert.deepEqual(problems(withChange((c) => (c.name = 'my run/1'))), [`cfg.json: /name: "my run/1" is not allowed (allowed: ${rule})`]);
});

test('an experiment name that would leave the output folder is refused (.., ., separators, device names)', () => {
  const rule = "letters, digits, '.', '_' and '-' only, not dots alone (the name is a folder name)";
  for (const name of ['..', '.', '...', '../x', 'a/b', 'a\\b', '/abs']) {
    assert.deepEqual(problems(withChange((c) => (c.name = name))), [`cfg.json: /name: ${JSON.stringify(name)} is not allowed (allowed: ${rule})`], name);
  }
  assert.deepEqual(problems(withChange((c) => (c.name = 'NUL'))), ['cfg.json: /name: "NUL" is a device name reserved by Windows (allowed: any other folder name)']);
  assert.deepEqual(problems(withChange((c) => (c.name = 'com1.old'))), ['cfg.json: /name: "com1.old" is a device name reserved by Windows (allowed: any other folder name)']);
  assert.match(problems(withChange((c) => (c.name = 'run.')))[0], /ends with '\.', which Windows drops/);
  for (const name of ['.hidden', 'a..b', 'v1.0', 'console', 'nul-results']) assert.equal(validateConfig(withChange((c) => (c.name = name))).name, name);
});

test('semantic checks: milestones, duplicate seeds and losses, both validation forms, subset smaller than a batch', () => {
  const cfg = withChange((c) => {
    c.training = { epochs: 50, milestones: [30, 20, 60] };
    c.seeds = [1, 2, 1];
    c.losses = [{ name: 'scaled-bn', m: 0.9 }, { name: 'ce' }, { name: 'scaled-bn', m: 0.9, eval: 'running' }];
    c.dataset = { name: 'fashion-mnist', trainSubset: 100, validation: 0.1, validationFraction: 0.1 };
  });
  assert.deepEqual(problems(cfg), [
    'cfg.json: /training/milestones/1: milestone 20 does not come after 30 (allowed: strictly ascending epochs)',
    'cfg.json: /training/milestones/2: milestone 60 is after the last epoch (allowed: 1 to training.epochs = 50)',
    'cfg.json: /seeds/2: duplicate seed 1 (same as /seeds/0); it would run the same runs twice',
    "cfg.json: /losses/2: duplicate loss 'Scaled-BN m=0.9' (same as /losses/0); it would run the same runs twice",
    'cfg.json: /dataset/validation: validation and validationFraction cannot both be set (validation keeps the test split beside the hold-out, validationFraction replaces it): keep one',
    'cfg.json: /dataset/trainSubset: trainSubset 100 is smaller than one batch (allowed: ≥ training.batchSize = 128)',
  ]);
});

test('a short run without milestones is told that [30, 60, 90] are defaults, with the schedule scaled to its length', () => {
  assert.deepEqual(problems(withChange((c) => (c.training = { epochs: 10 }))), [
    "cfg.json: /training/epochs: training.epochs = 10 is shorter than the default milestones [30, 60, 90] (the paper's 100-epoch schedule): set training.milestones, e.g. [3, 6, 9] for the same schedule scaled to 10 epochs",
  ]);
  // 30/60/90% of 2 epochs rounds to 1, 1, 2: duplicates dropped, and none at the last epoch (a decay after it does nothing).
  assert.match(problems(withChange((c) => (c.training = { epochs: 2 })))[0], /e\.g\. \[1\] for/);
  assert.match(problems(withChange((c) => (c.training = { epochs: 3 })))[0], /e\.g\. \[1, 2\] for/);
  assert.match(problems(withChange((c) => (c.training = { epochs: 1 })))[0], /e\.g\. \[\] for/);
  assert.deepEqual(
    validateConfig(
      withChange((c) => (c.training = { epochs: 95 })),
      'cfg.json',
    ).training.milestones,
    [30, 60, 90],
    'the defaults fit 95 epochs',
  );
});

test('all problems are reported together, schema and semantic', () => {
  const lines = problems(
    withChange((c) => {
      c.backend = 'gpu';
      c.seeds = [3, 3];
    }),
  );
  assert.equal(lines.length, 2);
});

test('ConfigError carries structured problems', () => {
  try {
    validateConfig(
      withChange((c) => (c.training = { lrr: 1 })),
      'x.json',
    );
    assert.fail('accepted');
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    assert.equal(e.source, 'x.json');
    assert.equal(e.problems[0].path, '/training');
    assert.equal(e.problems[0].focus, '/training/lrr');
  }
});

test('the baseline must be one of the losses; a CE baseline of a grid with CE is fine', () => {
  assert.doesNotThrow(() =>
    validateConfig(
      withChange((c) => (c.baseline = { name: 'ce' })),
      'cfg.json',
    ),
  );
  assert.deepEqual(problems(withChange((c) => (c.baseline = { name: 'focal', gamma: 2 }))), ["cfg.json: /baseline: baseline 'Focal γ=2' is not one of the losses (allowed: 'CE')"]);
});
