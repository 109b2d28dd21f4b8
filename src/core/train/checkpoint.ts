import * as tf from '@tensorflow/tfjs-core';

/**
 * Checkpoint bytes: "LLCK", uint32 header length (LE), JSON header, then float32 data.
 * Small and dependency-free; holds weights, BN statistics and optimizer buffers so a
 * resumed run continues exactly where the last finished epoch left it.
 */
const MAGIC = 'LLCK';

interface CheckpointHeader {
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
  tensors.forEach((t, i) => data.set(t.variable.dataSync(), header.tensors[i].offset));
  const out = Buffer.alloc(8 + json.length + data.byteLength);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(json.length, 4);
  json.copy(out, 8);
  Buffer.from(data.buffer).copy(out, 8 + json.length);
  return out;
}

/**
 * The checkpoint cannot be used: random bytes, cut short, or of another network. Training cannot
 * resume from it; the finished epochs are still intact, and `--restart` trains the run anew.
 */
export class DamagedCheckpointError extends Error {
  constructor(source: string, why: string) {
    super(`${source} is damaged (${why}): this run cannot resume from it; its finished epochs are kept in metrics.jsonl. Run again with --restart (Start Over in VS Code) to train it from scratch`);
    this.name = 'DamagedCheckpointError';
  }
}

function readHeader(buf: Buffer, source: string): { header: CheckpointHeader; dataStart: number } {
  if (buf.length < 8 || buf.toString('latin1', 0, 4) !== MAGIC) throw new DamagedCheckpointError(source, 'not a Loss Lab checkpoint');
  const headerLength = buf.readUInt32LE(4);
  if (8 + headerLength > buf.length) throw new DamagedCheckpointError(source, 'truncated inside its header');
  let header: CheckpointHeader;
  try {
    header = JSON.parse(buf.toString('utf8', 8, 8 + headerLength)) as CheckpointHeader;
  } catch {
    throw new DamagedCheckpointError(source, 'its header is not valid JSON');
  }
  if (!Number.isInteger(header?.epoch) || !Array.isArray(header.tensors)) throw new DamagedCheckpointError(source, 'its header lacks the epoch or the tensor list');
  return { header, dataStart: 8 + headerLength };
}

/**
 * Restores every tensor of the checkpoint into the variables of the same name; returns the epoch. Checks everything before changing any variable.
 * `lastEpoch`: the last epoch metrics.jsonl holds intact; a checkpoint past it belongs to an epoch whose line was torn, and is not trusted.
 */
export function restoreCheckpoint(bytes: Uint8Array, tensors: { name: string; variable: tf.Variable }[], source: string, lastEpoch?: number): number {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { header, dataStart } = readHeader(buf, source);
  if (lastEpoch !== undefined && header.epoch > lastEpoch) {
    throw new DamagedCheckpointError(
      source,
      `it holds epoch ${header.epoch}, but metrics.jsonl is intact only up to epoch ${lastEpoch}: the line of epoch ${header.epoch} is torn or missing, so its checkpoint is not trusted`,
    );
  }
  const byName = new Map(header.tensors.map((t) => [t.name, t]));
  const restores = tensors.map((t) => {
    const entry = byName.get(t.name);
    if (!entry || !Array.isArray(entry.shape) || entry.shape.join('x') !== t.variable.shape.join('x') || !Number.isInteger(entry.offset) || entry.offset < 0) {
      throw new DamagedCheckpointError(source, `it does not match the network: tensor '${t.name}' missing or of another shape`);
    }
    const start = dataStart + entry.offset * 4;
    if (start + t.variable.size * 4 > buf.length) throw new DamagedCheckpointError(source, `truncated: ${buf.length} bytes, tensor '${t.name}' needs ${start + t.variable.size * 4}`);
    return { t, start };
  });
  for (const { t, start } of restores) {
    const values = new Float32Array(buf.buffer.slice(buf.byteOffset + start, buf.byteOffset + start + t.variable.size * 4));
    tf.tidy(() => t.variable.assign(tf.tensor(values, t.variable.shape, 'float32')));
  }
  return header.epoch;
}
