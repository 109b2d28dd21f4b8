// The batch norm host kernels' loops (fusedKernels.ts registers them): forward statistics and
// normalisation, and the backward pass, over the last axis of tensors in the backends' own storage.
// Sums are accumulated in float64; the statistics use one pass with a per-channel shift (the first
// row), so the variance does not cancel catastrophically.

// The loops below walk channels in groups of 8 held in local variables (doubles), each group a
// strided pass over the rows. Measured on 128×28×28×32 (Node 20, one core): 2× faster than
// the plain nested loop, which reloads per-channel arrays on every element. Channels beyond
// the last full group take a plain strided loop each.

/** Σ(x − k) and Σ(x − k)² per channel (last axis) into s, q; k is a per-channel shift against cancellation. */
function shiftedSums(x: Float32Array, C: number, k: Float64Array, s: Float64Array, q: Float64Array): void {
  const n = x.length;
  let c0 = 0;
  for (; c0 + 8 <= C; c0 += 8) {
    const k0 = k[c0],
      k1 = k[c0 + 1],
      k2 = k[c0 + 2],
      k3 = k[c0 + 3],
      k4 = k[c0 + 4],
      k5 = k[c0 + 5],
      k6 = k[c0 + 6],
      k7 = k[c0 + 7];
    let s0 = 0,
      s1 = 0,
      s2 = 0,
      s3 = 0,
      s4 = 0,
      s5 = 0,
      s6 = 0,
      s7 = 0;
    let q0 = 0,
      q1 = 0,
      q2 = 0,
      q3 = 0,
      q4 = 0,
      q5 = 0,
      q6 = 0,
      q7 = 0;
    for (let i = c0; i < n; i += C) {
      const d0 = x[i] - k0,
        d1 = x[i + 1] - k1,
        d2 = x[i + 2] - k2,
        d3 = x[i + 3] - k3;
      const d4 = x[i + 4] - k4,
        d5 = x[i + 5] - k5,
        d6 = x[i + 6] - k6,
        d7 = x[i + 7] - k7;
      s0 += d0;
      s1 += d1;
      s2 += d2;
      s3 += d3;
      s4 += d4;
      s5 += d5;
      s6 += d6;
      s7 += d7;
      q0 += d0 * d0;
      q1 += d1 * d1;
      q2 += d2 * d2;
      q3 += d3 * d3;
      q4 += d4 * d4;
      q5 += d5 * d5;
      q6 += d6 * d6;
      q7 += d7 * d7;
    }
    s[c0] = s0;
    s[c0 + 1] = s1;
    s[c0 + 2] = s2;
    s[c0 + 3] = s3;
    s[c0 + 4] = s4;
    s[c0 + 5] = s5;
    s[c0 + 6] = s6;
    s[c0 + 7] = s7;
    q[c0] = q0;
    q[c0 + 1] = q1;
    q[c0 + 2] = q2;
    q[c0 + 3] = q3;
    q[c0 + 4] = q4;
    q[c0 + 5] = q5;
    q[c0 + 6] = q6;
    q[c0 + 7] = q7;
  }
  for (; c0 < C; c0++) {
    const kc = k[c0];
    let a = 0,
      b = 0;
    for (let i = c0; i < n; i += C) {
      const d = x[i] - kc;
      a += d;
      b += d * d;
    }
    s[c0] = a;
    q[c0] = b;
  }
}

/** Σdy and Σdy·(x − m) per channel into sd, sdx. */
function gradSums(dy: Float32Array, x: Float32Array, C: number, m: Float64Array, sd: Float64Array, sdx: Float64Array): void {
  const n = x.length;
  let c0 = 0;
  for (; c0 + 8 <= C; c0 += 8) {
    const m0 = m[c0],
      m1 = m[c0 + 1],
      m2 = m[c0 + 2],
      m3 = m[c0 + 3],
      m4 = m[c0 + 4],
      m5 = m[c0 + 5],
      m6 = m[c0 + 6],
      m7 = m[c0 + 7];
    let s0 = 0,
      s1 = 0,
      s2 = 0,
      s3 = 0,
      s4 = 0,
      s5 = 0,
      s6 = 0,
      s7 = 0;
    let q0 = 0,
      q1 = 0,
      q2 = 0,
      q3 = 0,
      q4 = 0,
      q5 = 0,
      q6 = 0,
      q7 = 0;
    for (let i = c0; i < n; i += C) {
      const g0 = dy[i],
        g1 = dy[i + 1],
        g2 = dy[i + 2],
        g3 = dy[i + 3],
        g4 = dy[i + 4],
        g5 = dy[i + 5],
        g6 = dy[i + 6],
        g7 = dy[i + 7];
      s0 += g0;
      s1 += g1;
      s2 += g2;
      s3 += g3;
      s4 += g4;
      s5 += g5;
      s6 += g6;
      s7 += g7;
      q0 += g0 * (x[i] - m0);
      q1 += g1 * (x[i + 1] - m1);
      q2 += g2 * (x[i + 2] - m2);
      q3 += g3 * (x[i + 3] - m3);
      q4 += g4 * (x[i + 4] - m4);
      q5 += g5 * (x[i + 5] - m5);
      q6 += g6 * (x[i + 6] - m6);
      q7 += g7 * (x[i + 7] - m7);
    }
    sd[c0] = s0;
    sd[c0 + 1] = s1;
    sd[c0 + 2] = s2;
    sd[c0 + 3] = s3;
    sd[c0 + 4] = s4;
    sd[c0 + 5] = s5;
    sd[c0 + 6] = s6;
    sd[c0 + 7] = s7;
    sdx[c0] = q0;
    sdx[c0 + 1] = q1;
    sdx[c0 + 2] = q2;
    sdx[c0 + 3] = q3;
    sdx[c0 + 4] = q4;
    sdx[c0 + 5] = q5;
    sdx[c0 + 6] = q6;
    sdx[c0 + 7] = q7;
  }
  for (; c0 < C; c0++) {
    const mc = m[c0];
    let a = 0,
      b = 0;
    for (let i = c0; i < n; i += C) {
      a += dy[i];
      b += dy[i] * (x[i] - mc);
    }
    sd[c0] = a;
    sdx[c0] = b;
  }
}

/** out = a·u + b·v + off per channel (v may be null: out = a·u + off). */
function affine2(out: Float32Array, u: Float32Array, a: Float64Array, v: Float32Array | null, b: Float64Array, off: Float64Array): void {
  const C = a.length;
  const n = u.length;
  const w = v ?? u;
  const bb = v ? b : new Float64Array(C);
  let c0 = 0;
  for (; c0 + 8 <= C; c0 += 8) {
    const a0 = a[c0],
      a1 = a[c0 + 1],
      a2 = a[c0 + 2],
      a3 = a[c0 + 3],
      a4 = a[c0 + 4],
      a5 = a[c0 + 5],
      a6 = a[c0 + 6],
      a7 = a[c0 + 7];
    const b0 = bb[c0],
      b1 = bb[c0 + 1],
      b2 = bb[c0 + 2],
      b3 = bb[c0 + 3],
      b4 = bb[c0 + 4],
      b5 = bb[c0 + 5],
      b6 = bb[c0 + 6],
      b7 = bb[c0 + 7];
    const o0 = off[c0],
      o1 = off[c0 + 1],
      o2 = off[c0 + 2],
      o3 = off[c0 + 3],
      o4 = off[c0 + 4],
      o5 = off[c0 + 5],
      o6 = off[c0 + 6],
      o7 = off[c0 + 7];
    for (let i = c0; i < n; i += C) {
      out[i] = a0 * u[i] + b0 * w[i] + o0;
      out[i + 1] = a1 * u[i + 1] + b1 * w[i + 1] + o1;
      out[i + 2] = a2 * u[i + 2] + b2 * w[i + 2] + o2;
      out[i + 3] = a3 * u[i + 3] + b3 * w[i + 3] + o3;
      out[i + 4] = a4 * u[i + 4] + b4 * w[i + 4] + o4;
      out[i + 5] = a5 * u[i + 5] + b5 * w[i + 5] + o5;
      out[i + 6] = a6 * u[i + 6] + b6 * w[i + 6] + o6;
      out[i + 7] = a7 * u[i + 7] + b7 * w[i + 7] + o7;
    }
  }
  for (; c0 < C; c0++) {
    const ac = a[c0],
      bc = bb[c0],
      oc = off[c0];
    for (let i = c0; i < n; i += C) out[i] = ac * u[i] + bc * w[i] + oc;
  }
}

/** y = (x − mean)·γ/√(var + ε) + β per channel (last axis); statistics over all other axes. */
export function batchNormForwardLoop(x: Float32Array, gamma: Float32Array | null, beta: Float32Array | null, eps: number, y: Float32Array, mean: Float32Array, variance: Float32Array): void {
  const C = mean.length;
  const rows = x.length / C;
  const s = new Float64Array(C);
  const s2 = new Float64Array(C);
  const k = Float64Array.from(x.subarray(0, C));
  shiftedSums(x, C, k, s, s2);
  const scale = new Float64Array(C);
  const shift = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    const m = s[c] / rows;
    const v = Math.max(0, s2[c] / rows - m * m);
    mean[c] = k[c] + m;
    variance[c] = v;
    scale[c] = (gamma ? gamma[c] : 1) / Math.sqrt(v + eps);
    shift[c] = (beta ? beta[c] : 0) - (k[c] + m) * scale[c];
  }
  affine2(y, x, scale, null, scale, shift);
}

/**
 * dx = γ·invStd/n · (n·dy − Σdy − x̂·Σ(dy·x̂)), dγ = Σ(dy·x̂), dβ = Σdy, with x̂ = (x − mean)·invStd
 * recomputed from x (nothing of size x is saved besides x itself).
 */
export function batchNormBackwardLoop(
  dy: Float32Array,
  x: Float32Array,
  mean: Float32Array,
  variance: Float32Array,
  gamma: Float32Array | null,
  eps: number,
  dx: Float32Array,
  sumDyXHat: Float32Array,
  sumDy: Float32Array,
): void {
  const C = mean.length;
  const rows = x.length / C;
  const sd = new Float64Array(C);
  const sdx = new Float64Array(C);
  const m = Float64Array.from(mean);
  gradSums(dy, x, C, m, sd, sdx);
  // dx = a·dy + b·x + off per channel.
  const a = new Float64Array(C);
  const b = new Float64Array(C);
  const off = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    const invStd = 1 / Math.sqrt(variance[c] + eps);
    const dyXHat = sdx[c] * invStd;
    sumDyXHat[c] = dyXHat;
    sumDy[c] = sd[c];
    a[c] = (gamma ? gamma[c] : 1) * invStd;
    b[c] = (-a[c] * invStd * dyXHat) / rows;
    off[c] = -b[c] * m[c] - (a[c] * sd[c]) / rows;
  }
  affine2(dx, dy, a, x, b, off);
}
