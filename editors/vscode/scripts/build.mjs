// Bundles src/extension.ts and vscode-languageclient into dist/extension.js (esbuild).
//   node scripts/build.mjs [--watch] [--dev]     (--dev: no minification, inline source map)
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const dev = watch || process.argv.includes('--dev');
const options = {
  entryPoints: ['src/extension.ts'],
  outfile: 'dist/extension.js',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18', // VS Code 1.82's Electron
  external: ['vscode'],
  minify: !dev,
  sourcemap: dev ? 'inline' : false,
  logLevel: 'info',
};
if (watch) {
  const ctx = await esbuild.context(options);
  await ctx.watch();
} else {
  await esbuild.build(options);
}
