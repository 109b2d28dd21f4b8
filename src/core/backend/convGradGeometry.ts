// Pad and crop arithmetic that turns the two gradients of a strided 2-D convolution into
// forward, stride-1 convolutions. Pure functions of sizes, one spatial axis at a time, so
// the same numbers serve both backends and can be tested without tensors.
//
// Notation for one axis: the forward conv reads input length `inSize` padded with `padBefore`
// zeros in front (and some behind), applies a kernel of length `kernel` at `stride`, and
// produces `outSize` positions (the length of dy along that axis).

export interface FilterGradAxisPlan {
  /** Zeros before x in the gradient conv: the forward pass's own front padding. */
  padBefore: number;
  /** Zeros after x: just enough that the gradient conv yields at least `kernel` positions. */
  padAfter: number;
  /** Positions the gradient conv yields; the first `kernel` of them are the filter gradient. */
  outSize: number;
}

/**
 * Filter gradient along one axis: dW[i] = sum_y xPadded[y*stride + i] * dy[y], i.e. a
 * stride-1 conv of x with dy as the kernel, dilated by the forward stride.
 */
export function planFilterGradAxis(inSize: number, kernel: number, stride: number, padBefore: number, outSize: number): FilterGradAxisPlan {
  const dilatedDySpan = (outSize - 1) * stride; // distance from the first to the last dy tap
  // Forward padding behind x can exceed what the gradient needs (rows the forward pass never
  // reached); only pad what is needed so no work is spent on them.
  const padAfter = Math.max(0, kernel + dilatedDySpan - inSize - padBefore);
  return { padBefore, padAfter, outSize: inSize + padBefore + padAfter - dilatedDySpan };
}

export interface InputGradAxisPlan {
  /** Length of dy after inserting `stride - 1` zeros after every value (trailing ones included). */
  dilatedSize: number;
  /** Values to drop from the front of the dilated dy (front padding wider than kernel − 1). */
  cropBefore: number;
  /** Length kept after cropping; 0 means dx is all zeros along this axis. */
  keptSize: number;
  /** Zeros the gradient conv adds before/after the kept part. */
  padBefore: number;
  padAfter: number;
}

/**
 * Input gradient along one axis: dx[r] = sum_i dyDilated[r + padBefore - i] * w[i], i.e. a
 * stride-1 "valid" conv of dy dilated by the stride and padded by (kernel − 1 − padBefore)
 * in front, with the kernel flipped. The zero dilation is built by reshaping dy to
 * (.., outSize, 1, ..) and padding that axis to `stride`, which leaves `stride − 1` zeros
 * after the last value too; those count towards the rear padding.
 */
export function planInputGradAxis(inSize: number, kernel: number, stride: number, padBefore: number, outSize: number): InputGradAxisPlan {
  const dilatedSize = outSize * stride;
  const frontPad = kernel - 1 - padBefore;
  // Total length the conv must see so that it yields exactly inSize positions.
  const needed = inSize + kernel - 1;
  const rearPad = needed - frontPad - dilatedSize; // negative: crop dy values no dx depends on
  const cropBefore = Math.max(0, -frontPad);
  const cropAfter = Math.max(0, -rearPad);
  const keptSize = Math.max(0, dilatedSize - cropBefore - cropAfter);
  return { dilatedSize, cropBefore, keptSize, padBefore: Math.max(0, frontPad), padAfter: Math.max(0, rearPad) };
}
