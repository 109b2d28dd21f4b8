// The TensorBoard event-file writer's pieces against independent truths: CRC-32C against the
// published iSCSI vectors, protobuf bytes worked out by hand from the wire format, TFRecord
// framing byte by byte, and our binned histograms as HistogramProto computed by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32c, maskedCrc32c } from '../../../src/core/results/tensorboard/crc32c';
import { encodeEvent } from '../../../src/core/results/tensorboard/eventProto';
import { eventFileName, tfRecord } from '../../../src/core/results/tensorboard/eventFile';
import { histogramProto } from '../../../src/core/results/tensorboard/runEvents';

const ascii = (s: string) => new TextEncoder().encode(s);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

test('CRC-32C matches the published check values (RFC 3720 B.4, the CRC catalogue)', () => {
  assert.equal(crc32c(ascii('123456789')), 0xe3069283);
  assert.equal(crc32c(new Uint8Array(32)), 0x8a9136aa); // 32 bytes of zeros
  assert.equal(crc32c(new Uint8Array(32).fill(0xff)), 0x62a8ab43); // 32 bytes of ones
  assert.equal(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i)), 0x46dd794e); // incrementing
  assert.equal(crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i)), 0x113fdb5c); // decrementing
});

test("the masked CRC is TFRecord's rotate-right-15 plus 0xa282ead8", () => {
  assert.equal(maskedCrc32c(new Uint8Array(0)), 0xa282ead8); // crc32c of nothing is 0
  // 0xe3069283 rotated right by 15 = 0x2507c60d, plus 0xa282ead8 = 0xc78ab0e5 (mod 2^32).
  assert.equal(maskedCrc32c(ascii('123456789')), 0xc78ab0e5);
});

/** Hex written in groups, one field per line: spaces are for reading only. */
const joined = (parts: string[]) => parts.join('').replace(/ /g, '');

test('a scalar event encodes to the bytes worked out by hand', () => {
  const bytes = encodeEvent({ wallTime: 1.5, step: 3, summary: [{ tag: 'a', simpleValue: 0.5 }] });
  const expected = joined([
    '09 000000000000f83f', // wall_time = 1 (wire type 1, 64-bit): double 1.5
    '10 03', // step = 2 (varint): 3
    '2a 0a', // summary = 5 (length-delimited): 10 bytes
    '0a 08', //   Summary.value = 1: 8 bytes
    '0a 01 61', //     tag = 1: "a"
    '15 0000003f', //     simple_value = 2 (wire type 5, 32-bit): float 0.5
  ]);
  assert.equal(hex(bytes), expected);
});

test('the file_version event, a multi-byte step and a session start encode by hand', () => {
  const fileVersion = joined(['09 0000000000000000', '10 00', '1a 0d', hex(ascii('brain.Event:2'))]); // file_version = 3: 13 bytes
  assert.equal(hex(encodeEvent({ wallTime: 0, step: 0, fileVersion: 'brain.Event:2' })), fileVersion);
  const start = joined([
    '09 0000000000000000',
    '10 ac02', // 300 = 0b10_0101100: low 7 bits 0x2c with the continuation bit (0xac), then 0x02
    '3a 02', // session_log = 7: 2 bytes
    '08 01', //   status = 1: START
  ]);
  assert.equal(hex(encodeEvent({ wallTime: 0, step: 300, sessionStart: true })), start);
});

test('a histogram value encodes its doubles and packed buckets by hand', () => {
  const bytes = encodeEvent({ wallTime: 0, step: 1, summary: [{ tag: 'h', histogram: { min: 0, max: 1, num: 2, sum: 1, sumSquares: 0.5, bucketLimit: [1], bucket: [2] } }] });
  const expected = joined([
    '09 0000000000000000', // wall_time 0
    '10 01', // step 1
    '2a 48', // summary = 5: 72 bytes
    '0a 46', //   value = 1: 70 bytes
    '0a 01 68', //     tag = 1: "h"
    '2a 41', //     histo = 5: 65 bytes (five 9-byte doubles, two 10-byte packed fields)
    '09 0000000000000000', //       min = 1: 0
    '11 000000000000f03f', //       max = 2: 1
    '19 0000000000000040', //       num = 3: 2
    '21 000000000000f03f', //       sum = 4: 1
    '29 000000000000e03f', //       sum_squares = 5: 0.5
    '32 08 000000000000f03f', //       bucket_limit = 6, packed: [1]
    '3a 08 0000000000000040', //       bucket = 7, packed: [2]
  ]);
  assert.equal(hex(bytes), expected);
});

test('a TFRecord is length, its masked CRC, the data, its masked CRC, all little-endian', () => {
  const data = ascii('123456789');
  const record = tfRecord(data);
  assert.equal(record.length, 8 + 4 + 9 + 4);
  assert.equal(hex(record.subarray(0, 8)), '0900000000000000');
  const view = new DataView(record.buffer);
  assert.equal(view.getUint32(8, true), maskedCrc32c(record.subarray(0, 8)));
  assert.equal(hex(record.subarray(12, 21)), hex(data));
  assert.equal(view.getUint32(21, true), 0xc78ab0e5); // the masked CRC of "123456789" above
});

test("event file names follow TensorBoard's events.out.tfevents.<seconds>.<host>.<pid>.<n>, n counting up", () => {
  const a = eventFileName(1700000000.9, 'box', 42);
  const b = eventFileName(1700000000.2, 'box', 42);
  const [n1, n2] = [a, b].map((name) => Number(/^events\.out\.tfevents\.1700000000\.box\.42\.(\d+)$/.exec(name)?.[1]));
  assert.ok(Number.isInteger(n1), a);
  assert.equal(n2, n1 + 1);
});

test('a binned histogram becomes a HistogramProto: exact buckets, num; sum and sum of squares from bin centres', () => {
  // Bins [0, 1) ×1 and [1, 2] ×3: centres 0.5 and 1.5; sum 0.5 + 4.5 = 5; squares 0.25 + 3 × 2.25 = 7.
  assert.deepEqual(histogramProto({ edges: [0, 1, 2], counts: [1, 3] }), { min: 0, max: 2, num: 4, sum: 5, sumSquares: 7, bucketLimit: [1, 2], bucket: [1, 3] });
  assert.equal(histogramProto({ edges: [], counts: [] }), null); // no finite value: no histogram
  assert.equal(histogramProto({ edges: [0, 1], counts: [1, 2] }), null); // edges and counts disagree
});
