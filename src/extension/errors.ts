/** Errors a command may end with, and the one place that turns them into a notification. */
import * as vscode from 'vscode';
import { Strings } from './strings';

export interface ErrorAction {
  title: string;
  run: () => unknown;
}

/** Its message is already written for the user; `actions` become the notification's buttons. */
export class UserFacingError extends Error {
  override name = 'UserFacingError';

  constructor(
    message: string,
    readonly actions: ErrorAction[] = [],
  ) {
    super(message);
  }
}

export class UntrustedWorkspaceError extends UserFacingError {
  override name = 'UntrustedWorkspaceError';

  constructor() {
    super(Strings.untrusted, [{ title: Strings.manageTrust, run: () => vscode.commands.executeCommand('workbench.trust.manage') }]);
  }
}

export function requireTrust(): void {
  if (!vscode.workspace.isTrusted) throw new UntrustedWorkspaceError();
}

/**
 * Shows the error and logs it; never throws. A message written for the user shows its own actions
 * only (the log would repeat it); an unexpected error offers Show Log, where its stack is.
 */
export function reportError(log: vscode.LogOutputChannel, what: string, error: unknown): void {
  const showLog: ErrorAction = { title: Strings.showLog, run: () => log.show(true) };
  let message: string;
  let actions: ErrorAction[];
  if (error instanceof UserFacingError) {
    log.warn(error.message);
    message = error.message;
    actions = error.actions;
  } else {
    const e = error instanceof Error ? error : new Error(String(error));
    log.error(`${what}: ${e.stack ?? e.message}`);
    message = Strings.unexpected(what, e.message);
    actions = [showLog];
  }
  void vscode.window.showErrorMessage(message, ...actions.map((a) => a.title)).then((choice) => actions.find((a) => a.title === choice)?.run());
}
