/**
 * Jest runs each test file in its own vm realm, but onnxruntime-node's native binding creates typed
 * arrays in Node's main realm; onnxruntime-common then rejects them (`instanceof Float32Array` is
 * false across realms: "A float32 tensor's data must be type of function Float32Array()").
 * Sharing the main realm's typed-array constructors with the test realm makes both sides agree.
 * jest.config.js uses it for every suite: the text encoder runs in unit, integration and e2e tests.
 */
const { TestEnvironment } = require('jest-environment-node');

const SHARED = [
  'ArrayBuffer', 'SharedArrayBuffer', 'DataView',
  'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array',
  'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
];

class OnnxTestEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED) this.global[name] = globalThis[name];
  }
}

module.exports = OnnxTestEnvironment;
