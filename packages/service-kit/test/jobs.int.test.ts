/**
 * The jobs kit against the real Redis on loopback, with this file's own key prefix and queue names.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Type from 'typebox';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isolation, sharedUrls } from '@vinculo/testing';
import {
  createJobs,
  defineQueues,
  JobPayloadError,
  JobsUnavailableError,
  UnrecoverableError,
  type Jobs,
} from '../src/jobs/index.js';

const iso = isolation();
const redisUrl = sharedUrls.redis();

const catalog = defineQueues({
  'certificate-expiry': {
    payload: Type.Object({
      certificateId: Type.String({ minLength: 1 }),
      expiresAt: Type.String({ format: 'date-time' }),
    }),
    attempts: 5,
    backoff: { type: 'fixed', delay: 50 },
    removeOnComplete: { count: 1000 },
    removeOnFail: { count: 5000 },
  },
  'webhook-delivery': {
    payload: Type.Object({ deliveryId: Type.String() }),
    attempts: 3,
    backoff: { type: 'exponential', delay: 50 },
  },
});

/** Settles with `fn`'s value once it returns something other than undefined, or fails after `ms`. */
async function eventually<T>(fn: () => T | undefined | Promise<T | undefined>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

let jobs: Jobs<typeof catalog>;
let admin: Redis;

beforeAll(async () => {
  admin = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  await admin.ping();
});

afterEach(async () => {
  await jobs?.close();
});

afterAll(async () => {
  // Leave nothing of this file in the shared Redis.
  const keys = await admin.keys(`${iso.redisPrefix}:*`);
  if (keys.length > 0) await admin.del(...keys);
  await admin.quit();
});

/** A fresh kit per test, with queue names unique to this file and test. */
function freshJobs(suffix: string) {
  jobs = createJobs({
    catalog,
    redisUrl,
    prefix: iso.redisPrefix,
    queueName: (base) => iso.queueName(`${base}-${suffix}`),
  });
  return jobs;
}

describe('jobs', () => {
  it('runs a job added twice with the same jobId once', async () => {
    const kit = freshJobs('dedupe');
    const payload = { certificateId: 'c1', expiresAt: new Date().toISOString() };
    const first = await kit.add('certificate-expiry', payload, { jobId: 'expiry-c1' });
    const second = await kit.add('certificate-expiry', payload, { jobId: 'expiry-c1' });
    expect(second.id).toBe(first.id);
    const seen: string[] = [];
    kit.worker('certificate-expiry', (p) => {
      seen.push(p.certificateId);
    });
    await eventually(async () =>
      (await kit.queue('certificate-expiry').getCompletedCount()) === 1 ? true : undefined,
    );
    await new Promise((r) => setTimeout(r, 200));
    expect(seen).toEqual(['c1']);
  });

  it('delivers JSON: a date arrives as an ISO string', async () => {
    const kit = freshJobs('json');
    const expiresAt = new Date('2030-01-02T03:04:05.000Z').toISOString();
    const got = new Promise<unknown>((resolve) => {
      kit.worker('certificate-expiry', (p) => resolve(p.expiresAt));
    });
    await kit.add('certificate-expiry', { certificateId: 'c2', expiresAt });
    expect(await got).toBe(expiresAt);
  });

  it('retries a failing job until it succeeds', async () => {
    const kit = freshJobs('retry');
    let calls = 0;
    kit.worker('webhook-delivery', () => {
      calls += 1;
      if (calls < 3) throw new Error(`receiver down (${calls})`);
      return 'delivered';
    });
    const job = await kit.add('webhook-delivery', { deliveryId: 'd1' });
    const done = await eventually(async () => {
      const j = await kit.queue('webhook-delivery').getJob(job.id ?? '');
      return j?.finishedOn !== undefined ? j : undefined;
    });
    expect(done.returnvalue).toBe('delivered');
    expect(done.attemptsMade).toBe(3);
    expect(calls).toBe(3);
  });

  it('does not retry an UnrecoverableError', async () => {
    const kit = freshJobs('unrecoverable');
    let calls = 0;
    kit.worker('certificate-expiry', () => {
      calls += 1;
      throw new UnrecoverableError('certificate was deleted');
    });
    const job = await kit.add('certificate-expiry', {
      certificateId: 'gone',
      expiresAt: new Date().toISOString(),
    });
    const state = await eventually(async () => {
      const s = await kit.queue('certificate-expiry').getJobState(job.id ?? '');
      return s === 'failed' ? s : undefined;
    });
    expect(state).toBe('failed');
    await new Promise((r) => setTimeout(r, 300));
    expect(calls).toBe(1);
  });

  it('rejects an invalid payload at add() and enqueues nothing', async () => {
    const kit = freshJobs('invalid');
    await expect(
      kit.add('certificate-expiry', { certificateId: '', expiresAt: 'next tuesday' }),
    ).rejects.toBeInstanceOf(JobPayloadError);
    await expect(
      kit.add('certificate-expiry', { certificateId: 'c3' } as unknown as {
        certificateId: string;
        expiresAt: string;
      }),
    ).rejects.toThrow(/expiresAt/);
    const counts = await kit.queue('certificate-expiry').getJobCounts();
    expect(Object.values(counts).every((n) => n === 0)).toBe(true);
  });

  it('fails a job whose payload does not match its schema without retrying it', async () => {
    const kit = freshJobs('poison');
    let calls = 0;
    kit.worker('certificate-expiry', () => {
      calls += 1;
    });
    // Written around add(), as an older producer or a hand-edited job would be.
    const job = await kit
      .queue('certificate-expiry')
      .add('certificate-expiry', { certificateId: 42 } as never);
    const failed = await eventually(async () => {
      const j = await kit.queue('certificate-expiry').getJob(job.id ?? '');
      return j?.failedReason ? j : undefined;
    });
    expect(failed.failedReason).toMatch(/invalid payload/);
    expect(failed.attemptsMade).toBe(1);
    expect(calls).toBe(0);
  });

  it('fires a delayed job after its delay', async () => {
    const kit = freshJobs('delayed');
    let ranAt = 0;
    kit.worker('webhook-delivery', () => {
      ranAt = Date.now();
    });
    const addedAt = Date.now();
    const job = await kit.add('webhook-delivery', { deliveryId: 'later' }, { delay: 700 });
    expect(await kit.queue('webhook-delivery').getJobState(job.id ?? '')).toBe('delayed');
    await eventually(() => (ranAt > 0 ? ranAt : undefined));
    expect(ranAt - addedAt).toBeGreaterThanOrEqual(650);
  });

  it('closes every connection it opened', async () => {
    const kit = freshJobs('close');
    kit.worker('webhook-delivery', () => undefined, { concurrency: 2 });
    await kit.add('webhook-delivery', { deliveryId: 'x' });
    const ours = async () =>
      String(await admin.call('CLIENT', 'LIST'))
        .split('\n')
        .filter((line) => line.includes(`name=${iso.redisPrefix}:`));
    expect((await ours()).length).toBeGreaterThan(0);
    await kit.close();
    await eventually(async () => ((await ours()).length === 0 ? true : undefined));
    await expect(kit.add('webhook-delivery', { deliveryId: 'y' })).rejects.toThrow(/closed/);
  });

  it('fails fast when Redis is unreachable, and still closes', async () => {
    // Port 1 on loopback: nothing listens, connections are refused at once.
    jobs = createJobs({
      catalog,
      redisUrl: 'redis://127.0.0.1:1',
      prefix: iso.redisPrefix,
      producerReadyTimeoutMs: 300,
    });
    const started = Date.now();
    await expect(jobs.add('webhook-delivery', { deliveryId: 'z' })).rejects.toBeInstanceOf(
      JobsUnavailableError,
    );
    expect(Date.now() - started).toBeLessThan(2_000);
    await jobs.close();
  });

  it('lets the process exit after close() (no open handles)', async () => {
    const src = fileURLToPath(new URL('../src/jobs/index.ts', import.meta.url));
    const script = `
      import Type from 'typebox';
      import { createJobs, defineQueues } from ${JSON.stringify(src)};
      const catalog = defineQueues({ ping: { payload: Type.Object({ n: Type.Number() }) } });
      const jobs = createJobs({ catalog, redisUrl: ${JSON.stringify(redisUrl)}, prefix: ${JSON.stringify(iso.redisPrefix)},
        queueName: (b) => ${JSON.stringify(iso.queueName('exit-'))} + b });
      const done = new Promise((resolve) => jobs.worker('ping', async (p) => resolve(p.n)));
      await jobs.add('ping', { n: 7 });
      console.log('processed', await done);
      await jobs.close();
      // No process.exit: the event loop must drain by itself.
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve(null);
      }, 30_000);
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(out).toContain('processed 7');
    expect(code, `child did not exit by itself:\n${out}`).toBe(0);
  });
});
