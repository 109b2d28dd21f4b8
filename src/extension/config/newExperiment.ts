/** New Experiment: a config from a preset, written into the workspace and opened. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CONFIG_SUFFIX } from '../constants';
import { UserFacingError } from '../errors';
import { EXPERIMENT_NAME, presetConfig, PRESETS } from './presets';
import type { Services } from '../services';
import { Strings } from '../strings';

async function workspaceFolder(arg: unknown): Promise<string | undefined> {
  if (typeof arg === 'string') return arg;
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) throw new UserFacingError(Strings.noWorkspace);
  if (folders.length === 1) return folders[0].uri.fsPath;
  return (await vscode.window.showWorkspaceFolderPick({ placeHolder: Strings.pickFolder }))?.uri.fsPath;
}

/** Optional arguments (for tests): preset id, experiment name, target folder. Returns the file written. */
export async function newExperiment(s: Services, presetArg?: unknown, nameArg?: unknown, folderArg?: unknown): Promise<string | undefined> {
  const preset = PRESETS.find((p) => p.id === presetArg) ?? (await vscode.window.showQuickPick([...PRESETS], { placeHolder: Strings.pickPreset, ignoreFocusOut: true }));
  if (!preset) return undefined;
  const folder = await workspaceFolder(folderArg);
  if (!folder) return undefined;
  const fileOf = (name: string) => path.join(folder, `${name}${CONFIG_SUFFIX}`);
  const validate = (name: string) => (!EXPERIMENT_NAME.test(name) ? Strings.badName : fs.existsSync(fileOf(name)) ? Strings.fileExists(path.basename(fileOf(name))) : undefined);
  const name = typeof nameArg === 'string' ? nameArg : await vscode.window.showInputBox({ prompt: Strings.askName, value: preset.id, validateInput: validate, ignoreFocusOut: true });
  if (!name) return undefined;
  const problem = validate(name);
  if (problem) throw new UserFacingError(`Loss Lab: ${problem}`);
  const examples = path.join(s.context.extensionPath, 'examples');
  const config = presetConfig(preset.id, name, (file) => JSON.parse(fs.readFileSync(path.join(examples, file), 'utf8')) as Record<string, unknown>);
  const file = fileOf(name);
  fs.writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  await vscode.window.showTextDocument(vscode.Uri.file(file));
  return file;
}
