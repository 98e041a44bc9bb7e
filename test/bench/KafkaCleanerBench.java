// Runs Apache Kafka's own log cleaner (Kafka 4.3's org.apache.kafka.storage.internals.log
// LogCleaner, one cleaner thread, Kafka's default dedupe buffer and I/O buffer sizes) on one
// partition directory, outside any broker, and prints its CleanerStats as JSON. test/bench/cleaner.ts
// runs it on a copy of the very segment files the hub's cleaner is measured on.
//
//   java -cp "<kafka>/libs/*" test/bench/KafkaCleanerBench.java <segment.bytes> <warm-up partition dir> <partition dir>
//
// The first partition is cleaned to warm the JVM up (a broker's cleaner runs warm), the second
// is measured: its CleanerStats are printed.
//
// Internal APIs of that Kafka version, used read-only for a benchmark; not part of the hub.
import java.io.File;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.server.util.KafkaScheduler;
import org.apache.kafka.storage.internals.log.CleanerConfig;
import org.apache.kafka.storage.internals.log.CleanerStats;
import org.apache.kafka.storage.internals.log.LogCleaner;
import org.apache.kafka.storage.internals.log.LogConfig;
import org.apache.kafka.storage.internals.log.LogDirFailureChannel;
import org.apache.kafka.storage.internals.log.ProducerStateManagerConfig;
import org.apache.kafka.storage.internals.log.UnifiedLog;
import org.apache.kafka.storage.log.metrics.BrokerTopicStats;

public class KafkaCleanerBench {
    public static void main(String[] args) throws Exception {
        clean(new File(args[1]), args[0]);
        CleanerStats s = clean(new File(args[2]), args[0]);
        System.out.printf("{\"bytesRead\":%d,\"bytesWritten\":%d,\"mapMessagesRead\":%d,\"messagesRead\":%d,\"messagesWritten\":%d,\"elapsedSecs\":%.3f,\"elapsedIndexSecs\":%.3f}%n",
                s.bytesRead(), s.bytesWritten(), s.mapMessagesRead(), s.messagesRead(), s.messagesWritten(), s.elapsedSecs(), s.elapsedIndexSecs());
    }

    static CleanerStats clean(File dir, String segmentBytes) throws Exception {
        String name = dir.getName();
        int dash = name.lastIndexOf('-');
        TopicPartition tp = new TopicPartition(name.substring(0, dash), Integer.parseInt(name.substring(dash + 1)));
        Map<String, Object> props = new HashMap<>();
        props.put("cleanup.policy", "compact");
        props.put("min.cleanable.dirty.ratio", "0.01");
        props.put("segment.bytes", segmentBytes);
        LogConfig config = new LogConfig(props);
        KafkaScheduler scheduler = new KafkaScheduler(1);
        scheduler.startup();
        LogDirFailureChannel failures = new LogDirFailureChannel(1);
        UnifiedLog log = UnifiedLog.create(dir, config, 0L, 0L, scheduler, new BrokerTopicStats(), Time.SYSTEM, 300000,
                new ProducerStateManagerConfig(86400000, false), 600000, failures, true, Optional.empty());
        // A broker's replica manager sets the high watermark from its checkpoint; a standalone
        // log starts at 0, and the cleaner never cleans past the last stable offset.
        log.updateHighWatermark(log.logEndOffset());
        long activeBase = log.activeSegment().baseOffset();
        // numThreads, dedupe buffer (log.cleaner.dedupe.buffer.size default), load factor,
        // io buffer (log.cleaner.io.buffer.size default), max message size, io rate, backoff, enabled
        CleanerConfig cleanerConfig = new CleanerConfig(1, 128L * 1024 * 1024, 0.9, 512 * 1024, 32 * 1024 * 1024, Double.MAX_VALUE, 50L, true);
        ConcurrentHashMap<TopicPartition, UnifiedLog> logs = new ConcurrentHashMap<>();
        logs.put(tp, log);
        LogCleaner cleaner = new LogCleaner(cleanerConfig, List.of(dir.getParentFile()), logs, failures, Time.SYSTEM);
        cleaner.startup();
        if (!cleaner.awaitCleaned(tp, activeBase, 120_000)) throw new IllegalStateException("the cleaner did not clean " + tp);
        CleanerStats stats = cleaner.cleaners().get(0).lastStats();
        cleaner.shutdown();
        log.close();
        scheduler.shutdown();
        return stats;
    }
}
