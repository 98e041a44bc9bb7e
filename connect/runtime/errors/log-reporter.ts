// errors.log.enable: each failed record is logged at ERROR with the stage and class that failed
// and, with errors.log.include.messages, the record (Kafka's LogReporter and its message text:
// "Error encountered in task <connector>-<task>. Executing stage ...").
import type { Logger } from "../../../lib/logger.ts";
import { type ErrorReporter, type ProcessingContext } from "./processing-context.ts";

export class LogReporter implements ErrorReporter {
  readonly #taskName: string;
  readonly #includeMessages: boolean;
  readonly #log: Logger;
  readonly #onLogged: () => void;

  constructor(options: { connector: string; task: number; includeMessages: boolean; logger: Logger; onLogged: () => void }) {
    this.#taskName = `${options.connector}-${options.task}`;
    this.#includeMessages = options.includeMessages;
    this.#log = options.logger;
    this.#onLogged = options.onLogged;
  }

  report(context: ProcessingContext): void {
    if (!context.failed) return;
    this.#log.error({ stage: context.stage, class: context.executingClass, attempt: context.attempt, err: context.error }, `Error encountered in task ${this.#taskName}. ${context.describe(this.#includeMessages)}`);
    this.#onLogged();
  }

  async close(): Promise<void> {}
}
