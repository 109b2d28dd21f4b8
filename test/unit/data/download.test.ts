// The downloader against a server this test runs on 127.0.0.1: nothing leaves the machine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import * as tar from 'tar';
import { downloadCommand } from '../../../src/cli/downloadCommand';
import { loadCifar100 } from '../../../src/core/data/cifar100';
import { DatasetDownload, downloadDataset, downloadFile, DownloadProgress, DOWNLOADS } from '../../../src/core/data/download';
import { DatasetError } from '../../../src/core/data/errors';
import { loadTinyImageNet } from '../../../src/core/data/tinyImageNet';
import { CIFAR_TRAIN, tempDir, writeCifarFolder, writeTinyImageNet, zipBytes } from './imageFixtures';

interface Server {
  url: string;
  ranges: (string | undefined)[];
  close(): Promise<void>;
}

/** Serves `body` at /file (or any path), honouring `Range: bytes=N-` unless told not to. */
function serve(body: Buffer, opts: { range?: boolean } = {}): Promise<Server> {
  const ranges: (string | undefined)[] = [];
  const server = http.createServer((req, res) => {
    ranges.push(req.headers.range);
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (m && opts.range !== false) {
      const start = Number(m[1]);
      if (start >= body.length) {
        res.writeHead(416, { 'Content-Range': `bytes */${body.length}` }).end();
        return;
      }
      res.writeHead(206, { 'Content-Range': `bytes ${start}-${body.length - 1}/${body.length}`, 'Content-Length': body.length - start });
      res.end(body.subarray(start));
      return;
    }
    res.writeHead(200, { 'Content-Length': body.length }).end(body);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}/file`, ranges, close: () => new Promise((r) => server.close(() => r())) });
    }),
  );
}

async function closedPortUrl(): Promise<string> {
  const s = await serve(Buffer.alloc(0));
  await s.close();
  return s.url;
}

const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex');
const BODY = Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 7) % 251));

test('streams a file with progress, verifies its MD5 and leaves no .part', async () => {
  const dir = tempDir('dl');
  const s = await serve(BODY);
  const seen: DownloadProgress[] = [];
  const file = await downloadFile({ name: 'x.bin', urls: [s.url], md5: md5(BODY), size: BODY.length }, dir, { onProgress: (p) => seen.push(p) });
  await s.close();
  assert.deepEqual(readFileSync(file), BODY);
  assert.deepEqual(readdirSync(dir), ['x.bin']);
  const last = seen.filter((p) => p.phase === 'download').at(-1)!;
  assert.deepEqual([last.done, last.total], [BODY.length, BODY.length]);
  assert.ok(seen.some((p) => p.phase === 'verify'));
  rmSync(dir, { recursive: true });
});

test('resumes a .part with a Range request; restarts when the server ignores Range', async () => {
  for (const range of [true, false]) {
    const dir = tempDir('dl-resume');
    writeFileSync(join(dir, 'x.bin.part'), BODY.subarray(0, 12_345));
    const s = await serve(BODY, { range });
    const seen: number[] = [];
    const logs: string[] = [];
    await downloadFile({ name: 'x.bin', urls: [s.url], md5: md5(BODY) }, dir, { onProgress: (p) => p.phase === 'download' && seen.push(p.done), log: (m) => logs.push(m) });
    await s.close();
    assert.deepEqual(s.ranges, ['bytes=12345-']);
    assert.deepEqual(readFileSync(join(dir, 'x.bin')), BODY);
    assert.ok(range ? seen[0] > 12_345 : seen[0] <= BODY.length);
    assert.match(logs[0], range ? /resuming x\.bin at 12345 bytes/ : /does not resume/);
    rmSync(dir, { recursive: true });
  }
});

test('a checksum mismatch is an error; the bad download is deleted', async () => {
  const dir = tempDir('dl-md5');
  const s = await serve(BODY);
  await assert.rejects(
    downloadFile({ name: 'x.bin', urls: [s.url], md5: '0'.repeat(32) }, dir),
    (e: unknown) => e instanceof DatasetError && /MD5 [0-9a-f]{32}, expected 0{32}/.test(e.message) && e.file === join(dir, 'x.bin'),
  );
  await s.close();
  assert.deepEqual(readdirSync(dir), []);
  writeFileSync(join(dir, 'x.bin'), 'placed by hand, wrong');
  await assert.rejects(downloadFile({ name: 'x.bin', urls: [s.url], md5: md5(BODY) }, dir), /already there but does not match/);
  rmSync(dir, { recursive: true });
});

test('unreachable: the message says where to put the file by hand, and keeps a partial download', async () => {
  const dir = tempDir('dl-offline');
  const url = await closedPortUrl();
  writeFileSync(join(dir, 'cifar-100-binary.tar.gz.part'), 'partial');
  const spec: DatasetDownload = { ...DOWNLOADS.cifar100, files: [{ ...DOWNLOADS.cifar100.files[0], urls: [url] }] };
  await assert.rejects(downloadDataset('cifar100', dir, {}, spec), (e: unknown) => {
    assert.ok(e instanceof DatasetError);
    assert.match(e.message, /ECONNREFUSED/);
    assert.match(e.message, /looks offline/);
    assert.ok(e.message.includes(`put it at ${join(dir, 'cifar-100-binary.tar.gz')}`));
    assert.ok(e.message.includes(`losslab download cifar100 --dir ${dir}`));
    assert.ok(e.message.includes(join(dir, 'cifar-100-binary', 'train.bin')));
    assert.match(e.message, /partial download .* is kept/);
    return true;
  });
  rmSync(dir, { recursive: true });
});

test('CIFAR-100: downloads the .tar.gz, extracts it, loads; a second run needs no network', async () => {
  const src = tempDir('dl-cifar-src');
  writeCifarFolder(src);
  tar.c({ gzip: true, file: join(src, 'a.tar.gz'), cwd: src, sync: true }, ['cifar-100-binary']);
  const archive = readFileSync(join(src, 'a.tar.gz'));
  const s = await serve(archive);
  const dir = tempDir('dl-cifar');
  const spec: DatasetDownload = { ...DOWNLOADS.cifar100, files: [{ name: 'cifar-100-binary.tar.gz', urls: [s.url], md5: md5(archive) }] };
  assert.equal(await downloadDataset('cifar100', dir, {}, spec), dir);
  await s.close();
  assert.deepEqual(
    Array.from(loadCifar100(dir).train.labels),
    CIFAR_TRAIN.map(([, f]) => f),
  );
  assert.ok(!readdirSync(dir).some((f) => f.startsWith('.extract')));
  const logs: string[] = [];
  await downloadDataset('cifar100', dir, { log: (m) => logs.push(m) }, spec);
  assert.match(logs[0], /already complete/);
  rmSync(src, { recursive: true });
  rmSync(dir, { recursive: true });
});

test('TinyImageNet: the zip is extracted into tiny-imagenet-200/ and loads', async () => {
  const src = tempDir('dl-tiny-src');
  const tree = writeTinyImageNet(src);
  const files: Record<string, Uint8Array> = {};
  const walk = (d: string): void =>
    readdirSync(d, { withFileTypes: true }).forEach((e) => (e.isDirectory() ? walk(join(d, e.name)) : (files[relative(src, join(d, e.name))] = readFileSync(join(d, e.name)))));
  walk(tree);
  const zip = zipBytes(files);
  const s = await serve(zip);
  const dir = tempDir('dl-tiny');
  const seen: DownloadProgress[] = [];
  const spec: DatasetDownload = { ...DOWNLOADS['tiny-imagenet'], files: [{ name: 'tiny-imagenet-200.zip', urls: [s.url], size: zip.length }] };
  await downloadDataset('tiny-imagenet', dir, { onProgress: (p) => seen.push(p) }, spec);
  await s.close();
  const ds = loadTinyImageNet(dir, { cache: false });
  assert.deepEqual([ds.train.count, ds.test.count], [6, 3]);
  const extract = seen.filter((p) => p.phase === 'extract').at(-1)!;
  assert.deepEqual([extract.done, extract.total], [Object.keys(files).length, Object.keys(files).length]);
  writeFileSync(join(dir, 'broken.zip'), zip.subarray(0, zip.length - 30));
  const broken: DatasetDownload = { ...spec, files: [{ name: 'broken.zip', urls: [] }] };
  rmSync(join(dir, 'tiny-imagenet-200'), { recursive: true });
  await assert.rejects(downloadDataset('tiny-imagenet', dir, {}, broken), (e: unknown) => e instanceof DatasetError && /corrupt archive/.test(e.message) && e.file === join(dir, 'broken.zip'));
  assert.ok(!existsSync(join(dir, 'tiny-imagenet-200')));
  rmSync(src, { recursive: true });
  rmSync(dir, { recursive: true });
});

test('downloadCommand: prints where the data went, refuses FaceScrub and unknown names, reports failures', async () => {
  const s = await serve(BODY);
  const dir = tempDir('dl-cmd');
  const out: string[] = [];
  const err: string[] = [];
  const io = { tty: false, out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) };
  const spec: DatasetDownload = { files: [{ name: 'train-images-idx3-ubyte.gz', urls: [s.url], md5: md5(BODY) }] };
  assert.equal(await downloadCommand('mnist', dir, { ...io, spec }), 0);
  await s.close();
  assert.ok(out.some((l) => l.startsWith('download train-images-idx3-ubyte.gz: 0.1 of 0.1 MB')));
  assert.ok(out.at(-1)!.includes(`"path": ${JSON.stringify(dir)}`));
  assert.equal(await downloadCommand('facescrub', undefined, io), 2);
  assert.match(err.at(-1)!, /lists of image URLs/);
  assert.equal(await downloadCommand('imagenet', undefined, io), 2);
  assert.match(err.at(-1)!, /unknown dataset 'imagenet'.*Downloadable: cifar100, tiny-imagenet, mnist, fashion-mnist/);
  const offline: DatasetDownload = { files: [{ name: 'y.gz', urls: [await closedPortUrl()] }] };
  assert.equal(await downloadCommand('mnist', dir, { ...io, spec: offline }), 1);
  assert.match(err.at(-1)!, /put it at .*y\.gz/);
  rmSync(dir, { recursive: true });
});
