/**
 * TensorBoard's `Event` message and the parts of `Summary` we write, encoded by hand (see
 * protobuf.ts for why). Field numbers from TensorFlow's event.proto and summary.proto:
 *   Event { double wall_time = 1; int64 step = 2; oneof { string file_version = 3; Summary summary = 5; SessionLog session_log = 7 } }
 *   Summary { repeated Value value = 1 }  Value { string tag = 1; oneof { float simple_value = 2; HistogramProto histo = 5 } }
 *   HistogramProto { double min = 1, max = 2, num = 3, sum = 4, sum_squares = 5; repeated double bucket_limit = 6, bucket = 7 (packed) }
 *   SessionLog { SessionStatus status = 1 }  (START = 1)
 */
import { ProtoWriter } from './protobuf';

/**
 * A histogram as TensorBoard stores it: bucket i holds `bucket[i]` values in
 * (bucketLimit[i − 1], bucketLimit[i]]; TensorBoard draws the first bucket from `min` and the
 * last up to `max`.
 */
export interface HistogramProto {
  min: number;
  max: number;
  num: number;
  sum: number;
  sumSquares: number;
  bucketLimit: number[];
  bucket: number[];
}

export type SummaryValue = { tag: string; simpleValue: number } | { tag: string; histogram: HistogramProto };

export type TfEvent = { wallTime: number; step: number } & (
  | { fileVersion: string }
  | { summary: SummaryValue[] }
  /** SessionLog START: TensorBoard drops what the run had logged at this step and after (a resumed run redoing them). */
  | { sessionStart: true }
);

/** The first record of every event file. */
export const FILE_VERSION = 'brain.Event:2';

const SESSION_START = 1;

export function encodeEvent(event: TfEvent): Uint8Array {
  const w = new ProtoWriter().double(1, event.wallTime).int64(2, event.step);
  if ('fileVersion' in event) w.string(3, event.fileVersion);
  else if ('summary' in event)
    w.message(
      5,
      event.summary.reduce((s, v) => s.message(1, encodeValue(v)), new ProtoWriter()),
    );
  else w.message(7, new ProtoWriter().int64(1, SESSION_START));
  return w.bytes();
}

function encodeValue(value: SummaryValue): ProtoWriter {
  const w = new ProtoWriter().string(1, value.tag);
  if ('simpleValue' in value) return w.float(2, value.simpleValue);
  const h = value.histogram;
  const histo = new ProtoWriter().double(1, h.min).double(2, h.max).double(3, h.num).double(4, h.sum).double(5, h.sumSquares).packedDoubles(6, h.bucketLimit).packedDoubles(7, h.bucket);
  return w.message(5, histo);
}
