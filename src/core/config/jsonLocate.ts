/**
 * Where things stand in a config's JSON text, read with jsonc-parser: the first syntax error in
 * words a person can act on, keys given twice, and the range a problem at a JSON pointer
 * underlines. `JSON.parse` still produces the value; its errors do not always carry a position
 * and their wording changes between Node versions.
 */
import { findNodeAtLocation, parseTree, printParseErrorCode, visit, type Node, type ParseOptions } from 'jsonc-parser';

export interface TextPosition {
  offset: number;
  line: number; // 1-based
  column: number; // 1-based, in UTF-16 code units like editors count
}

export interface TextRange {
  start: number;
  end: number;
}

export interface JsonSyntaxError {
  message: string;
  offset: number;
}

/** Strict JSON: no comments, no trailing commas, no empty file. */
const STRICT: ParseOptions = { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false };

export function positionAt(text: string, offset: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset, line, column: offset - lineStart + 1 };
}

/** RFC 6901 escaping, the same ajv uses in `instancePath`. */
export function pointerSegment(key: string | number): string {
  return String(key).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** RFC 6901 pointer → jsonc-parser path ('' is the root). */
function pathOf(pointer: string): (string | number)[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9]\d*)$/.test(s) ? Number(s) : s));
}

/** Keys that occur twice in one object (JSON.parse silently keeps the last), at the second one. */
export function duplicateKeys(text: string): { pointer: string; offset: number }[] {
  const keysOfOpenObjects: Set<string>[] = [];
  const duplicates: { pointer: string; offset: number }[] = [];
  visit(
    text,
    {
      onObjectBegin: () => void keysOfOpenObjects.push(new Set()),
      onObjectEnd: () => void keysOfOpenObjects.pop(),
      onObjectProperty: (key, offset, _length, _line, _column, pathOfObject) => {
        const keys = keysOfOpenObjects[keysOfOpenObjects.length - 1];
        if (keys.has(key)) duplicates.push({ pointer: [...pathOfObject(), key].map((s) => `/${pointerSegment(s)}`).join(''), offset });
        keys.add(key);
      },
    },
    STRICT,
  );
  return duplicates;
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
  let path = pathOf(pointer);
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

/** What the text must hold next inside one container (or at the top level, which has no `close`). */
interface Place {
  close?: '}' | ']';
  expect: 'value' | 'key' | 'colon' | 'separator' | 'end';
}

// jsonc-parser's error codes by name (printParseErrorCode): its enum is const, out of reach of isolated modules.
const STRING_ERRORS = new Set(['UnexpectedEndOfString', 'InvalidEscapeCharacter', 'InvalidUnicode', 'InvalidCharacter']);
const NUMBER_ERRORS = new Set(['UnexpectedEndOfNumber', 'InvalidNumberFormat']);
const CLOSE_ERRORS = new Set(['CloseBraceExpected', 'CloseBracketExpected']);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;
const WORD = /[A-Za-z_$][\w$]*/y;

const afterValue = (place: Place): Place => ({ ...place, expect: place.close ? 'separator' : 'end' });

/** "unexpected 'cifar100' where a value was expected; text values need double quotes" */
function unexpected(text: string, offset: number, context: string): JsonSyntaxError {
  if (offset >= text.length) return { message: `unexpected end of file ${context}`, offset };
  const c = text[offset];
  WORD.lastIndex = offset;
  const word = WORD.exec(text)?.[0];
  let hint = '';
  if (c === "'") hint = '; strings and names need double quotes';
  else if (c === '/') hint = '; comments are not allowed in JSON';
  else if (word) hint = '; text values need double quotes';
  return { message: `unexpected '${word ?? c}' ${context}${hint}`, offset };
}

function contextAt(text: string, offset: number, place: Place, key: string): string {
  const c = text[offset];
  switch (place.expect) {
    case 'value':
      return 'where a value was expected';
    case 'key':
      return 'where a property name in double quotes was expected';
    case 'colon':
      return `after property name "${key}" (expected ':')`;
    case 'separator':
      return `(expected ',' or '${place.close}'${c === '"' || c === '{' || c === '[' ? '; is a comma missing?' : ''})`;
    case 'end':
      return 'after the end of the JSON value';
  }
}

/** jsonc-parser reports a bad string at its opening quote; a person needs the character at fault. */
function stringProblem(text: string, start: number): JsonSyntaxError {
  for (let i = start + 1; i < text.length && text[i] !== '"';) {
    const c = text[i];
    if (c === '\\') {
      const e = text[i + 1];
      if (e === 'u' ? !/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6)) : !'"\\/bfnrt'.includes(e ?? 'x')) return { message: 'invalid escape sequence in string', offset: i };
      i += e === 'u' ? 6 : 2;
    } else if (c < ' ') {
      return { message: 'unterminated string (line break or control character inside quotes)', offset: i };
    } else i++;
  }
  return { message: 'unterminated string', offset: start };
}

/** How much of a token jsonc-parser refused is a valid number or literal ("1" of "1.", "true" of "truex"). */
function validStart(text: string, offset: number, code: string): number {
  const valid = NUMBER_ERRORS.has(code) ? NUMBER : code === 'InvalidSymbol' ? LITERAL : undefined;
  if (!valid) return 0;
  valid.lastIndex = offset;
  return valid.exec(text)?.[0].length ?? 0;
}

/** The first syntax error in `text`, worded by what the parser expected where it stopped; undefined for valid JSON. */
export function jsonSyntaxError(text: string): JsonSyntaxError | undefined {
  const open: Place[] = [{ expect: 'value' }];
  const here = () => open[open.length - 1];
  let closed: Place = here(); // the container that ended last: a missing bracket is reported after it ends
  let key = '';
  let comma: number | undefined; // a comma just passed, for "trailing comma"
  let error: JsonSyntaxError | undefined;
  const entered = (close: '}' | ']', expect: Place['expect']) => {
    comma = undefined;
    open.push({ close, expect });
  };
  const ended = () => {
    comma = undefined;
    closed = open.pop() ?? closed;
    Object.assign(here(), afterValue(here()));
  };
  const describe = (code: string, offset: number): JsonSyntaxError => {
    const place = CLOSE_ERRORS.has(code) ? closed : here();
    if (comma !== undefined && place.close && text[offset] === place.close) return { message: `trailing comma before '${place.close}' is not allowed in JSON`, offset: comma };
    if ((place.expect === 'key' || place.expect === 'value') && STRING_ERRORS.has(code)) return stringProblem(text, offset);
    if (place.expect === 'value') {
      // A number or literal's valid beginning stands; what follows it is the mistake.
      const end = offset + validStart(text, offset, code);
      if (end > offset) return unexpected(text, end, contextAt(text, end, afterValue(place), key));
      if (text[offset] === '-') return unexpected(text, offset, '(not a valid number)');
    }
    return unexpected(text, offset, contextAt(text, offset, place, key));
  };
  visit(
    text,
    {
      onObjectBegin: () => entered('}', 'key'),
      onArrayBegin: () => entered(']', 'value'),
      onObjectEnd: ended,
      onArrayEnd: ended,
      onObjectProperty: (name) => {
        key = name;
        comma = undefined;
        here().expect = 'colon';
      },
      onLiteralValue: () => {
        comma = undefined;
        Object.assign(here(), afterValue(here()));
      },
      onSeparator: (separator, offset) => {
        here().expect = separator === ':' ? 'value' : here().close === '}' ? 'key' : 'value';
        comma = separator === ',' ? offset : undefined;
      },
      onError: (code, offset) => {
        error ??= describe(printParseErrorCode(code), offset);
      },
    },
    STRICT,
  );
  return error;
}
