import { ModelGate } from '../../../../src/services/copy/model-gate';

describe('model gate', () => {
  it('runs one job at a time, queues at most maxWaiting and refuses the rest with SERVICE_UNAVAILABLE', async () => {
    const gate = new ModelGate(2);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const order: number[] = [];
    const first = gate.run(async () => {
      await held;
      order.push(1);
    });
    const queued = [2, 3].map((n) => gate.run(async () => void order.push(n)));
    expect(gate.queued).toBe(2);
    await expect(gate.run(async () => 4)).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    release();
    await Promise.all([first, ...queued]);
    expect(order).toEqual([1, 2, 3]);
    await expect(gate.run(async () => 5)).resolves.toBe(5);
  });

  it('frees the model when a job fails', async () => {
    const gate = new ModelGate(0);
    await expect(gate.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(gate.run(async () => 'ok')).resolves.toBe('ok');
  });
});
