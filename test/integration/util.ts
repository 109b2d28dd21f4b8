import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, type LossLabApi, type RunResult } from './contract';

/** test/fixtures in the source tree; this bundle runs from out/test/integration/. */
export const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures');

export function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests need a folder open (a copy of test/fixtures/workspace)');
  return folder.uri.fsPath;
}

export function configUri(name: string): vscode.Uri {
  return vscode.Uri.file(path.join(workspaceRoot(), name));
}

export async function activateExtension(): Promise<LossLabApi> {
  const ext = vscode.extensions.getExtension<LossLabApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed`);
  return ext.activate();
}

export async function runExperiment(configName: string): Promise<RunResult> {
  const result = await vscode.commands.executeCommand<RunResult | undefined>('lossLab.runExperiment', configUri(configName));
  assert.ok(result, `lossLab.runExperiment(${configName}) resolved with nothing`);
  return result;
}

export function readJson<T = Record<string, unknown>>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

export function readJsonLines(file: string): Record<string, unknown>[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Clean-ups registered by a test, run in afterEach (settings restored, spies removed). */
export class Disposer {
  private readonly undo: (() => unknown)[] = [];

  track(fn: () => unknown): void {
    this.undo.push(fn);
  }

  async dispose(): Promise<void> {
    for (const fn of this.undo.splice(0).reverse()) await fn();
  }
}

export type MessageSpy = { level: string; text: string }[];

/**
 * Records the messages the extension shows. The test module lies inside the extension's
 * folder, so the extension host hands both the same `vscode` API object; undefined when
 * that object cannot be patched.
 */
export function spyOnMessages(disposer: Disposer): MessageSpy | undefined {
  const seen: MessageSpy = [];
  const win = vscode.window as unknown as Record<string, unknown>;
  for (const level of ['showErrorMessage', 'showWarningMessage', 'showInformationMessage']) {
    const original = win[level] as (...a: unknown[]) => unknown;
    try {
      win[level] = (text: string, ...rest: unknown[]) => {
        seen.push({ level, text });
        return original.call(vscode.window, text, ...rest);
      };
    } catch {
      return undefined;
    }
    if (win[level] === original) return undefined;
    disposer.track(() => (win[level] = original));
  }
  return seen;
}

/** Polls until `check` returns a value other than undefined; a ready signal, not a sleep. */
export async function waitUntil<T>(what: string, check: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let value = check(); ; value = check()) {
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
