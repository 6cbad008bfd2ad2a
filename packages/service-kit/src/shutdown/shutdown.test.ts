import { describe, expect, it } from 'vitest';
import { runShutdown } from './index.js';

const quietLog = () => {
  const lines: string[] = [];
  return {
    lines,
    info: (_o: object, m?: string) => void lines.push(`info ${m}`),
    error: (_o: object, m?: string) => void lines.push(`error ${m}`),
  };
};

describe('runShutdown', () => {
  it('runs the steps in order and reports a clean shutdown', async () => {
    const order: string[] = [];
    const step = (name: string) => ({ name, run: () => Promise.resolve(void order.push(name)) });
    const clean = await runShutdown(
      [step('http'), step('consumers'), step('workers'), step('relay'), step('pool'), step('nats')],
      quietLog(),
      1_000,
    );
    expect(clean).toBe(true);
    expect(order).toEqual(['http', 'consumers', 'workers', 'relay', 'pool', 'nats']);
  });

  it('goes on after a failing step so later resources still close, and says it was not clean', async () => {
    const order: string[] = [];
    const clean = await runShutdown(
      [
        { name: 'http', run: () => Promise.reject(new Error('boom')) },
        { name: 'pool', run: () => Promise.resolve(void order.push('pool')) },
      ],
      quietLog(),
      1_000,
    );
    expect(clean).toBe(false);
    expect(order).toEqual(['pool']);
  });

  it('bounds the whole shutdown: a hanging step cannot keep the process alive', async () => {
    const started = Date.now();
    const clean = await runShutdown(
      [
        { name: 'hangs', run: () => new Promise(() => {}) },
        { name: 'never reached in time', run: () => Promise.resolve() },
      ],
      quietLog(),
      200,
    );
    expect(clean).toBe(false);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
