export {
  Cluster,
  type ClusterEntry,
  type ClusterOptions,
  type ClusterStats,
  DEFAULT_CLUSTER_PREFIX,
} from "./cluster.js";
export { ClusterFencedError, ClusterLeaseLostError, ClusterUnavailableError } from "./errors.js";
export { inspectCluster, type ProcessView } from "./inspect.js";
