/**
 * The results panel at paper scale: `npm run bench:panel [-- --before <checkout>]`. Writes a
 * 72-run × 100-epoch experiment (and a 6-run one for the memory ratio), opens the panel's page in
 * headless Chromium with the host's real `init` and answers its step requests as the host does,
 * then prints the payload, the time to curves shown, to a smoothing change, a log toggle, the
 * x axis switched to step, a hover move, and the JS heap. The step axis is timed as a user sees it:
 * the page's work and the host's decimation, without Playwright's bridge (a first switch, through
 * the bridge, records the answer; the timed one gets it from inside the page). `--before` loads
 * another checkout's built page (main's, say), sent the same messages. A benchmark, not a test:
 * the numbers go to BENCHMARKS.md, nothing asserts them.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readPanelSnapshot } from '../src/host/combinedSnapshot';
import { PanelSync } from '../src/extension/results/panelSync';
import { decimateSteps } from '../src/extension/results/stepPayload';
import type { FromWebview, RunSteps, ToWebview } from '../src/protocol/webview';
import { PAPER_SCALE, SMALL_SCALE, writePanelExperiment } from './panelExperiment';
import { drawnPoints, openPanelPage, timeInPage } from './panelPage';

interface Measured {
  runs: number;
  payloadMB: number;
  shownMs: number;
  smoothingMs: number;
  logToggleMs: number;
  /** In the page, plus `stepHostMs`: what a user waits for. */
  stepAxisMs: number;
  /** The host decimating the step points it answers with. */
  stepHostMs: number;
  /** The first switch, its answer crossing Playwright's bridge twice (what this benchmark reported before). */
  stepBridgeMs: number;
  /** An action that does nothing: the wait for a frame every other time includes. */
  frameMs: number;
  stepAnswerMB: number;
  hoverMedianMs: number;
  hoverMaxMs: number;
  heapMB: number;
  drawn: Record<string, number>;
}

const progress = (what: string) => process.stderr.write(`  ${what}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = (bytes: number) => bytes / 1e6;

async function heapMB(page: import('playwright-core').Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  return usedSize / 2 ** 20;
}

async function measure(dir: string, before: string | undefined): Promise<Measured> {
  const snapshot = readPanelSnapshot([dir], undefined, { steps: true });
  const init: ToWebview = new PanelSync().init(snapshot);
  const steps = new Map(snapshot.runs.map((r) => [r.runId, r.steps ?? []]));
  let answerBytes = 0;
  let hostMs = 0;
  let lastAnswer: RunSteps[] = [];
  // What ResultsPanel.onMessage answers a `steps` request with.
  const answer = (msg: FromWebview): ToWebview | undefined => {
    if (msg.type !== 'steps') return undefined;
    const window = msg.from !== undefined || msg.to !== undefined ? { min: msg.from ?? -Infinity, max: msg.to ?? Infinity } : undefined;
    const t0 = performance.now();
    lastAnswer = msg.runIds.map((runId) => ({ runId, steps: decimateSteps(steps.get(runId) ?? [], msg.buckets, window) }));
    hostMs = performance.now() - t0;
    const reply: ToWebview = { type: 'steps', requestId: msg.requestId, runs: lastAnswer };
    answerBytes = JSON.stringify(reply).length;
    return reply;
  };
  progress(`${path.basename(dir)}: opening the page`);
  const panel = await openPanelPage(answer, before);
  const { page } = panel;
  try {
    const text = JSON.stringify(init);
    // Parsing stands for VS Code's copy of the message into the page.
    progress('shownMs');
    const frameMs = await timeInPage(page, '');
    const shownMs = await timeInPage(page, `window.dispatchEvent(new MessageEvent('message', { data: JSON.parse(arg) }));`, text);
    progress('heap');
    const heap = await heapMB(page);
    const drawn = await drawnPoints(page);
    progress('smoothingMs');
    const smoothingMs = await timeInPage(page, `const s = document.getElementById('smoothing'); s.value = '0.7'; s.dispatchEvent(new Event('input'));`);
    progress('logToggleMs');
    const logToggleMs = await timeInPage(page, `document.querySelector('button.axis-toggle[data-metric="trainLoss"]').click();`);
    progress('hovers');
    const hovers: number[] = [];
    for (let i = 0; i < 15; i++) {
      hovers.push(
        await timeInPage(
          page,
          `const c = document.getElementById('chart-train-loss'); const r = c.getBoundingClientRect();
           c.dispatchEvent(new MouseEvent('mousemove', { clientX: r.left + r.width * (0.15 + 0.05 * arg), clientY: r.top + r.height * 0.5, bubbles: true }));`,
          i,
        ),
      );
    }
    progress('stepAxisMs');
    const toAxis = (axis: string) =>
      timeInPage(
        page,
        `const answered = window.__answers; const asked = window.__asks; const x = document.getElementById('x-axis'); x.value = arg; x.dispatchEvent(new Event('change'));
         // Until the host's answer is drawn, where the page asks for step points.
         for (let i = 0; i < 2000 && window.__asks > asked && window.__answers === answered; i++) await new Promise((r) => setTimeout(r, 1));`,
        axis,
      );
    const stepBridgeMs = await toAxis('step');
    const stepHostMs = hostMs;
    await toAxis('epoch');
    await page.evaluate((canned) => ((window as unknown as { __canned: string }).__canned = canned), JSON.stringify(lastAnswer));
    const stepAxisMs = (await toAxis('step')) + stepHostMs;
    return {
      runs: snapshot.runs.length,
      payloadMB: mb(text.length),
      frameMs,
      shownMs,
      smoothingMs,
      logToggleMs,
      stepAxisMs,
      stepHostMs,
      stepBridgeMs,
      stepAnswerMB: mb(answerBytes),
      hoverMedianMs: median(hovers),
      hoverMaxMs: Math.max(...hovers),
      heapMB: heap,
      drawn,
    };
  } finally {
    await panel.close();
  }
}

const row = (label: string, m: Measured) =>
  [
    label.padEnd(24),
    String(m.runs).padStart(4),
    m.payloadMB.toFixed(2).padStart(8),
    m.frameMs.toFixed(0).padStart(6),
    m.shownMs.toFixed(0).padStart(7),
    m.smoothingMs.toFixed(0).padStart(7),
    m.logToggleMs.toFixed(0).padStart(6),
    m.stepAxisMs.toFixed(0).padStart(6),
    m.stepHostMs.toFixed(0).padStart(6),
    m.stepBridgeMs.toFixed(0).padStart(7),
    m.stepAnswerMB.toFixed(2).padStart(7),
    `${m.hoverMedianMs.toFixed(0)}/${m.hoverMaxMs.toFixed(0)}`.padStart(8),
    m.heapMB.toFixed(0).padStart(6),
    String(m.drawn['chart-train-loss']).padStart(7),
  ].join(' ');

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const beforeAt = args.indexOf('--before');
  const before = beforeAt >= 0 ? path.resolve(args[beforeAt + 1]) : undefined;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'losslab-panel-bench-'));
  try {
    const label = before ? `before (${path.basename(before)})` : 'this checkout';
    const small = await measure(writePanelExperiment(root, SMALL_SCALE).dir, before);
    const big = await measure(writePanelExperiment(root, PAPER_SCALE).dir, before);
    console.log(`\nResults panel at paper scale (${PAPER_SCALE.epochs} epochs, ${PAPER_SCALE.stepsPerEpoch} step points an epoch; headless Chromium ${os.cpus().length} cores)`);
    console.log('ms: from the action to the frame after it is drawn (a frame is ~16 ms); hover: median/max of 15 moves; heap after GC.');
    console.log("step: the page's work plus the host's decimation (host); bridge: the first switch, its answer through Playwright.");
    console.log(['page'.padEnd(24), 'runs', 'init MB', 'frame', 'shown', 'smooth', 'log', 'step', 'host', 'bridge', 'step MB', 'hover', 'heap', 'trainLossPts'].join(' '));
    for (const m of [small, big]) console.log(row(label, m));
    console.log(`heap 72 runs / 6 runs: ${(big.heapMB / small.heapMB).toFixed(2)}×`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 1;
});
