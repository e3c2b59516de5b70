/**
 * The one optimiser: Adam, one step in place over shared parameter and moment arrays, run as a
 * kernel on the worker pool (element-wise, so any partition gives the same bits).
 * Why not tf.train.adam: on tfjs-cpu each of its ~ten element-wise ops per table is a separate
 * pass with its own allocation; over a 150k x 64 embedding table that costs far more than the
 * model's whole step (measurement in training/README.md).
 */
import { toSharedFloat32 } from '../data/shared-arrays';
import { evenRanges } from '../kernels/partition';
import { kernelPool } from '../kernels/pool';

export interface AdamHyper { lr: number; beta1: number; beta2: number; eps: number; l2: number }

/** The usual defaults (Kingma & Ba) without weight decay, at learning rate lr. */
export function adamDefaults(lr: number): AdamHyper {
  return { lr, beta1: 0.9, beta2: 0.999, eps: 1e-8, l2: 0 };
}

/** First and second moments for one parameter array, zero at the start. */
export interface AdamState { param: Float32Array; m: Float32Array; v: Float32Array }

/** One Adam step (step counts from 1) in place on shared param/m/v. */
export function adamStep(state: AdamState, grad: Float32Array, hyper: AdamHyper, step: number): void {
  const n = state.param.length;
  const pool = kernelPool();
  pool.run(
    'adam',
    {
      param: state.param, grad: toSharedFloat32(grad), m: state.m, v: state.v,
      ...hyper, bc1: 1 - Math.pow(hyper.beta1, step), bc2: 1 - Math.pow(hyper.beta2, step),
    },
    evenRanges(n, pool.threads),
    n * 8,
  );
}
