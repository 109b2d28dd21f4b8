/**
 * JPEG and PNG to 8-bit RGB, and resizing. Pure JavaScript (jpeg-js, pngjs):
 * synchronous like the rest of the data layer, bundled into the worker, no
 * native module in the .vsix. docs/datasets.md has the measurements behind it.
 */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array; // (height, width, 3)
}

const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png']);

/** True for names ending in .jpg/.jpeg/.png in any case (TinyImageNet uses .JPEG). */
export function isImageFileName(name: string): boolean {
  const dot = name.lastIndexOf('.');
  return dot > 0 && IMAGE_EXTENSIONS.has(name.slice(dot).toLowerCase());
}

function isJpeg(b: Uint8Array): boolean {
  return b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
}

function isPng(b: Uint8Array): boolean {
  return b.length > 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
}

/** Keeps the first three channels of RGBA (PIL's convert('RGB') drops alpha too) or repeats grey. */
function toRgb(src: Uint8Array, pixels: number, channels: number): Uint8Array {
  if (channels === 3) return src;
  const out = new Uint8Array(pixels * 3);
  for (let p = 0; p < pixels; p++) {
    const s = p * channels;
    if (channels >= 3) {
      out[p * 3] = src[s];
      out[p * 3 + 1] = src[s + 1];
      out[p * 3 + 2] = src[s + 2];
    } else {
      out[p * 3] = out[p * 3 + 1] = out[p * 3 + 2] = src[s];
    }
  }
  return out;
}

/**
 * Decodes by content (not by extension). Throws a plain Error saying why; the
 * caller knows the file name and whether the image is fatal or skippable.
 */
export function decodeImage(bytes: Uint8Array): RgbImage {
  if (isJpeg(bytes)) {
    // formatAsRGBA=false: jpeg-js already expands grey and converts YCbCr/CMYK to 3 channels.
    const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, maxResolutionInMP: 100 });
    const pixels = img.width * img.height;
    return { width: img.width, height: img.height, data: toRgb(img.data, pixels, img.data.length / pixels) };
  }
  if (isPng(bytes)) {
    // pngjs normalises every colour type and bit depth to 8-bit RGBA.
    const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    const pixels = png.width * png.height;
    return { width: png.width, height: png.height, data: toRgb(png.data, pixels, 4) };
  }
  const head = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
  throw new Error(`not a JPEG or PNG file (starts with ${head || 'nothing'})`);
}

interface AxisWeights {
  taps: number;
  index: Int32Array; // (dst, taps)
  weight: Float64Array; // (dst, taps)
}

/**
 * Source taps per output pixel along one axis: area averaging when shrinking
 * (exact overlap weights, as OpenCV's INTER_AREA), bilinear with half-pixel
 * centres when enlarging, identity when equal.
 */
export function axisWeights(src: number, dst: number): AxisWeights {
  const scale = src / dst;
  const taps = src === dst ? 1 : scale > 1 ? Math.ceil(scale) + 1 : 2;
  const index = new Int32Array(dst * taps);
  const weight = new Float64Array(dst * taps);
  for (let o = 0; o < dst; o++) {
    const base = o * taps;
    if (src === dst) {
      index[base] = o;
      weight[base] = 1;
    } else if (scale > 1) {
      const a = o * scale;
      const b = (o + 1) * scale;
      let k = 0;
      for (let i = Math.floor(a); i < Math.min(src, Math.ceil(b)); i++, k++) {
        index[base + k] = i;
        weight[base + k] = (Math.min(b, i + 1) - Math.max(a, i)) / scale;
      }
    } else {
      const c = Math.min(Math.max((o + 0.5) * scale - 0.5, 0), src - 1);
      const i0 = Math.floor(c);
      index[base] = i0;
      index[base + 1] = Math.min(i0 + 1, src - 1);
      weight[base] = 1 - (c - i0);
      weight[base + 1] = c - i0;
    }
  }
  return { taps, index, weight };
}

/** Resizes (sh, sw, c) `src` to (dh, dw, c) written at `dst[offset]`, separably: rows first, then columns. */
export function resizeInto(src: Uint8Array, sw: number, sh: number, c: number, dst: Uint8Array, offset: number, dw: number, dh: number): void {
  if (sw === dw && sh === dh) {
    dst.set(src.subarray(0, sw * sh * c), offset);
    return;
  }
  const ax = axisWeights(sw, dw);
  const ay = axisWeights(sh, dh);
  const tmp = new Float64Array(sh * dw * c); // (sh, dw, c)
  for (let y = 0; y < sh; y++) {
    for (let x = 0; x < dw; x++) {
      for (let ch = 0; ch < c; ch++) {
        let s = 0;
        for (let t = 0; t < ax.taps; t++) {
          const k = x * ax.taps + t;
          s += src[(y * sw + ax.index[k]) * c + ch] * ax.weight[k];
        }
        tmp[(y * dw + x) * c + ch] = s;
      }
    }
  }
  for (let y = 0; y < dh; y++) {
    for (let x = 0; x < dw; x++) {
      for (let ch = 0; ch < c; ch++) {
        let s = 0;
        for (let t = 0; t < ay.taps; t++) {
          const k = y * ay.taps + t;
          s += tmp[(ay.index[k] * dw + x) * c + ch] * ay.weight[k];
        }
        dst[offset + (y * dw + x) * c + ch] = Math.min(255, Math.max(0, Math.round(s)));
      }
    }
  }
}
