#!/usr/bin/env node
/**
 * The lean TF.js bundle of the digit page: only the kernels, ops and backends the site's graph
 * models use, built from the official npm packages with esbuild. The docs hook runs it at build
 * time (`mkdocs build`/`serve`); nothing it writes is committed.
 *
 *   node site/build/lean-tfjs.mjs --out DIR GRAPH_MODEL_DIR...
 *
 * The recipe of TF.js' own size tool (tfjs-custom-module, "Generating size-optimized browser
 * bundles"), done with esbuild instead of webpack aliases:
 * 1. every graph model runs once in node under tf.profile() (full @tensorflow/tfjs, cpu backend)
 *    to list the kernels it needs;
 * 2. the entry module registers only those kernels from each backend's dist/kernels/<Kernel>.js,
 *    next to the backend's dist/base.js (the backend without kernels);
 * 3. `@tensorflow/tfjs-core` resolves to core's dist/base (no chained ops, gradients or
 *    optimizers), and the converter's op tables and executors are cut to what the graphs use.
 * Beyond the tool: wasm kernels that the chosen ones call directly (Mean -> Transpose, Cast) are
 * registered too, or their setup never runs; the threaded-wasm glue is left out (it needs
 * cross-origin isolation headers a static host rarely sends); the cpu backend is its own chunk,
 * fetched only if wasm cannot start.
 * Writes tf-lean.js (+ chunks), the SIMD and plain .wasm, *.LEGAL.txt (licences) and build.json
 * (kernels; the files the first prediction fetches, for preload hints; sizes).
 */
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const PKG = { wasm: '@tensorflow/tfjs-backend-wasm', cpu: '@tensorflow/tfjs-backend-cpu' };
// What the site's code calls on the lean engine, nothing more.
const CORE_EXPORTS = ['tensor', 'tidy', 'dispose', 'div', 'setBackend', 'getBackend', 'ready', 'env', 'memory'];

/**
 * @typedef {typeof import('@tensorflow/tfjs')} TF
 * @typedef {import('esbuild').Metafile} Metafile
 * @typedef {{op: string}} GraphNode a node of a graph model's topology (what this reads of it)
 * @typedef {{wasm: string[], cpu: string[]}} KernelsByBackend
 */

/**
 * An IOHandler reading model.json + shards from disk (node has no file:// fetch).
 * @param {string} dir a graph model's folder
 * @returns {import('@tensorflow/tfjs').io.IOHandler}
 */
function diskHandler(dir) {
  return {
    async load() {
      /** @type {{modelTopology: {}, format: string, signature: {}, weightsManifest: import('@tensorflow/tfjs').io.WeightsManifestConfig}} */
      const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
      const data = Buffer.concat(json.weightsManifest.flatMap((g) => g.paths.map((p) => fs.readFileSync(path.join(dir, p)))));
      return {
        modelTopology: json.modelTopology, weightSpecs: json.weightsManifest.flatMap((g) => g.weights), format: json.format,
        weightData: data.buffer.slice(data.byteOffset, data.byteOffset + data.length), signature: json.signature,
      };
    },
  };
}

/**
 * Kernels one graph model needs (the input scaling included): run it once under tf.profile.
 * @param {TF} tf
 * @param {string} dir a graph model's folder
 */
async function profileKernels(tf, dir) {
  const model = await tf.loadGraphModel(diskHandler(dir));
  const shape = /** @type {number[]} */ (model.inputs[0].shape).map((d) => (d === null || d === undefined || d < 0 ? 1 : d));
  const info = await tf.profile(() => {
    // The site's models have one input and one output.
    const y = /** @type {import('@tensorflow/tfjs').Tensor} */ (model.predict(tf.div(tf.zeros(shape), 255)));
    y.dataSync();
    return y;
  });
  // tf.profile reuses one object: copy it. Op scopes (names ending in '__op') are not kernels.
  const kernels = [...info.kernelNames].filter((k) => !k.endsWith('__op'));
  model.dispose();
  return kernels;
}

/**
 * The nodes of a graph model.
 * @param {string} dir a graph model's folder
 * @returns {GraphNode[]}
 */
const nodesOf = (dir) => {
  /** @type {{node?: GraphNode[], library?: {function?: {nodeDef?: GraphNode[]}[]}}} */
  const graph = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')).modelTopology;
  return [...(graph.node ?? []), ...(graph.library?.function ?? []).flatMap((f) => f.nodeDef ?? [])];
};

/**
 * tfjs-core ops the converter's executors call for these graphs, as a module exporting just those.
 * @param {string[]} models the graph models' folders
 */
function opsModule(models) {
  /** @type {Record<string, string[]>} */
  const kernel2op = JSON.parse(fs.readFileSync(require.resolve('@tensorflow/tfjs-converter/metadata/kernel2op.json'), 'utf8'));
  /** @type {Set<string>} */
  const ops = new Set();
  for (const node of models.flatMap(nodesOf)) {
    if (!(node.op in kernel2op)) throw new Error(`graph op ${node.op} is unknown to tfjs-converter`);
    kernel2op[node.op].forEach((op) => ops.add(op));
  }
  const flat = [...ops].filter((o) => !o.includes('.')).sort();
  const lines = [`export {${flat.join(', ')}} from '@tensorflow/tfjs-core/dist/base';`];
  /** @type {Record<string, string[]>} */
  const spaces = {};
  for (const o of [...ops].filter((o) => o.includes('.'))) (spaces[o.split('.')[0]] ??= []).push(o.split('.')[1]);
  for (const [ns, names] of Object.entries(spaces)) {
    lines.push(`import {${ns} as ${ns}_} from '@tensorflow/tfjs-core/dist/base';`);
    lines.push(`export const ${ns} = {${names.map((n) => `${n}: ${ns}_.${n}`).join(', ')}};`);
  }
  return lines.join('\n');
}

/** A kernel's config export, as its module names it ('Conv2D' -> 'conv2DConfig'). @param {string} k */
const configName = (k) => (k.startsWith('_') ? `_${k[1].toLowerCase()}${k.slice(2)}` : k[0].toLowerCase() + k.slice(1)) + 'Config';

/**
 * @param {keyof typeof PKG} backend
 * @param {string[]} kernels
 */
function kernelImports(backend, kernels) {
  return kernels.map((k, i) => {
    const file = `${PKG[backend]}/dist/kernels/${k}.js`;
    require.resolve(file);
    return `import {${configName(k)} as k_${backend}_${i}} from '${file}'; registerKernel(k_${backend}_${i});`;
  });
}

/**
 * Wasm kernel modules that ended up in the bundle (some call each other directly: register them all).
 * @param {Metafile} metafile
 */
function bundledKernels(metafile) {
  const re = /@tensorflow\/tfjs-backend-wasm\/dist\/kernels\/(\w+)\.js$/;
  /** @type {Set<string>} */
  const names = new Set();
  for (const meta of Object.values(metafile.outputs)) {
    for (const file of Object.keys(meta.inputs)) {
      const k = file.match(re)?.[1];
      if (k && fs.readFileSync(file, 'utf8').includes(`export const ${configName(k)} =`)) names.add(k);
    }
  }
  return [...names];
}

/** @param {KernelsByBackend} kernels */
function entryModule(kernels) {
  return [
    `import '@tensorflow/tfjs-core/dist/base_side_effects';`,
    `import {registerKernel, registerBackend, env} from '@tensorflow/tfjs-core/dist/base';`,
    `export {${CORE_EXPORTS.join(', ')}} from '@tensorflow/tfjs-core/dist/base';`,
    `export {loadGraphModel} from '@tensorflow/tfjs-converter';`,
    `import '${PKG.wasm}/dist/base';`,
    ...kernelImports('wasm', kernels.wasm),
    // Registered like tfjs-backend-cpu's base (priority 1), loaded only when started.
    `registerBackend('cpu', async () => new (await import('lean:cpu')).MathBackendCPU(), 1);`,
    `import {setWasmPaths} from '${PKG.wasm}/dist/base';`,
    `export const wasm = {setWasmPaths};`,
    // The .wasm files sit next to this bundle, wherever the site is published.
    `setWasmPaths(new URL('./', import.meta.url).href);`,
    `env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);`,
  ].join('\n');
}

/** @param {string[]} kernels */
function cpuChunk(kernels) {
  return [
    `import {registerKernel} from '@tensorflow/tfjs-core/dist/base';`,
    `export {MathBackendCPU} from '${PKG.cpu}/dist/backend_cpu';`,
    ...kernelImports('cpu', kernels),
  ].join('\n');
}

/**
 * Evaluate one converter op_list module (ESM `export const json = [...]`).
 * @param {string} file
 * @returns {{tfOpName: string, category: string}[]} the ops' definitions (what this reads of them)
 */
function opListJson(file) {
  const code = esbuild.transformSync(fs.readFileSync(file, 'utf8'), { format: 'cjs' }).code;
  /** @type {{exports: {json?: {tfOpName: string, category: string}[]}}} */
  const module = { exports: {} };
  new Function('module', 'exports', code)(module, module.exports);
  return /** @type {{tfOpName: string, category: string}[]} */ (module.exports.json);
}

/**
 * Every output file ``file`` imports statically, itself included (absolute paths).
 * @param {Metafile} metafile
 * @param {string} file
 * @param {Set<string>} [seen]
 * @returns {Set<string>}
 */
function staticClosure(metafile, file, seen = new Set()) {
  if (seen.has(file)) return seen;
  seen.add(file);
  const meta = Object.entries(metafile.outputs).find(([key]) => path.resolve(key) === file)?.[1];
  for (const i of meta?.imports ?? []) if (i.kind === 'import-statement') staticClosure(metafile, path.resolve(i.path), seen);
  return seen;
}

/**
 * @param {{out: string, models: string[]}} options
 */
export async function build({ out, models }) {
  /** @type {TF} */
  const tf = require('@tensorflow/tfjs'); // build time only: the profiler
  const log = console.log;
  console.log = () => {}; // tfjs' banner in node
  await tf.setBackend('cpu');
  /** @type {Set<string>} */
  const kernels = new Set();
  for (const dir of models) (await profileKernels(tf, dir)).forEach((k) => kernels.add(k));
  console.log = log;
  const byBackend = { wasm: [...kernels].sort(), cpu: [...kernels].sort() };
  const usedOps = new Set(models.flatMap(nodesOf).map((n) => n.op));
  const opListDir = path.join(path.dirname(require.resolve('@tensorflow/tfjs-converter/package.json')), 'dist/operations/op_list');
  /** @type {Set<string>} */
  const categories = new Set();
  /** @type {Record<string, string>} */
  const opLists = {};
  for (const f of fs.readdirSync(opListDir).filter((f) => f.endsWith('.js'))) {
    const json = opListJson(path.join(opListDir, f)).filter((op) => usedOps.has(op.tfOpName));
    json.forEach((op) => categories.add(op.category));
    opLists[f] = `export const json = ${JSON.stringify(json)};`;
  }
  /** @type {Record<string, string>} the virtual modules, by path in the 'lean' namespace */
  const modules = {
    core: `import '@tensorflow/tfjs-core/dist/base_side_effects';\nexport * from '@tensorflow/tfjs-core/dist/base';`,
    ops: opsModule(models),
    'threads-stub': `export default function () { throw new Error('threaded wasm is not in this build'); }\nexport const wasmWorkerContents = '';`,
  };
  /** @type {import('esbuild').Plugin} */
  const plugin = {
    name: 'lean-tfjs',
    setup(b) {
      const virtual = (/** @type {string} */ p) => () => ({ path: p, namespace: 'lean' });
      b.onResolve({ filter: /^@tensorflow\/tfjs-core$/ }, virtual('core'));
      b.onResolve({ filter: /^@tensorflow\/tfjs-core\/dist\/ops\/ops_for_converter(\.js)?$/ }, virtual('ops'));
      b.onResolve({ filter: /wasm-out\/tfjs-backend-wasm-threaded-simd(\.worker)?\.js$/ }, virtual('threads-stub'));
      b.onResolve({ filter: /^lean:/ }, (a) => ({ path: a.path.slice(5), namespace: 'lean' }));
      b.onLoad({ filter: /.*/, namespace: 'lean' }, (a) => ({ contents: modules[a.path], resolveDir: HERE, loader: 'js' }));
      b.onLoad({ filter: /tfjs-converter[\\/]dist[\\/]operations[\\/]op_list[\\/]\w+\.js$/ }, (a) => ({ contents: opLists[path.basename(a.path)], loader: 'js' }));
      b.onLoad({ filter: /tfjs-converter[\\/]dist[\\/]operations[\\/]executors[\\/]\w+_executor\.js$/ }, (a) => {
        const category = path.basename(a.path).replace('_executor.js', '');
        if (categories.has(category)) return undefined;
        return { contents: `export const executeOp = () => { throw new Error('ops of category ${category} are not in this build'); };\nexport const CATEGORY = '${category}';`, loader: 'js' };
      });
    },
  };
  let result;
  for (;;) {
    modules.entry = entryModule(byBackend);
    modules.cpu = cpuChunk(byBackend.cpu);
    fs.rmSync(out, { recursive: true, force: true });
    fs.mkdirSync(out, { recursive: true });
    result = await esbuild.build({
      entryPoints: { 'tf-lean': 'lean:entry' }, outdir: out, entryNames: '[name]', chunkNames: 'tf-lean-[name]-[hash]',
      bundle: true, splitting: true, format: 'esm', platform: 'browser', target: 'es2020', minify: true,
      legalComments: 'linked', plugins: [plugin], metafile: true, logLevel: 'error', logOverride: { 'import-is-undefined': 'silent' },
    });
    const missing = bundledKernels(result.metafile).filter((k) => !byBackend.wasm.includes(k));
    if (!missing.length) break;
    byBackend.wasm = [...byBackend.wasm, ...missing].sort();
  }
  const files = Object.keys(result.metafile.outputs).map((f) => path.relative(out, f)).filter((f) => f.endsWith('.js'));
  for (const name of ['tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm.wasm']) {
    fs.copyFileSync(require.resolve(`${PKG.wasm}/dist/${name}`), path.join(out, name));
    files.push(name);
  }
  const report = {
    kernels: byBackend,
    firstLoad: [...staticClosure(result.metafile, path.resolve(out, 'tf-lean.js'))].map((f) => path.relative(out, f)).concat(['tfjs-backend-wasm-simd.wasm']),
    sizes: Object.fromEntries(files.map((f) => {
      const buf = fs.readFileSync(path.join(out, f));
      return [f, { raw: buf.length, gzip: zlib.gzipSync(buf, { level: 9 }).length }];
    })),
  };
  fs.writeFileSync(path.join(out, 'build.json'), JSON.stringify(report, null, 1));
  return report;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--out');
  if (at < 0 || args.length < 3) throw new Error('usage: node site/build/lean-tfjs.mjs --out DIR GRAPH_MODEL_DIR...');
  const out = args.splice(at, 2)[1];
  const report = await build({ out, models: args });
  console.log(JSON.stringify({ firstLoad: report.firstLoad, sizes: report.sizes }));
}
