import { test } from 'node:test';
import assert from 'node:assert/strict';
import { axisWeights, decodeImage, isImageFileName, resizeInto } from '../../../src/core/data/imageDecode';
import { flat, jpegBytes, pngBytes, rgb } from './imageFixtures';

const pattern = rgb(5, 3, (y, x, c) => (y * 50 + x * 20 + c * 7) % 256);

test('PNG decodes to the exact RGB bytes written', () => {
  const img = decodeImage(pngBytes(5, 3, pattern));
  assert.deepEqual([img.width, img.height], [5, 3]);
  assert.deepEqual(Array.from(img.data), Array.from(pattern));
});

test('grey and RGBA PNGs become RGB (grey repeated, alpha dropped)', () => {
  const grey = rgb(4, 2, (y, x) => y * 100 + x * 10);
  assert.deepEqual(Array.from(decodeImage(pngBytes(4, 2, grey, 0)).data), Array.from(grey));
  const rgba = decodeImage(pngBytes(5, 3, pattern, 6, 17));
  assert.deepEqual(Array.from(rgba.data), Array.from(pattern));
});

test('JPEG decodes within the codec tolerance; grey JPEG gives three equal channels', () => {
  const color = [200, 60, 120];
  const img = decodeImage(jpegBytes(16, 16, flat(16, 16, color)));
  assert.equal(img.data.length, 16 * 16 * 3);
  for (let i = 0; i < img.data.length; i++) assert.ok(Math.abs(img.data[i] - color[i % 3]) <= 3, `byte ${i}: ${img.data[i]}`);
  const grey = decodeImage(jpegBytes(8, 8, flat(8, 8, [90, 90, 90])));
  for (let p = 0; p < 64; p++) {
    assert.equal(grey.data[p * 3], grey.data[p * 3 + 1]);
    assert.ok(Math.abs(grey.data[p * 3] - 90) <= 2);
  }
});

test('garbage and truncated files are errors that say why', () => {
  assert.throws(() => decodeImage(new TextEncoder().encode('hello')), /not a JPEG or PNG file \(starts with 68 65 6c 6c\)/);
  const j = jpegBytes(16, 16, flat(16, 16, [1, 2, 3]));
  assert.throws(() => decodeImage(j.subarray(0, j.length >> 1)));
  const p = pngBytes(5, 3, pattern);
  assert.throws(() => decodeImage(p.subarray(0, p.length - 20)));
});

test('area shrink: 4×4 → 2×2 averages each 2×2 block', () => {
  const src = Uint8Array.from([10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150, 161]);
  const out = new Uint8Array(4);
  resizeInto(src, 4, 4, 1, out, 0, 2, 2);
  // (10+20+50+60)/4 = 35, (30+40+70+80)/4 = 55, (90+100+130+140)/4 = 115, (110+120+150+161)/4 = 135.25
  assert.deepEqual(Array.from(out), [35, 55, 115, 135]);
});

test('area shrink by a non-integer factor weights the shared pixel by its overlap: 3 → 2', () => {
  const out = new Uint8Array(2);
  resizeInto(Uint8Array.from([0, 90, 180]), 3, 1, 1, out, 0, 2, 1);
  // out0 = (1·0 + 0.5·90)/1.5 = 30; out1 = (0.5·90 + 1·180)/1.5 = 150
  assert.deepEqual(Array.from(out), [30, 150]);
  const w = axisWeights(3, 2);
  assert.deepEqual(Array.from(w.weight.subarray(0, 2)), [1 / 1.5, 0.5 / 1.5]);
});

test('bilinear enlarge with half-pixel centres: 2 → 4 and 2×2 → 4×4', () => {
  const row = new Uint8Array(4);
  resizeInto(Uint8Array.from([0, 100]), 2, 1, 1, row, 0, 4, 1);
  // centres at -0.25 (clamped), 0.25, 0.75, 1.25 (clamped) → 0, 25, 75, 100
  assert.deepEqual(Array.from(row), [0, 25, 75, 100]);
  const sq = new Uint8Array(16);
  resizeInto(Uint8Array.from([0, 100, 100, 200]), 2, 2, 1, sq, 0, 4, 4);
  assert.deepEqual(Array.from(sq.subarray(4, 8)), [25, 50, 100, 125]); // row at y = 0.25: 0.75·row0 + 0.25·row1
});

test('resize keeps channels apart, writes at the offset and copies when the size is equal', () => {
  const out = new Uint8Array(3 + 3);
  resizeInto(
    rgb(2, 2, (_y, _x, c) => [10, 20, 30][c]),
    2,
    2,
    3,
    out,
    3,
    1,
    1,
  );
  assert.deepEqual(Array.from(out), [0, 0, 0, 10, 20, 30]);
  const same = new Uint8Array(pattern.length);
  resizeInto(pattern, 5, 3, 3, same, 0, 5, 3);
  assert.deepEqual(same, pattern);
});

test('image names: jpg, jpeg, png in any case', () => {
  assert.ok(isImageFileName('a.JPEG') && isImageFileName('b.jpg') && isImageFileName('c.Png'));
  assert.ok(!isImageFileName('boxes.txt') && !isImageFileName('.jpg') && !isImageFileName('x.gif'));
});
