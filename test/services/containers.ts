// Optional: with a Docker engine, `HUB_TEST_CONTAINERS=1 npm test` lets testcontainers start
// the test services instead of test/services/up. Each started container's address goes into
// the environment variable that test/services/index.ts reads (workers inherit it), and the
// containers stop when the run ends. Services whose variable is already set are left alone.
import { GenericContainer, Wait, type StartedTestContainer } from "testcontainers";

interface ContainerSpec {
  envVar: string;
  image: string;
  port: number;
  env?: Record<string, string>;
  command?: string[];
  address: (host: string, port: number) => string;
}

const specs: ContainerSpec[] = [
  {
    envVar: "HUB_TEST_PG_URL",
    image: "postgres:15",
    port: 5432,
    env: { POSTGRES_USER: "hub", POSTGRES_PASSWORD: "hub", POSTGRES_DB: "hub" },
    command: ["postgres", "-c", "wal_level=logical", "-c", "max_replication_slots=40", "-c", "max_wal_senders=40"],
    address: (h, p) => `postgres://hub:hub@${h}:${p}/hub`,
  },
  {
    envVar: "HUB_TEST_MYSQL_URL",
    image: "mariadb:10.11",
    port: 3306,
    env: { MARIADB_USER: "hub", MARIADB_PASSWORD: "hub", MARIADB_DATABASE: "hub", MARIADB_ROOT_PASSWORD: "hub" },
    command: ["--log-bin=binlog", "--binlog-format=ROW", "--binlog-row-image=FULL", "--server-id=1"],
    address: (h, p) => `mysql://hub:hub@${h}:${p}/hub`,
  },
  { envVar: "HUB_TEST_REDIS_URL", image: "redis:7", port: 6379, address: (h, p) => `redis://${h}:${p}` },
  {
    envVar: "HUB_TEST_ES_URL",
    image: "docker.elastic.co/elasticsearch/elasticsearch:8.19.21",
    port: 9200,
    env: { "discovery.type": "single-node", "xpack.security.enabled": "false", ES_JAVA_OPTS: "-Xms512m -Xmx512m" },
    address: (h, p) => `http://${h}:${p}`,
  },
  { envVar: "HUB_TEST_MONGO_URL", image: "mongo:7", port: 27017, address: (h, p) => `mongodb://${h}:${p}/` },
];

export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (process.env.HUB_TEST_CONTAINERS !== "1") return undefined;
  const started: StartedTestContainer[] = [];
  for (const spec of specs) {
    if (process.env[spec.envVar]) continue;
    let container = new GenericContainer(spec.image).withExposedPorts(spec.port).withWaitStrategy(Wait.forListeningPorts());
    if (spec.env) container = container.withEnvironment(spec.env);
    if (spec.command) container = container.withCommand(spec.command);
    const running = await container.start();
    started.push(running);
    process.env[spec.envVar] = spec.address(running.getHost(), running.getMappedPort(spec.port));
  }
  return async () => {
    await Promise.all(started.map((c) => c.stop()));
  };
}
