// JoinGroup (key 11), v0-9: handed to the group coordinator. v0 has no rebalance timeout (the
// session timeout serves), v4+ requires a known member id first (KIP-394), v9+ lets the
// leader skip assignment for static members it already knows (KIP-814).
import type { GroupCoordinator } from "../coordinator/group/coordinator.ts";
import { defaultJoinGroupResponse } from "../protocol/generated/join-group-response.ts";
import type { ApiHandler } from "../server/router.ts";

export function clientHost(remoteAddress: string): string {
  // Kafka reports the client's address as Java prints an InetAddress: "/127.0.0.1".
  return `/${remoteAddress.replace(/:\d+$/, "").replace(/^::ffff:/, "")}`;
}

export function joinGroupHandler(groups: GroupCoordinator): ApiHandler<11> {
  return {
    apiKey: 11,
    minVersion: 0,
    maxVersion: 9,
    async handle(request, ctx) {
      const result = await groups.joinGroup({
        groupId: request.groupId,
        memberId: request.memberId,
        groupInstanceId: request.groupInstanceId,
        protocolType: request.protocolType,
        protocols: request.protocols.map((p) => ({ name: p.name, metadata: p.metadata })),
        sessionTimeoutMs: request.sessionTimeoutMs,
        rebalanceTimeoutMs: ctx.version >= 1 ? request.rebalanceTimeoutMs : request.sessionTimeoutMs,
        clientId: ctx.header.clientId ?? "",
        clientHost: clientHost(ctx.conn.remoteAddress),
        reason: request.reason,
        requireKnownMemberId: ctx.version >= 4,
        supportSkippingAssignment: ctx.version >= 9,
      });
      const response = defaultJoinGroupResponse();
      Object.assign(response, result, { members: result.members.map((m) => ({ ...m })) });
      // Before v7 the protocol name is not nullable: Kafka sends "" with an error.
      if (ctx.version < 7 && response.protocolName === null) response.protocolName = "";
      return response;
    },
  };
}
