// DescribeCluster (key 60), v0-1: this one node is the whole cluster and its controller.
import { defaultDescribeClusterResponse } from "../protocol/generated/describe-cluster-response.ts";
import type { ApiHandler } from "../server/router.ts";
import type { BrokerCoreBase } from "../core.ts";

export function describeClusterHandler(core: BrokerCoreBase): ApiHandler<60> {
  return {
    apiKey: 60,
    minVersion: 0,
    maxVersion: 1,
    handle() {
      const { nodeId, clusterId, host, port } = core.identity;
      const response = defaultDescribeClusterResponse();
      response.clusterId = clusterId;
      response.controllerId = nodeId;
      response.brokers = [{ brokerId: nodeId, host, port, rack: null }];
      response.clusterAuthorizedOperations = -2147483648;
      return response;
    },
  };
}
