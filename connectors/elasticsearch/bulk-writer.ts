// Sends bulk requests to Elasticsearch and sorts out what came back: the whole request is
// retried with exponential backoff when Elasticsearch is overloaded (429), failing (5xx) or
// unreachable; items that failed for a retriable reason are sent again the same way; items
// Elasticsearch rejected for good (mapping conflicts, malformed documents) are returned to the
// caller, which decides what behavior.on.malformed.documents asks for.
import type { Client, estypes } from "@elastic/elasticsearch";

/** The Elasticsearch client library, loaded when the first task starts (it costs ~40 MiB of RSS, so workers without this connector do not pay for it). */
type ElasticsearchModule = typeof import("@elastic/elasticsearch");
import { ConnectException, type SinkRecord } from "../../connect/api/index.ts";
import type { ElasticsearchSinkSettings } from "./config.ts";
import type { JsonValue } from "./document.ts";
import type { FieldMapping } from "./mapping.ts";

/** One record's bulk operation: the action line and, except for deletes, its body line. */
export interface BulkEntry {
  readonly record: SinkRecord;
  readonly action: { [op: string]: { [key: string]: JsonValue } };
  readonly body: { [key: string]: JsonValue } | null;
}

export interface RejectedEntry {
  readonly entry: BulkEntry;
  /** Elasticsearch's error type and reason, e.g. "document_parsing_exception: failed to parse field [n] of type [long]". */
  readonly reason: string;
}

interface ItemResult {
  readonly status: number;
  readonly error?: { readonly type?: string; readonly reason?: string | null } | null;
}

/** Errors that are about one document only and resending it cannot fix. */
const REJECTED = "rejected";

export class BulkWriter {
  readonly #client: Client;
  readonly #errors: ElasticsearchModule["errors"];
  readonly #settings: ElasticsearchSinkSettings;
  #closed = false;

  static async open(settings: ElasticsearchSinkSettings): Promise<BulkWriter> {
    return new BulkWriter(settings, await import("@elastic/elasticsearch"));
  }

  private constructor(settings: ElasticsearchSinkSettings, { Client, errors }: ElasticsearchModule) {
    this.#settings = settings;
    this.#errors = errors;
    this.#client = new Client({
      nodes: [...settings.urls],
      auth: settings.username !== null && settings.password !== null ? { username: settings.username, password: settings.password.value() } : undefined,
      // Retries are this writer's (max.retries, retry.backoff.ms), not the client's.
      maxRetries: 0,
      requestTimeout: settings.readTimeoutMs,
    });
  }

  /**
   * Writes the entries; resolves with those Elasticsearch rejected for good once every other
   * entry is acknowledged, or throws a ConnectException when retries run out.
   */
  async write(entries: readonly BulkEntry[]): Promise<RejectedEntry[]> {
    const rejected: RejectedEntry[] = [];
    let pending = entries;
    let lastProblem = "";
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) {
        if (attempt > this.#settings.maxRetries) {
          throw new ConnectException(
            `Elasticsearch (${this.#settings.urls.join(",")}) did not accept ${pending.length} document(s) after ${this.#settings.maxRetries} retries: ${lastProblem}`,
          );
        }
        await this.#backoff(attempt);
      }
      if (this.#closed) throw new ConnectException("The Elasticsearch sink was stopped before its documents were written");
      const items = await this.#send(pending);
      if (typeof items === "string") {
        lastProblem = items;
        continue;
      }
      const retry: BulkEntry[] = [];
      items.forEach((item, i) => {
        const entry = pending[i] as BulkEntry;
        const verdict = classify(item, entry);
        if (verdict === "ok") return;
        const reason = `${item.error?.type ?? `status ${item.status}`}: ${item.error?.reason ?? ""}`;
        if (verdict === REJECTED) rejected.push({ entry, reason });
        else {
          retry.push(entry);
          lastProblem = reason;
        }
      });
      pending = retry;
    }
    return rejected;
  }

  /**
   * Creates the index with these mappings unless it exists: an existing index keeps its own
   * (it may have been set up by hand). A concurrent creation by another task is fine.
   */
  async ensureIndex(index: string, mappings: { properties: Record<string, FieldMapping> }): Promise<void> {
    try {
      if (await this.#client.indices.exists({ index })) return;
      await this.#client.indices.create({ index, mappings: mappings as estypes.MappingTypeMapping });
    } catch (error) {
      if (error instanceof this.#errors.ResponseError && error.body !== null && JSON.stringify(error.body).includes("resource_already_exists_exception")) return;
      throw new ConnectException(`Could not create the Elasticsearch index ${index}: ${(error as Error).message}`, { cause: error });
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#client.close();
  }

  /** The per-item results, or a description of why the whole request should be retried. */
  async #send(entries: readonly BulkEntry[]): Promise<ItemResult[] | string> {
    const operations: unknown[] = [];
    for (const entry of entries) {
      operations.push(entry.action);
      if (entry.body !== null) operations.push(entry.body);
    }
    try {
      const response = await this.#client.bulk({ operations });
      return response.items.map((item) => {
        const result = Object.values(item)[0];
        return { status: result?.status ?? 500, error: result?.error ?? null };
      });
    } catch (error) {
      if (error instanceof this.#errors.ResponseError) {
        const status = error.statusCode ?? 0;
        if (status === 429 || status >= 500) return `HTTP ${status}: ${error.message}`;
        throw new ConnectException(`Elasticsearch refused a bulk request (HTTP ${status}): ${error.message}`, { cause: error });
      }
      if (error instanceof this.#errors.ConnectionError || error instanceof this.#errors.TimeoutError || error instanceof this.#errors.NoLivingConnectionsError) {
        return `${error.name}: ${error.message}`;
      }
      throw new ConnectException(`The bulk request to Elasticsearch failed: ${(error as Error).message}`, { cause: error });
    }
  }

  /** retry.backoff.ms doubled each attempt, with jitter so that tasks do not retry in step. */
  async #backoff(attempt: number): Promise<void> {
    const ceiling = Math.min(this.#settings.retryBackoffMs * 2 ** (attempt - 1), 60_000);
    const wait = ceiling / 2 + Math.random() * (ceiling / 2);
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

function classify(item: ItemResult, entry: BulkEntry): "ok" | "retry" | typeof REJECTED {
  if (item.status < 300) return "ok";
  // A delete of a document that is not there has nothing left to do.
  if (item.status === 404 && (item.error === null || item.error === undefined)) return "ok";
  // External versioning (the Kafka offset) refused an older write: a newer one is already indexed.
  // (An update's conflict is two writers racing: sending it again settles it.)
  if (item.error?.type === "version_conflict_engine_exception") return "update" in entry.action ? "retry" : "ok";
  if (item.status === 429 || item.status >= 500 || item.error?.type === "es_rejected_execution_exception") return "retry";
  return REJECTED;
}
