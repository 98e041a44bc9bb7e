// A registry instance's leader election alone in a process, for tests that SIGKILL it:
//
//   node test/integration/registry/store/election-child.ts <bootstrap> <group> <host> <sessionTimeoutMs>
//
// It joins the group as http://<host>:8081 (leader-eligible) and prints one JSON line per
// leader change: {"leader": "<url>" | null, "isLeader": boolean}.
import { KafkaClusterClient } from "../../../../lib/kafka-client/index.ts";
import { KafkaLeaderElection } from "../../../../registry/store/election.ts";
import { identityUrl } from "../../../../registry/store/election-protocol.ts";

const [bootstrap, groupId, host, session] = process.argv.slice(2);
if (!bootstrap || !groupId || !host || !session) throw new Error("usage: election-child.ts <bootstrap> <group> <host> <sessionTimeoutMs>");
const client = new KafkaClusterClient({ bootstrapServers: [bootstrap], clientId: `election-child-${host}` });
const election = new KafkaLeaderElection({ client, groupId, sessionTimeoutMs: Number(session), heartbeatIntervalMs: 500, rebalanceTimeoutMs: 20_000 });
const report = (): void => {
  const leader = election.leader();
  process.stdout.write(`${JSON.stringify({ leader: leader && identityUrl(leader), isLeader: election.isLeader() })}\n`);
};
election.onLeaderChange(report);
await election.start({ host, port: 8081, scheme: "http", leaderEligibility: true });
report();
// Stays in the group until killed.
setInterval(() => undefined, 1 << 30);
