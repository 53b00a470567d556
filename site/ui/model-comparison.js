/**
 * Every model of a widget scored side by side on the same input: answer,
 * confidence, all probabilities (as a strip of bars) and inference time.
 */
export class ModelComparison {
  /**
   * @param {HTMLElement} container
   * @param {(name: string) => Promise<object>} load returns a Classifier for a model folder name
   * @param {string[]} names model folder names
   */
  constructor(container, load, names) {
    this.container = container;
    this.load = load;
    this.names = names;
    this.classifiers = null;
    container.classList.add('dl-comparison');
    container.innerHTML = `
      <label class="dl-toggle"><input type="checkbox" data-role="compare-toggle"> Compare every model on this drawing</label>
      <table data-role="comparison" hidden>
        <thead><tr><th>model</th><th>answer</th><th>confidence</th><th>probabilities</th><th>inference</th></tr></thead>
        <tbody></tbody>
      </table>`;
    this.toggle = container.querySelector('[data-role="compare-toggle"]');
    this.table = container.querySelector('[data-role="comparison"]');
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

  row(classifier) {
    const tr = document.createElement('tr');
    tr.dataset.model = classifier.metadata.name;
    tr.innerHTML = '<td></td><td data-role="compare-label"></td><td data-role="compare-confidence"></td><td><span class="dl-strip"></span></td><td data-role="compare-ms"></td>';
    tr.cells[0].textContent = classifier.metadata.title;
    const strip = tr.querySelector('.dl-strip');
    for (const name of classifier.metadata.class_names) {
      const bar = document.createElement('span');
      bar.title = name;
      strip.append(bar);
    }
    return tr;
  }

  /** @param {Float32Array|null} pixels the preprocessed input, or null when there is nothing to score */
  show(pixels) {
    if (!this.enabled) return;
    [...this.table.tBodies[0].rows].forEach((tr, k) => {
      const classifier = this.classifiers[k];
      const result = pixels ? classifier.predict(pixels) : null;
      const label = result ? classifier.metadata.class_names[result.label] : '';
      tr.querySelector('[data-role="compare-label"]').textContent = label;
      tr.querySelector('[data-role="compare-label"]').dataset.label = label;
      tr.querySelector('[data-role="compare-confidence"]').textContent = result ? `${(result.confidence * 100).toFixed(1)}%` : '';
      tr.querySelector('[data-role="compare-ms"]').textContent = result ? `${result.ms.toFixed(2)} ms` : '';
      [...tr.querySelectorAll('.dl-strip span')].forEach((bar, i) => {
        bar.style.height = `${result ? Math.max(1, result.probs[i] * 100) : 1}%`;
      });
    });
  }
}
