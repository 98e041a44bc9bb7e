// The eager partition assignors of Kafka's Java consumer, by their protocol names, so a group
// of hub sink consumers splits partitions exactly as a group of Java consumers would (and a
// mixed group agrees on the protocol): "range" (RangeAssignor, the first of Java's default
// partition.assignment.strategy) and "roundrobin" (RoundRobinAssignor). Pure functions of
// the members' subscriptions and the partition counts.
//
// Members are ordered as Kafka orders them: static members (group.instance.id) first, by
// instance id, then the others by member id.
import { ConfigException } from "../../api/index.ts";
import type { TopicPartitions } from "./consumer-protocol.ts";

export interface AssignorMember {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly topics: readonly string[];
}

/** Each member's partitions, by member id (members given nothing get an empty list). */
export type AssignmentPlan = Map<string, TopicPartitions[]>;

export interface PartitionAssignor {
  /** The protocol name members announce in JoinGroup. */
  readonly name: string;
  /** partitionCounts: each subscribed topic that exists and its partition count. */
  assign(members: readonly AssignorMember[], partitionCounts: ReadonlyMap<string, number>): AssignmentPlan;
}

const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function compareMembers(a: AssignorMember, b: AssignorMember): number {
  if (a.groupInstanceId !== null && b.groupInstanceId !== null) return compareStrings(a.groupInstanceId, b.groupInstanceId);
  if (a.groupInstanceId !== null) return -1;
  if (b.groupInstanceId !== null) return 1;
  return compareStrings(a.memberId, b.memberId);
}

function add(plan: Map<string, Map<string, number[]>>, memberId: string, topic: string, partition: number): void {
  const byTopic = plan.get(memberId)!;
  let list = byTopic.get(topic);
  if (!list) byTopic.set(topic, (list = []));
  list.push(partition);
}

function toPlan(plan: Map<string, Map<string, number[]>>): AssignmentPlan {
  const out: AssignmentPlan = new Map();
  for (const [memberId, byTopic] of plan) out.set(memberId, [...byTopic].map(([topic, partitions]) => ({ topic, partitions })));
  return out;
}

function emptyPlan(members: readonly AssignorMember[]): Map<string, Map<string, number[]>> {
  return new Map(members.map((m) => [m.memberId, new Map<string, number[]>()]));
}

/**
 * Per topic, its subscribers in order each take a contiguous range: partitions / subscribers
 * each, the first (partitions % subscribers) one more.
 */
export const rangeAssignor: PartitionAssignor = {
  name: "range",
  assign(members, partitionCounts) {
    const plan = emptyPlan(members);
    const topics = [...new Set(members.flatMap((m) => m.topics))].sort();
    for (const topic of topics) {
      const count = partitionCounts.get(topic);
      if (count === undefined || count <= 0) continue;
      const subscribers = members.filter((m) => m.topics.includes(topic)).sort(compareMembers);
      const each = Math.floor(count / subscribers.length);
      const extra = count % subscribers.length;
      subscribers.forEach((m, i) => {
        const start = each * i + Math.min(i, extra);
        const length = each + (i < extra ? 1 : 0);
        for (let p = start; p < start + length; p++) add(plan, m.memberId, topic, p);
      });
    }
    return toPlan(plan);
  },
};

/** All partitions, ordered by topic then partition, dealt in turn to the members subscribed to their topic. */
export const roundRobinAssignor: PartitionAssignor = {
  name: "roundrobin",
  assign(members, partitionCounts) {
    const plan = emptyPlan(members);
    const ordered = [...members].sort(compareMembers);
    if (ordered.length === 0) return toPlan(plan);
    const topics = [...new Set(members.flatMap((m) => m.topics))].sort();
    let next = 0;
    for (const topic of topics) {
      const count = partitionCounts.get(topic) ?? 0;
      for (let p = 0; p < count; p++) {
        // The next member in the circle that subscribes to this topic (one always does).
        for (let tries = 0; tries < ordered.length; tries++) {
          const m = ordered[next % ordered.length]!;
          next++;
          if (m.topics.includes(topic)) {
            add(plan, m.memberId, topic, p);
            break;
          }
        }
      }
    }
    return toPlan(plan);
  },
};

const BY_CLASS: Readonly<Record<string, PartitionAssignor>> = {
  range: rangeAssignor,
  "org.apache.kafka.clients.consumer.RangeAssignor": rangeAssignor,
  roundrobin: roundRobinAssignor,
  "org.apache.kafka.clients.consumer.RoundRobinAssignor": roundRobinAssignor,
};

/**
 * The assignors of partition.assignment.strategy, in its order, that the hub implements. The
 * Java default lists RangeAssignor then CooperativeStickyAssignor: the sticky assignors are
 * left out (a mixed group then agrees on "range"); a list with none we implement is an error.
 */
export function assignorsFor(strategy: string | undefined): PartitionAssignor[] {
  const raw = (strategy ?? "org.apache.kafka.clients.consumer.RangeAssignor,org.apache.kafka.clients.consumer.CooperativeStickyAssignor").split(",").map((s) => s.trim()).filter((s) => s !== "");
  const out: PartitionAssignor[] = [];
  for (const name of raw) {
    const assignor = BY_CLASS[name];
    if (assignor && !out.includes(assignor)) out.push(assignor);
  }
  if (out.length === 0) throw new ConfigException("partition.assignment.strategy", strategy, "the hub's consumers implement RangeAssignor and RoundRobinAssignor only");
  return out;
}
