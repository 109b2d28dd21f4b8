/**
 * The few protocol-buffer encodings TensorBoard's Event message needs, and nothing else: varint,
 * 64-bit and 32-bit fixed fields, length-delimited fields (strings, embedded messages, packed
 * doubles). Hand-written because a protobuf library (protobufjs is ~300 KB with its reflection
 * runtime) would be most of the .vsix's growth for five message types we only ever write.
 * Wire format: https://protobuf.dev/programming-guides/encoding/
 */

const WIRE = { varint: 0, fixed64: 1, lengthDelimited: 2, fixed32: 5 } as const;

/** Accumulates one message's fields in field order; `bytes()` is the encoded message. */
export class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];
  private length = 0;

  private push(chunk: Uint8Array): this {
    this.chunks.push(chunk);
    this.length += chunk.length;
    return this;
  }

  private key(field: number, wireType: number): this {
    return this.push(varint(BigInt(field * 8 + wireType)));
  }

  /** int64 / uint64 / enum; negative numbers as 10-byte two's complement, as protobuf does for int64. */
  int64(field: number, value: number | bigint): this {
    const v = BigInt.asUintN(64, BigInt(value));
    return this.key(field, WIRE.varint).push(varint(v));
  }

  double(field: number, value: number): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, value, true);
    return this.key(field, WIRE.fixed64).push(b);
  }

  float(field: number, value: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    return this.key(field, WIRE.fixed32).push(b);
  }

  string(field: number, value: string): this {
    return this.bytesField(field, new TextEncoder().encode(value));
  }

  message(field: number, message: ProtoWriter): this {
    return this.bytesField(field, message.bytes());
  }

  /** A packed `repeated double` (proto3's default encoding for it). */
  packedDoubles(field: number, values: readonly number[]): this {
    const b = new Uint8Array(values.length * 8);
    const view = new DataView(b.buffer);
    values.forEach((v, i) => view.setFloat64(i * 8, v, true));
    return this.bytesField(field, b);
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.length);
    let offset = 0;
    for (const c of this.chunks) {
      out.set(c, offset);
      offset += c.length;
    }
    return out;
  }

  private bytesField(field: number, data: Uint8Array): this {
    return this.key(field, WIRE.lengthDelimited)
      .push(varint(BigInt(data.length)))
      .push(data);
  }
}

/** Base-128 varint of an unsigned 64-bit value, least significant group first. */
function varint(value: bigint): Uint8Array {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Uint8Array.from(out);
}
