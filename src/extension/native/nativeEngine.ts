/**
 * "Loss Lab: Build Native Engine": compiles the torch backend against the machine's libtorch
 * (lossLab.libtorchPath, else the Python on PATH's torch, else Debian's libtorch-dev), with
 * progress, and offers it once when a run fell back to a slower backend for want of it.
 */
import * as vscode from 'vscode';
import { buildNativeEngine, NativeBuildError } from '../../host/nativeBuild';
import { describeLibtorch } from '../../core/backend/torch/libtorch';
import { formatDuration } from '../../core/util/duration';
import { Command, SETTINGS_SECTION } from '../constants';
import { requireTrust, UserFacingError } from '../errors';
import { nativeEngineEnv } from '../settings';

export async function buildNativeEngineCommand(log: vscode.LogOutputChannel, force = false): Promise<string | undefined> {
  requireTrust(); // it runs a compiler and loads the result
  const env = { ...process.env, ...nativeEngineEnv() };
  try {
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Loss Lab: building the native engine' }, (progress) =>
      buildNativeEngine({
        force,
        env,
        progress: (message) => {
          log.info(`native engine: ${message}`);
          progress.report({ message });
        },
      }),
    );
    const what = result.built ? `built in ${formatDuration(result.seconds)}` : 'already up to date';
    void vscode.window.showInformationMessage(`Native engine ${what} for ${describeLibtorch(result.libtorch)}. Runs with backend "auto" or "torch" use it from the next run on.`);
    return result.file;
  } catch (e) {
    if (!(e instanceof NativeBuildError)) throw e;
    log.error(`native engine: ${e.message}`);
    const actions =
      e.piece === 'libtorch'
        ? [{ title: 'Set libtorch Path', run: () => vscode.commands.executeCommand('workbench.action.openSettings', `${SETTINGS_SECTION}.libtorchPath`) }]
        : [{ title: 'Show Log', run: () => log.show() }];
    // The first line only: a compile failure's compiler output is in the log.
    throw new UserFacingError(`Native engine not built: ${e.message.split('\n')[0]}`, actions);
  }
}

/** Offers the build once per window when a run says the engine is missing (the run itself goes on, on another backend). */
export function offerNativeBuild(onMissing: vscode.Event<string>): vscode.Disposable {
  let offered = false;
  return onMissing(async () => {
    if (offered) return;
    offered = true;
    const build = 'Build Native Engine';
    const choice = await vscode.window.showInformationMessage(
      "Loss Lab is training on a slower backend: the native engine (PyTorch's kernels, on your CPU or GPU) is not built for this machine yet.",
      build,
    );
    if (choice === build) await vscode.commands.executeCommand(Command.BuildNativeEngine);
  });
}
