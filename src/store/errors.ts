/**
 * One class per failure kind, each with a literal `code`; callers decide by `err.code`. Whatever the store could
 * not do, it never destroys a stored value to get past the problem: the value stays for a person to look at.
 */

export type StorageErrorCode =
  | "STORAGE_UNAVAILABLE"
  | "STORAGE_VERSION_TOO_NEW"
  | "STORAGE_MIGRATION_FAILED"
  | "STORAGE_RECORD_INVALID"
  | "STORAGE_INVALID_ARGUMENT"
  | "STORAGE_FENCED";

export abstract class StorageError extends Error {
  abstract readonly code: StorageErrorCode;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
  }

  override get name(): string {
    return this.constructor.name;
  }
}

/** The backing store could not be read or written: a file-system error (disk full, permissions) or Redis down. */
export class StorageUnavailableError extends StorageError {
  readonly code = "STORAGE_UNAVAILABLE";
}

/**
 * A stored session was written by a newer version of the bot than this one. It is left as it is (a rollback must
 * not erase what the newer version saved); run the newer version again, or delete the session by hand.
 */
export class StorageVersionTooNewError extends StorageError {
  readonly code = "STORAGE_VERSION_TOO_NEW";
  constructor(
    readonly key: string,
    readonly storedVersion: number,
    readonly knownVersion: number,
  ) {
    super(
      `Session ${JSON.stringify(key)} is at version ${storedVersion}, but this build knows versions up to ` +
        `${knownVersion}. Run the newer build again, or delete that session to start it afresh.`,
    );
  }
}

/** A migration threw or returned nothing usable. The stored value is left at its old version. */
export class StorageMigrationError extends StorageError {
  readonly code = "STORAGE_MIGRATION_FAILED";
  constructor(
    readonly key: string,
    readonly toVersion: number,
    options?: { cause?: unknown },
  ) {
    super(
      `Migrating session ${JSON.stringify(key)} to version ${toVersion} failed; the stored value was left as it was. ` +
        `Fix migrations[${toVersion}].`,
      options,
    );
  }
}

/**
 * A stored value parsed but is not a session record (`{ v, data }` with a positive integer `v`), e.g. something
 * else wrote under our key prefix. It is left in place.
 */
export class StorageRecordInvalidError extends StorageError {
  readonly code = "STORAGE_RECORD_INVALID";
  constructor(
    readonly key: string,
    detail: string,
  ) {
    super(
      `Session ${JSON.stringify(key)} is not a session record (${detail}). Delete it, or remove whatever wrote it.`,
    );
  }
}

/** A key or value the store cannot hold (empty or over-long key, a value JSON cannot represent), or bad options. */
export class StorageInvalidArgumentError extends StorageError {
  readonly code = "STORAGE_INVALID_ARGUMENT";
}

/**
 * A write refused by its fence: the key belongs to a chat another bot process owns now (this one lost it while
 * paused or cut off). Not an outage: trying again cannot succeed.
 */
export class StorageFencedError extends StorageError {
  readonly code = "STORAGE_FENCED";
}
