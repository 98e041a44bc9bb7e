// Reads the flows (source->target pairs) of an MM2 configuration, as connect-mirror-maker
// does: `clusters` names the aliases and `A->B.enabled = true` turns a flow on.
import type { Properties } from "../lib/properties.ts";

export class MirrorConfigError extends Error {
  override name = "MirrorConfigError";
}

export function describeMirrorFlows(props: Properties, targetClusters?: readonly string[]): string[] {
  const clusters = (props.get("clusters") ?? "").split(",").map((c) => c.trim()).filter(Boolean);
  if (clusters.length === 0) throw new MirrorConfigError("mm2.properties: 'clusters' is missing or empty");
  for (const alias of clusters) {
    if (!props.has(`${alias}.bootstrap.servers`)) throw new MirrorConfigError(`mm2.properties: '${alias}.bootstrap.servers' is missing`);
  }
  const unknown = targetClusters?.filter((c) => !clusters.includes(c)) ?? [];
  if (unknown.length > 0) throw new MirrorConfigError(`--clusters names unknown cluster(s): ${unknown.join(", ")}`);
  const flows: string[] = [];
  for (const source of clusters) {
    for (const target of clusters) {
      if (source === target || props.get(`${source}->${target}.enabled`)?.trim() !== "true") continue;
      if (targetClusters && !targetClusters.includes(target)) continue;
      flows.push(`${source}->${target}`);
    }
  }
  return flows;
}
