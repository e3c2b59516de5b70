/**
 * A synchronous worker_threads pool for the kernel bodies.
 *
 * tfjs calls a custom op's forward and gradient synchronously, so a kernel cannot await a worker.
 * Instead the main thread posts each worker its range, runs range 0 itself, then blocks in
 * Atomics.wait (allowed on Node's main thread) until every worker has bumped the shared counter.
 * Arguments are typed arrays on SharedArrayBuffer (postMessage shares them, no copy) and numbers.
 *
 * Small inputs run inline on the main thread: a round trip to a worker costs ~0.1 ms, which is
 * more than a kernel over a few thousand edges.
 */
import * as os from 'node:os';
import { Worker } from 'node:worker_threads';
import { KERNEL_BODIES, KernelName } from './bodies';
import { isShared } from '../data/shared-arrays';

type KernelArgs<K extends KernelName> = Parameters<(typeof KERNEL_BODIES)[K]>[0];

/** Below this many inner-loop operations a kernel runs on the main thread only. */
export const INLINE_WORK_THRESHOLD = 200_000;

function workerSource(): string {
  const bodies = Object.entries(KERNEL_BODIES)
    .map(([name, fn]) => `kernels[${JSON.stringify(name)}] = (${fn.toString()});`)
    .join('\n');
  return `
const { parentPort, workerData } = require('node:worker_threads');
const ctrl = workerData.ctrl;
const kernels = {};
${bodies}
parentPort.on('message', (m) => {
  try {
    kernels[m.k](m.a, m.s, m.e);
  } catch (err) {
    Atomics.store(ctrl, 1, 1);
    console.error('[kernel worker]', m.k, err);
  }
  Atomics.add(ctrl, 0, 1);
  Atomics.notify(ctrl, 0);
});
`;
}

export class KernelPool {
  private readonly workers: Worker[] = [];
  /** [0] = ranges finished by workers in the current run, [1] = a worker failed. */
  private readonly ctrl = new Int32Array(new SharedArrayBuffer(8));

  constructor(readonly threads: number) {
    if (threads > 1) {
      const source = workerSource();
      for (let t = 1; t < threads; t++) {
        const worker = new Worker(source, { eval: true, workerData: { ctrl: this.ctrl } });
        // Idle workers must not keep a finished process (or a jest run) alive.
        worker.unref();
        this.workers.push(worker);
      }
    }
  }

  /**
   * Run `name` over `bounds` (parts+1 offsets, parts <= threads). Part 0 runs here, the rest on
   * workers. With one part, or when `work` is small, everything runs here.
   */
  run<K extends KernelName>(name: K, args: KernelArgs<K>, bounds: Int32Array, work: number): void {
    const body = KERNEL_BODIES[name] as (a: KernelArgs<K>, s: number, e: number) => void;
    const parts = bounds.length - 1;
    if (parts <= 1 || this.workers.length === 0 || work < INLINE_WORK_THRESHOLD) {
      body(args, bounds[0], bounds[parts]);
      return;
    }
    if (parts > this.threads) throw new Error(`kernel ${name}: ${parts} parts for ${this.threads} threads`);
    for (const value of Object.values(args as object)) {
      if (ArrayBuffer.isView(value) && !isShared(value)) {
        throw new Error(`kernel ${name}: an argument is not on a SharedArrayBuffer; workers would write into a copy`);
      }
    }
    Atomics.store(this.ctrl, 0, 0);
    Atomics.store(this.ctrl, 1, 0);
    const posted = parts - 1;
    for (let t = 1; t < parts; t++) this.workers[t - 1].postMessage({ k: name, a: args, s: bounds[t], e: bounds[t + 1] });
    body(args, bounds[0], bounds[1]);
    for (;;) {
      const done = Atomics.load(this.ctrl, 0);
      if (done >= posted) break;
      Atomics.wait(this.ctrl, 0, done, 1000);
    }
    if (Atomics.load(this.ctrl, 1) !== 0) throw new Error(`kernel ${name} failed in a worker thread (see stderr)`);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
  }
}

let pool: KernelPool | undefined;
let configuredThreads: number | undefined;

/** Threads used by the kernels: the machine's cores unless configured (1 = no workers). */
export function kernelThreads(): number {
  return configuredThreads ?? Math.max(1, Math.min(os.availableParallelism(), 8));
}

/** Change the thread count; the next kernel call starts a pool of that size. */
export async function setKernelThreads(threads: number): Promise<void> {
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`threads must be a positive integer, got ${threads}`);
  configuredThreads = threads;
  if (pool && pool.threads !== threads) await shutdownKernelPool();
}

export function kernelPool(): KernelPool {
  if (!pool) pool = new KernelPool(kernelThreads());
  return pool;
}

export async function shutdownKernelPool(): Promise<void> {
  const p = pool;
  pool = undefined;
  if (p) await p.close();
}
