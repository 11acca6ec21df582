/** A host named (in a pull, by an admin) that is not among MODEL_HOSTS. */
export class HostUnknownError extends Error {
  readonly code = "HOST_UNKNOWN";
  constructor(
    readonly host: string,
    readonly known: readonly string[],
  ) {
    super(`there is no model host "${host}"; the hosts are: ${known.join(", ")}`);
  }
}

/** No host can do what was asked (speech with no hub among the hosts). */
export class NoHostError extends Error {
  readonly code = "NO_HOST";
}
