/**
 * Helpers for fault-injection tests that run the real registry (dist/main.js) as a child process against
 * private server instances: spawning it, bounded HTTP calls and bounded polling.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const registryMain = fileURLToPath(new URL('../dist/main.js', import.meta.url));
export const registryDir = fileURLToPath(new URL('..', import.meta.url));

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface RegistryProcess {
  readonly child: ChildProcess;
  readonly baseUrl: string;
  /** True while the process has not exited. */
  alive(): boolean;
  /** The last lines the process wrote (stdout and stderr), for failure messages. */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when it has exited. Idempotent. */
  kill(graceMs?: number): Promise<void>;
}

export function spawnRegistry(env: Record<string, string>, port: number): RegistryProcess {
  const child = spawn(process.execPath, [registryMain], {
    cwd: registryDir,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const collect = (chunk: Buffer): void => {
    lines.push(chunk.toString('utf8'));
    if (lines.length > 200) lines.shift();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  child.on('error', (err) => lines.push(`spawn error: ${String(err)}\n`));
  const alive = (): boolean => child.exitCode === null && child.signalCode === null;
  return {
    child,
    baseUrl: `http://127.0.0.1:${port}`,
    alive,
    output: () => lines.join(''),
    async kill(graceMs = 5_000) {
      if (!alive()) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(t);
    },
  };
}

export interface HttpAnswer {
  status: number;
  contentType: string;
  body: unknown;
  ms: number;
}

/** One HTTP call with a hard timeout (a hang fails the call with a TimeoutError). */
export async function http(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  timeoutMs = 10_000,
): Promise<HttpAnswer> {
  const started = Date.now();
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    body: parsed,
    ms: Date.now() - started,
  };
}

/**
 * Polls `probe` every `intervalMs` until it returns a value (not undefined) or `timeoutMs` passes; a throwing
 * probe counts as "not yet". Fails with `what` and the last result or error.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
      last = 'no value';
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${String(last)})`);
    await sleep(intervalMs);
  }
}
