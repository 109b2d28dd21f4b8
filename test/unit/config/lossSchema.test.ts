// The schema's loss section is generated from the loss descriptors (scripts/loss-schema.ts) and
// checked in, because the extension ships the file as it is: this fails when it is stale.
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lossSchema } from '../../../src/core/losses/lossSchema';
import { SCHEMA_FILE, schemaWithLosses } from '../../../scripts/loss-schema';

test('schemas/experiment.schema.json holds the loss section the descriptors make (run node --import tsx scripts/loss-schema.ts)', async () => {
  const text = readFileSync(SCHEMA_FILE, 'utf8');
  assert.deepEqual((JSON.parse(text) as { definitions: { loss: unknown } }).definitions.loss, lossSchema());
  assert.equal(await schemaWithLosses(text), text, 'the loss section is not formatted as the script writes it');
});

test('a descriptor left out of the registry is missing from the schema, so the check above can fail', () => {
  const names = (lossSchema().properties as { name: { enum: string[] } }).name.enum;
  assert.ok(names.includes('scaled-bn') && names.includes('custom'));
  const fewer = lossSchema([]) as { properties: { name: { enum: string[] } } };
  assert.deepEqual(fewer.properties.name.enum, ['custom']);
});
