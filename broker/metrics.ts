// Broker metrics in Prometheus form, named after Kafka's JMX metrics (RequestMetrics,
// BrokerTopicMetrics, Log size, group coordinator) so dashboards read naturally to Kafka users.
import { Counter, Gauge, Histogram, Registry } from "prom-client";

export class BrokerMetrics {
  readonly registry: Registry;
  readonly requests: Counter<"api" | "version">;
  readonly requestErrors: Counter<"api" | "error">;
  readonly requestSeconds: Histogram<"api">;
  readonly bytesIn: Counter<"topic">;
  readonly bytesOut: Counter<"topic">;
  readonly messagesIn: Counter<"topic">;

  constructor(registry = new Registry()) {
    this.registry = registry;
    this.requests = new Counter({ name: "kafka_network_requests_total", help: "Requests received, by API and version", labelNames: ["api", "version"], registers: [registry] });
    this.requestErrors = new Counter({ name: "kafka_network_request_errors_total", help: "Error codes returned, by API", labelNames: ["api", "error"], registers: [registry] });
    this.requestSeconds = new Histogram({
      name: "kafka_network_request_duration_seconds",
      help: "Time from a request's arrival to its response being ready, by API (Fetch includes long-poll waits)",
      labelNames: ["api"],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
    this.bytesIn = new Counter({ name: "kafka_server_brokertopicmetrics_bytes_in_total", help: "Record batch bytes appended, by topic", labelNames: ["topic"], registers: [registry] });
    this.bytesOut = new Counter({ name: "kafka_server_brokertopicmetrics_bytes_out_total", help: "Record batch bytes served to fetchers, by topic", labelNames: ["topic"], registers: [registry] });
    this.messagesIn = new Counter({ name: "kafka_server_brokertopicmetrics_messages_in_total", help: "Records appended, by topic", labelNames: ["topic"], registers: [registry] });
  }

  /** Gauges read at scrape time from the broker's state. */
  addCollectors(read: {
    partitionSizes: () => Iterable<{ topic: string; partition: number; bytes: number }>;
    groupCounts: () => Iterable<{ state: string; count: number }>;
    connectionCount: () => number;
    delayedFetches: () => number;
  }): void {
    const registry = this.registry;
    new Gauge({
      name: "kafka_log_size_bytes",
      help: "Size of a partition's log on disk",
      labelNames: ["topic", "partition"],
      registers: [registry],
      collect() {
        this.reset();
        for (const p of read.partitionSizes()) this.set({ topic: p.topic, partition: String(p.partition) }, p.bytes);
      },
    });
    new Gauge({
      name: "kafka_coordinator_group_metadata_manager_num_groups",
      help: "Consumer groups, by state",
      labelNames: ["state"],
      registers: [registry],
      collect() {
        this.reset();
        for (const g of read.groupCounts()) this.set({ state: g.state }, g.count);
      },
    });
    new Gauge({
      name: "kafka_server_delayedoperationpurgatory_purgatorysize",
      help: "Requests waiting in a purgatory: Fetch long polls waiting for data",
      labelNames: ["delayedOperation"],
      registers: [registry],
      collect() {
        this.set({ delayedOperation: "Fetch" }, read.delayedFetches());
      },
    });
    new Gauge({
      name: "kafka_server_socket_server_connections",
      help: "Open client connections",
      registers: [registry],
      collect() {
        this.set(read.connectionCount());
      },
    });
  }
}
