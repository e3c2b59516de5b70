/**
 * Typed arrays on SharedArrayBuffer: the only memory the kernel workers can write into.
 * A typed array on an ordinary ArrayBuffer would be copied by postMessage and the worker's
 * writes would be lost, so every kernel input and output goes through these helpers.
 */

export function sharedFloat32(length: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(Math.max(1, length) * 4), 0, length);
}

export function sharedInt32(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(Math.max(1, length) * 4), 0, length);
}

export function isShared(a: ArrayBufferView): boolean {
  return a.buffer instanceof SharedArrayBuffer;
}

/** The array itself when it already lives in shared memory, else a shared copy. */
export function toSharedFloat32(a: Float32Array): Float32Array {
  if (isShared(a)) return a;
  const out = sharedFloat32(a.length);
  out.set(a);
  return out;
}

export function toSharedInt32(a: Int32Array): Int32Array {
  if (isShared(a)) return a;
  const out = sharedInt32(a.length);
  out.set(a);
  return out;
}
