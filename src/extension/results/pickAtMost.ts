/** A multi-select quick pick that refuses a pick beyond its limit the moment it is made. */
import * as vscode from 'vscode';
import { limitSelection } from './selectionLimit';

/** The items picked (1..max) when accepted; undefined when dismissed or none was picked. Items marked `picked` start ticked. */
export function pickAtMost<T extends vscode.QuickPickItem>(items: readonly T[], max: number, placeholder: string, refusal: string): Promise<readonly T[] | undefined> {
  const qp = vscode.window.createQuickPick<T>();
  qp.items = items;
  qp.canSelectMany = true;
  qp.placeholder = placeholder;
  let kept: readonly T[] = items.filter((i) => i.picked).slice(0, max);
  if (kept.length > 0) qp.selectedItems = kept;
  return new Promise((resolve) => {
    qp.onDidChangeSelection((selection) => {
      const next = limitSelection(kept, selection, max);
      qp.title = next === kept && selection.length > max ? refusal : undefined;
      if (next !== selection) qp.selectedItems = next;
      kept = next;
    });
    qp.onDidAccept(() => {
      resolve(kept.length > 0 ? kept : undefined);
      qp.hide();
    });
    qp.onDidHide(() => {
      resolve(undefined);
      qp.dispose();
    });
    qp.show();
  });
}
