// Named loggers whose levels GET|PUT /admin/loggers read and change at run time (Kafka's
// Loggers, KIP-495). Each named logger is a pino child of the worker's logger carrying its name;
// the root logger is "root". Levels use Kafka's (log4j's) names: OFF FATAL ERROR WARN INFO
// DEBUG TRACE ALL. Setting a namespace sets every logger whose name starts with it (and creates
// the namespace's own logger), as Kafka does.
import type { Logger } from "../../lib/logger.ts";

export const ROOT_LOGGER = "root";

const KAFKA_TO_PINO: Record<string, string> = {
  OFF: "silent",
  FATAL: "fatal",
  ERROR: "error",
  WARN: "warn",
  INFO: "info",
  DEBUG: "debug",
  TRACE: "trace",
  ALL: "trace",
};

const PINO_TO_KAFKA: Record<string, string> = {
  silent: "OFF",
  fatal: "FATAL",
  error: "ERROR",
  warn: "WARN",
  info: "INFO",
  debug: "DEBUG",
  trace: "TRACE",
};

/** GET /admin/loggers/{name}: the level and when REST last changed it (epoch ms, or null). */
export interface LoggerLevel {
  level: string;
  last_modified: number | null;
}

interface Entry {
  readonly logger: Logger;
  /** The Kafka level name last set through setLevel (ALL and TRACE are one pino level). */
  kafkaLevel: string | null;
}

export class LoggerLevels {
  readonly #entries = new Map<string, Entry>();
  readonly #lastModified = new Map<string, number>();
  readonly #now: () => number;

  constructor(root: Logger, now: () => number = Date.now) {
    this.#now = now;
    this.#entries.set(ROOT_LOGGER, { logger: root, kafkaLevel: null });
  }

  static isRoot(name: string): boolean {
    return name === "" || name.toLowerCase() === ROOT_LOGGER;
  }

  /** The named logger, created on first use as a child of the root logger. */
  logger(name: string): Logger {
    if (LoggerLevels.isRoot(name)) return this.#root().logger;
    let entry = this.#entries.get(name);
    if (!entry) {
      entry = { logger: this.#root().logger.child({ logger: name }), kafkaLevel: null };
      this.#entries.set(name, entry);
    }
    return entry.logger;
  }

  #root(): Entry {
    return this.#entries.get(ROOT_LOGGER) as Entry;
  }

  #levelOf(name: string, entry: Entry): LoggerLevel {
    return { level: entry.kafkaLevel ?? PINO_TO_KAFKA[entry.logger.level] ?? entry.logger.level.toUpperCase(), last_modified: this.#lastModified.get(name) ?? null };
  }

  /** One logger's level, or null when no logger has that name. */
  level(name: string): LoggerLevel | null {
    const key = LoggerLevels.isRoot(name) ? ROOT_LOGGER : name;
    const entry = this.#entries.get(key);
    return entry ? this.#levelOf(key, entry) : null;
  }

  /** Every logger that is not OFF, by name. */
  allLevels(): Record<string, LoggerLevel> {
    const out: Record<string, LoggerLevel> = {};
    for (const name of [...this.#entries.keys()].sort()) {
      const level = this.#levelOf(name, this.#entries.get(name) as Entry);
      if (level.level !== "OFF") out[name] = level;
    }
    return out;
  }

  isValidLevel(level: string): boolean {
    return Object.hasOwn(KAFKA_TO_PINO, level.toUpperCase());
  }

  /** Sets the level of a namespace and everything under it; returns the loggers whose level changed, sorted. */
  setLevel(namespace: string, level: string): string[] {
    const kafkaLevel = level.toUpperCase();
    const pinoLevel = KAFKA_TO_PINO[kafkaLevel];
    if (pinoLevel === undefined) throw new Error(`invalid log level '${level}'`);
    const root = LoggerLevels.isRoot(namespace);
    if (!root) this.logger(namespace);
    const changed: string[] = [];
    for (const [name, entry] of this.#entries) {
      if (!root && !name.startsWith(namespace)) continue;
      const before = this.#levelOf(name, entry).level;
      entry.logger.level = pinoLevel;
      entry.kafkaLevel = kafkaLevel;
      if (before !== kafkaLevel) {
        this.#lastModified.set(name, this.#now());
        changed.push(name);
      }
    }
    return changed.sort();
  }
}
