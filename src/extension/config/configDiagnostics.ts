/**
 * Loss Lab's own diagnostics for *.losslab.json, live while editing: the schema's problems with their
 * did-you-mean hints, the semantic checks and the paths the file writes (core/config/configPaths.ts
 * configFileProblems, the list Run refuses with and `losslab validate` prints). VS Code's JSON service
 * gets a schema without constraints (scripts/completion-schema.mjs), so each problem shows once; JSON
 * syntax errors are its own and are left to it.
 */
import * as vscode from 'vscode';
import { configFileProblems } from '../../core/config/configPaths';
import type { ConfigProblem } from '../../core/config/configError';
import { parse } from 'jsonc-parser';
import { lossModuleProblems } from '../../host/lossModuleProblems';
import { moduleHostIn } from '../moduleHostPath';
import { CONFIG_SUFFIX } from '../constants';

/** How long typing must pause before a document is checked again. */
const DIAGNOSTICS_DELAY_MS = 300;

const DIAGNOSTIC_SOURCE = 'Loss Lab';

function isConfigDocument(doc: vscode.TextDocument): boolean {
  return doc.uri.scheme === 'file' && doc.fileName.endsWith(CONFIG_SUFFIX);
}

/** One problem as an editor squiggle: the whole wrong value when its end is known (core/config/jsonLocate.ts), else one character. */
function toDiagnostic(problem: ConfigProblem): vscode.Diagnostic {
  const line = Math.max(0, (problem.line ?? 1) - 1);
  const column = Math.max(0, (problem.column ?? 1) - 1);
  const end = problem.endLine !== undefined && problem.endColumn !== undefined ? new vscode.Position(problem.endLine - 1, problem.endColumn - 1) : new vscode.Position(line, column + 1);
  const diagnostic = new vscode.Diagnostic(new vscode.Range(new vscode.Position(line, column), end), `${problem.path === '/' ? '' : `${problem.path}: `}${problem.message}`);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  return diagnostic;
}

/** The diagnostics to publish for these problems: all but JSON syntax errors, which VS Code's JSON service shows already. */
export function diagnosticsOf(problems: readonly ConfigProblem[]): vscode.Diagnostic[] {
  return problems.filter((p) => !p.syntax).map(toDiagnostic);
}

export class ConfigDiagnostics implements vscode.Disposable {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly collection: vscode.DiagnosticCollection,
    private readonly log: vscode.LogOutputChannel,
    /** Where the module host is (dist/moduleHost.js): custom losses are checked there. */
    private readonly extensionPath: string,
  ) {
    this.subscriptions = [
      vscode.workspace.onDidOpenTextDocument((doc) => this.check(doc)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        this.cancel(doc.uri);
        // A closed file's problems go with it; Run publishes them again for a file it refuses.
        if (isConfigDocument(doc)) this.collection.delete(doc.uri);
      }),
    ];
    for (const doc of vscode.workspace.textDocuments) this.check(doc);
  }

  /** Checks the document now and publishes its problems (none: clears them). */
  check(doc: vscode.TextDocument): void {
    if (!isConfigDocument(doc)) return;
    this.cancel(doc.uri);
    try {
      const text = doc.getText();
      const problems = configFileProblems(text, doc.uri.fsPath);
      this.collection.set(doc.uri, diagnosticsOf(problems));
      // Custom losses load in a child process (their code runs: trusted workspaces only); their problems join when it answers.
      if (vscode.workspace.isTrusted) void this.checkModules(doc, text, problems);
    } catch (e) {
      // A bug in a check must not cost the editor its other diagnostics; the log keeps it.
      this.log.error(`checking ${doc.uri.fsPath}: ${(e as Error).stack ?? String(e)}`);
    }
  }

  private async checkModules(doc: vscode.TextDocument, text: string, problems: readonly ConfigProblem[]): Promise<void> {
    const version = doc.version;
    try {
      const losses = (parse(text) as { losses?: unknown } | undefined)?.losses;
      const found = await lossModuleProblems(losses, { configFile: doc.uri.fsPath, hostPath: moduleHostIn(this.extensionPath), text });
      // Only for the text it checked: a newer edit has its own check under way.
      if (found.length > 0 && doc.version === version && !doc.isClosed) this.collection.set(doc.uri, diagnosticsOf([...problems, ...found]));
    } catch (e) {
      this.log.warn(`checking the loss modules of ${doc.uri.fsPath}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const s of this.subscriptions) s.dispose();
  }

  private schedule(doc: vscode.TextDocument): void {
    if (!isConfigDocument(doc)) return;
    this.cancel(doc.uri);
    this.timers.set(
      doc.uri.toString(),
      setTimeout(() => this.check(doc), DIAGNOSTICS_DELAY_MS),
    );
  }

  private cancel(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
  }
}
