// Finding the policy-lsp binary: the setting `policyLsp.server.path`, else a binary bundled in
// the extension (`server/policy-lsp`, see README "Bundling the server"), else `policy-lsp` on PATH.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';

export const EXE = process.platform === 'win32' ? 'policy-lsp.exe' : 'policy-lsp';

export type ServerLocation =
  | { ok: true; path: string; source: 'setting' | 'bundled' | 'PATH' }
  | { ok: false; message: string; fromSetting: boolean };

function isExecutable(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    if (process.platform !== 'win32') fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function expand(p: string): string {
  let out = p.trim();
  if (out === '~' || out.startsWith('~/')) out = path.join(os.homedir(), out.slice(1));
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (folder) out = out.replace(/\$\{workspaceFolder\}/g, folder);
  if (!path.isAbsolute(out) && folder) out = path.resolve(folder, out);
  return out;
}

export function onPath(name: string, envPath = process.env.PATH ?? ''): string | undefined {
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

export function findServer(extensionPath: string): ServerLocation {
  const configured = vscode.workspace.getConfiguration('policyLsp').get<string>('server.path', '')?.trim();
  if (configured) {
    const p = expand(configured);
    if (isExecutable(p)) return { ok: true, path: p, source: 'setting' };
    return {
      ok: false, fromSetting: true,
      message: `Policy LSP: the setting policyLsp.server.path points to ${p}, which is not an executable file.`,
    };
  }
  const bundled = path.join(extensionPath, 'server', EXE);
  if (fs.existsSync(bundled)) {
    // Zip archives do not always keep the executable bit.
    if (process.platform !== 'win32') {
      try { fs.chmodSync(bundled, 0o755); } catch { /* read-only install: try as it is */ }
    }
    if (isExecutable(bundled)) return { ok: true, path: bundled, source: 'bundled' };
  }
  const found = onPath(EXE);
  if (found) return { ok: true, path: found, source: 'PATH' };
  return {
    ok: false, fromSetting: false,
    message: 'Policy LSP: the policy-lsp server was not found on PATH. Install it with '
      + '`cargo install --path .` in a clone of policy-lsp (or put a release binary on PATH), '
      + 'or set policyLsp.server.path to the binary, then run "Policy LSP: Restart Server".',
  };
}
