// @ts-check
/**
 * The reader's example drawings for fine-tuning, kept in IndexedDB: in this
 * browser only, never uploaded (core/examples-file.js reads and writes the
 * file the reader can export them to).
 */

const DB = 'draw-learn-tf';
const STORE = 'examples';

/** @typedef {import('../core/examples-file.js').StoredExample} StoredExample */

/** @returns {Promise<IDBDatabase>} */
function open() {
  return new Promise((resolve, reject) => {
    if (!('indexedDB' in globalThis)) return reject(new Error('IndexedDB is not available in this browser'));
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { autoIncrement: true });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB refused to open'));
  });
}

/**
 * One transaction: ``action`` may make several requests; resolves with the last one's result once all are done.
 * @template T
 * @param {'readonly' | 'readwrite'} mode
 * @param {(store: IDBObjectStore) => IDBRequest<T>} action
 * @returns {Promise<T>}
 */
async function withStore(mode, action) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = action(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = tx.onabort = () => reject(tx.error ?? new Error('IndexedDB failed'));
    });
  } finally {
    db.close();
  }
}

/** @returns {Promise<StoredExample[]>} */
export async function loadExamples() {
  const rows = await withStore('readonly', (store) => store.getAll());
  return rows.map((row) => ({ digit: row.digit, pixels: new Uint8Array(row.pixels) }));
}

/** @param {StoredExample[]} examples replaces what is stored */
export async function saveExamples(examples) {
  await withStore('readwrite', (store) => {
    const cleared = store.clear();
    for (const e of examples) store.add({ digit: e.digit, pixels: e.pixels.buffer.slice(0) });
    return cleared;
  });
}

/** Delete every stored example. */
export async function clearExamples() {
  await withStore('readwrite', (store) => store.clear());
}
