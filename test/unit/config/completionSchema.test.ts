// The schema VS Code's JSON service gets (dist/experiment.completion.schema.json, package.json jsonValidation)
// reports nothing, so each problem shows once (Loss Lab's own diagnostics), but still completes and documents
// fields and values. Checked with vscode-json-languageservice, the library VS Code's JSON support runs on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { getLanguageService, TextDocument, type JSONSchema } from 'vscode-json-languageservice';
import { completionSchema } from '../../../scripts/completion-schema.mjs';

const full = JSON.parse(readFileSync('schemas/experiment.schema.json', 'utf8')) as JSONSchema;
const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as { contributes: { jsonValidation: { fileMatch: string; url: string }[] } };

function service(schema: JSONSchema) {
  const ls = getLanguageService({});
  ls.configure({ validate: true, allowComments: false, schemas: [{ uri: 'losslab://experiment.schema.json', fileMatch: ['*.losslab.json'], schema }] });
  return ls;
}

/** The text with `|` removed, and the position where it was. */
function at(textWithCursor: string): { doc: TextDocument; offset: number } {
  const offset = textWithCursor.indexOf('|');
  return { doc: TextDocument.create('file:///w/x.losslab.json', 'json', 1, textWithCursor.replace('|', '')), offset };
}

/** Wrong in every way the schema can tell: an unknown field, a misspelt loss, a negative count, a string for a number, models missing, a boolean as a string. */
const WRONG = `{
  "name": "bad",
  "dataset": { "name": "fashion-mnist", "trainSubset": -3 },
  "losses": [{ "name": "arcfcae" }, { "name": "scaled-bn" }],
  "seeds": [1, 1],
  "training": { "epochs": 0, "lrr": 0.1, "batchSize": "big", "augment": { "flip": "yes" } }
}`;

test('the full schema makes the JSON service report problems (what showed twice); the completion schema reports none', async () => {
  const { doc } = at(WRONG);
  const withFull = service(full);
  const fullProblems = await withFull.doValidation(doc, withFull.parseJSONDocument(doc));
  assert.ok(fullProblems.length >= 6, `the full schema reports ${fullProblems.length}: ${fullProblems.map((d) => (typeof d.message === 'string' ? d.message : d.message.value)).join(' | ')}`);
  const ls = service(completionSchema(full) as JSONSchema);
  const problems = await ls.doValidation(doc, ls.parseJSONDocument(doc));
  assert.deepEqual(
    problems.map((d) => d.message),
    [],
  );
});

test('JSON syntax errors are still the JSON service’s own (Loss Lab’s live diagnostics leave them to it)', async () => {
  const { doc } = at('{ "name": "a", }');
  const ls = service(completionSchema(full) as JSONSchema);
  const problems = await ls.doValidation(doc, ls.parseJSONDocument(doc));
  const messages = problems.map((d) => (typeof d.message === 'string' ? d.message : d.message.value));
  assert.ok(
    messages.some((m) => /trailing comma/i.test(m)),
    messages.join(' | '),
  );
});

test('the completion schema still completes field names, loss names with their descriptions, booleans and loss-specific fields', async () => {
  const ls = service(completionSchema(full) as JSONSchema);
  const complete = async (text: string) => {
    const { doc, offset } = at(text);
    return (await ls.doComplete(doc, doc.positionAt(offset), ls.parseJSONDocument(doc)))?.items ?? [];
  };
  const trainingFields = (await complete('{ "training": { | } }')).map((i) => i.label);
  for (const field of ['epochs', 'lr', 'batchSize', 'milestones']) assert.ok(trainingFields.includes(field), `training offers ${trainingFields.join(', ')}`);

  const lossNames = await complete('{ "losses": [{ "name": | }] }');
  const arcface = lossNames.find((i) => i.label === '"arcface"');
  assert.ok(arcface, `loss names offered: ${lossNames.map((i) => i.label).join(', ')}`);
  const doc = arcface.documentation;
  assert.match(typeof doc === 'string' ? doc : (doc?.value ?? ''), /additive angular margin/);

  const flips = (await complete('{ "training": { "augment": { "flip": | } } }')).map((i) => i.label);
  assert.ok(flips.includes('true') && flips.includes('false'), `flip offers ${flips.join(', ')}`);

  const arcfaceFields = (await complete('{ "losses": [{ "name": "arcface", | }] }')).map((i) => i.label);
  assert.ok(arcfaceFields.includes('easyMargin') && arcfaceFields.includes('s'), `an ArcFace loss offers ${arcfaceFields.join(', ')}`);
});

test('hover still shows a field’s description, as with the full schema', async () => {
  const hoverText = async (schema: JSONSchema) => {
    const ls = service(schema);
    const { doc, offset } = at('{ "dataset": { "name": "mnist", "train|Subset": 500 } }');
    return JSON.stringify((await ls.doHover(doc, doc.positionAt(offset), ls.parseJSONDocument(doc)))?.contents ?? '');
  };
  const text = await hoverText(completionSchema(full) as JSONSchema);
  assert.match(text, /Train on only N training images/);
  assert.equal(text, await hoverText(full));
});

test('hovering a loss option shows what it is, not the generic "a number, or a sweep"', async () => {
  // A fresh copy: the JSON service resolves a $ref by writing the referenced keys into the schema it was given.
  const ls = service(completionSchema(JSON.parse(readFileSync('schemas/experiment.schema.json', 'utf8'))) as JSONSchema);
  const hover = async (text: string) => {
    const { doc, offset } = at(text);
    return JSON.stringify((await ls.doHover(doc, doc.positionAt(offset), ls.parseJSONDocument(doc)))?.contents ?? '');
  };
  const m = await hover('{ "losses": [{ "name": "scaled-bn", "|m": 0.9 }] }');
  assert.match(m, /Fixed scale of the BN on the logits/, m);
  assert.doesNotMatch(m, /a sweep: a list of numbers/);
  assert.match(await hover('{ "losses": [{ "name": "am-softmax", "|s": 7.5, "m": 0.35 }] }'), /[Ss]cale/);
  assert.match(await hover('{ "training": { "|lr": 0.1 } }'), /[Ll]earning rate/);
});

test('package.json gives VS Code the completion schema that the build writes, not the full one', () => {
  const entry = manifest.contributes.jsonValidation.find((e) => e.fileMatch === '*.losslab.json');
  assert.equal(entry?.url, './dist/experiment.completion.schema.json');
  assert.match(readFileSync('esbuild.mjs', 'utf8'), /writeCompletionSchema\('schemas\/experiment\.schema\.json', 'dist\/experiment\.completion\.schema\.json'\)/);
});
