/**
 * A map whose entries expire: kept in order of their last write (a write moves an entry to the end), so a sweep
 * from the oldest stops at the first fresh entry and costs O(expired), whatever the map holds. For per-user
 * bookkeeping a flood of strangers must not grow, nor make every update slower.
 */
export class ExpiringMap<K, V> {
  private readonly entries = new Map<K, { value: V; at: number }>();

  constructor(private readonly maxAgeMs: number) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    return this.entries.get(key)?.value;
  }

  /** When the entry was last written. */
  writtenAt(key: K): number | undefined {
    return this.entries.get(key)?.at;
  }

  set(key: K, value: V, now: number): void {
    this.entries.delete(key);
    this.entries.set(key, { value, at: now });
  }

  /** Forgets entries last written `maxAgeMs` ago or earlier. */
  sweep(now: number): void {
    for (const [key, entry] of this.entries) {
      if (now - entry.at < this.maxAgeMs) break;
      this.entries.delete(key);
    }
  }
}
