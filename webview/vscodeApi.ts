/** The one handle a webview gets on VS Code (typed by @types/vscode-webview); acquireVsCodeApi may be called only once. */
import type { WebviewApi } from 'vscode-webview';
import type { FromWebview, WebviewState } from '../src/protocol/webview';

const api: WebviewApi<WebviewState> = acquireVsCodeApi<WebviewState>();

/** The API narrowed to this panel's messages, so a wrong message is a type error. */
export const vscode = {
  postMessage: (message: FromWebview): void => api.postMessage(message),
  getState: (): WebviewState | undefined => api.getState(),
  setState: (state: WebviewState): void => void api.setState(state),
};
