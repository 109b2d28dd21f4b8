/**
 * Loader for MNIST and Fashion-MNIST: four IDX files in one folder, named as
 * upstream publishes them, gzipped (as Debian's dataset-fashion-mnist installs
 * them) or plain.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetError } from './errors';
import { readIdxFile } from './idx';
import type { ImageDataset, ImageSplit } from './types';
import { channelStats } from './split';

export type MnistLikeName = 'fashion-mnist' | 'mnist';

export const DEFAULT_MNIST_LIKE_PATHS: Record<MnistLikeName, string> = {
  'fashion-mnist': '/usr/share/datasets/fashion-mnist',
  mnist: '/usr/share/datasets/mnist',
};

export const FASHION_MNIST_CLASSES: readonly string[] = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

const MNIST_CLASSES: readonly string[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

const SIDE = 28;
const NUM_CLASSES = 10;

// Debian packages Fashion-MNIST only; MNIST has to be fetched by hand.
function missingHint(name: MnistLikeName): string {
  return name === 'fashion-mnist'
    ? 'on Debian, `apt-get install dataset-fashion-mnist` provides it'
    : 'put the four MNIST IDX files there (Debian has no MNIST package; ' + '`apt-get install dataset-fashion-mnist` provides Fashion-MNIST)';
}

/** Finds `<base>.gz` or `<base>` in the folder; the error names what was looked for. */
function locate(dir: string, base: string, name: MnistLikeName): string {
  const candidates = [join(dir, `${base}.gz`), join(dir, base)];
  const found = candidates.find((p) => existsSync(p));
  if (found) return found;
  throw new DatasetError(candidates[0], `${name}: missing ${candidates[0]} (or ${candidates[1]}); ${missingHint(name)}`);
}

function loadSplit(dir: string, prefix: 'train' | 't10k', name: MnistLikeName): ImageSplit {
  const imagesPath = locate(dir, `${prefix}-images-idx3-ubyte`, name);
  const labelsPath = locate(dir, `${prefix}-labels-idx1-ubyte`, name);
  const images = readIdxFile(imagesPath);
  const labels = readIdxFile(labelsPath);

  if (images.dims.length !== 3 || images.dims[1] !== SIDE || images.dims[2] !== SIDE) {
    throw new DatasetError(imagesPath, `${imagesPath}: expected images of shape [N, ${SIDE}, ${SIDE}], found [${images.dims.join(', ')}]`);
  }
  if (labels.dims.length !== 1) {
    throw new DatasetError(labelsPath, `${labelsPath}: expected a 1-D label array, found [${labels.dims.join(', ')}]`);
  }
  const count = images.dims[0];
  if (labels.dims[0] !== count) {
    throw new DatasetError(labelsPath, `${labelsPath}: ${labels.dims[0]} labels but ${imagesPath} holds ${count} images`);
  }
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const l = labels.data[i];
    if (l >= NUM_CLASSES) {
      throw new DatasetError(labelsPath, `${labelsPath}: label ${l} at index ${i} is not below ${NUM_CLASSES}`);
    }
    out[i] = l;
  }
  return { images: images.data, labels: out, count };
}

/**
 * Loads the full train and test splits. Mean and std are computed over the
 * full training split; loadDataset recomputes them after subsetting.
 */
export function loadMnistLike(name: MnistLikeName, dir: string = DEFAULT_MNIST_LIKE_PATHS[name]): ImageDataset {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new DatasetError(dir, `${name}: folder ${dir} not found (looked for train-images-idx3-ubyte.gz in it); ${missingHint(name)}`);
  }
  const train = loadSplit(dir, 'train', name);
  const test = loadSplit(dir, 't10k', name);
  const { mean, std } = channelStats(train, SIDE, SIDE, 1);
  return {
    name,
    height: SIDE,
    width: SIDE,
    channels: 1,
    numClasses: NUM_CLASSES,
    classNames: name === 'fashion-mnist' ? FASHION_MNIST_CLASSES : MNIST_CLASSES,
    train,
    test,
    mean,
    std,
    source: dir,
  };
}
