// The extension's manifest keeps VS Code's conventions: activation only when needed,
// every code-running command gated on workspace trust in every menu, the files a Marketplace
// listing needs, no test-only settings, and a walkthrough whose steps point at real things.
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import { RESULTS_SHOWN_CONTEXT } from '../../../src/extension/constants';

const root = path.resolve(__dirname, '../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const contributes = manifest.contributes;

/** Commands that fork a worker, a compiler or TensorBoard (found on PATH, which a workspace's environment can set): code runs. */
const RUNS_CODE = new Set(['lossLab.runExperiment', 'lossLab.resumeRun', 'lossLab.startOver', 'lossLab.buildNativeEngine', 'lossLab.checkLoss', 'lossLab.openTensorboard']);

test('activates on configs, its views, commands and panel only: never on every start-up', () => {
  assert.ok(!manifest.activationEvents.includes('onStartupFinished'));
  assert.ok(!manifest.activationEvents.includes('*'));
  for (const event of manifest.activationEvents) assert.match(event, /^(workspaceContains:\*\*\/\*\.losslab\.json|onWebviewPanel:lossLab\.(results|report)$|onView:lossLab\.|onCommand:lossLab\.)/);
});

test('every menu entry of a command that runs code needs a trusted workspace', () => {
  const gated = (when: string | undefined) => when === 'false' || /(^|&& )isWorkspaceTrusted( &&|$)/.test(when ?? '');
  const enabledOnlyWhenTrusted = new Set(contributes.commands.filter((c: { enablement?: string }) => gated(c.enablement)).map((c: { command: string }) => c.command));
  let checked = 0;
  for (const [menu, entries] of Object.entries(contributes.menus as Record<string, { command: string; when?: string }[]>)) {
    for (const entry of entries) {
      if (!RUNS_CODE.has(entry.command) || enabledOnlyWhenTrusted.has(entry.command)) continue;
      checked++;
      assert.ok(gated(entry.when), `${menu}: ${entry.command} shows in an untrusted workspace (when: ${entry.when ?? 'always'})`);
    }
  }
  assert.ok(checked >= 5, 'the editor title, explorer, palette, view and context menus were checked');
  assert.ok(
    contributes.menus.commandPalette.some((e: { command: string }) => e.command === 'lossLab.runExperiment'),
    'the palette entry of Run Experiment is gated too',
  );
});

test('a Marketplace listing has its icon, licence, changelog and repository; packaging needs no flags to skip them', () => {
  const icon = PNG.sync.read(fs.readFileSync(path.join(root, manifest.icon)));
  assert.ok(icon.width >= 128 && icon.height === icon.width, `icon ${icon.width}×${icon.height}`);
  assert.match(fs.readFileSync(path.join(root, 'LICENSE'), 'utf8'), /^MIT License/);
  assert.match(fs.readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8'), new RegExp(`## ${manifest.version.replace(/\./g, '\\.')}`));
  assert.match(manifest.repository.url, /^https:\/\//);
  assert.doesNotMatch(manifest.scripts.package, /--allow-missing-repository|--skip-license/);
});

test('no setting is for tests only', () => {
  for (const [key, setting] of Object.entries(contributes.configuration.properties as Record<string, { markdownDescription?: string; description?: string }>)) {
    assert.doesNotMatch(`${setting.markdownDescription ?? ''}${setting.description ?? ''}`, /testing only|for tests/i, key);
  }
  assert.equal(contributes.configuration.properties['lossLab.workerPath'], undefined);
});

test('the Get Started walkthrough: every step has its page and its commands exist', () => {
  const commands = new Set(contributes.commands.map((c: { command: string }) => c.command));
  const [walkthrough] = contributes.walkthroughs;
  assert.ok(walkthrough.steps.length >= 3);
  for (const step of walkthrough.steps) {
    assert.ok(fs.existsSync(path.join(root, step.media.markdown)), step.media.markdown);
    for (const m of `${step.description} ${step.completionEvents.join(' ')}`.matchAll(/(?:command:|onCommand:)(lossLab\.\w+)/g)) assert.ok(commands.has(m[1]), m[1]);
  }
});

test('the walkthrough ticks "Compare the losses" however results open, and has a step for writing a loss', () => {
  const steps = contributes.walkthroughs[0].steps as { id: string; completionEvents: string[]; description: string }[];
  const results = steps.find((s) => s.id === 'results')!;
  // The context key the results panel sets when it shows (Run, the tree, Compare Runs, a reload all open one).
  assert.ok(results.completionEvents.includes(`onContext:${RESULTS_SHOWN_CONTEXT}`), results.completionEvents.join(', '));
  assert.match(fs.readFileSync(path.join(root, 'src/extension/results/resultsPanel.ts'), 'utf8'), /setContext', RESULTS_SHOWN_CONTEXT, true/);
  const custom = steps.find((s) => s.id === 'customLoss');
  assert.ok(custom?.completionEvents.includes('onCommand:lossLab.newLoss') && custom.description.includes('command:lossLab.newLoss'));
});

/** The entries of a menu for one command whose `when` holds for a tree item with this context value in a trusted workspace. */
function shownFor(menu: string, command: string, viewItem: string, trusted = true): { group?: string }[] {
  const entries = (contributes.menus[menu] as { command: string; when: string; group?: string }[]).filter((e) => e.command === command);
  return entries.filter((e) => {
    const viewItemMatch = /viewItem =~ \/(.+?)\/( |$)/.exec(e.when);
    if (!/view == lossLab\.experiments/.test(e.when) || !viewItemMatch) return false;
    if (/isWorkspaceTrusted/.test(e.when) && !trusted) return false;
    return new RegExp(viewItemMatch[1].replace(/\\\\/g, '\\')).test(viewItem);
  });
}

test('a run offers Resume Run (stopped or failed) and Start Over (done, stopped or failed), inline and in its menu, only when trusted', () => {
  const titles = new Map(contributes.commands.map((c: { command: string; title: string }) => [c.command, c.title]));
  assert.equal(titles.get('lossLab.resumeRun'), 'Resume Run');
  assert.equal(titles.get('lossLab.startOver'), 'Start Over');
  assert.equal(titles.get('lossLab.rerun'), undefined, 'the ambiguous Rerun is gone');
  const groups = (command: string, viewItem: string, trusted = true) =>
    shownFor('view/item/context', command, viewItem, trusted)
      .map((e) => (e.group ?? '').split('@')[0])
      .sort();
  for (const state of ['run.stopped', 'run.failed', 'run.stopped.stale']) {
    assert.deepEqual(groups('lossLab.resumeRun', state), ['3_run', 'inline'], state);
    assert.deepEqual(groups('lossLab.startOver', state), ['3_run', 'inline'], state);
  }
  for (const state of ['run.done', 'run.done.stale']) {
    assert.deepEqual(groups('lossLab.resumeRun', state), [], `${state}: nothing to resume`);
    assert.deepEqual(groups('lossLab.startOver', state), ['3_run', 'inline'], state);
  }
  for (const state of ['run.running', 'run.queued']) assert.deepEqual([...groups('lossLab.resumeRun', state), ...groups('lossLab.startOver', state)], [], state);
  assert.deepEqual(groups('lossLab.startOver', 'run.done', false), [], 'untrusted: hidden');
  assert.deepEqual(groups('lossLab.resumeRun', 'run.stopped', false), [], 'untrusted: hidden');
});

test("the package ships New Loss's tfjs-core types, though it drops every other .ts and the compiler's files", () => {
  // tsc -b leaves its incremental state beside the configs; a probe makes sure one is there to be dropped.
  const probe = path.join(root, 'tsconfig.package-probe.tsbuildinfo');
  fs.writeFileSync(probe, '{}');
  let listed;
  try {
    const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
    listed = spawnSync(process.execPath, [vsce, 'ls'], { cwd: root, encoding: 'utf8' });
  } finally {
    fs.rmSync(probe, { force: true });
  }
  assert.equal(listed.status, 0, listed.stderr);
  const files = listed.stdout.split('\n').filter(Boolean);
  assert.ok(files.includes('types/tfjs-core.d.ts'), files.join('\n'));
  assert.deepEqual(
    files.filter((f) => f.endsWith('.ts') && f !== 'types/tfjs-core.d.ts'),
    [],
  );
  assert.deepEqual(
    files.filter((f) => f.endsWith('.tsbuildinfo') || /^tsconfig.*\.json$/.test(f)),
    [],
  );
});
