// The worker's metrics in Prometheus form, named after Kafka Connect's JMX metrics
// (connect-worker-metrics, connector-task-metrics, source-task-metrics, sink-task-metrics,
// task-error-metrics): group and metric name joined with underscores, e.g. Kafka's
// source-task-metrics/source-record-poll-total is connect_source_task_source_record_poll_total.
// Times are seconds (Prometheus' convention) where Kafka has -avg/-max milliseconds: a histogram
// gives both. Per-task series carry the labels connector and task and are removed when the task
// goes away, as Kafka removes a task's metric group. Another module serves `registry` over HTTP.
import { Counter, Gauge, Histogram, Registry } from "prom-client";

type TaskLabels = "connector" | "task";
const TASK_LABELS: TaskLabels[] = ["connector", "task"];

const LATENCY_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export type ConnectState = "RUNNING" | "PAUSED" | "FAILED" | "UNASSIGNED" | "STOPPED";
const STATES: ConnectState[] = ["RUNNING", "PAUSED", "FAILED", "UNASSIGNED", "STOPPED"];

export class ConnectMetrics {
  readonly registry: Registry;

  readonly connectorStartupAttempts: Counter;
  readonly connectorStartupSuccess: Counter;
  readonly connectorStartupFailure: Counter;
  readonly taskStartupAttempts: Counter;
  readonly taskStartupSuccess: Counter;
  readonly taskStartupFailure: Counter;
  readonly connectorStatus: Gauge<"connector" | "status">;
  readonly taskStatus: Gauge<TaskLabels | "status">;

  readonly offsetCommitSeconds: Histogram<TaskLabels>;
  readonly offsetCommitSuccess: Counter<TaskLabels>;
  readonly offsetCommitFailure: Counter<TaskLabels>;
  readonly batchSize: Histogram<TaskLabels>;

  readonly sourceRecordPoll: Counter<TaskLabels>;
  readonly sourceRecordWrite: Counter<TaskLabels>;
  readonly sourceRecordActive: Gauge<TaskLabels>;
  readonly pollBatchSeconds: Histogram<TaskLabels>;

  readonly sinkRecordRead: Counter<TaskLabels>;
  readonly sinkRecordSend: Counter<TaskLabels>;
  readonly sinkRecordActive: Gauge<TaskLabels>;
  readonly sinkPartitionCount: Gauge<TaskLabels>;
  readonly sinkOffsetCommitCompletion: Counter<TaskLabels>;
  readonly sinkOffsetCommitSkip: Counter<TaskLabels>;
  readonly sinkOffsetCommitSeqNo: Gauge<TaskLabels>;
  readonly putBatchSeconds: Histogram<TaskLabels>;
  readonly sinkRecordLagMax: Gauge<TaskLabels>;

  readonly recordErrors: Counter<TaskLabels>;
  readonly recordFailures: Counter<TaskLabels>;
  readonly recordsSkipped: Counter<TaskLabels>;
  readonly retries: Counter<TaskLabels>;
  readonly errorsLogged: Counter<TaskLabels>;
  readonly dlqProduceRequests: Counter<TaskLabels>;
  readonly dlqProduceFailures: Counter<TaskLabels>;
  readonly lastErrorTimestamp: Gauge<TaskLabels>;

  constructor(registry = new Registry()) {
    this.registry = registry;
    const r = [registry];
    const counter = (name: string, help: string): Counter<TaskLabels> => new Counter({ name, help, labelNames: TASK_LABELS, registers: r });
    const gauge = (name: string, help: string): Gauge<TaskLabels> => new Gauge({ name, help, labelNames: TASK_LABELS, registers: r });
    const histogram = (name: string, help: string, buckets = LATENCY_BUCKETS): Histogram<TaskLabels> => new Histogram({ name, help, labelNames: TASK_LABELS, buckets, registers: r });

    this.connectorStartupAttempts = new Counter({ name: "connect_worker_connector_startup_attempts_total", help: "Connector starts attempted on this worker", registers: r });
    this.connectorStartupSuccess = new Counter({ name: "connect_worker_connector_startup_success_total", help: "Connector starts that succeeded", registers: r });
    this.connectorStartupFailure = new Counter({ name: "connect_worker_connector_startup_failure_total", help: "Connector starts that failed", registers: r });
    this.taskStartupAttempts = new Counter({ name: "connect_worker_task_startup_attempts_total", help: "Task starts attempted on this worker", registers: r });
    this.taskStartupSuccess = new Counter({ name: "connect_worker_task_startup_success_total", help: "Task starts that succeeded", registers: r });
    this.taskStartupFailure = new Counter({ name: "connect_worker_task_startup_failure_total", help: "Task starts that failed", registers: r });
    this.connectorStatus = new Gauge({ name: "connect_connector_status", help: "1 for the connector's current state on this worker", labelNames: ["connector", "status"], registers: r });
    this.taskStatus = new Gauge({ name: "connect_connector_task_status", help: "1 for the task's current state on this worker", labelNames: ["connector", "task", "status"], registers: r });

    this.offsetCommitSeconds = histogram("connect_connector_task_offset_commit_seconds", "Time taken by offset commits (Kafka's offset-commit-avg/max-time-ms)");
    this.offsetCommitSuccess = counter("connect_connector_task_offset_commit_success_total", "Offset commits that succeeded");
    this.offsetCommitFailure = counter("connect_connector_task_offset_commit_failure_total", "Offset commits that failed");
    this.batchSize = histogram("connect_connector_task_batch_size", "Records per batch the task polled or was given", [1, 10, 50, 100, 250, 500, 1000, 2500, 5000, 10000]);

    this.sourceRecordPoll = counter("connect_source_task_source_record_poll_total", "Records produced or polled by the task, before transformations");
    this.sourceRecordWrite = counter("connect_source_task_source_record_write_total", "Records written to Kafka after transformations (dropped records excluded)");
    this.sourceRecordActive = gauge("connect_source_task_source_record_active_count", "Records polled but not yet acknowledged by Kafka");
    this.pollBatchSeconds = histogram("connect_source_task_poll_batch_time_seconds", "Time taken by a poll() that returned records");

    this.sinkRecordRead = counter("connect_sink_task_sink_record_read_total", "Records read from Kafka, before transformations");
    this.sinkRecordSend = counter("connect_sink_task_sink_record_send_total", "Records handed to put() after transformations");
    this.sinkRecordActive = gauge("connect_sink_task_sink_record_active_count", "Records read but not yet committed");
    this.sinkPartitionCount = gauge("connect_sink_task_partition_count", "Topic partitions assigned to the task");
    this.sinkOffsetCommitCompletion = counter("connect_sink_task_offset_commit_completion_total", "Offset commits that completed");
    this.sinkOffsetCommitSkip = counter("connect_sink_task_offset_commit_skip_total", "Offset commits skipped (nothing to commit, or preCommit returned nothing)");
    this.sinkOffsetCommitSeqNo = gauge("connect_sink_task_offset_commit_seq_no", "Sequence number of the last offset commit");
    this.putBatchSeconds = histogram("connect_sink_task_put_batch_time_seconds", "Time taken by put()");
    this.sinkRecordLagMax = gauge("connect_sink_task_sink_record_lag_max", "Largest lag (records behind the partition end) seen in the last batches");

    this.recordErrors = counter("connect_task_error_total_record_errors", "Records whose processing failed (after retries)");
    this.recordFailures = counter("connect_task_error_total_record_failures", "Failed attempts to process records (retries included)");
    this.recordsSkipped = counter("connect_task_error_total_records_skipped", "Records skipped because of errors (errors.tolerance=all)");
    this.retries = counter("connect_task_error_total_retries", "Operations retried");
    this.errorsLogged = counter("connect_task_error_total_errors_logged", "Errors logged (errors.log.enable)");
    this.dlqProduceRequests = counter("connect_task_error_deadletterqueue_produce_requests", "Records sent to the dead letter queue");
    this.dlqProduceFailures = counter("connect_task_error_deadletterqueue_produce_failures", "Records the dead letter queue could not take");
    this.lastErrorTimestamp = gauge("connect_task_error_last_error_timestamp", "When the task last had an error (ms since the epoch)");
  }

  /** Gauges of the worker's connector and task counts, read at scrape time. */
  addWorkerCollectors(read: { connectorCount: () => number; taskCount: () => number }): void {
    new Gauge({
      name: "connect_worker_connector_count",
      help: "Connectors running on this worker",
      registers: [this.registry],
      collect() {
        this.set(read.connectorCount());
      },
    });
    new Gauge({
      name: "connect_worker_task_count",
      help: "Tasks running on this worker",
      registers: [this.registry],
      collect() {
        this.set(read.taskCount());
      },
    });
  }

  setConnectorState(connector: string, state: ConnectState | null): void {
    for (const s of STATES) {
      if (state === null) this.connectorStatus.remove({ connector, status: s });
      else this.connectorStatus.set({ connector, status: s }, s === state ? 1 : 0);
    }
  }

  setTaskState(connector: string, task: number, state: ConnectState | null): void {
    const t = String(task);
    for (const s of STATES) {
      if (state === null) this.taskStatus.remove({ connector, task: t, status: s });
      else this.taskStatus.set({ connector, task: t, status: s }, s === state ? 1 : 0);
    }
  }

  /** The series of one task, label values bound. */
  forTask(connector: string, task: number): TaskMetrics {
    return new TaskMetrics(this, { connector, task: String(task) });
  }
}

/** One task's metrics (label values bound once: the per-record paths touch these). */
export class TaskMetrics {
  readonly #metrics: ConnectMetrics;
  readonly #labels: Record<TaskLabels, string>;
  readonly offsetCommitSeconds;
  readonly offsetCommitSuccess;
  readonly offsetCommitFailure;
  readonly batchSize;
  readonly sourceRecordPoll;
  readonly sourceRecordWrite;
  readonly sourceRecordActive;
  readonly pollBatchSeconds;
  readonly sinkRecordRead;
  readonly sinkRecordSend;
  readonly sinkRecordActive;
  readonly sinkPartitionCount;
  readonly sinkOffsetCommitCompletion;
  readonly sinkOffsetCommitSkip;
  readonly sinkOffsetCommitSeqNo;
  readonly putBatchSeconds;
  readonly sinkRecordLagMax;
  readonly recordErrors;
  readonly recordFailures;
  readonly recordsSkipped;
  readonly retries;
  readonly errorsLogged;
  readonly dlqProduceRequests;
  readonly dlqProduceFailures;
  readonly lastErrorTimestamp;

  constructor(metrics: ConnectMetrics, labels: Record<TaskLabels, string>) {
    this.#metrics = metrics;
    this.#labels = labels;
    this.offsetCommitSeconds = metrics.offsetCommitSeconds.labels(labels);
    this.offsetCommitSuccess = metrics.offsetCommitSuccess.labels(labels);
    this.offsetCommitFailure = metrics.offsetCommitFailure.labels(labels);
    this.batchSize = metrics.batchSize.labels(labels);
    this.sourceRecordPoll = metrics.sourceRecordPoll.labels(labels);
    this.sourceRecordWrite = metrics.sourceRecordWrite.labels(labels);
    this.sourceRecordActive = metrics.sourceRecordActive.labels(labels);
    this.pollBatchSeconds = metrics.pollBatchSeconds.labels(labels);
    this.sinkRecordRead = metrics.sinkRecordRead.labels(labels);
    this.sinkRecordSend = metrics.sinkRecordSend.labels(labels);
    this.sinkRecordActive = metrics.sinkRecordActive.labels(labels);
    this.sinkPartitionCount = metrics.sinkPartitionCount.labels(labels);
    this.sinkOffsetCommitCompletion = metrics.sinkOffsetCommitCompletion.labels(labels);
    this.sinkOffsetCommitSkip = metrics.sinkOffsetCommitSkip.labels(labels);
    this.sinkOffsetCommitSeqNo = metrics.sinkOffsetCommitSeqNo.labels(labels);
    this.putBatchSeconds = metrics.putBatchSeconds.labels(labels);
    this.sinkRecordLagMax = metrics.sinkRecordLagMax.labels(labels);
    this.recordErrors = metrics.recordErrors.labels(labels);
    this.recordFailures = metrics.recordFailures.labels(labels);
    this.recordsSkipped = metrics.recordsSkipped.labels(labels);
    this.retries = metrics.retries.labels(labels);
    this.errorsLogged = metrics.errorsLogged.labels(labels);
    this.dlqProduceRequests = metrics.dlqProduceRequests.labels(labels);
    this.dlqProduceFailures = metrics.dlqProduceFailures.labels(labels);
    this.lastErrorTimestamp = metrics.lastErrorTimestamp.labels(labels);
  }

  /** Removes this task's series (the task is gone from this worker). */
  remove(): void {
    const m = this.#metrics;
    for (const metric of [
      m.offsetCommitSeconds,
      m.offsetCommitSuccess,
      m.offsetCommitFailure,
      m.batchSize,
      m.sourceRecordPoll,
      m.sourceRecordWrite,
      m.sourceRecordActive,
      m.pollBatchSeconds,
      m.sinkRecordRead,
      m.sinkRecordSend,
      m.sinkRecordActive,
      m.sinkPartitionCount,
      m.sinkOffsetCommitCompletion,
      m.sinkOffsetCommitSkip,
      m.sinkOffsetCommitSeqNo,
      m.putBatchSeconds,
      m.sinkRecordLagMax,
      m.recordErrors,
      m.recordFailures,
      m.recordsSkipped,
      m.retries,
      m.errorsLogged,
      m.dlqProduceRequests,
      m.dlqProduceFailures,
      m.lastErrorTimestamp,
    ]) {
      (metric as Counter<TaskLabels>).remove(this.#labels);
    }
  }
}
