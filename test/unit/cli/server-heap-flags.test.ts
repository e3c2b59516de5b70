import { SERVER_HEAP_FLAGS, withServerHeapFlags } from '../../../src/cli/server-heap-flags';

describe('withServerHeapFlags', () => {
  it('adds the serving semi-space size to the worker command line', () => {
    expect(withServerHeapFlags(['--enable-source-maps'])).toEqual(['--enable-source-maps', ...SERVER_HEAP_FLAGS]);
    expect(SERVER_HEAP_FLAGS).toContain('--max-semi-space-size=64');
  });

  it('keeps a semi-space size the operator already chose', () => {
    expect(withServerHeapFlags(['--max-semi-space-size=16'])).toEqual(['--max-semi-space-size=16']);
  });
});
