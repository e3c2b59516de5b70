/** Shared plumbing for CLI commands: config, services, progress bars, clean exit. */
import { SingleBar, Presets } from 'cli-progress';
import { createServices, Services } from '../app';
import { Config, loadConfig, requirePassword } from '../config';
import { createLogger, Logger } from '../observability/logger';

export interface Runtime {
  config: Config;
  services: Services;
  logger: Logger;
}

export async function withRuntime<T>(work: (rt: Runtime) => Promise<T>): Promise<T> {
  const config = loadConfig();
  requirePassword(config);
  const logger = createLogger(config.logLevel);
  const services = createServices(config);
  try {
    return await work({ config, services, logger });
  } finally {
    await services.db.close();
  }
}

/** A progress bar on stderr that falls back to plain lines when stderr is not a terminal (CI logs). */
export function progressBar(label: string): { update(done: number, total: number): void; stop(): void } {
  if (!process.stderr.isTTY) {
    let lastPrinted = 0;
    return {
      update(done, total) {
        const now = Date.now();
        if (done === total || now - lastPrinted > 2000) {
          lastPrinted = now;
          process.stderr.write(`${label}: ${done}/${total}\n`);
        }
      },
      stop() {},
    };
  }
  const bar = new SingleBar({ format: `${label} [{bar}] {percentage}% {value}/{total} eta {eta}s`, stream: process.stderr }, Presets.shades_classic);
  let started = false;
  return {
    update(done, total) {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.setTotal(total);
      bar.update(done);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

export function fail(message: string): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(1);
}
