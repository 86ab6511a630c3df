// Packages the extension into a .vsix with @vscode/vsce (run `npm run build` first; `npm run
// package` does both).
//
//   npm run package                                   -> policy-lsp-VERSION.vsix (no server inside:
//                                                        it uses policyLsp.server.path or PATH)
//   npm run package -- --target linux-x64             -> policy-lsp-linux-x64-VERSION.vsix with the
//                                                        repository's target/release/policy-lsp inside
//   npm run package -- --target darwin-arm64 --server PATH/TO/policy-lsp
//                                                     -> the same with a binary built for that target
//   --out FILE                                        where to write the .vsix
//
// The binary is copied to server/policy-lsp (server/policy-lsp.exe for win32-*) for the time of
// packaging only; the extension prefers it to PATH (README: "Bundling the server").
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REPO = path.resolve(ROOT, '..', '..');
const TARGETS = ['win32-x64', 'win32-arm64', 'linux-x64', 'linux-arm64', 'linux-armhf',
  'alpine-x64', 'alpine-arm64', 'darwin-x64', 'darwin-arm64'];

function die(msg) { console.error(`package: ${msg}`); process.exit(2); }

const args = process.argv.slice(2);
let target = null; let server = null; let out = null;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  const val = () => { if (i + 1 >= args.length) die(`${a} needs a value`); return args[++i]; };
  if (a === '--target') target = val();
  else if (a.startsWith('--target=')) target = a.slice(9);
  else if (a === '--server') server = path.resolve(val());
  else if (a.startsWith('--server=')) server = path.resolve(a.slice(9));
  else if (a === '--out') out = path.resolve(val());
  else if (a.startsWith('--out=')) out = path.resolve(a.slice(6));
  else die(`unknown argument ${a} (use --target T, --server PATH, --out FILE)`);
}

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
if (!fs.existsSync(path.join(ROOT, 'dist', 'extension.js'))) die('dist/extension.js is missing: run `npm run build`');
if (server && !target) die('--server needs --target (the platform the binary was built for)');
if (target && !TARGETS.includes(target)) die(`unknown --target ${target}; one of ${TARGETS.join(', ')}`);

const hostTarget = (() => {
  const arch = { x64: 'x64', arm64: 'arm64', arm: 'armhf' }[process.arch];
  return arch ? `${process.platform}-${arch}` : null;
})();
const serverDir = path.join(ROOT, 'server');
fs.rmSync(serverDir, { recursive: true, force: true });
if (target) {
  if (!server) {
    if (target !== hostTarget) die(`--target ${target} is not this machine (${hostTarget}): build policy-lsp for it and pass --server PATH`);
    server = path.join(REPO, 'target', 'release', process.platform === 'win32' ? 'policy-lsp.exe' : 'policy-lsp');
    if (!fs.existsSync(server)) die(`${server} is missing: run \`cargo build --release\` in ${REPO}, or pass --server PATH`);
  }
  if (!fs.statSync(server, { throwIfNoEntry: false })?.isFile()) die(`--server ${server}: no such file`);
  fs.mkdirSync(serverDir);
  const exe = path.join(serverDir, target.startsWith('win32-') ? 'policy-lsp.exe' : 'policy-lsp');
  fs.copyFileSync(server, exe);
  fs.chmodSync(exe, 0o755);
  console.log(`package: bundling ${server} as server/${path.basename(exe)} (${target})`);
}
out ??= path.join(ROOT, `${pkg.name}-${target ? `${target}-` : ''}${pkg.version}.vsix`);

const vsce = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
// README links are relative to editors/vscode in the repository; vsce ignores
// repository.directory when it makes them absolute, so say where the README lives.
const repoUrl = String(pkg.repository?.url ?? '').replace(/\.git$/, '');
const base = repoUrl && `${repoUrl}/blob/HEAD/${pkg.repository.directory ?? ''}`;
const vsceArgs = ['package', '--no-dependencies', '--out', out, ...(target ? ['--target', target] : []),
  ...(base ? ['--baseContentUrl', base, '--baseImagesUrl', base.replace('/blob/', '/raw/')] : [])];
const r = spawnSync(process.execPath, [vsce, ...vsceArgs], { cwd: ROOT, stdio: 'inherit' });
fs.rmSync(serverDir, { recursive: true, force: true });
if (r.status !== 0) die(`vsce ${vsceArgs.join(' ')} failed (${r.status ?? r.signal})`);
console.log(`package: wrote ${out}`);
