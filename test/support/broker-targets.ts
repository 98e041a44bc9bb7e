// Fixed-suffix names over the interop targets (interop-targets.ts), for scenarios that refer
// to the same topic or group by name several times.
import { openTarget, TARGETS, type InteropTarget, type TargetName } from "./interop-targets.ts";

export interface BrokerTarget extends InteropTarget {
  /** Appended to topic and group names: unique to this run on the shared Kafka service. */
  readonly suffix: string;
}

export const BROKER_TARGETS: readonly TargetName[] = TARGETS;

export async function openBrokerTarget(name: TargetName): Promise<BrokerTarget> {
  const target = await openTarget(name);
  return Object.assign(target, { suffix: `-${target.unique("run")}` });
}
