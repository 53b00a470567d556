// @ts-check
/**
 * The quickstart's choices a reader may change in the trainer, within bounds that train in
 * reasonable time in a browser, and the Keras program those choices make: the program of
 * train/quickstart.py, which "Hello, MNIST" walks through, with the reader's values in it.
 * The defaults are the shipped model's (metadata.config), never restated here. No DOM.
 */

/**
 * @typedef {'adam' | 'sgd' | 'rmsprop'} Optimizer
 * @typedef {{units: number, dropout: number, optimizer: Optimizer, learningRate: number,
 *   batchSize: number, epochs: number}} Settings
 */

/** What each control offers (the shipped model's value is added where it is not among them). */
export const CHOICES = {
  units: [32, 64, 128, 256, 512, 1024],
  dropout: [0, 0.1, 0.2, 0.3, 0.5],
  optimizer: /** @type {Optimizer[]} */ (['adam', 'sgd', 'rmsprop']),
  learningRate: [0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1],
  batchSize: [16, 32, 64, 128, 256],
  epochs: [1, 2, 3, 5],
};

/** Keras' class for each optimizer name (what the program writes when the default will not do). */
const KERAS_OPTIMIZER = { adam: 'Adam', sgd: 'SGD', rmsprop: 'RMSprop' };
/** Keras' own defaults: what `optimizer="adam"` and a plain `fit` mean. */
const KERAS_DEFAULTS = { learningRate: { adam: 0.001, sgd: 0.01, rmsprop: 0.001 }, batchSize: 32 };

/**
 * The shipped quickstart's settings.
 * @param {{dense_units: number, dropout: number, optimizer: string, learning_rate: number, batch_size: number, epochs: number}} config
 *   metadata.config of the quickstart model
 * @returns {Settings}
 */
export function defaultSettings(config) {
  return {
    units: config.dense_units,
    dropout: config.dropout,
    optimizer: /** @type {Optimizer} */ (config.optimizer),
    learningRate: config.learning_rate,
    batchSize: config.batch_size,
    epochs: config.epochs,
  };
}

/**
 * Settings read back from controls (strings), checked against CHOICES and the defaults.
 * @param {Record<keyof Settings, string>} values
 * @param {Settings} defaults
 * @returns {Settings}
 */
export function parseSettings(values, defaults) {
  /** @type {any} */
  const out = {};
  for (const key of /** @type {(keyof Settings)[]} */ (Object.keys(CHOICES))) {
    const value = key === 'optimizer' ? values[key] : Number(values[key]);
    const allowed = [...CHOICES[key], defaults[key]];
    if (!allowed.includes(/** @type {never} */ (value))) throw new Error(`${key}: ${values[key]} is not one of ${allowed.join(', ')}`);
    out[key] = value;
  }
  return out;
}

/**
 * The quickstart's Keras topology (model.json's modelTopology) with the reader's hidden layer:
 * the first Dense layer's units and the Dropout's rate. Everything else is kept as exported.
 * @param {any} topology
 * @param {Pick<Settings, 'units' | 'dropout'>} settings
 */
export function editedTopology(topology, { units, dropout }) {
  const copy = structuredClone(topology);
  const layers = copy.model_config?.config?.layers ?? copy.config?.layers;
  const dense = layers?.find((/** @type {any} */ l) => l.class_name === 'Dense');
  const drop = layers?.find((/** @type {any} */ l) => l.class_name === 'Dropout');
  if (!dense || !drop) throw new Error('the quickstart model has no Dense and Dropout layer to edit');
  dense.config.units = units;
  drop.config.rate = dropout;
  return copy;
}

/** Python's spelling of a number as a reader would type it (0.001, 1e-4 stays 0.0001). @param {number} v */
const py = (v) => String(Number(v.toPrecision(6)));

/**
 * The Keras program that trains the model the reader set up: train/quickstart.py's sections
 * (imports, download, scale, model, compile, fit, evaluate), with these values.
 * @param {Settings} s
 * @param {{shape: number[], classes: number}} model the input's shape and the number of classes (from metadata.json)
 * @returns {string}
 */
export function kerasProgram(s, { shape, classes }) {
  const defaultStep = KERAS_DEFAULTS.learningRate[s.optimizer];
  const optimizer = s.learningRate === defaultStep
    ? `"${s.optimizer}"`
    : `tf.keras.optimizers.${KERAS_OPTIMIZER[s.optimizer]}(learning_rate=${py(s.learningRate)})`;
  const batch = s.batchSize === KERAS_DEFAULTS.batchSize ? '' : `, batch_size=${s.batchSize}`;
  return `import tensorflow as tf

mnist = tf.keras.datasets.mnist
(x_train, y_train), (x_test, y_test) = mnist.load_data()
x_train, x_test = x_train / 255.0, x_test / 255.0

model = tf.keras.models.Sequential(
    [
        tf.keras.layers.Flatten(input_shape=(${shape.join(', ')})),
        tf.keras.layers.Dense(${s.units}, activation="relu"),
        tf.keras.layers.Dropout(${py(s.dropout)}),
        tf.keras.layers.Dense(${classes}, activation="softmax"),
    ]
)

model.compile(optimizer=${optimizer}, loss="sparse_categorical_crossentropy", metrics=["accuracy"])

model.fit(x_train, y_train, epochs=${s.epochs}${batch}, validation_split=0.1)

loss, accuracy = model.evaluate(x_test, y_test)
`;
}
