/** Loss Lab: New Loss (scaffold a documented loss module and a config) and Check Loss (run its checks in a child process). */
import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { resolveConfigPath } from '../../core/config/configPaths';
import { formatCheckResults } from '../../core/losses/checkResults';
import { CONFIG_GLOB } from '../constants';
import { askModuleHost } from '../../host/moduleHost';
import { lossNameProblem, suggestLossName, writeNewLoss } from '../../host/newLoss';
import { moduleHostIn } from '../moduleHostPath';
import { checkSummary, defaultOptionsText, lossModuleRefusal, optionCompletions, optionsCompletionTarget, parseCheckResults } from './customLossFiles';
import { UntrustedWorkspaceError, UserFacingError } from '../errors';
import type { Services } from '../services';
import { Strings } from '../strings';

let output: vscode.OutputChannel | undefined;

/** Optional arguments (for tests): the loss name and the folder. Returns the module written. */
export async function newLoss(s: Services, nameArg?: unknown, folderArg?: unknown): Promise<string | undefined> {
  let folder = typeof folderArg === 'string' ? folderArg : undefined;
  if (!folder) {
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.length === 0) throw new UserFacingError(Strings.noWorkspace);
    folder = folders.length === 1 ? folders[0].uri.fsPath : (await vscode.window.showWorkspaceFolderPick())?.uri.fsPath;
    if (!folder) return undefined;
  }
  const name =
    typeof nameArg === 'string'
      ? nameArg
      : await vscode.window.showInputBox({
          prompt: 'Name of the new loss (its module is losses/<name>.ts)',
          value: suggestLossName(folder),
          ignoreFocusOut: true,
          validateInput: lossNameProblem,
        });
  if (!name) return undefined;
  let written;
  try {
    written = writeNewLoss(folder, name, path.join(s.context.extensionPath, 'types', 'tfjs-core.d.ts'));
  } catch (e) {
    throw new UserFacingError(`Loss Lab: ${(e as Error).message}`);
  }
  await vscode.window.showTextDocument(vscode.Uri.file(written.module));
  // Not awaited: the module is open and editable while the message waits.
  void vscode.window
    .showInformationMessage(Strings.newLossWritten(path.relative(folder, written.module), path.relative(folder, written.config)), Strings.openConfig)
    .then((choice) => (choice === Strings.openConfig ? vscode.window.showTextDocument(vscode.Uri.file(written.config)) : undefined));
  return written.module;
}

function moduleOf(target: unknown): string | undefined {
  if (target instanceof vscode.Uri) return target.fsPath;
  if (typeof target === 'string') return target;
  const active = vscode.window.activeTextEditor?.document.uri;
  return active && /\.(c|m)?(t|j)sx?$/i.test(active.fsPath) ? active.fsPath : undefined;
}

/** Runs `losslab check-loss --json` on the module in a child process and shows each check. Returns the results (for tests). */
export async function checkLoss(s: Services, target?: unknown, optionsArg?: unknown): Promise<unknown> {
  if (lossModuleRefusal(vscode.workspace.isTrusted)) throw new UntrustedWorkspaceError();
  let module = moduleOf(target);
  if (!module) {
    const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'Loss module': ['ts', 'js', 'mts', 'mjs'] }, openLabel: 'Check Loss' });
    module = picked?.[0]?.fsPath;
  }
  if (!module) return undefined;
  const options =
    typeof optionsArg === 'string'
      ? optionsArg
      : await vscode.window.showInputBox({ prompt: "The loss's options as JSON (as in the config's `options`)", value: defaultOptionsText(await optionsSchemaOf(s, module)) });
  if (options === undefined) return undefined;
  const cli = path.join(s.context.extensionPath, 'dist', 'cli.js');
  const { stdout, stderr, code } = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Checking ${path.basename(module)}…` },
    () =>
      new Promise<{ stdout: string; stderr: string; code: number | null }>((resolve) => {
        const child = fork(cli, ['check-loss', module, '--json', '--options', options], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
        let out = '';
        let err = '';
        child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
        child.on('error', (e) => (err += e.message));
        child.on('exit', (c) => resolve({ stdout: out, stderr: err, code: c }));
      }),
  );
  const results = parseCheckResults(stdout);
  output ??= vscode.window.createOutputChannel('Loss Lab: Check Loss');
  if (!results) {
    const reason =
      stderr
        .split('\n')
        .filter((l) => l.startsWith('losslab:'))
        .join(' ') || `exit code ${code}`;
    throw new UserFacingError(`Loss Lab: Check Loss could not run: ${reason.replace(/^losslab: /, '')}`);
  }
  output.appendLine(`${module} ${options}`);
  output.appendLine(formatCheckResults(results));
  output.appendLine('');
  const summary = checkSummary(module, results);
  const show = (m: string) => (results.every((r) => r.passed) ? vscode.window.showInformationMessage(m, 'Show Checks') : vscode.window.showWarningMessage(m, 'Show Checks'));
  void show(summary).then((choice) => choice && output?.show(true));
  return results;
}

const schemaCache = new Map<string, { mtimeMs: number; schema: unknown }>();

/** The module's optionsSchema, from the module host's child process (the module's code runs there); null when none or unreadable. */
async function optionsSchemaOf(s: Services, module: string): Promise<unknown> {
  let mtimeMs: number;
  try {
    mtimeMs = fs.statSync(module).mtimeMs;
  } catch {
    return null;
  }
  const hit = schemaCache.get(module);
  if (hit && hit.mtimeMs === mtimeMs) return hit.schema;
  let schema: unknown;
  try {
    schema = (await askModuleHost({ type: 'schema', module }, { hostPath: moduleHostIn(s.context.extensionPath) })).schema ?? null;
  } catch {
    schema = null; // a module that does not load: no completion, and Check Loss says why
  }
  schemaCache.set(module, { mtimeMs, schema });
  return schema;
}

/** Completion of a custom loss's `options` in a config, from its module's optionsSchema (trusted workspaces only: the module runs). */
export function lossOptionsCompletion(s: Services): vscode.Disposable {
  return vscode.languages.registerCompletionItemProvider(
    { pattern: CONFIG_GLOB },
    {
      async provideCompletionItems(document, position) {
        if (lossModuleRefusal(vscode.workspace.isTrusted)) return undefined;
        const target = optionsCompletionTarget(document.getText(), document.offsetAt(position));
        if (!target) return undefined;
        const module = resolveConfigPath(target.module, document.uri.fsPath);
        const schema = await optionsSchemaOf(s, module);
        const range = document.getWordRangeAtPosition(position, /"[^"\n]*"?/);
        return optionCompletions(schema, target.present).map((c) => {
          const item = new vscode.CompletionItem(c.key, vscode.CompletionItemKind.Property);
          item.insertText = c.insert;
          if (range) item.range = range;
          item.detail = `option of ${path.basename(module)}`;
          if (c.documentation) item.documentation = c.documentation;
          return item;
        });
      },
    },
    '"',
  );
}
