// @ts-check
/**
 * Files the page hands the reader: each a download of bytes the page already holds (nothing is
 * sent anywhere), as TF.js' `downloads://` does it: a link to a blob, clicked.
 */

/**
 * @param {string} name the file's name
 * @param {BlobPart} content
 * @param {string} type its MIME type
 */
export function downloadFile(name, content, type) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own copy once it starts: the URL can go after this task.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/**
 * Download a model as NAME.json and NAME.weights.bin (see core/model-files.js).
 * @param {import('../core/model-files.js').ModelFiles} files
 */
export function downloadModel(files) {
  downloadFile(files.jsonName, files.json, 'application/json');
  downloadFile(files.weightsName, files.weights, 'application/octet-stream');
}
