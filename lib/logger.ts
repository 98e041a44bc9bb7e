// Structured logging: one JSON object per event (pino), or the same events as readable
// lines when writing to a terminal. Components log through child loggers that carry their
// name (and the connector, task or topic) as fields.
import { pino, type Logger } from "pino";
import pretty from "pino-pretty";

export type { Logger };
export type LogFormat = "json" | "pretty";
export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LoggerOptions {
  level?: LogLevel;
  /** Default: pretty on a terminal, JSON otherwise (files, pipes, log shippers). */
  format?: LogFormat;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? "info";
  const format = options.format ?? (process.stdout.isTTY ? "pretty" : "json");
  if (format === "pretty") {
    // Synchronous in-process pretty printing: no worker thread to start, and nothing is
    // lost when the process exits right after logging.
    const stream = pretty({ colorize: process.stdout.isTTY, sync: true, ignore: "pid,hostname", translateTime: "HH:MM:ss.l", singleLine: true });
    return pino({ level, base: { pid: process.pid } }, stream);
  }
  return pino({ level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime });
}
