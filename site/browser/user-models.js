// @ts-check
/**
 * The reader's own models, offered to every digit widget: "trained" (the MLP
 * trained on this page, kept in memory) and "mine" (the CNN fine-tuned on the
 * reader's drawings, kept in IndexedDB across visits). Nothing leaves the browser.
 */
import { loadModel } from './model-loader.js';

export const MINE = 'mine';
export const MINE_PATH = 'indexeddb://draw-learn-tf-mine';
const CHANGED = 'dl:user-models';

/**
 * @typedef {{name: string, title: string, base: string, artifacts?: any, verdict: boolean}} UserModel
 *   base: the shipped model it came from (its metadata.json describes it); verdict: whether that
 *   metadata's "not a digit" threshold still applies
 */

/** @type {Map<string, UserModel>} */
const offered = new Map();

/**
 * @param {UserModel} model
 * @param {boolean} [select] ask the widgets to switch to it now
 */
export function offerModel(model, select = false) {
  offered.set(model.name, model);
  document.dispatchEvent(new CustomEvent(CHANGED, { detail: { select: select ? model.name : null } }));
}

/** @param {string} name */
export function withdrawModel(name) {
  offered.delete(name);
  document.dispatchEvent(new Event(CHANGED));
}

/**
 * @param {(select: string | null) => void} listener called whenever the reader's models change,
 *   with the name of the one to switch to, if any
 */
export function onUserModelsChanged(listener) {
  const handler = (/** @type {Event} */ event) => listener(/** @type {CustomEvent} */ (event).detail?.select ?? null);
  document.addEventListener(CHANGED, handler);
  return () => document.removeEventListener(CHANGED, handler);
}

/**
 * Run ``action`` on TF.js' IndexedDB model stores, without loading TF.js; resolves false
 * where there is nothing to act on (no IndexedDB, no database yet, or the action failed).
 * @param {'readonly' | 'readwrite'} mode
 * @param {(info: IDBObjectStore, models: IDBObjectStore) => IDBRequest} action
 * @returns {Promise<any>} the request's result, or false
 */
function withTfjsStores(mode, action) {
  return new Promise((resolve) => {
    if (!('indexedDB' in window)) return resolve(false);
    const open = indexedDB.open('tensorflowjs', 1);
    // No database yet: nothing was ever saved. Abort, so that looking creates nothing.
    open.onupgradeneeded = () => open.transaction?.abort();
    open.onerror = () => resolve(false);
    open.onsuccess = () => {
      const db = open.result;
      try {
        const tx = db.transaction(['model_info_store', 'models_store'], mode);
        const request = action(tx.objectStore('model_info_store'), tx.objectStore('models_store'));
        tx.oncomplete = () => { db.close(); resolve(request.result); };
        tx.onerror = tx.onabort = () => { db.close(); resolve(false); };
      } catch {
        db.close();
        resolve(false);
      }
    };
  });
}

/** The key TF.js stores an ``indexeddb://`` model under. @param {string} path */
const storeKey = (path) => path.replace('indexeddb://', '');

/**
 * Whether TF.js' IndexedDB store holds a model at ``path``, read without loading TF.js.
 * @param {string} path 'indexeddb://...'
 * @returns {Promise<boolean>}
 */
export async function storedModelExists(path) {
  return (await withTfjsStores('readonly', (info) => info.count(storeKey(path)))) > 0;
}

/**
 * Delete the model TF.js stored at ``path`` (its weights and its description), if any.
 * @param {string} path 'indexeddb://...'
 * @returns {Promise<void>}
 */
export async function removeStoredModel(path) {
  await withTfjsStores('readwrite', (info, models) => {
    models.delete(storeKey(path));
    return info.delete(storeKey(path));
  });
}

/**
 * The reader's models a widget can offer, given the shipped models it lists.
 * @param {string[]} shipped the widget's model names
 * @returns {Promise<UserModel[]>}
 */
export async function userModels(shipped) {
  const out = [...offered.values()].filter((m) => shipped.includes(m.base));
  if (!offered.has(MINE) && shipped.includes('mnist-cnn') && (await storedModelExists(MINE_PATH))) {
    out.push({ name: MINE, title: 'Your model', base: 'mnist-cnn', verdict: true });
  }
  return out;
}

let version = 0;

/**
 * A handle on one of the reader's models, loaded into the engine (a layers model, on the full library).
 * @param {import('./engine-client.js').Engine} engine
 * @param {UserModel} model
 * @param {URL} metadataUrl the base model's metadata.json
 */
export function loadUserModel(engine, model, metadataUrl) {
  // Each offer is a model of its own (the reader trained again): a key of its own.
  const key = `${model.name}#${++version}`;
  const source = model.artifacts ? { artifacts: model.artifacts } : { indexeddb: MINE_PATH };
  return loadModel(engine, key, metadataUrl, { source, rename: { name: model.name, title: model.title, verdict: model.verdict } });
}
