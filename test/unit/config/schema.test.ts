import { test } from 'node:test';
import assert from 'node:assert/strict';
import schema from '../../../schemas/experiment.schema.json';
import { LOSS_DESCRIPTORS } from '../../../src/core/losses/registry';

type Node = Record<string, unknown>;

/** Every schema object in the file with its JSON pointer. */
function walk(node: unknown, pointer: string, visit: (n: Node, p: string) => void): void {
  if (typeof node !== 'object' || node === null) return;
  if (Array.isArray(node)) return node.forEach((item, i) => walk(item, `${pointer}/${i}`, visit));
  visit(node as Node, pointer);
  for (const [k, v] of Object.entries(node)) if (k !== 'defaultSnippets' && k !== 'default' && k !== 'examples') walk(v, `${pointer}/${k}`, visit);
}

test('every property is documented, with its default or why there is none', () => {
  walk(schema, '#', (node, pointer) => {
    if (!node.properties || pointer.endsWith('/if')) return;
    for (const [name, prop] of Object.entries(node.properties as Record<string, unknown>)) {
      if (prop === true) continue; // shared field listed in a branch; documented on its owner
      const p = prop as Node;
      if (typeof p.$ref === 'string') continue; // documented at the definition
      assert.equal(typeof p.description, 'string', `${pointer}/properties/${name} has no description`);
      assert.ok('default' in p || /Default|default/.test(p.description as string), `${pointer}/properties/${name}: no default and no word on it`);
    }
  });
});

test('every object that describes fields forbids unknown ones (directly or in each name branch)', () => {
  walk(schema, '#', (node, pointer) => {
    if (node.type !== 'object' || pointer.endsWith('/if')) return;
    // A custom loss's options belong to its module, which checks them against its own optionsSchema.
    if (pointer.endsWith('/then/properties/options')) return;
    const closed = node.additionalProperties === false;
    const branches = (node.allOf as Node[] | undefined)?.map((b) => (b.then as Node).additionalProperties === false);
    assert.ok(closed || (branches && branches.every(Boolean)), `${pointer} accepts unknown fields`);
  });
});

test('loss and model items offer snippets for every name', () => {
  const snippetNames = (def: Node) => (def.defaultSnippets as { body: { name: string } }[]).map((s) => s.body.name).sort();
  assert.deepEqual(snippetNames(schema.definitions.loss as Node), [...(schema.definitions.loss as { properties: { name: { enum: string[] } } }).properties.name.enum].sort());
  assert.deepEqual(snippetNames(schema.definitions.loss as Node), [...LOSS_DESCRIPTORS.map((d) => d.name), 'custom'].sort());
  assert.deepEqual(snippetNames(schema.definitions.model as Node), ['resnet18', 'resnet50', 'simple-cnn', 'vgg16']);
});

test('every dataset and loss name has its own field branch', () => {
  for (const def of [schema.definitions.dataset, schema.definitions.loss] as unknown as Node[]) {
    const names = ((def.properties as Node).name as { enum: string[] }).enum;
    const covered = (def.allOf as { if: { properties: { name: { const?: string; enum?: string[] } } } }[]).flatMap((b) => {
      const n = b.if.properties.name;
      return n.const !== undefined ? [n.const] : (n.enum ?? []);
    });
    assert.deepEqual([...covered].sort(), [...names].sort());
  }
});

test('the schema, the lossLab.defaultBackend setting and the code list the same backends, in auto order', async () => {
  const { BACKEND_NAMES } = await import('../../../src/core/backend/backendNames');
  const pkg = (await import('../../../package.json')).default as unknown as { contributes: { configuration: { properties: Record<string, { enum: string[]; enumDescriptions: string[] }> } } };
  const setting = pkg.contributes.configuration.properties['lossLab.defaultBackend'];
  const field = (schema.properties as unknown as Record<string, { enum: string[]; enumDescriptions: string[] }>).backend;
  for (const list of [setting, field]) {
    assert.deepEqual(list.enum, [...BACKEND_NAMES]);
    assert.equal(list.enumDescriptions.length, list.enum.length);
  }
});
