// Render TeX to HTML + MathML with KaTeX at build time, so pages need no script for their formulas.
// Reads a JSON array of {tex, display} on stdin; writes a JSON array of HTML strings.
import katex from 'katex';

let input = '';
process.stdin.on('data', (/** @type {Buffer} */ chunk) => { input += chunk; });
process.stdin.on('end', () => {
  /** @type {{ tex: string, display: boolean }[]} */
  const items = JSON.parse(input);
  const html = items.map(({ tex, display }) => katex.renderToString(tex, { displayMode: display, throwOnError: true, output: 'htmlAndMathml' }));
  process.stdout.write(JSON.stringify(html));
});
