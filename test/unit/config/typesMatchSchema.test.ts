// The config's TypeScript types (src/core/config/types.ts) and its published JSON Schema describe
// the same fields: read the types with the TypeScript compiler and compare each object's keys
// with the schema's, so a field added to one and not the other fails here.
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ts from 'typescript';
import schema from '../../../schemas/experiment.schema.json';

type SchemaNode = { properties?: Record<string, unknown>; allOf?: { if: SchemaNode; then: SchemaNode }[]; $ref?: string; items?: SchemaNode; const?: string; enum?: string[] };

const source = ts.createSourceFile('types.ts', readFileSync('src/core/config/types.ts', 'utf8'), ts.ScriptTarget.Latest, true);

function membersOf(node: ts.Node): string[] {
  const members = ts.isInterfaceDeclaration(node) || ts.isTypeLiteralNode(node) ? node.members : [];
  return members.filter(ts.isPropertySignature).map((m) => m.name!.getText(source));
}

/** The keys of an interface, or of each literal member of a union type alias keyed by its discriminant. */
function typeKeys(name: string): string[] {
  for (const stmt of source.statements) {
    if (ts.isInterfaceDeclaration(stmt) && stmt.name.text === name) return membersOf(stmt).sort();
  }
  throw new Error(`interface ${name} not found in types.ts`);
}

const defs = (schema as unknown as { definitions: Record<string, SchemaNode> }).definitions;
const resolve = (node: SchemaNode): SchemaNode => (node.$ref ? defs[node.$ref.replace('#/definitions/', '')] : node);
const keysOf = (node: SchemaNode) => Object.keys(resolve(node).properties ?? {}).sort();

/** Every key the schema allows on an object whose branches (allOf/if/then) add fields per name. */
function branchKeys(node: SchemaNode, discriminant: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const branch of resolve(node).allOf ?? []) {
    const cond = branch.if.properties?.[discriminant] as SchemaNode | undefined;
    for (const value of cond?.const ? [cond.const] : (cond?.enum ?? [])) out.set(value, Object.keys(branch.then.properties ?? {}).sort());
  }
  return out;
}

const top = schema.properties as unknown as Record<string, SchemaNode>;

test('ExperimentConfig, TrainingConfig, augment, divergence and ModelConfig have exactly the schema fields', () => {
  assert.deepEqual(
    typeKeys('ExperimentConfig'),
    keysOf(schema as unknown as SchemaNode).filter((k) => k !== '$schema'),
  );
  assert.deepEqual(typeKeys('TrainingConfig'), keysOf(top.training));
  const training = resolve(top.training).properties as Record<string, SchemaNode>;
  assert.deepEqual(typeKeys('AugmentConfig'), keysOf(training.augment));
  const divergence = training.divergence as SchemaNode & { oneOf?: SchemaNode[]; anyOf?: SchemaNode[] };
  const divergenceObject = [divergence, ...(divergence.oneOf ?? []), ...(divergence.anyOf ?? [])].find((n) => resolve(n).properties);
  assert.ok(divergenceObject, 'training.divergence has an object form in the schema');
  assert.deepEqual(typeKeys('DivergenceConfig'), keysOf(divergenceObject));
  assert.deepEqual(typeKeys('ModelConfig'), keysOf(defs.model));
});

/** The keys of each member of a union type alias keyed by its discriminant, as the type checker resolves them (LossConfig is derived from the loss descriptors). */
function resolvedUnionKeys(name: string, discriminant: string): Map<string, string[]> {
  const program = ts.createProgram(['src/core/config/types.ts'], {
    strict: true,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    module: ts.ModuleKind.ESNext,
    target: ts.ScriptTarget.ES2022,
    resolveJsonModule: true,
    skipLibCheck: true,
    noEmit: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const file = program.getSourceFile('src/core/config/types.ts')!;
  const alias = file.statements.find((s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === name);
  if (!alias) throw new Error(`type ${name} not found in types.ts`);
  const type = checker.getTypeAtLocation(alias.name);
  const out = new Map<string, string[]>();
  for (const member of type.isUnion() ? type.types : [type]) {
    const tag = member.getProperty(discriminant);
    const tagType = tag && checker.getTypeOfSymbolAtLocation(tag, alias);
    if (tagType?.isStringLiteral())
      out.set(
        tagType.value,
        member
          .getProperties()
          .map((p) => p.name)
          .sort(),
      );
  }
  return out;
}

test('every loss in LossConfig has exactly the fields its schema branch allows, and no loss is missing from either', () => {
  const types = resolvedUnionKeys('LossConfig', 'name');
  const branches = branchKeys(defs.loss, 'name');
  assert.deepEqual([...types.keys()].sort(), [...branches.keys()].sort());
  for (const [name, keys] of types) assert.deepEqual(keys, branches.get(name), `loss '${name}'`);
});

test('DatasetConfig covers every dataset branch of the schema, and the SLURM executor its branch', () => {
  const datasetFields = new Set([...branchKeys(defs.dataset, 'name').values()].flat());
  assert.deepEqual(typeKeys('DatasetConfig'), [...datasetFields].sort());
  assert.deepEqual(typeKeys('SlurmExecutorConfig'), branchKeys(defs.executor, 'type').get('slurm'));
});
