import { Rng } from '../util/rng';

/**
 * PEDCC: k fixed unit vectors in d dimensions, evenly spread on the sphere.
 * Returned row-major (k, d).
 *  - k ≤ d + 1: a regular simplex (every pairwise cosine −1/(k−1)), in closed form:
 *    the centred standard basis of R^k lies in a (k−1)-dim subspace; express it in an
 *    orthonormal basis of that subspace and place it along k−1 random orthonormal
 *    directions of R^d (a seeded random rotation).
 *  - k > d + 1: no simplex fits; seeded repulsion of charges on the sphere.
 */
export function evenlyDistributedCentroids(k: number, d: number, seed: number): Float64Array {
  if (k < 2) throw new Error(`PEDCC needs at least 2 classes, got ${k}`);
  const rng = new Rng(seed);
  return k <= d + 1 ? simplexCentroids(k, d, rng) : repulsionCentroids(k, d, rng);
}

function simplexCentroids(k: number, d: number, rng: Rng): Float64Array {
  // Vertices v_i = e_i − 1/k (in R^k), then an orthonormal basis B (k−1 vectors) of their span.
  const vertex = (i: number) => Float64Array.from({ length: k }, (_, j) => (j === i ? 1 : 0) - 1 / k);
  const basis = gramSchmidt(Array.from({ length: k - 1 }, (_, i) => vertex(i)));
  const directions = gramSchmidt(Array.from({ length: k - 1 }, () => Float64Array.from({ length: d }, () => rng.normal())));
  const out = new Float64Array(k * d);
  for (let i = 0; i < k; i++) {
    const v = vertex(i);
    const row = out.subarray(i * d, (i + 1) * d);
    basis.forEach((b, j) => {
      const coord = dot(v, b);
      const q = directions[j];
      for (let t = 0; t < d; t++) row[t] += coord * q[t];
    });
    normalizeInPlace(row);
  }
  return out;
}

function repulsionCentroids(k: number, d: number, rng: Rng, steps = 200): Float64Array {
  const x = Float64Array.from({ length: k * d }, () => rng.normal());
  for (let i = 0; i < k; i++) normalizeInPlace(x.subarray(i * d, (i + 1) * d));
  const force = new Float64Array(k * d);
  for (let step = 0; step < steps; step++) {
    force.fill(0);
    for (let i = 0; i < k; i++) {
      for (let j = i + 1; j < k; j++) {
        let dist2 = 0;
        for (let t = 0; t < d; t++) dist2 += (x[i * d + t] - x[j * d + t]) ** 2;
        const w = 1 / (Math.max(dist2, 1e-12) * Math.sqrt(Math.max(dist2, 1e-12)));
        for (let t = 0; t < d; t++) {
          const f = (x[i * d + t] - x[j * d + t]) * w;
          force[i * d + t] += f;
          force[j * d + t] -= f;
        }
      }
    }
    const lr = 0.1 / k;
    for (let i = 0; i < k * d; i++) x[i] += lr * force[i];
    for (let i = 0; i < k; i++) normalizeInPlace(x.subarray(i * d, (i + 1) * d));
  }
  return x;
}

function gramSchmidt(vectors: Float64Array[]): Float64Array[] {
  const out: Float64Array[] = [];
  for (const v of vectors) {
    const u = Float64Array.from(v);
    for (const b of out) {
      const c = dot(u, b);
      for (let t = 0; t < u.length; t++) u[t] -= c * b[t];
    }
    normalizeInPlace(u);
    out.push(u);
  }
  return out;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function normalizeInPlace(v: Float64Array): void {
  const n = Math.sqrt(dot(v, v)) || 1;
  for (let i = 0; i < v.length; i++) v[i] /= n;
}
