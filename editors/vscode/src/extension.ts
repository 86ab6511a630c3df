// Policy LSP for VS Code: starts `policy-lsp serve` over stdio for Markdown and plain-text
// documents (on disk and untitled), passes the `policyLsp.*` settings to it, and adds
// commands to restart it, show its output and show a rule's documentation, and a status bar
// item with the server's state.
import { execFile } from 'node:child_process';
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  ServerOptions,
  State,
  TransportKind,
} from 'vscode-languageclient/node';
import { findServer } from './server';
import { contributedRules, SECTION, serverSettings } from './settings';

const SOURCE = 'policy-lsp';
const RULE_SCHEME = 'policy-lsp-rule';

type Status = 'starting' | 'running' | 'stopped' | 'not-found' | 'failed';

class PolicyLsp implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private serverPath: string | undefined;
  private readonly output = vscode.window.createOutputChannel('Policy LSP');
  private readonly status = vscode.window.createStatusBarItem('policyLsp.status', vscode.StatusBarAlignment.Right, 100);
  private readonly disposables: vscode.Disposable[] = [];
  private readonly ruleDocs = new RuleDocs(() => {
    if (this.serverPath) return this.serverPath;
    const found = findServer(this.context.extensionPath);
    return found.ok ? found.path : undefined;
  });
  /** Serialises start / stop / restart. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly context: vscode.ExtensionContext) {
    this.status.name = 'Policy LSP';
    this.status.command = 'policyLsp.showOutput';
    this.status.show();
    this.setStatus('stopped');
    this.disposables.push(
      this.output,
      this.status,
      vscode.workspace.registerTextDocumentContentProvider(RULE_SCHEME, this.ruleDocs),
      vscode.commands.registerCommand('policyLsp.restartServer', () => this.restart()),
      vscode.commands.registerCommand('policyLsp.showOutput', () => this.output.show(true)),
      vscode.commands.registerCommand('policyLsp.showRuleDocumentation', (rule?: unknown) =>
        this.showRuleDocumentation(typeof rule === 'string' ? rule : undefined)),
      vscode.languages.registerCodeActionsProvider(
        [{ language: 'markdown' }, { language: 'plaintext' }],
        new RuleDocActions(),
        { providedCodeActionKinds: [vscode.CodeActionKind.Empty] },
      ),
      vscode.workspace.onDidChangeConfiguration((e) => this.configurationChanged(e)),
    );
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  private setStatus(status: Status, detail?: string): void {
    const s = this.status;
    const label: Record<Status, [string, string]> = {
      starting: ['$(sync~spin) Policy LSP', 'starting'],
      running: ['$(check) Policy LSP', 'running'],
      stopped: ['$(circle-slash) Policy LSP', 'stopped'],
      'not-found': ['$(error) Policy LSP', 'server not found'],
      failed: ['$(error) Policy LSP', 'server failed'],
    };
    const [text, word] = label[status];
    s.text = text;
    s.accessibilityInformation = { label: `Policy LSP: ${word}` };
    s.tooltip = `Policy LSP: ${word}${detail ? `\n${detail}` : ''}\nClick to show the output.`;
    s.backgroundColor = status === 'not-found' || status === 'failed'
      ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(task, task).catch((e) => this.output.appendLine(`error: ${String(e)}`));
    return this.queue;
  }

  start(): Promise<void> {
    return this.enqueue(() => this.doStart());
  }

  restart(): Promise<void> {
    return this.enqueue(async () => {
      this.output.appendLine('Restarting the server.');
      await this.doStop();
      await this.doStart();
    });
  }

  stop(): Promise<void> {
    return this.enqueue(() => this.doStop());
  }

  private async doStart(): Promise<void> {
    const found = findServer(this.context.extensionPath);
    if (!found.ok) {
      this.serverPath = undefined;
      this.output.appendLine(found.message);
      this.setStatus('not-found', found.message);
      // Not awaited: the notification must not hold up the command queue.
      void vscode.window.showErrorMessage(found.message, 'Open Settings', 'Show Output').then((choice) => {
        if (choice === 'Open Settings') {
          // In a remote window (code-server, SSH, WSL) the machine-scoped setting is under
          // the Remote tab, not under User.
          const command = vscode.env.remoteName ? 'workbench.action.openRemoteSettings' : 'workbench.action.openSettings';
          void vscode.commands.executeCommand(command, { query: 'policyLsp.server.path' });
        } else if (choice === 'Show Output') {
          this.output.show(true);
        }
      });
      return;
    }
    this.serverPath = found.path;
    this.output.appendLine(`Starting ${found.path} serve (found via ${found.source}).`);
    this.setStatus('starting', found.path);
    const server: ServerOptions = {
      run: { command: found.path, args: ['serve'], transport: TransportKind.stdio },
      debug: { command: found.path, args: ['serve'], transport: TransportKind.stdio },
    };
    const options: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: 'markdown' },
        { scheme: 'file', language: 'plaintext' },
        { scheme: 'untitled', language: 'markdown' },
        { scheme: 'untitled', language: 'plaintext' },
      ],
      initializationOptions: { [SECTION]: serverSettings() },
      outputChannel: this.output,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      middleware: {
        // The rule name shown with each finding (Problems panel, hover) links to the rule's
        // documentation from the running binary, rather than to a web page.
        handleDiagnostics: (uri, diagnostics, next) => next(uri, diagnostics.map(linkRuleDoc)),
        provideDiagnostics: async (document, previousResultId, token, next) => {
          const report = await next(document, previousResultId, token);
          if (report && report.kind === 'full') report.items = report.items.map(linkRuleDoc);
          return report;
        },
        workspace: {
          // The server may ask for the `policyLsp` section: answer in its shape, not VS Code's
          // raw settings (which carry "default" severities and the extension's own keys).
          configuration: async (params, token, next) => {
            const raw = await next(params, token);
            return params.items.map((item, i) => {
              if (item.section === SECTION) {
                const scope = item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined;
                return serverSettings(scope);
              }
              return Array.isArray(raw) ? raw[i] : null;
            });
          },
        },
      },
    };
    const client = new LanguageClient('policyLsp', 'Policy LSP', server, options);
    this.client = client;
    client.onDidChangeState((e) => {
      if (this.client !== client) return;
      if (e.newState === State.Running) {
        const info = client.initializeResult?.serverInfo;
        this.setStatus('running', `${info?.name ?? 'policy-lsp'} ${info?.version ?? ''} — ${found.path}`);
      } else if (e.newState === State.Starting) {
        this.setStatus('starting', found.path);
      } else {
        this.setStatus('stopped', found.path);
      }
    });
    try {
      await client.start();
    } catch (e) {
      const message = `Policy LSP: the server ${found.path} failed to start: ${e instanceof Error ? e.message : String(e)}`;
      this.output.appendLine(message);
      this.setStatus('failed', message);
      void vscode.window.showErrorMessage(message, 'Show Output').then((c) => {
        if (c === 'Show Output') this.output.show(true);
      });
    }
  }

  private async doStop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) {
      try {
        await client.stop(5000);
      } catch (e) {
        this.output.appendLine(`stopping the server: ${String(e)}`);
      }
      await client.dispose().catch(() => undefined);
    }
    this.setStatus('stopped');
  }

  private configurationChanged(e: vscode.ConfigurationChangeEvent): void {
    if (e.affectsConfiguration(`${SECTION}.server`)) {
      void this.restart();
      return;
    }
    if (!e.affectsConfiguration(SECTION)) return;
    const client = this.client;
    if (client?.state === State.Running) {
      this.output.appendLine('Settings changed: sending them to the server.');
      void client.sendNotification(DidChangeConfigurationNotification.type, {
        settings: { [SECTION]: serverSettings() },
      });
    }
  }

  private async showRuleDocumentation(rule?: string): Promise<void> {
    const name = rule ?? ruleUnderCursor() ?? await this.pickRule();
    if (!name) return;
    const uri = vscode.Uri.from({ scheme: RULE_SCHEME, path: `/${name}.md` });
    this.ruleDocs.refresh(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
    // Beside the draft, or where a rule's documentation is already shown.
    const shown = vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === RULE_SCHEME);
    await vscode.window.showTextDocument(doc, { preview: true, viewColumn: shown?.viewColumn ?? vscode.ViewColumn.Beside });
  }

  private async pickRule(): Promise<string | undefined> {
    const listed = await this.ruleDocs.list();
    const items = listed.length ? listed
      : contributedRules(this.context.extension.packageJSON).map((label) => ({ label, description: '' }));
    const picked = await vscode.window.showQuickPick(items, {
      title: 'Policy LSP: Show Rule Documentation',
      placeHolder: 'Rule',
      matchOnDescription: true,
    });
    return picked?.label;
  }
}

/** Our rule codes of the diagnostics at the cursor (or on its line) in the active editor. */
function ruleUnderCursor(): string | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  const pos = editor.selection.active;
  const ours = vscode.languages.getDiagnostics(editor.document.uri).filter((d) => d.source === SOURCE);
  const at = ours.find((d) => d.range.contains(pos)) ?? ours.find((d) => d.range.start.line === pos.line);
  return at ? ruleOf(at) : undefined;
}

/** Our finding with its code's link turned into a "Show Rule Documentation" command. */
function linkRuleDoc(d: vscode.Diagnostic): vscode.Diagnostic {
  const rule = d.source === SOURCE ? ruleOf(d) : undefined;
  if (rule) {
    const args = encodeURIComponent(JSON.stringify([rule]));
    d.code = { value: rule, target: vscode.Uri.parse(`command:policyLsp.showRuleDocumentation?${args}`) };
  }
  return d;
}

function ruleOf(d: vscode.Diagnostic): string | undefined {
  const code = typeof d.code === 'object' ? d.code.value : d.code;
  return code === undefined ? undefined : String(code);
}

/** "Show documentation for RULE" in the light bulb, beside the server's quick fixes. */
class RuleDocActions implements vscode.CodeActionProvider {
  provideCodeActions(_doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const rules = new Set(context.diagnostics.filter((d) => d.source === SOURCE).map(ruleOf).filter((r): r is string => !!r));
    return [...rules].map((rule) => {
      const action = new vscode.CodeAction(`Show documentation for ${rule}`, vscode.CodeActionKind.Empty);
      action.command = { command: 'policyLsp.showRuleDocumentation', title: action.title, arguments: [rule] };
      return action;
    });
  }
}

/** Read-only documents `policy-lsp-rule:/NAME.md`: the output of `policy-lsp rule NAME`. */
class RuleDocs implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly serverPath: () => string | undefined) {}

  refresh(uri: vscode.Uri): void {
    this.changed.fire(uri);
  }

  private run(args: string[]): Promise<{ ok: boolean; stdout: string; stderr: string }> {
    const bin = this.serverPath();
    if (!bin) return Promise.resolve({ ok: false, stdout: '', stderr: 'the policy-lsp binary was not found' });
    return new Promise((resolve) => {
      execFile(bin, args, { timeout: 10000, maxBuffer: 4 << 20 }, (error, stdout, stderr) =>
        resolve({ ok: !error, stdout: String(stdout), stderr: String(stderr) || String(error ?? '') }));
    });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const name = uri.path.replace(/^\//, '').replace(/\.md$/, '');
    const r = await this.run(['rule', name]);
    return r.ok ? r.stdout : `# ${name}\n\nNo documentation: ${r.stderr.trim()}\n`;
  }

  /** `policy-lsp rule`: one rule a line, `NAME  SEVERITY  SUMMARY`. */
  async list(): Promise<{ label: string; description: string; detail?: string }[]> {
    const r = await this.run(['rule']);
    if (!r.ok) return [];
    return r.stdout.split('\n').map((line) => /^(\S+)\s+(\S+)\s+(.*)$/.exec(line.trim()))
      .filter((m): m is RegExpExecArray => !!m)
      .map((m) => ({ label: m[1], description: m[2], detail: m[3] }));
  }
}

let instance: PolicyLsp | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  instance = new PolicyLsp(context);
  context.subscriptions.push(instance);
  await instance.start();
}

export async function deactivate(): Promise<void> {
  await instance?.stop();
  instance = undefined;
}
