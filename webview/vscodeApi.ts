/** The one handle a webview gets on VS Code; acquireVsCodeApi may be called only once. */
import type { FromWebview, WebviewState } from '../src/protocol/webview';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): WebviewState | undefined;
  setState(state: WebviewState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export const vscode: VsCodeApi = acquireVsCodeApi();
