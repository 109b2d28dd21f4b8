/**
 * A small JSON scanner that only locates things: the first syntax error (with a
 * message a person can act on), where each JSON pointer starts, and duplicate
 * keys. `JSON.parse` still produces the value; its errors do not always carry a
 * position and their wording changes between Node versions.
 */

export interface TextPosition {
  offset: number;
  line: number; // 1-based
  column: number; // 1-based, in UTF-16 code units like editors count
}

export interface JsonScan {
  /** The first syntax error, if the text is not valid JSON. */
  error?: { message: string; offset: number };
  /** JSON pointer → offset: of the key for object members, of the value for array items and the root. */
  locations: Map<string, number>;
  /** Keys that occur twice in one object; JSON.parse silently keeps the last. */
  duplicates: { pointer: string; offset: number }[];
}

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

class JsonSyntaxError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WORD = /[A-Za-z_$][\w$]*/y;

class Scanner {
  private i = 0;
  readonly locations = new Map<string, number>();
  readonly duplicates: { pointer: string; offset: number }[] = [];

  constructor(private readonly text: string) {}

  run(): void {
    this.value('');
    this.skipSpace();
    if (this.i < this.text.length) this.unexpected('after the end of the JSON value');
  }

  private value(pointer: string): void {
    this.skipSpace();
    this.locations.set(pointer, this.i);
    const c = this.text[this.i];
    if (c === '{') this.object(pointer);
    else if (c === '[') this.array(pointer);
    else if (c === '"') this.string();
    else if (c === '-' || (c >= '0' && c <= '9')) this.number();
    else if (!this.literal()) this.unexpected('where a value was expected');
  }

  private object(pointer: string): void {
    this.i++; // {
    const seen = new Set<string>();
    this.skipSpace();
    if (this.text[this.i] === '}') {
      this.i++;
      return;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.i] !== '"') this.unexpected('where a property name in double quotes was expected');
      const keyOffset = this.i;
      const key = this.string();
      const child = `${pointer}/${pointerSegment(key)}`;
      if (seen.has(key)) this.duplicates.push({ pointer: child, offset: keyOffset });
      seen.add(key);
      this.locations.set(child, keyOffset);
      this.skipSpace();
      if (this.text[this.i] !== ':') this.unexpected(`after property name "${key}" (expected ':')`);
      this.i++;
      this.value(child);
      this.locations.set(child, keyOffset); // the value overwrote it; the key is the better anchor
      if (this.separator('}')) return;
    }
  }

  private array(pointer: string): void {
    this.i++; // [
    this.skipSpace();
    if (this.text[this.i] === ']') {
      this.i++;
      return;
    }
    for (let index = 0; ; index++) {
      this.value(`${pointer}/${index}`);
      if (this.separator(']')) return;
    }
  }

  /** After a member: true at the closing bracket, false after a comma (and rejects a trailing comma). */
  private separator(close: '}' | ']'): boolean {
    this.skipSpace();
    const c = this.text[this.i];
    if (c === close) {
      this.i++;
      return true;
    }
    if (c !== ',') this.unexpected(`(expected ',' or '${close}'${c === '"' || c === '{' || c === '[' ? '; is a comma missing?' : ''})`);
    const comma = this.i++;
    this.skipSpace();
    if (this.text[this.i] === close) throw new JsonSyntaxError(`trailing comma before '${close}' is not allowed in JSON`, comma);
    return false;
  }

  private string(): string {
    const start = this.i++;
    while (this.i < this.text.length) {
      const c = this.text[this.i];
      if (c === '"') return JSON.parse(this.text.slice(start, ++this.i)) as string;
      if (c === '\\') {
        const e = this.text[this.i + 1];
        if (e === 'u' ? !/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.i + 2, this.i + 6)) : !'"\\/bfnrt'.includes(e ?? 'x')) {
          throw new JsonSyntaxError('invalid escape sequence in string', this.i);
        }
        this.i += e === 'u' ? 6 : 2;
      } else if (c < ' ') {
        throw new JsonSyntaxError('unterminated string (line break or control character inside quotes)', this.i);
      } else this.i++;
    }
    throw new JsonSyntaxError('unterminated string', start);
  }

  private number(): void {
    NUMBER.lastIndex = this.i;
    const m = NUMBER.exec(this.text);
    if (!m) this.unexpected('(not a valid number)');
    this.i += m[0].length;
  }

  private literal(): boolean {
    for (const word of ['true', 'false', 'null']) {
      if (this.text.startsWith(word, this.i)) {
        this.i += word.length;
        return true;
      }
    }
    return false;
  }

  private skipSpace(): void {
    while (' \t\n\r'.includes(this.text[this.i] ?? 'x')) this.i++;
  }

  private unexpected(context: string): never {
    if (this.i >= this.text.length) throw new JsonSyntaxError(`unexpected end of file ${context}`, this.i);
    const c = this.text[this.i];
    WORD.lastIndex = this.i;
    const word = WORD.exec(this.text)?.[0];
    let hint = '';
    if (c === "'") hint = '; strings and names need double quotes';
    else if (c === '/') hint = '; comments are not allowed in JSON';
    else if (word) hint = '; text values need double quotes';
    throw new JsonSyntaxError(`unexpected '${word ?? c}' ${context}${hint}`, this.i);
  }
}

export function scanJson(text: string): JsonScan {
  const scanner = new Scanner(text);
  try {
    scanner.run();
    return { locations: scanner.locations, duplicates: scanner.duplicates };
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    return { error: { message: e.message, offset: e.offset }, locations: scanner.locations, duplicates: scanner.duplicates };
  }
}
