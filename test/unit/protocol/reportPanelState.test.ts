// Open Report's page records which report it shows, so that VS Code can restore the tab after a reload:
// the added script runs under the page's own Content-Security-Policy and hands the file to setState.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runInNewContext } from 'node:vm';
import { parseReportPanelState, reportPanelStateScript } from '../../../src/protocol/report';
import { withCaptureScript } from '../../../src/report/reportHtml';

const PAGE = `<html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-abc'"></head><body><h1>r</h1></body></html>`;

test("the page's added script records the report file, and a reload reads it back", () => {
  const file = '/ws/.losslab/runs/quick/report/report.html';
  const script = reportPanelStateScript(file);
  let saved: unknown;
  runInNewContext(script, { acquireVsCodeApi: () => ({ setState: (s: unknown) => (saved = s) }) });
  assert.equal(parseReportPanelState(saved), file);
  const page = withCaptureScript(PAGE, script, 'bm9uY2Utbm9uY2Utbm9uY2U=');
  assert.match(page, /script-src 'nonce-bm9uY2Utbm9uY2Utbm9uY2U=' 'sha256-abc'/, 'allowed by the page policy');
  assert.ok(page.includes(`<script nonce="bm9uY2Utbm9uY2Utbm9uY2U=">${script}</script>`));
});

test('a file name cannot close the script; anything but a report file restores nothing', () => {
  assert.ok(!reportPanelStateScript('/x/</script><script>alert(1)</script>.html').includes('</script>'));
  assert.equal(parseReportPanelState(undefined), undefined);
  assert.equal(parseReportPanelState({ reportHtml: 42 }), undefined);
  assert.equal(parseReportPanelState({ experimentDir: '/x' }), undefined);
  assert.equal(parseReportPanelState({ reportHtml: '/etc/passwd' }), undefined);
});
