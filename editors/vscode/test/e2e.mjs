#!/usr/bin/env node
// End-to-end test of the Policy LSP extension in real VS Code: code-server (VS Code OSS served
// to a browser) on 127.0.0.1 with the packaged .vsix installed by --install-extension, driven
// headless in Debian's Chromium by playwright-core. Only what the UI shows is checked.
// Run it through ./e2e.sh, which installs everything and builds the .vsix:
//
//   node e2e.mjs --vsix FILE --code-server BIN [--chromium BIN] [--server-path BIN]
//                [--artifacts DIR] [--timeout S] [--keep] [--scenario main|not-found]
//
// Steps (each waits at most --timeout seconds for the UI): open test/fixtures/draft.md (a copy);
// the status bar says the server is running; the Problems panel lists our findings with their
// rule codes and positions, without the rule the settings switch off; switching it on in the
// settings brings its finding (didChangeConfiguration); hovering a defined term shows its
// definition; the Outline view shows the draft's sections; a quick fix chosen from the light
// bulb changes the text; "Show Rule Documentation" opens the rule's documentation read-only;
// "Restart Server" brings the server back. Screenshots: problems.png and problems-outline.png
// always, failure.png on failure, in --artifacts.
// --scenario not-found (with --server-path naming a missing file): the error notification,
// the red status bar item, and its "Open Settings" button showing the setting.
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
  artifacts: path.join(HERE, 'out'), timeout: 30, keep: false, scenario: 'main' };
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
  else if (a === '--scenario') opt.scenario = val();
  else usage(`unknown argument ${a}`);
}
function usage(msg) {
  console.error(`${msg}\nusage: node e2e.mjs --vsix FILE --code-server BIN [--chromium BIN] [--server-path BIN] [--artifacts DIR] [--timeout S] [--keep] [--scenario main|not-found]`);
  process.exit(2);
}
if (!['main', 'not-found'].includes(opt.scenario)) usage(`--scenario: main or not-found, not ${opt.scenario}`);
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
const LINK_RULE = 'undefined-acronym';

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

/** Opens the Problems panel unless it is showing (Ctrl+Shift+M toggles it when focused). */
async function showProblems() {
  if (!(await page.locator('.markers-panel').isVisible().catch(() => false))) await runCommand('View: Focus Problems');
  await page.locator('.markers-panel').waitFor({ state: 'visible', timeout: 10000 });
}

async function problemRows() {
  return (await rowTexts(page.locator('.markers-panel .monaco-list-row'))).map((r) => r.text);
}

const rowFor = ([rule, line, col]) => (rows) => rows.find((r) => r.includes(`policy-lsp`) && r.includes(rule) && r.includes(`[Ln ${line}, Col ${col}]`));

// ---------- the test ----------
/** code-server with the .vsix installed, Chromium on it, the draft open. */
async function openDraft() {
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
}

/** No server where the setting says: a notification tells how to fix it. */
async function notFound() {
  await openDraft();
  const status = page.locator('#workbench\\.parts\\.statusbar [aria-label="Policy LSP: server not found"]');
  await until('status bar item "Policy LSP: server not found"', async () => (await status.count()) > 0);
  check('status bar shows the server not found');
  // Wait for the notification that names the configured path. code-server may activate the
  // extension before the user settings reach its extension host (seen once in CI): the
  // extension then says it found nothing on PATH, and says it again, naming the setting's
  // path, when the setting arrives and restarts it.
  const notifications = page.locator('.notification-toast, .notifications-center');
  const toast = notifications.filter({ hasText: opt.serverPath }).first();
  const openCenter = () => runCommand('Notifications: Show Notifications');
  await until(`an error notification names ${opt.serverPath}`, async () => (await toast.count()) > 0, { retry: openCenter })
    .catch(async (e) => {
      const seen = squash((await notifications.allTextContents().catch(() => [])).join(' | '));
      throw new Failure(`${e.message}; notifications: ${seen}`);
    });
  const text = squash(await toast.locator('.notification-list-item-message').first().textContent());
  check(`notification: ${text.slice(0, 140)}`);
  await toast.getByRole('button', { name: 'Open Settings' }).click();
  await until('the Settings editor shows policyLsp.server.path', async () =>
    (await page.locator('.settings-editor .setting-item-contents', { hasText: 'Server: Path' }).count()) > 0);
  check('"Open Settings" shows the setting');
  await shot('not-found');
  if (await page.locator('.markers-panel').isVisible().catch(() => false)) {
    const rows = await problemRows();
    if (rows.some((r) => r.includes('policy-lsp'))) throw new Failure(`findings without a server?\n${rows.join('\n')}`);
  }
}

async function main() {
  await openDraft();

  // Status bar.
  const running = page.locator('#workbench\\.parts\\.statusbar [aria-label="Policy LSP: running"]');
  await until('status bar item "Policy LSP: running"', async () => (await running.count()) > 0);
  check('status bar shows the server running');

  // Problems panel.
  await showProblems();
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

  // Settings change live: switch the rule on in the workspace settings.
  fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'),
    JSON.stringify({ 'policyLsp.rules.relative-date.severity': 'warning' }, null, 2));
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

  // Outline view: our provider's group, with the sections in their tree. Collapse the
  // folder section of the Explorer first, so that the Outline has room.
  const folders = page.locator('.pane-header:has(+ .pane-body .explorer-folders-view)').first();
  if ((await folders.getAttribute('aria-expanded').catch(() => null)) === 'true') await folders.click();
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
  await showProblems();
  await shot('problems-outline');

  // Quick fix from the light bulb.
  await editorOf().click({ position: { x: 200, y: 5 } });
  await goTo(...FIX_AT);
  // VS Code 1.100 draws the light bulb in the glyph margin (codicon-gutter-lightbulb*) when
  // there is room, else as the content widget .lightBulbWidget.
  const bulb = page.locator('.editor-group-container.active .monaco-editor [class*="codicon-gutter-lightbulb"]:visible, '
    + '.editor-group-container.active .lightBulbWidget:visible').first();
  await until('the light bulb appears', async () => (await bulb.count()) > 0, { retry: () => goTo(...FIX_AT) });
  await bulb.click();
  const action = page.locator('.action-widget .monaco-list-row', { hasText: FIX_TITLE }).first();
  await until(`the light bulb menu offers "${FIX_TITLE}"`, async () => (await action.count()) > 0);
  const offered = await page.locator('.action-widget .monaco-list-row').allTextContents();
  log(`light bulb menu: ${offered.map(squash).filter(Boolean).join(' | ')}`);
  if (!offered.some((t) => t.includes('Show documentation for encoding-artifact'))) {
    throw new Failure('the light bulb menu lacks "Show documentation for encoding-artifact"');
  }
  // The menu blocks the pointer until the mouse moves over it (context-view-pointerBlock).
  const box = await action.boundingBox();
  if (box) {
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2 + 30, { steps: 3 });
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 3 });
  }
  await action.click({ timeout: 5000 }).catch(async () => {
    // Else choose it with the keyboard, as a user can.
    for (let i = 0; i < 10; i++) {
      if ((await page.locator('.action-widget .monaco-list-row.focused').getAttribute('aria-label')) === FIX_TITLE) break;
      await page.keyboard.press('ArrowDown');
    }
    await page.keyboard.press('Enter');
  });
  await until(`the text becomes "${FIXED_LINE}"`, async () => (await editorLines())[FIX_AT[0] - 1] === FIXED_LINE);
  await showProblems();
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
    // (Markdown wraps long lines: match the start of the first line only.)
    return lines.some((l) => l.startsWith(`${DOC_RULE} (default`)) && lines.some((l) => l === '## What it does');
  });
  // Typing into it changes nothing: VS Code says the editor is read-only.
  const before = await editorLines();
  await editorOf().locator('.view-lines').click();
  await page.keyboard.type('xyz');
  await until('typing shows "Cannot edit in read-only editor"', async () =>
    (await page.locator('.monaco-editor-overlaymessage', { hasText: /read-only/i }).count()) > 0);
  if (JSON.stringify(await editorLines()) !== JSON.stringify(before)) throw new Failure('the rule documentation was edited');
  check(`Show Rule Documentation opens ${DOC_RULE}.md, read-only`);

  // The rule name of a row in the Problems panel links to the same documentation.
  await showProblems();
  const link = page.locator('.markers-panel .monaco-list-row', { hasText: LINK_RULE }).locator('a.monaco-link[href^="command:policyLsp.showRuleDocumentation"]').first();
  await until(`the Problems row of ${LINK_RULE} has a link`, async () => (await link.count()) > 0);
  await link.click();
  await until(`clicking it opens ${LINK_RULE}.md`, async () =>
    (await page.locator('.tabs-container .tab.active', { hasText: `${LINK_RULE}.md` }).count()) > 0
    && (await editorLines()).some((l) => l.startsWith(`${LINK_RULE} (default`)));
  check(`the rule code in the Problems panel opens ${LINK_RULE}.md`);

  // Restart Server, then Show Output: the channel tells of both starts.
  await runCommand('Policy LSP: Restart Server');
  await runCommand('Policy LSP: Show Output');
  const outputLines = async () => (await page.locator('.part.panel .monaco-editor .view-line').allTextContents())
    .map((l) => l.replace(/\u00a0/g, ' '));
  await until('the Policy LSP output shows the restart and a second start', async () => {
    const lines = await outputLines();
    return lines.some((l) => l.includes('Restarting the server.'))
      && lines.filter((l) => /Starting .*policy-lsp serve/.test(l)).length >= 2;
  });
  check('Show Output shows the Policy LSP channel');
  await until('the server runs again', async () => (await running.count()) > 0);
  await showProblems();
  await until('findings again after the restart', async () => rowFor(EXPECTED[0])(await problemRows()));
  check('Restart Server: running again, findings back');
}

let failure = null;
try {
  await (opt.scenario === 'not-found' ? notFound() : main());
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
console.log(`screenshots in ${opt.artifacts}; ${secs}s`);
console.log(failure ? `vscode-e2e run FAILED after ${passed.length} checks` : `vscode-e2e run: all ${passed.length} checks passed`);
process.exit(failure ? 1 : 0);
