/**
 * The one logger of the extension: every context logs through it, so the level can be changed in one
 * place and tests can silence it. Messages carry the context's tag.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
let threshold: LogLevel = 'info';

/** Sets the lowest level that is printed (default `info`). */
export function setLogLevel(level: LogLevel): void {
  threshold = level;
}

export interface Logger {
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

/** Creates a logger whose lines start with `[tag]`. */
export function createLogger(tag: string): Logger {
  const write =
    (level: LogLevel) =>
    (...args: unknown[]): void => {
      if (ORDER[level] < ORDER[threshold]) return;
      // eslint-disable-next-line no-console -- this module is the single sanctioned console user
      console[level](`[${tag}]`, ...args);
    };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
