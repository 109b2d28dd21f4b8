import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetError } from '../../../src/core/data/errors';
import { FASHION_MNIST_CLASSES, loadMnistLike } from '../../../src/core/data/mnistLike';
import { fakePixel, writeFakeMnist } from './idxFixtures';

const REAL_FASHION = '/usr/share/datasets/fashion-mnist';

function checkFake(dirGzipped: boolean) {
  const dir = writeFakeMnist({ gzipped: dirGzipped });
  const ds = loadMnistLike('fashion-mnist', dir);
  assert.equal(ds.name, 'fashion-mnist');
  assert.deepEqual([ds.height, ds.width, ds.channels, ds.numClasses], [28, 28, 1, 10]);
  assert.equal(ds.source, dir);
  assert.deepEqual(ds.classNames, FASHION_MNIST_CLASSES);
  assert.equal(ds.train.count, 5);
  assert.equal(ds.test.count, 3);
  assert.ok(ds.train.labels instanceof Int32Array);
  assert.ok(ds.train.images instanceof Uint8Array);
  assert.deepEqual(Array.from(ds.train.labels), [3, 1, 4, 1, 5]);
  assert.deepEqual(Array.from(ds.test.labels), [9, 2, 6]);
  assert.equal(ds.train.images.length, 5 * 28 * 28);
  assert.equal(ds.test.images.length, 3 * 28 * 28);
  for (let n = 0; n < 5; n++) for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) assert.equal(ds.train.images[(n * 28 + y) * 28 + x], fakePixel(n, y, x));
  for (let n = 0; n < 3; n++) for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) assert.equal(ds.test.images[(n * 28 + y) * 28 + x], fakePixel(n + 100, y, x));
  assert.equal(ds.mean.length, 1);
  assert.ok(ds.mean[0] > 0 && ds.mean[0] < 1 && ds.std[0] > 0);
  rmSync(dir, { recursive: true });
}

test('loads a gzipped MNIST-like folder: counts, labels and every pixel', () => checkFake(true));
test('loads a plain (uncompressed) MNIST-like folder', () => checkFake(false));

test('mnist gets digit class names', () => {
  const dir = writeFakeMnist();
  assert.deepEqual(loadMnistLike('mnist', dir).classNames?.slice(0, 3), ['0', '1', '2']);
  rmSync(dir, { recursive: true });
});

test('a label of 10 or more names the file and the index', () => {
  const dir = writeFakeMnist({ testLabels: [1, 2, 10] });
  const file = join(dir, 't10k-labels-idx1-ubyte.gz');
  assert.throws(
    () => loadMnistLike('fashion-mnist', dir),
    (e: unknown) => e instanceof DatasetError && e.file === file && /index 2\b/.test(e.message) && /label 10\b/.test(e.message),
  );
  rmSync(dir, { recursive: true });
});

test('image and label counts that disagree are an error', () => {
  const dir = writeFakeMnist({ trainImages: 4 });
  assert.throws(
    () => loadMnistLike('fashion-mnist', dir),
    (e: unknown) => e instanceof DatasetError && e.file === join(dir, 'train-labels-idx1-ubyte.gz') && /5 labels/.test(e.message) && /4 images/.test(e.message),
  );
  rmSync(dir, { recursive: true });
});

test('a missing file is named, with the Debian package that provides it', () => {
  const dir = writeFakeMnist();
  rmSync(join(dir, 't10k-images-idx3-ubyte.gz'));
  assert.throws(
    () => loadMnistLike('fashion-mnist', dir),
    (e: unknown) =>
      e instanceof DatasetError && e.file === join(dir, 't10k-images-idx3-ubyte.gz') && e.message.includes('t10k-images-idx3-ubyte') && e.message.includes('apt-get install dataset-fashion-mnist'),
  );
  rmSync(dir, { recursive: true });
});

test('a missing folder is named, with the Debian package that provides it', () => {
  const dir = '/nonexistent/losslab/fashion';
  assert.throws(
    () => loadMnistLike('fashion-mnist', dir),
    (e: unknown) =>
      e instanceof DatasetError && e.file === dir && e.message.includes(dir) && e.message.includes('train-images-idx3-ubyte') && e.message.includes('apt-get install dataset-fashion-mnist'),
  );
});

test('the installed Fashion-MNIST loads with 60000/10000 images and balanced classes', (t) => {
  if (!existsSync(REAL_FASHION)) {
    t.skip(`${REAL_FASHION} absent (apt-get install dataset-fashion-mnist)`);
    return;
  }
  const ds = loadMnistLike('fashion-mnist');
  assert.equal(ds.train.count, 60000);
  assert.equal(ds.test.count, 10000);
  assert.equal(ds.train.images.length, 60000 * 784);
  const perClass = new Array(10).fill(0);
  for (const l of ds.train.labels) perClass[l]++;
  assert.deepEqual(perClass, new Array(10).fill(6000));
  // Published Fashion-MNIST statistics: mean 0.2860, std 0.3530.
  assert.ok(Math.abs(ds.mean[0] - 0.286) < 1e-3, `mean ${ds.mean[0]}`);
  assert.ok(Math.abs(ds.std[0] - 0.353) < 1e-3, `std ${ds.std[0]}`);
});
