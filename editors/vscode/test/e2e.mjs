#!/usr/bin/env node
// End-to-end test of the Policy LSP extension in real VS Code: code-server (VS Code OSS served
// to a browser) on 127.0.0.1 with the packaged .vsix installed by --install-extension, driven
// headless in Debian's Chromium by playwright-core. Only what the UI shows is checked.
// Run it through ./e2e.sh, which installs everything and builds the .vsix:
//
//   node e2e.mjs --vsix FILE --code-server BIN [--chromium BIN] [--server-path BIN]
//                [--artifacts DIR] [--timeout S] [--keep]
//
// Steps (each waits at most --timeout seconds for the UI): open test/fixtures/draft.md (a copy);
// the status bar says the server is running; the Problems panel lists our findings with their
// rule codes and positions, without the rule the settings switch off; switching it on in the
// settings brings its finding (didChangeConfiguration); hovering a defined term shows its
// definition; the Outline view shows the draft's sections; a quick fix chosen from the light
// bulb changes the text; "Show Rule Documentation" opens the rule's documentation read-only;
// "Restart Server" brings the server back. Screenshots: problems.png and outline.png always,
// failure.png on failure, in --artifacts.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));

// ---------- options ----------
const opt = { vsix: null, codeServer: null, chromium: '/usr/bin/chromium', serverPath: null,
  artifacts: path.join(HERE, 'out'), timeout: 30, keep: false };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const val = () => { if (i + 1 >= argv.length) usage(`${a} needs a value`); return argv[++i]; };
  if (a === '--vsix') opt.vsix = path.resolve(val());
  else if (a === '--code-server') opt.codeServer = path.resolve(val());
  else if (a === '--chromium') opt.chromium = val();
  else if (a === '--server-path') opt.serverPath = path.resolve(val());
  else if (a === '--artifacts') opt.artifacts = path.resolve(val());
  else if (a === '--timeout') opt.timeout = Number(val());
  else if (a === '--keep') opt.keep = true;
  else usage(`unknown argument ${a}`);
}
function usage(msg) {
  console.error(`${msg}\nusage: node e2e.mjs --vsix FILE --code-server BIN [--chromium BIN] [--server-path BIN] [--artifacts DIR] [--timeout S] [--keep]`);
  process.exit(2);
}
if (!opt.vsix || !fs.existsSync(opt.vsix)) usage(`--vsix: no such file ${opt.vsix}`);
if (!opt.codeServer || !fs.existsSync(opt.codeServer)) usage(`--code-server: no such file ${opt.codeServer}`);

// ---------- what the fixture must show ----------
const DRAFT = 'draft.md';
// [rule, line, column] as the Problems panel prints them ("[Ln 10, Col 24]").
const EXPECTED = [
  ['figure-without-unit', 10, 24],
  ['encoding-artifact', 11, 16],
  ['undefined-acronym', 12, 5],
  ['broken-cross-reference', 17, 23],
];
const SWITCHED = ['relative-date', 13, 29]; // off in the settings at start, then switched on
const HOVER_AT = [6, 33]; // inside "harbour hub" (its use, not its definition)
const HOVER_WANT = 'the shared logistics yard beside the north quay';
const OUTLINE = [['Harbour Renewal Strategy', 1], ['1. Purpose', 2], ['2. Findings', 2], ['2.1 Funding', 3]];
const FIX_AT = [11, 16];
const FIX_TITLE = 'Replace `?` with `—`';
const FIXED_LINE = 'Growth clusters—concentrated around the old ferry terminal.';
const DOC_RULE_AT = [10, 24];
const DOC_RULE = 'figure-without-unit';

// ---------- helpers ----------
const T0 = Date.now();
const log = (msg) => console.log(`[${((Date.now() - T0) / 1000).toFixed(1).padStart(5)}s] ${msg}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const squash = (t) => String(t).replace(/\s+/g, ' ').trim();
class Failure extends Error {}
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-lsp-e2e-'));
const workspace = path.join(tmp, 'workspace');
const userData = path.join(tmp, 'user-data');
const extensionsDir = path.join(tmp, 'extensions');
const settingsFile = path.join(userData, 'User', 'settings.json');
const csLog = path.join(tmp, 'code-server.log');
// Keep code-server and Chromium out of the real home.
const homeEnv = { CODE_SERVER_CONFIG: path.join(tmp, 'code-server.yaml'), XDG_CONFIG_HOME: path.join(tmp, 'xdg-config'),
  XDG_DATA_HOME: path.join(tmp, 'xdg-data'), XDG_CACHE_HOME: path.join(tmp, 'xdg-cache') };
let cs = null; let context = null; let page = null;
const passed = [];

/** Polls `probe` (returning a truthy value when done) until `what` holds or the timeout. */
async function until(what, probe, { timeout = opt.timeout, retry = null, every = 4000 } = {}) {
  const end = Date.now() + timeout * 1000;
  let last; let lastRetry = Date.now();
  for (;;) {
    try { last = await probe(); } catch (e) { last = undefined; }
    if (last) return last;
    if (Date.now() > end) throw new Failure(`timed out after ${timeout}s: ${what}`);
    if (retry && Date.now() - lastRetry > every) { await retry().catch(() => {}); lastRetry = Date.now(); }
    await sleep(200);
  }
}

function check(name) { passed.push(name); log(`ok: ${name}`); }

/** Text of each element, its text nodes joined by spaces, indented by aria-level. */
const rowTexts = (locator) => locator.evaluateAll((els) => els.map((e) => {
  const parts = []; const w = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
  for (let n = w.nextNode(); n; n = w.nextNode()) { const t = n.textContent.replace(/\s+/g, ' ').trim(); if (t) parts.push(t); }
  return { level: Number(e.getAttribute('aria-level') || 1), text: parts.join(' ') };
}));

async function shot(name) {
  if (!page) return null;
  fs.mkdirSync(opt.artifacts, { recursive: true });
  const p = path.join(opt.artifacts, `${name}.png`);
  await page.screenshot({ path: p }).catch(() => {});
  return p;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

function writeSettings(extra) {
  fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
  fs.writeFileSync(settingsFile, JSON.stringify({
    'security.workspace.trust.enabled': false, 'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false, 'workbench.enableExperiments': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false, 'telemetry.telemetryLevel': 'off',
    'update.mode': 'none', 'extensions.autoCheckUpdates': false, 'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true, 'git.enabled': false, 'window.restoreWindows': 'none',
    'chat.disableAIFeatures': true, 'editor.hover.delay': 150, 'editor.hover.sticky': true,
    'outline.collapseItems': 'alwaysExpand', 'editor.minimap.enabled': false,
    'editor.lightbulb.enabled': 'on', 'workbench.editor.enablePreview': false,
    ...(opt.serverPath ? { 'policyLsp.server.path': opt.serverPath } : {}),
    ...extra,
  }, null, 2));
}

async function quickInput(key, text) {
  await page.keyboard.press(key);
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10000 });
  await input.fill(text);
  return input;
}

async function runCommand(title) {
  await quickInput('F1', `>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ timeout: 10000 });
  await row.click();
}

const editorOf = () => page.locator('.editor-group-container.active .editor-instance .monaco-editor').first();

/** Moves the cursor of the active editor to a 1-based line and column. */
async function goTo(line, col) {
  await page.keyboard.press('Escape');
  await quickInput('Control+G', `:${line}:${col}`);
  await page.keyboard.press('Enter');
  await sleep(200);
}

/** The active editor's lines as shown (Monaco renders spaces as U+00A0). */
async function editorLines() {
  const lines = await page.locator('.editor-group-container.active .monaco-editor .view-lines .view-line').evaluateAll((els) =>
    els.map((e) => ({ top: parseFloat(e.style.top || '0'), text: e.textContent })));
  return lines.sort((a, b) => a.top - b.top).map((l) => l.text.replace(/\u00a0/g, ' '));
}

async function problemRows() {
  return (await rowTexts(page.locator('.markers-panel .monaco-list-row'))).map((r) => r.text);
}

const rowFor = ([rule, line, col]) => (rows) => rows.find((r) => r.includes(`policy-lsp`) && r.includes(rule) && r.includes(`[Ln ${line}, Col ${col}]`));

// ---------- the test ----------
async function main() {
  fs.cpSync(path.join(HERE, 'fixtures'), workspace, { recursive: true });
  writeSettings({ 'policyLsp.rules.relative-date.severity': 'off' });
  const csEnv = { ...process.env, ...homeEnv };

  const ver = spawnSync(opt.codeServer, ['--version'], { encoding: 'utf8', env: csEnv });
  if (ver.status !== 0) throw new Failure(`${opt.codeServer} --version failed: ${ver.stderr}`);
  log(`code-server ${squash(ver.stdout.split('\n')[0])}`);
  const inst = spawnSync(opt.codeServer, ['--user-data-dir', userData, '--extensions-dir', extensionsDir,
    '--install-extension', opt.vsix, '--force'], { encoding: 'utf8', env: csEnv });
  if (inst.status !== 0 || !/successfully installed/i.test(inst.stdout + inst.stderr)) {
    throw new Failure(`--install-extension failed (${inst.status}): ${squash(inst.stdout + inst.stderr)}`);
  }
  check(`--install-extension ${path.basename(opt.vsix)}`);

  const port = await freePort();
  const logFd = fs.openSync(csLog, 'w');
  cs = spawn(opt.codeServer, ['--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry',
    '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    '--ignore-last-opened', '--user-data-dir', userData, '--extensions-dir', extensionsDir, workspace],
  { env: csEnv, detached: true, stdio: ['ignore', logFd, logFd] });
  await until('code-server answers /healthz', async () => {
    if (cs.exitCode !== null) throw new Failure(`code-server exited ${cs.exitCode}`);
    return (await fetch(`http://127.0.0.1:${port}/healthz`)).ok;
  }, { timeout: 60 });

  context = await chromium.launchPersistentContext(path.join(tmp, 'chromium-profile'), {
    executablePath: opt.chromium, headless: true, viewport: { width: 1400, height: 1000 },
    env: { ...process.env, ...homeEnv, HOME: tmp },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = context.pages()[0] || await context.newPage();
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`, { waitUntil: 'domcontentloaded' });
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60000 });
  log('workbench ready');

  // Open the draft.
  await quickInput('Control+P', DRAFT);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: DRAFT }).first().waitFor({ timeout: 15000 });
  await sleep(300);
  await page.keyboard.press('Enter');
  await editorOf().locator('.view-lines').waitFor({ timeout: 20000 });
  await until('the draft is shown', async () => (await editorLines()).some((l) => l.includes('Harbour Renewal Strategy')));

  // Status bar.
  const running = page.locator('#workbench\\.parts\\.statusbar [aria-label="Policy LSP: running"]');
  await until('status bar item "Policy LSP: running"', async () => (await running.count()) > 0);
  check('status bar shows the server running');

  // Problems panel.
  await page.keyboard.press('Control+Shift+M');
  let rows = await until(`Problems rows for ${EXPECTED.map((e) => e[0]).join(', ')}`, async () => {
    const r = await problemRows();
    return EXPECTED.every((e) => rowFor(e)(r)) ? r : null;
  });
  await sleep(1000);
  rows = await problemRows();
  if (rowFor(SWITCHED)(rows)) throw new Failure(`${SWITCHED[0]} is off in the settings but listed:\n${rows.join('\n')}`);
  log(`Problems:\n    ${rows.join('\n    ')}`);
  check(`Problems panel lists ${EXPECTED.length} findings with rule codes, not the rule switched off`);
  await shot('problems');

  // Settings change live: switch the rule on.
  writeSettings({ 'policyLsp.rules.relative-date.severity': 'warning' });
  rows = await until(`Problems row for ${SWITCHED[0]} after the settings change`, async () => {
    const r = await problemRows();
    return rowFor(SWITCHED)(r) ? r : null;
  });
  check(`settings change reaches the server: ${squash(rowFor(SWITCHED)(rows))}`);

  // Hover over a use of a defined term, with the mouse.
  await editorOf().click({ position: { x: 200, y: 5 } });
  await goTo(...HOVER_AT);
  const hoverText = async () => squash((await page.locator('.monaco-hover:visible').allTextContents()).join(' '));
  const mouseHover = async () => {
    const cursor = await editorOf().locator('.cursors-layer .cursor').first().boundingBox();
    if (!cursor) return;
    await page.mouse.move(cursor.x - 40, cursor.y + cursor.height / 2 + 60);
    await sleep(100);
    await page.mouse.move(cursor.x + 3, cursor.y + cursor.height / 2, { steps: 4 });
  };
  await mouseHover();
  const hovered = await until(`hover shows "${HOVER_WANT}"`, async () => {
    const t = await hoverText();
    return t.includes(HOVER_WANT) ? t : null;
  }, { retry: mouseHover });
  check(`hover on a defined term: ${hovered.slice(0, 120)}`);
  await page.mouse.move(5, 500);
  await page.keyboard.press('Escape');

  // Outline view: our provider's group, with the sections in their tree.
  await page.keyboard.press('Control+Shift+M'); // close the panel again: more room
  await runCommand('Explorer: Focus on Outline View');
  const outline = page.locator('.outline-pane .monaco-list-row');
  const outlineRows = await until('Outline rows for the sections', async () => {
    const r = await rowTexts(outline);
    // With several providers, level-1 rows are the providers; ours is "policy-lsp".
    const start = r.findIndex((x) => x.level === 1 && x.text === 'policy-lsp');
    const ours = start < 0 ? r : r.slice(start + 1).filter((x, i, all) => all.slice(0, i + 1).every((y) => y.level > 1));
    const shift = start < 0 ? 0 : 1;
    return OUTLINE.every(([name, level]) => ours.some((x) => x.text.startsWith(name) && x.level === level + shift)) ? r : null;
  });
  log(`Outline:\n    ${outlineRows.map((r) => '  '.repeat(r.level - 1) + r.text).join('\n    ')}`);
  check('Outline view shows the sections');
  await page.keyboard.press('Control+Shift+M');
  await shot('outline');

  // Quick fix from the light bulb.
  await editorOf().click({ position: { x: 200, y: 5 } });
  await goTo(...FIX_AT);
  const bulb = page.locator('.lightBulbWidget:visible, .lightbulb-glyph:visible').first();
  await until('the light bulb appears', async () => (await bulb.count()) > 0, { retry: () => goTo(...FIX_AT) });
  await bulb.click();
  const action = page.locator('.action-widget .monaco-list-row', { hasText: FIX_TITLE }).first();
  await until(`the light bulb menu offers "${FIX_TITLE}"`, async () => (await action.count()) > 0);
  const offered = await page.locator('.action-widget .monaco-list-row').allTextContents();
  log(`light bulb menu: ${offered.map(squash).filter(Boolean).join(' | ')}`);
  if (!offered.some((t) => t.includes('Show documentation for encoding-artifact'))) {
    throw new Failure('the light bulb menu lacks "Show documentation for encoding-artifact"');
  }
  await action.click();
  await until(`the text becomes "${FIXED_LINE}"`, async () => (await editorLines())[FIX_AT[0] - 1] === FIXED_LINE);
  await page.keyboard.press('Control+Shift+M');
  await until('the encoding-artifact finding goes away', async () => {
    const r = await problemRows();
    return r.length > 0 && !r.some((x) => x.includes('encoding-artifact')) && rowFor(EXPECTED[0])(r);
  });
  check(`quick fix from the light bulb: line ${FIX_AT[0]} is now "${FIXED_LINE}"`);

  // Show Rule Documentation for the finding under the cursor.
  await editorOf().click({ position: { x: 200, y: 5 } });
  await goTo(...DOC_RULE_AT);
  await runCommand('Policy LSP: Show Rule Documentation');
  const tab = page.locator('.tabs-container .tab', { hasText: `${DOC_RULE}.md` });
  await until(`a tab ${DOC_RULE}.md opens`, async () => (await tab.count()) > 0);
  await until('it shows the rule documentation', async () => {
    const lines = await editorLines();
    return lines.some((l) => l.startsWith(`${DOC_RULE} (default severity:`)) && lines.some((l) => l === '## What it does');
  });
  await until('the documentation is read-only', async () =>
    (await editorOf().locator('textarea[aria-readonly="true"], .native-edit-context[aria-readonly="true"]').count()) > 0
    || (await page.locator('.monaco-editor-overlaymessage', { hasText: 'read-only' }).count()) > 0
    || (await page.locator('.editor-group-container.active .tab.active [title*="Read-only"], .editor-group-container.active .tab.active.is-readonly').count()) > 0);
  check(`Show Rule Documentation opens ${DOC_RULE}.md, read-only`);

  // Restart Server.
  await runCommand('Policy LSP: Restart Server');
  await until('the status bar leaves "running"', async () => (await running.count()) === 0, { timeout: 10 }).catch(() => {});
  await until('the server runs again', async () => (await running.count()) > 0);
  await page.keyboard.press('Control+Shift+M');
  await until('findings again after the restart', async () => rowFor(EXPECTED[0])(await problemRows()));
  check('Restart Server: running again, findings back');
}

let failure = null;
try {
  await main();
} catch (e) {
  failure = e instanceof Failure ? e.message : String(e.stack || e);
  const p = await shot('failure');
  console.error(`FAIL: ${failure}`);
  if (p) console.error(`screenshot: ${p}`);
  try {
    console.error(`Problems rows:\n  ${(await problemRows()).join('\n  ')}`);
  } catch { /* no page */ }
  // The extension's output channel and code-server's log, for the post-mortem.
  const logs = spawnSync('find', [userData, '-name', '*Policy LSP*.log'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  for (const f of logs) console.error(`--- ${f}\n${fs.readFileSync(f, 'utf8').split('\n').slice(-40).join('\n')}`);
  try { console.error(`--- code-server log\n${fs.readFileSync(csLog, 'utf8').split('\n').slice(-20).join('\n')}`); } catch { /* none */ }
}
try { if (context) await context.close(); } catch { /* ignore */ }
if (cs && cs.exitCode === null) {
  try { process.kill(-cs.pid, 'SIGTERM'); } catch { /* ignore */ }
  for (let i = 0; i < 50 && cs.exitCode === null; i++) await sleep(100);
  if (cs.exitCode === null) { try { process.kill(-cs.pid, 'SIGKILL'); } catch { /* ignore */ } }
}
if (opt.keep) console.log(`kept ${tmp}`); else fs.rmSync(tmp, { recursive: true, force: true });
const secs = ((Date.now() - T0) / 1000).toFixed(1);
console.log(`vscode e2e: ${passed.length} checks passed${failure ? ', 1 failed' : ''} in ${secs}s; screenshots in ${opt.artifacts}`);
process.exit(failure ? 1 : 0);
