// The extension's settings (`policyLsp.*`) in the shape the server reads
// (src/server/settings.rs): `{ rules: { NAME: { severity } }, vocabulary: {...}, glossary: {...} }`.
// "default" severities are left out, so a rule keeps its default or what policy-lsp.toml says.
// Settings of the extension itself (`server.path`, `trace.server`) are not sent.
import * as vscode from 'vscode';

export const SECTION = 'policyLsp';

export const LEVELS = ['error', 'warning', 'information', 'hint', 'off'] as const;

export interface ServerSettings {
  rules: Record<string, { severity: string }>;
  vocabulary: { currencies: string[]; units: string[]; speechVerbs: string[] };
  glossary: { files: string[]; terms: Record<string, string> };
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** The `policyLsp` section as the server wants it (for a folder, or the window). */
export function serverSettings(scope?: vscode.ConfigurationScope | null): ServerSettings {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  const rules: ServerSettings['rules'] = {};
  // Every rule the user configured, including rules newer than this extension's list.
  const configured = c.get<Record<string, unknown>>('rules') ?? {};
  for (const [name, value] of Object.entries(configured)) {
    const severity = typeof value === 'string' ? value
      : value && typeof value === 'object' ? (value as { severity?: unknown }).severity : undefined;
    if (typeof severity === 'string' && severity !== '' && severity !== 'default') {
      rules[name] = { severity };
    }
  }
  const terms: Record<string, string> = {};
  for (const [term, definition] of Object.entries(c.get<Record<string, unknown>>('glossary.terms') ?? {})) {
    if (typeof definition === 'string') terms[term] = definition;
  }
  return {
    rules,
    vocabulary: {
      currencies: strings(c.get('vocabulary.currencies')),
      units: strings(c.get('vocabulary.units')),
      speechVerbs: strings(c.get('vocabulary.speechVerbs')),
    },
    glossary: { files: strings(c.get('glossary.files')), terms },
  };
}

/** The rule names this extension contributes a severity setting for (from package.json). */
export function contributedRules(packageJSON: any): string[] {
  const props: Record<string, unknown> = packageJSON?.contributes?.configuration?.properties ?? {};
  return Object.keys(props)
    .map((k) => /^policyLsp\.rules\.(.+)\.severity$/.exec(k)?.[1])
    .filter((k): k is string => !!k);
}
