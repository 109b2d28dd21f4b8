// "Chart saved to …" fades after a while (it stayed forever); an error stays until the next save.
import { mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { ChartSaver } from '../../../webview/chartExport';

function saver() {
  const notice = { textContent: '', classList: { toggle: () => undefined } };
  const posted: { requestId: number }[] = [];
  const s = new ChartSaver(
    { chart: () => ({ canvas: {} }), describe: () => ({}) } as never,
    () => ({}) as never,
    (msg) => void posted.push(msg as { requestId: number }),
    notice as unknown as HTMLElement,
  );
  return { s, notice, posted };
}

test('a success notice clears itself after 8 s; an error stays; an unknown request is not ours', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const { s, notice } = saver();
    // Requests as save() numbers them; the host answers with the same ids.
    (s as unknown as { pending: Set<number> }).pending.add(1_000_000).add(1_000_001);
    assert.equal(s.handleNotice(5, true, 'not a chart'), false);
    assert.equal(s.handleNotice(1_000_000, true, 'Chart saved to /x/a.png'), true);
    assert.equal(notice.textContent, 'Chart saved to /x/a.png');
    mock.timers.tick(7999);
    assert.equal(notice.textContent, 'Chart saved to /x/a.png');
    mock.timers.tick(1);
    assert.equal(notice.textContent, '');
    s.handleNotice(1_000_001, false, 'could not write /x/b.png');
    mock.timers.tick(60_000);
    assert.equal(notice.textContent, 'could not write /x/b.png');
  } finally {
    mock.timers.reset();
  }
});
