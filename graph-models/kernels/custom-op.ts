/**
 * Kernels as tfjs ops with gradients (tf.customGrad), so tfjs autograd runs through them and the
 * rest of a model stays ordinary tfjs. Forward and gradient read tensor data synchronously
 * (dataSync) and wrap the kernels' shared outputs as tensors — on the cpu backend neither step
 * copies, and on other backends (wasm, tensorflow) the same code works with one copy each way.
 * Graph structure and index arrays are not tensors: they are closed over, like PyG passes
 * edge_index to a scatter kernel.
 */
import * as tf from '@tensorflow/tfjs';

// tfjs's cpu backend prints "install our node backend" on first use: we run our own fused kernels
// on purpose (README, The learning pipeline). In this tfjs, prod mode only silences its logging.
tf.enableProdMode();

export function tensorData(t: tf.Tensor): Float32Array {
  if (t.dtype !== 'float32') throw new Error(`kernel ops take float32 tensors, got ${t.dtype}`);
  return t.dataSync() as Float32Array;
}

export type GradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor | tf.Tensor[];

/**
 * tf.customGrad with typed inputs: tfjs calls f(...inputs, save), which its typings express as
 * one rest parameter of Tensor | GradSaveFunc; this splits them once for all ops below.
 */
export function customOp<T extends tf.Tensor>(
  body: (xs: tf.Tensor[], save: tf.GradSaveFunc) => { value: T; gradFunc: GradFunc },
): (...xs: tf.Tensor[]) => T {
  const f = (...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const { value, gradFunc } = body(args.slice(0, -1) as tf.Tensor[], save);
    return { value, gradFunc: (dy: T, saved: tf.Tensor[]) => gradFunc(dy, saved) };
  };
  return tf.customGrad(f) as (...xs: tf.Tensor[]) => T;
}

