// Checks that package.json contributes `policyLsp.rules.<rule>.severity` for exactly the rules
// the server has, in its order, and names each rule's default severity in its description.
//   node scripts/check-rules.mjs PATH/TO/policy-lsp
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = process.argv[2];
if (!bin) { console.error('usage: node scripts/check-rules.mjs PATH/TO/policy-lsp'); process.exit(2); }
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const props = pkg.contributes.configuration.properties;

const server = execFileSync(bin, ['rule'], { encoding: 'utf8' }).split('\n')
  .map((l) => /^(\S+)\s+(\S+)\s/.exec(l)).filter(Boolean).map((m) => ({ name: m[1], severity: m[2] }));
const ours = Object.keys(props).map((k) => /^policyLsp\.rules\.(.+)\.severity$/.exec(k)?.[1]).filter(Boolean);

const problems = [];
const names = server.map((r) => r.name);
if (JSON.stringify(names) !== JSON.stringify(ours)) {
  problems.push(`rules differ:\n  server:       ${names.join(', ')}\n  package.json: ${ours.join(', ')}`);
}
for (const { name, severity } of server) {
  const p = props[`policyLsp.rules.${name}.severity`];
  if (p && !p.markdownDescription.includes(`(default: ${severity})`)) {
    problems.push(`policyLsp.rules.${name}.severity: the description should say "(default: ${severity})"`);
  }
}
if (problems.length) {
  console.error(`check-rules: package.json is out of date with ${bin}:\n${problems.join('\n')}`);
  process.exit(1);
}
console.log(`check-rules: package.json has a severity setting for each of the server's ${names.length} rules`);
