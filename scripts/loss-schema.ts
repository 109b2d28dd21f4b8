// Writes the loss section of schemas/experiment.schema.json from the loss descriptors
// (src/core/losses/lossSchema.ts). The file stays checked in: the extension ships it as it is.
//   node --import tsx scripts/loss-schema.ts          rewrite the file
//   node --import tsx scripts/loss-schema.ts --check  exit 1 when it is stale
import { readFileSync, writeFileSync } from 'node:fs';
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import * as prettier from 'prettier';
import { lossSchema } from '../src/core/losses/lossSchema';

export const SCHEMA_FILE = 'schemas/experiment.schema.json';

/** The schema file's text with its loss section derived from the descriptors, formatted as the repository formats JSON. */
export async function schemaWithLosses(text: string): Promise<string> {
  // Only the loss section's text is replaced, formatted where it stands: the rest of the file keeps its hand-chosen line breaks.
  const node = findNodeAtLocation(parseTree(text)!, ['definitions', 'loss']);
  if (!node) throw new Error(`${SCHEMA_FILE} has no definitions.loss`);
  const indent = node.offset - text.lastIndexOf('\n', node.offset) - 1 - '"loss": '.length;
  const config = await prettier.resolveConfig(SCHEMA_FILE);
  const formatted = await prettier.format(JSON.stringify(lossSchema()), { ...config, parser: 'json', printWidth: (config?.printWidth ?? 80) - indent });
  const section = formatted.trimEnd().replace(/\n/g, `\n${' '.repeat(indent)}`);
  return text.slice(0, node.offset) + section + text.slice(node.offset + node.length);
}

async function main(): Promise<number> {
  const text = readFileSync(SCHEMA_FILE, 'utf8');
  const fresh = await schemaWithLosses(text);
  if (fresh === text) return 0;
  if (process.argv.includes('--check')) {
    process.stderr.write(`${SCHEMA_FILE} is stale: run node --import tsx scripts/loss-schema.ts\n`);
    return 1;
  }
  writeFileSync(SCHEMA_FILE, fresh);
  process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`loss-schema: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(2);
    },
  );
}
