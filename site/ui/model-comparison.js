// @ts-check
/**
 * Every model of a widget scored side by side on the same input: answer,
 * confidence, all probabilities (as a strip of bars) and inference time.
 */
import { STALE } from '../core/engine-protocol.js';
import { find } from './dom.js';

/** @typedef {import('../browser/model-loader.js').ModelHandle} Classifier */

export class ModelComparison {
  /**
   * @param {HTMLElement} container
   * @param {(name: string) => Promise<Classifier>} load the Classifier of a model, by name
   * @param {string[]} names the widget's models
   * @param {string} channel the widget's request channel: each row's answers are its own under it
   */
  constructor(container, load, names, channel) {
    this.container = container;
    this.channel = channel;
    this.load = load;
    this.names = names;
    /** @type {Classifier[] | null} */
    this.classifiers = null;
    container.classList.add('dl-comparison');
    container.innerHTML = `
      <label class="dl-toggle"><input type="checkbox" data-role="compare-toggle"> Compare every model on this drawing</label>
      <table data-role="comparison" hidden>
        <thead><tr><th>model</th><th>answer</th><th>confidence</th><th>probabilities</th><th>inference</th></tr></thead>
        <tbody></tbody>
      </table>`;
    this.toggle = find(container, '[data-role="compare-toggle"]', HTMLInputElement);
    this.table = find(container, '[data-role="comparison"]', HTMLTableElement);
    this.toggle.addEventListener('change', () => this.onToggle());
  }

  get enabled() {
    return this.toggle.checked && !!this.classifiers;
  }

  async onToggle() {
    this.table.hidden = !this.toggle.checked;
    if (this.toggle.checked && !this.classifiers) {
      // Models not on screen are fetched only when the reader asks to compare.
      this.classifiers = await Promise.all(this.names.map((name) => this.load(name)));
      this.table.tBodies[0].replaceChildren(...this.classifiers.map((c) => this.row(c)));
    }
    this.container.dispatchEvent(new Event('toggle'));
  }

  /** @param {Classifier} classifier */
  row(classifier) {
    const tr = document.createElement('tr');
    tr.dataset.model = classifier.metadata.name;
    tr.innerHTML = '<td></td><td data-role="compare-label"></td><td data-role="compare-confidence"></td><td><span class="dl-strip"></span></td><td data-role="compare-ms"></td>';
    tr.cells[0].textContent = classifier.metadata.title;
    const strip = find(tr, '.dl-strip', HTMLElement);
    for (const name of classifier.metadata.class_names) {
      const bar = document.createElement('span');
      bar.title = name;
      strip.append(bar);
    }
    return tr;
  }

  /** @param {Float32Array | null} pixels the preprocessed input, or null when there is nothing to score */
  show(pixels) {
    if (!this.enabled || !this.classifiers) return;
    const classifiers = this.classifiers;
    [...this.table.tBodies[0].rows].forEach((tr, k) => {
      const classifier = classifiers[k];
      const channel = `${this.channel}:compare:${k}`;
      if (!pixels) {
        classifier.engine.client.invalidate(channel);
        this.showRow(tr, classifier, null);
        return;
      }
      classifier.predict(pixels, channel).then((result) => {
        if (result !== STALE) this.showRow(tr, classifier, result);
      }).catch((error) => console.warn('comparison:', error));
    });
  }

  /**
   * @param {HTMLTableRowElement} tr
   * @param {Classifier} classifier
   * @param {import('../core/classifier.js').Prediction | null} result
   */
  showRow(tr, classifier, result) {
    const label = result ? classifier.metadata.class_names[result.label] : '';
    const labelCell = find(tr, '[data-role="compare-label"]', HTMLElement);
    labelCell.textContent = result?.verdict?.rejected ? `${label} (${result.verdict.label})` : label;
    labelCell.dataset.label = label;
    labelCell.dataset.verdict = result?.verdict?.label ?? '';
    find(tr, '[data-role="compare-confidence"]', HTMLElement).textContent = result ? `${(result.confidence * 100).toFixed(1)}%` : '';
    find(tr, '[data-role="compare-ms"]', HTMLElement).textContent = result ? `${result.ms.toFixed(2)} ms` : '';
    tr.querySelectorAll('.dl-strip span').forEach((bar, i) => {
      /** @type {HTMLElement} */ (bar).style.height = `${result ? Math.max(1, result.probs[i] * 100) : 1}%`;
    });
  }
}
