/** Redis could not be reached to join the cluster (or answer a cluster command). */
export class ClusterUnavailableError extends Error {
  readonly code = "CLUSTER_UNAVAILABLE";
}

/**
 * This process's lease ended before it renewed it (a long pause, a cut from Redis, a Redis that lost its data):
 * another process took its chats, so this one must not handle any more.
 */
export class ClusterLeaseLostError extends Error {
  readonly code = "CLUSTER_LEASE_LOST";
}

/** A session write refused because this process no longer owns the chat (its fencing token is stale). */
export class ClusterFencedError extends Error {
  readonly code = "CLUSTER_FENCED";
}
