/**
 * Graceful shutdown in the fixed order of STYLE.md: stop HTTP, stop consumers, close workers, drain the relay,
 * end the pool, drain NATS — each step bounded, the whole bounded by a timeout, then the process exits.
 */
export interface ShutdownStep {
  name: string;
  run: () => Promise<unknown>;
}

export interface ShutdownLogger {
  info(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Runs the steps in order; a failing or hanging step is logged and skipped so later resources still close. */
export async function runShutdown(
  steps: ShutdownStep[],
  log: ShutdownLogger,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let clean = true;
  for (const step of steps) {
    const left = deadline - Date.now();
    if (left <= 0) {
      log.error({ step: step.name }, 'shutdown timed out before this step');
      return false;
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        step.run(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`timed out after ${left} ms`)), left);
        }),
      ]);
      log.info({ step: step.name }, 'shutdown step done');
    } catch (err) {
      clean = false;
      log.error({ step: step.name, err }, 'shutdown step failed');
    } finally {
      clearTimeout(timer);
    }
  }
  return clean;
}

/** Installs SIGTERM/SIGINT handlers that run the steps once and exit (0 when clean, 1 otherwise). */
export function onSignals(steps: () => ShutdownStep[], log: ShutdownLogger, timeoutMs: number): void {
  let started = false;
  const handler = (signal: NodeJS.Signals) => {
    if (started) return;
    started = true;
    log.info({ signal }, 'shutting down');
    void runShutdown(steps(), log, timeoutMs).then((clean) => process.exit(clean ? 0 : 1));
  };
  process.once('SIGTERM', handler);
  process.once('SIGINT', handler);
}
