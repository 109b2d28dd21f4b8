/**
 * Where a config problem sits in the text, as a range an editor can underline: jsonc-parser's syntax
 * tree gives every value's offset and length, so a wrong value is underlined whole (not one
 * character at its key). The hand-written scanner in jsonLocate.ts still words syntax errors.
 */
import { findNodeAtLocation, parseTree, type Node } from 'jsonc-parser';

export interface TextRange {
  start: number;
  end: number;
}

/** RFC 6901 pointer → jsonc-parser path ('' is the root). */
function segments(pointer: string): (string | number)[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9]\d*)$/.test(s) ? Number(s) : s));
}

/** The key node of an object member's value, if the value is one. */
const keyOf = (node: Node): Node | undefined => (node.parent?.type === 'property' ? node.parent.children?.[0] : undefined);

/**
 * The range to underline for a problem: the key itself for an unknown field (`isKey`); a scalar value
 * whole; for an object or array (a missing field, a wrong combination) the key that names it, or its
 * opening bracket. A pointer not in the text (a missing field) falls back to the nearest parent there.
 */
export function problemRange(text: string, pointer: string, isKey = false): TextRange | undefined {
  const root = parseTree(text.replace(/^\uFEFF/, ' '));
  if (!root) return undefined;
  let path = segments(pointer);
  let node = findNodeAtLocation(root, path);
  const found = node !== undefined;
  while (!node && path.length > 0) {
    path = path.slice(0, -1);
    node = findNodeAtLocation(root, path);
  }
  if (!node) return undefined;
  const key = keyOf(node);
  if (isKey && found && key) return { start: key.offset, end: key.offset + key.length };
  if (node.type === 'object' || node.type === 'array') {
    return key && found ? { start: key.offset, end: key.offset + key.length } : { start: node.offset, end: node.offset + 1 };
  }
  return { start: node.offset, end: node.offset + node.length };
}
