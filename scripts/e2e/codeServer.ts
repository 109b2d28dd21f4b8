/**
 * Starts code-server (VS Code in a browser, with a real Node extension host) for the e2e
 * tests, each instance in its own process group so that stopping it also ends its file
 * watchers and extension hosts (../shared/notes/vscode-e2e.md). Groups still alive when
 * this process exits, for any reason, are killed.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const E2E_CACHE = process.env.LOSSLAB_E2E_CACHE ?? path.join(os.homedir(), '.cache', 'losslab-e2e');
export const CODE_SERVER_BIN = path.join(E2E_CACHE, 'code-server', 'node_modules', '.bin', 'code-server');

const liveGroups = new Set<number>();

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // The group is already gone.
  }
}

process.on('exit', () => liveGroups.forEach((g) => killGroup(g, 'SIGKILL')));
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    liveGroups.forEach((g) => killGroup(g, 'SIGKILL'));
    process.exit(128 + os.constants.signals[signal]);
  });
}

export interface CodeServerOptions {
  /** Folder opened in the workbench. */
  workspace: string;
  /** Scratch folder for this instance: user data, extensions, config and log go under it. */
  home: string;
  /** false leaves workspace trust on, so the folder opens in Restricted Mode. */
  trust: boolean;
  /** Extra environment for the server and so for its extension host. */
  env?: Record<string, string>;
  /** User settings.json content. */
  settings?: Record<string, unknown>;
}

export interface CodeServer {
  /** http://127.0.0.1:PORT */
  origin: string;
  /** For vscode-remote:// URIs. */
  authority: string;
  log: string;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;

export function homeDirs(home: string) {
  return {
    userData: path.join(home, 'user-data'),
    extensions: path.join(home, 'extensions'),
    config: path.join(home, 'config.yaml'),
    log: path.join(home, 'code-server.log'),
  };
}

/** Installs a .vsix into the instance's extensions folder, as a user would with `code-server --install-extension`. */
export function installExtension(home: string, vsix: string): void {
  const dirs = homeDirs(home);
  fs.mkdirSync(dirs.extensions, { recursive: true });
  const r = spawnSync(CODE_SERVER_BIN, ['--extensions-dir', dirs.extensions, '--user-data-dir', dirs.userData, '--install-extension', vsix, '--force'], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, XDG_CONFIG_HOME: path.join(home, 'xdg') },
  });
  if (r.status !== 0) throw new Error(`code-server --install-extension ${vsix} failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
}

export async function startCodeServer(o: CodeServerOptions): Promise<CodeServer> {
  if (!fs.existsSync(CODE_SERVER_BIN)) throw new Error(`code-server is not installed at ${CODE_SERVER_BIN}: run scripts/e2e/setup.sh`);
  const dirs = homeDirs(o.home);
  fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  fs.mkdirSync(dirs.extensions, { recursive: true });
  fs.writeFileSync(dirs.config, 'auth: none\ncert: false\n');
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'update.mode': 'none',
    ...(o.trust ? {} : { 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.enabled': true }),
    ...o.settings,
  };
  fs.writeFileSync(path.join(dirs.userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2));

  const args = [
    '--config',
    dirs.config,
    '--bind-addr',
    '127.0.0.1:0',
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    ...(o.trust ? ['--disable-workspace-trust'] : []),
    '--extensions-dir',
    dirs.extensions,
    '--user-data-dir',
    dirs.userData,
    o.workspace,
  ];
  fs.writeFileSync(dirs.log, '');
  const logFd = fs.openSync(dirs.log, 'a');
  const child = spawn(CODE_SERVER_BIN, args, {
    detached: true, // setsid: a group of its own, killed as a whole
    stdio: ['ignore', 'pipe', logFd],
    env: { ...process.env, XDG_CONFIG_HOME: path.join(o.home, 'xdg'), ...o.env },
  });
  const pgid = child.pid!;
  liveGroups.add(pgid);
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));

  const origin = await new Promise<string>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`code-server did not listen within ${READY_TIMEOUT_MS / 1000} s; log: ${dirs.log}`)), READY_TIMEOUT_MS);
    child.stdout!.on('data', (d: Buffer) => {
      fs.appendFileSync(dirs.log, d);
      seen += d.toString();
      const m = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(seen);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited early (${code ?? signal}); log: ${dirs.log}`));
    });
  }).catch(async (e) => {
    killGroup(pgid, 'SIGKILL');
    liveGroups.delete(pgid);
    throw e;
  });
  await waitForHealthz(origin);

  return {
    origin,
    authority: origin.replace(/^http:\/\//, ''),
    log: dirs.log,
    async stop() {
      if (!liveGroups.has(pgid)) return;
      killGroup(pgid, 'SIGTERM');
      const killer = setTimeout(() => killGroup(pgid, 'SIGKILL'), 3000);
      await Promise.race([exit, new Promise((r) => setTimeout(r, 3500))]);
      clearTimeout(killer);
      // Children (extension host, watchers, training workers) may outlive the leader by a moment.
      killGroup(pgid, 'SIGKILL');
      liveGroups.delete(pgid);
      fs.closeSync(logFd);
      if (!exited) throw new Error(`code-server (group ${pgid}) did not exit`);
    },
  };
}

async function waitForHealthz(origin: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      const r = await fetch(`${origin}/healthz`);
      if (r.ok) return;
    } catch {
      // Not accepting connections yet.
    }
    if (Date.now() > deadline) throw new Error(`${origin}/healthz did not answer`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
