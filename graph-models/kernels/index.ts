/** The kernel layer: typed-array kernels on the worker pool, and the glue that makes them tfjs ops. */
export { MessageGraph, Workspace, WorkspaceSlot, GatLayerOptions, GatLayerSaved, HeadShape, PairBatch, gatLayerForward, gatLayerBackward } from './sparse';
export { customOp, tensorData } from './custom-op';
export { spmmRows, SparseMatrix } from './spmm';
export { balancedRowRanges, evenRanges } from './partition';
export { kernelThreads, setKernelThreads, shutdownKernelPool, INLINE_WORK_THRESHOLD } from './pool';
