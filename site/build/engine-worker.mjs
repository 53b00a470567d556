#!/usr/bin/env node
/**
 * The engine's worker as the browser gets it: site/workers/engine-worker.js and every module it
 * imports (site/engine/, the site/core/ modules they use), bundled and minified by esbuild. The
 * docs hook runs it at build time (`mkdocs build`/`serve`); nothing it writes is committed.
 *
 *   node site/build/engine-worker.mjs --out DIR
 *
 * Why bundle this one file and not the page's modules: a module worker fetches its imports one
 * level at a time (worker -> engine -> runtime, classifier -> activations, verdict...), four
 * round trips before it can start TF.js, and the page's copies of the shared core modules do not
 * serve it. One minified file (and a chunk per lazily imported part: training, the convolution
 * and descent figures) is one round trip and a third of the bytes. Source maps sit beside it.
 * The WebGL probe's own worker (workers/webgl-probe-worker.js) is a second entry.
 */
import * as esbuild from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const out = process.argv[process.argv.indexOf('--out') + 1];
if (!process.argv.includes('--out') || !out) {
  console.error('usage: node site/build/engine-worker.mjs --out DIR');
  process.exit(2);
}

await esbuild.build({
  entryPoints: ['engine-worker.js', 'webgl-probe-worker.js'].map((name) => path.join(HERE, '..', 'workers', name)),
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  minify: true,
  sourcemap: 'linked',
  target: 'es2020',
  logLevel: 'warning',
});
