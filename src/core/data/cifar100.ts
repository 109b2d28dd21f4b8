/**
 * CIFAR-100, binary version, as its publishers distribute it:
 * `cifar-100-binary.tar.gz` holding `cifar-100-binary/{train,test}.bin` and the
 * label-name files. Each record is 3,074 bytes: coarse label, fine label, then
 * 1,024 R, 1,024 G and 1,024 B bytes of a 32×32 image (planar, row-major).
 * Reads the extracted folder or the archive itself (in memory, nothing written).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as tar from 'tar';
import { defaultDatasetDir } from './dataPaths';
import type { LoaderOptions } from './decodeCache';
import { asDatasetReadError } from './datasetFaults';
import { DatasetError } from './errors';
import { channelStats } from './split';
import type { ImageDataset, ImageSplit } from './types';

export type CifarLabels = 'fine' | 'coarse';

const CIFAR100_RECORD_BYTES = 3074;
const CIFAR100_FOLDER = 'cifar-100-binary';
const CIFAR100_ARCHIVE = 'cifar-100-binary.tar.gz';
const SIDE = 32;
const PLANE = SIDE * SIDE;
const NUM_CLASSES: Record<CifarLabels, number> = { fine: 100, coarse: 20 };
const MEMBERS = ['train.bin', 'test.bin', 'fine_label_names.txt', 'coarse_label_names.txt'] as const;
type Member = (typeof MEMBERS)[number];

/** Records → NHWC images and the chosen labels; both label bytes are range-checked. */
function parseCifar100Records(buf: Uint8Array, file: string, labels: CifarLabels): ImageSplit {
  const rem = buf.length % CIFAR100_RECORD_BYTES;
  if (buf.length === 0 || rem !== 0) {
    throw new DatasetError(
      file,
      `${file}: ${buf.length} bytes is not a whole number of ${CIFAR100_RECORD_BYTES}-byte CIFAR-100 records ` +
        `(${Math.floor(buf.length / CIFAR100_RECORD_BYTES)} records and ${rem} bytes over): truncated or not the binary version`,
    );
  }
  const count = buf.length / CIFAR100_RECORD_BYTES;
  const images = new Uint8Array(count * PLANE * 3);
  const out = new Int32Array(count);
  for (let r = 0; r < count; r++) {
    const o = r * CIFAR100_RECORD_BYTES;
    const coarse = buf[o];
    const fine = buf[o + 1];
    if (coarse >= NUM_CLASSES.coarse || fine >= NUM_CLASSES.fine) {
      const [kind, value, limit] = coarse >= NUM_CLASSES.coarse ? ['coarse', coarse, 20] : ['fine', fine, 100];
      throw new DatasetError(file, `${file}: record ${r} (byte ${o}) has ${kind} label ${value}, not below ${limit}`);
    }
    out[r] = labels === 'fine' ? fine : coarse;
    const src = o + 2;
    const dst = r * PLANE * 3;
    for (let p = 0; p < PLANE; p++) {
      images[dst + p * 3] = buf[src + p];
      images[dst + p * 3 + 1] = buf[src + PLANE + p];
      images[dst + p * 3 + 2] = buf[src + 2 * PLANE + p];
    }
  }
  return { images, labels: out, count };
}

function parseNames(text: string, file: string, expected: number): string[] {
  const names = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (names.length !== expected) {
    throw new DatasetError(file, `${file}: ${names.length} class names, expected ${expected}`);
  }
  return names;
}

type Located = { kind: 'folder'; dir: string } | { kind: 'archive'; file: string };

function locate(p: string): Located {
  if (/\.(tar\.gz|tgz)$/i.test(p) && existsSync(p) && statSync(p).isFile()) return { kind: 'archive', file: p };
  const candidates = [p, join(p, CIFAR100_FOLDER)];
  const dir = candidates.find((d) => existsSync(join(d, 'train.bin')));
  if (dir) return { kind: 'folder', dir };
  if (existsSync(join(p, CIFAR100_ARCHIVE))) return { kind: 'archive', file: join(p, CIFAR100_ARCHIVE) };
  const python = existsSync(join(p, 'cifar-100-python')) ? ' (cifar-100-python is the Python version; Loss Lab reads the binary version)' : '';
  throw new DatasetError(
    p,
    `cifar100: no CIFAR-100 binary files at ${p}${python}: looked for ${join(p, 'train.bin')}, ` +
      `${join(p, CIFAR100_FOLDER, 'train.bin')} and ${join(p, CIFAR100_ARCHIVE)}. ` +
      `Run \`losslab download cifar100 --dir ${p}\`, or put ${CIFAR100_ARCHIVE} there by hand.`,
  );
}

/** Reads the four members of the archive into memory; a truncated or corrupt archive names itself. */
function readArchive(file: string): Partial<Record<Member, Uint8Array>> {
  const found: Partial<Record<Member, Uint8Array>> = {};
  try {
    tar.t({
      file,
      sync: true,
      strict: true,
      onReadEntry: (entry) => {
        const member = MEMBERS.find((m) => entry.path === `${CIFAR100_FOLDER}/${m}` || entry.path === m);
        if (!member) return entry.resume();
        const chunks: Buffer[] = [];
        entry.on('data', (c: Buffer) => chunks.push(c));
        entry.on('end', () => {
          const bytes = Buffer.concat(chunks);
          if (bytes.length === entry.size) found[member] = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
        });
      },
    });
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new DatasetError(file, `${file}: truncated or corrupt archive (${why}); delete it and download it again`);
  }
  return found;
}

function readFolder(dir: string): Partial<Record<Member, Uint8Array>> {
  const found: Partial<Record<Member, Uint8Array>> = {};
  for (const m of MEMBERS) {
    const f = join(dir, m);
    if (!existsSync(f)) continue;
    try {
      found[m] = readFileSync(f);
    } catch (e) {
      throw asDatasetReadError(e, 'cifar100', f);
    }
  }
  return found;
}

export function loadCifar100(path: string = defaultDatasetDir('cifar100'), labels: CifarLabels = 'fine', opts: LoaderOptions = {}): ImageDataset {
  const t0 = performance.now();
  const where = locate(path);
  const files = where.kind === 'folder' ? readFolder(where.dir) : readArchive(where.file);
  const name = (m: Member) => (where.kind === 'folder' ? join(where.dir, m) : `${where.file}:${CIFAR100_FOLDER}/${m}`);
  const fileOf = (m: Member) => (where.kind === 'folder' ? join(where.dir, m) : where.file);
  const need = (m: Member): Uint8Array => {
    const bytes = files[m];
    if (!bytes) throw new DatasetError(fileOf(m), `cifar100: ${name(m)} is missing (incomplete download or extraction?)`);
    return bytes;
  };
  const parse = (m: Member) => {
    try {
      return parseCifar100Records(need(m), name(m), labels);
    } catch (e) {
      if (e instanceof DatasetError && e.file !== fileOf(m)) throw new DatasetError(fileOf(m), e.message);
      throw e;
    }
  };
  const train = parse('train.bin');
  const test = parse('test.bin');
  const namesMember: Member = labels === 'fine' ? 'fine_label_names.txt' : 'coarse_label_names.txt';
  const namesBytes = files[namesMember];
  const classNames = namesBytes ? parseNames(Buffer.from(namesBytes).toString('utf8'), name(namesMember), NUM_CLASSES[labels]) : undefined;
  const { mean, std } = channelStats(train, SIDE, SIDE, 3);
  const source = where.kind === 'folder' ? where.dir : where.file;
  opts.log?.(`cifar100: read ${train.count} + ${test.count} records from ${source} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return {
    name: 'cifar100',
    height: SIDE,
    width: SIDE,
    channels: 3,
    numClasses: NUM_CLASSES[labels],
    classNames,
    train,
    test,
    mean,
    std,
    source: `${source} (CIFAR-100 binary, ${labels} labels: ${train.count} train / ${test.count} test)`,
  };
}
