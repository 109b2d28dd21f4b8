import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import { savePngDataUrl } from '../../../src/report/figurePng';
import { reportCsp, withCaptureScript } from '../../../src/report/reportHtml';

/** A real 3×2 PNG made by pngjs, independent of the code under test. */
function tinyPng(): Buffer {
  const png = new PNG({ width: 3, height: 2 });
  png.data.fill(200);
  return PNG.sync.write(png);
}

test('savePngDataUrl writes the decoded bytes and reads the size from them', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'losslab-png-'));
  try {
    const bytes = tinyPng();
    const saved = savePngDataUrl(dir, { file: 'curves-a.png', kind: 'curve', points: 4 }, `data:image/png;base64,${bytes.toString('base64')}`);
    assert.deepEqual(fs.readFileSync(path.join(dir, 'curves-a.png')), bytes);
    assert.deepEqual({ width: saved.width, height: saved.height, points: saved.points, path: saved.path }, { width: 3, height: 2, points: 4, path: path.join(dir, 'curves-a.png') });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('savePngDataUrl refuses names with folders, other data types and bytes that are not a PNG, naming the figure', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'losslab-png-'));
  try {
    const good = `data:image/png;base64,${tinyPng().toString('base64')}`;
    const fig = (file: string) => ({ file, kind: 'curve', points: 1 });
    assert.throws(() => savePngDataUrl(dir, fig('../escape.png'), good), /figure '\.\.\/escape\.png': not a plain PNG file name/);
    assert.throws(() => savePngDataUrl(dir, fig('.hidden.png'), good), /not a plain PNG file name/);
    assert.throws(() => savePngDataUrl(dir, fig('a.png'), 'data:image/jpeg;base64,AAAA'), /figure 'a\.png': expected a data:image\/png;base64 URL/);
    assert.throws(() => savePngDataUrl(dir, fig('a.png'), `data:image/png;base64,${Buffer.from('GIF89a not a png at all, no').toString('base64')}`), /figure 'a\.png': the data is not a PNG image/);
    assert.deepEqual(fs.readdirSync(dir), [], 'nothing written');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('withCaptureScript allows its script by nonce, keeps the report script hash, and appends after the report', () => {
  const reportScript = 'document.body.dataset.x = "1";';
  const csp = reportCsp(reportScript, 'body{}');
  const html = `<html><head><meta http-equiv="Content-Security-Policy" content="${csp}"></head><body><script>${reportScript}</script>\n</body></html>`;
  const nonce = 'bm9uY2Utbm9uY2Utbm9uY2U=';
  const out = withCaptureScript(html, 'post("</script>")\n//# sourceMappingURL=x.map', nonce);
  const policy = /content="([^"]*)"/.exec(out)![1];
  const scriptSrc = policy.split('; ').find((d) => d.startsWith('script-src '))!;
  assert.ok(scriptSrc.includes(`'nonce-${nonce}'`), scriptSrc);
  assert.ok(
    csp
      .split('; ')
      .find((d) => d.startsWith('script-src '))!
      .split(' ')
      .slice(1)
      .every((src) => scriptSrc.includes(src)),
    'the report hash is kept',
  );
  assert.ok(out.indexOf(`<script>${reportScript}</script>`) < out.indexOf(`<script nonce="${nonce}">`), 'after the report script');
  assert.ok(out.includes('post("<\\/script>")'), 'a closing tag in the script is escaped');
  assert.ok(!out.includes('sourceMappingURL'));
  assert.ok(out.trimEnd().endsWith('</body></html>'));
  assert.throws(() => withCaptureScript('<html><body></body></html>', '', nonce), /not a Loss Lab report page/);
  assert.throws(() => withCaptureScript(html, '', 'short'), /nonce/);
});
