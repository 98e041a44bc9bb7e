// Smoke test: the provisioned Apache Kafka serves real produce/fetch round trips, through both
// the Java CLI launchers test/services/kafka.sh generates and kcat (librdkafka).
import { execFile } from "node:child_process";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { kafkaToolsDir, requireService } from "../../services/index.ts";

interface RunResult {
  stdout: string;
  stderr: string;
}

/** Runs a command with optional stdin, failing with its stderr on a non-zero exit or timeout. */
function run(file: string, args: string[], input?: string, timeoutMs = 60_000): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { timeout: timeoutMs, killSignal: "SIGKILL" }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`${file} ${args.join(" ")} failed: ${error.message}\n${stderr}`));
      } else {
        resolve({ stdout, stderr });
      }
    });
    child.stdin?.end(input ?? "");
  });
}

const tool = (name: string): string => join(kafkaToolsDir(), name);

describe("Apache Kafka test service", () => {
  let bootstrap: string;
  const runId = `${process.pid}-${Date.now()}`;
  const cliTopic = `smoke-cli-${runId}`;
  const kcatTopic = `smoke-kcat-${runId}`;
  const cliLines = ["first line", "second: with colon", "third {\"json\":true}"];
  const kcatLines = ["alpha", "beta gamma", "delta-ε"];

  const createTopic = async (topic: string): Promise<void> => {
    await run(tool("kafka-topics"), [
      "--bootstrap-server", bootstrap,
      "--create", "--topic", topic,
      "--partitions", "1", "--replication-factor", "1",
    ]);
  };

  beforeAll(async () => {
    bootstrap = await requireService("kafka");
  });

  it("creates a topic and round-trips lines through the console producer and consumer", async () => {
    await createTopic(cliTopic);
    const { stdout: listed } = await run(tool("kafka-topics"), ["--bootstrap-server", bootstrap, "--list"]);
    expect(listed.split("\n")).toContain(cliTopic);

    await run(tool("kafka-console-producer"), ["--bootstrap-server", bootstrap, "--topic", cliTopic], cliLines.join("\n") + "\n");
    const { stdout } = await run(tool("kafka-console-consumer"), [
      "--bootstrap-server", bootstrap,
      "--topic", cliTopic,
      "--from-beginning",
      "--max-messages", String(cliLines.length),
      "--timeout-ms", "30000",
    ]);
    expect(stdout).toBe(cliLines.join("\n") + "\n");
  }, 120_000);

  it("round-trips lines through kcat -P and kcat -C -e", async () => {
    await createTopic(kcatTopic);
    await run("kcat", ["-P", "-b", bootstrap, "-t", kcatTopic], kcatLines.join("\n") + "\n");
    const { stdout } = await run("kcat", ["-C", "-b", bootstrap, "-t", kcatTopic, "-o", "beginning", "-e", "-q"]);
    expect(stdout).toBe(kcatLines.join("\n") + "\n");
  }, 120_000);

  it("lets kcat read what the Java producer wrote, with offsets in order", async () => {
    // Depends on the first test's topic; vitest runs a file's tests in order.
    const { stdout } = await run("kcat", ["-C", "-b", bootstrap, "-t", cliTopic, "-o", "beginning", "-e", "-q", "-f", "%o %s\n"]);
    expect(stdout).toBe(cliLines.map((line, offset) => `${offset} ${line}`).join("\n") + "\n");
  }, 60_000);
});
