import * as path from 'node:path';

/** The installed extension's module host (dist/moduleHost.js): the child process that loads users' loss modules. */
export function moduleHostIn(extensionPath: string): string {
  return path.join(extensionPath, 'dist', 'moduleHost.js');
}
