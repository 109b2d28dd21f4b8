/**
 * Open in TensorBoard: `tensorboard --logdir <experiment>` started on a free port and shown in
 * VS Code's Simple Browser (the system browser where that is missing), one server per experiment,
 * stopped when VS Code closes. Without a `tensorboard` on PATH, the Python extension's TensorBoard
 * command where installed; else one line saying what to install.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { findOnPath, startTensorboard, TENSORBOARD_INSTALL_HINT, type TensorboardServer } from '../../host/tensorboard';
import { UserFacingError } from '../errors';
import type { Services } from '../services';
import { Strings } from '../strings';
import { checkExperiment, experimentDir } from './resultsCommands';

/** The Python extension's (and the TensorBoard extension's) command, which asks for the folder itself. */
const PYTHON_TENSORBOARD = 'python.launchTensorBoard';

/** The servers this window started, by experiment folder; all stopped on dispose. */
export class TensorboardServers implements vscode.Disposable {
  private readonly servers = new Map<string, Promise<TensorboardServer>>();

  /** The experiment's server: the running one, or a new one. */
  serve(exe: string, dir: string): Promise<TensorboardServer> {
    const running = this.servers.get(dir);
    if (running) return running;
    const started = startTensorboard(exe, dir);
    this.servers.set(dir, started);
    started.then(
      (server) => server.process.once('exit', () => this.servers.get(dir) === started && this.servers.delete(dir)),
      () => this.servers.delete(dir),
    );
    return started;
  }

  dispose(): void {
    for (const server of this.servers.values())
      void server.then(
        (s) => s.process.kill(),
        () => undefined,
      );
    this.servers.clear();
  }
}

/** Returns the address shown, or undefined where the Python extension took over or someone cancelled. */
export async function openTensorboard(s: Services, arg: unknown): Promise<string | undefined> {
  const dir = await experimentDir(s, arg, true);
  if (!dir) return undefined;
  checkExperiment(dir);
  const exe = findOnPath('tensorboard');
  if (!exe) {
    if ((await vscode.commands.getCommands(true)).includes(PYTHON_TENSORBOARD)) {
      void vscode.window.showInformationMessage(Strings.tensorboardViaPython(dir));
      await vscode.commands.executeCommand(PYTHON_TENSORBOARD);
      return undefined;
    }
    throw new UserFacingError(Strings.tensorboardMissing(TENSORBOARD_INSTALL_HINT));
  }
  const { url } = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: Strings.tensorboardStarting(path.basename(dir)) }, () =>
    s.tensorboards.serve(exe, dir).catch((e: Error) => {
      throw new UserFacingError(`Loss Lab: ${e.message}`);
    }),
  );
  s.log.info(Strings.tensorboardServing(dir, url));
  try {
    await vscode.commands.executeCommand('simpleBrowser.show', url);
  } catch {
    await vscode.env.openExternal(vscode.Uri.parse(url));
  }
  return url;
}
