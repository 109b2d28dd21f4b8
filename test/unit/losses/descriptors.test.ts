// Every built-in loss is one descriptor (src/core/losses/builtin/); what the descriptor cannot carry
// itself, its PyTorch mirror (parity/heads/) and parity cases, is demanded here.
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateConfig } from '../../../src/core/config/validate';
import { LOSS_DESCRIPTORS } from '../../../src/core/losses/registry';
import { parityCases } from '../../../parity/run';

const HEADS = 'parity/heads';

/** Loss name -> mirror file, from each file's `LOSS = '<name>'` (parity/heads/__init__.py discovers them the same way). */
function mirrorFiles(): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of readdirSync(HEADS).filter((f) => f.endsWith('.py'))) {
    const m = /^LOSS = '([^']+)'$/m.exec(readFileSync(path.join(HEADS, file), 'utf8'));
    if (m) out.set(m[1], file);
  }
  return out;
}

test('every loss descriptor has a PyTorch mirror in parity/heads, and every mirror a descriptor', () => {
  const mirrors = mirrorFiles();
  for (const d of LOSS_DESCRIPTORS) assert.ok(mirrors.has(d.name), `loss '${d.name}' has no PyTorch mirror: add ${HEADS}/<name>.py with LOSS = '${d.name}' and make_head(loss, d, k)`);
  const names = new Set(LOSS_DESCRIPTORS.map((d) => d.name));
  for (const [name, file] of mirrors) assert.ok(names.has(name), `${HEADS}/${file} mirrors '${name}', which no descriptor has`);
});

test('every loss descriptor has a parity case the harness runs, each with its own id', () => {
  const cases = parityCases();
  for (const d of LOSS_DESCRIPTORS) {
    assert.ok(d.parity.length > 0, `loss '${d.name}' has no parity case: add one to its descriptor's parity list`);
    assert.ok(
      cases.some((c) => c.loss.name === d.name),
      `loss '${d.name}': no case of parity/run.ts runs it`,
    );
  }
  assert.equal(new Set(cases.map((c) => c.id)).size, cases.length, 'two parity cases share an id: give one a variant');
});

test('each descriptor’s parity cases and snippet are configs the schema accepts', () => {
  for (const d of LOSS_DESCRIPTORS) {
    for (const options of [...d.parity.map((c) => c.options), d.snippet.options]) {
      const losses = [{ name: d.name, ...options }];
      assert.doesNotThrow(() => validateConfig({ name: 'x', dataset: { name: 'mnist' }, models: [{ name: 'simple-cnn' }], losses, seeds: [1] }), d.name);
    }
  }
});

test('loss names are unique', () => {
  const names = LOSS_DESCRIPTORS.map((d) => d.name);
  assert.equal(new Set(names).size, names.length);
});
