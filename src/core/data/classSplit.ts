/**
 * The per-class test hold-out of datasets without an official split (FaceScrub,
 * image folders), done in place: the images are reordered so the training
 * images come first, and both splits are views of the one buffer.
 */
import type { Rng } from '../util/rng';
import type { ImageSplit } from './types';

export interface ClassSplit {
  train: ImageSplit;
  test: ImageSplit;
  /** Per class: [train count, test count]. */
  perClass: [number, number][];
}

/** Images of each class, in split order. */
function membersByClass(labels: Int32Array, numClasses: number): number[][] {
  const byClass: number[][] = Array.from({ length: numClasses }, () => []);
  for (let i = 0; i < labels.length; i++) byClass[labels[i]].push(i);
  return byClass;
}

/**
 * Moves record i to position dest[i] (a permutation) by following its cycles,
 * holding two records at a time: no second copy of the images.
 */
export function permuteRecordsInPlace(images: Uint8Array, labels: Int32Array, per: number, dest: Int32Array): void {
  const done = new Uint8Array(dest.length);
  let carry = new Uint8Array(per);
  let next = new Uint8Array(per);
  for (let start = 0; start < dest.length; start++) {
    if (done[start] || dest[start] === start) continue;
    carry.set(images.subarray(start * per, (start + 1) * per));
    let label = labels[start];
    let i = start;
    do {
      const j = dest[i];
      next.set(images.subarray(j * per, (j + 1) * per));
      const nextLabel = labels[j];
      images.set(carry, j * per);
      labels[j] = label;
      done[j] = 1;
      [carry, next] = [next, carry];
      label = nextLabel;
      i = j;
    } while (i !== start);
  }
}

/**
 * Holds out round(n · fraction) random images of each class (at least one
 * when the class has two or more, never all of them) as the test split. The
 * draw for class k depends only on the Rng and the class sizes before it, so it
 * repeats exactly for the same files and seed. Both splits keep file order.
 */
export function splitPerClassInPlace(all: ImageSplit, numClasses: number, fraction: number, rng: Rng): ClassSplit {
  if (!(fraction > 0 && fraction < 1)) throw new RangeError(`test fraction must be between 0 and 1 (exclusive), got ${fraction}`);
  const n = all.count;
  const per = n === 0 ? 0 : all.images.length / n;
  const isTest = new Uint8Array(n);
  const perClass: [number, number][] = [];
  for (const members of membersByClass(all.labels, numClasses)) {
    let take = Math.round(members.length * fraction);
    if (take === 0 && members.length >= 2) take = 1;
    if (take >= members.length) take = Math.max(0, members.length - 1);
    const perm = rng.permutation(members.length);
    for (let k = 0; k < take; k++) isTest[members[perm[k]]] = 1;
    perClass.push([members.length - take, take]);
  }
  const dest = new Int32Array(n);
  let nTrain = 0;
  for (let i = 0; i < n; i++) if (!isTest[i]) dest[i] = nTrain++;
  let t = nTrain;
  for (let i = 0; i < n; i++) if (isTest[i]) dest[i] = t++;
  const images = all.images;
  const labels = all.labels;
  permuteRecordsInPlace(images, labels, per, dest);
  return {
    train: { images: images.subarray(0, nTrain * per), labels: labels.subarray(0, nTrain), count: nTrain },
    test: { images: images.subarray(nTrain * per, n * per), labels: labels.subarray(nTrain, n), count: n - nTrain },
    perClass,
  };
}
