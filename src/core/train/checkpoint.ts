import * as tf from '@tensorflow/tfjs-core';

/**
 * Checkpoint bytes: "LLCK", uint32 header length (LE), JSON header, then float32 data.
 * Small and dependency-free; holds weights, BN statistics and optimizer buffers so a
 * resumed run continues exactly where the last finished epoch left it.
 */
const MAGIC = 'LLCK';

export interface CheckpointHeader {
  epoch: number;
  tensors: { name: string; shape: number[]; offset: number }[];
}

export function encodeCheckpoint(epoch: number, tensors: { name: string; variable: tf.Variable }[]): Uint8Array {
  const header: CheckpointHeader = { epoch, tensors: [] };
  let offset = 0;
  for (const t of tensors) {
    header.tensors.push({ name: t.name, shape: t.variable.shape, offset });
    offset += t.variable.size;
  }
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const data = new Float32Array(offset);
  tensors.forEach((t, i) => data.set(t.variable.dataSync() as Float32Array, header.tensors[i].offset));
  const out = Buffer.alloc(8 + json.length + data.byteLength);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(json.length, 4);
  json.copy(out, 8);
  Buffer.from(data.buffer).copy(out, 8 + json.length);
  return out;
}

/** Restores every tensor of the checkpoint into the variables of the same name; returns the epoch. */
export function restoreCheckpoint(bytes: Uint8Array, tensors: { name: string; variable: tf.Variable }[], source: string): number {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 8 || buf.toString('latin1', 0, 4) !== MAGIC) throw new Error(`${source}: not a Loss Lab checkpoint`);
  const headerLength = buf.readUInt32LE(4);
  const header = JSON.parse(buf.toString('utf8', 8, 8 + headerLength)) as CheckpointHeader;
  const dataStart = 8 + headerLength;
  const byName = new Map(header.tensors.map((t) => [t.name, t]));
  for (const t of tensors) {
    const entry = byName.get(t.name);
    if (!entry || entry.shape.join('x') !== t.variable.shape.join('x')) {
      throw new Error(`${source}: checkpoint does not match the network (tensor '${t.name}' missing or of another shape)`);
    }
    const start = dataStart + entry.offset * 4;
    const values = new Float32Array(buf.buffer.slice(buf.byteOffset + start, buf.byteOffset + start + t.variable.size * 4));
    if (values.length !== t.variable.size) throw new Error(`${source}: checkpoint is truncated`);
    tf.tidy(() => t.variable.assign(tf.tensor(values, t.variable.shape, 'float32')));
  }
  return header.epoch;
}
