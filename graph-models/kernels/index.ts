/** The sparse kernel layer: typed-array kernels, their tfjs ops, and the worker pool behind them. */
export * from './csr';
export * from './shared';
export { MessageGraph, Workspace, WorkspaceSlot, GatLayerOptions, GatLayerSaved, HeadShape, AdamHyper, adamStep, gatLayerForward, gatLayerBackward } from './sparse';
export * from './ops';
export { kernelThreads, setKernelThreads, shutdownKernelPool, INLINE_WORK_THRESHOLD } from './pool';
