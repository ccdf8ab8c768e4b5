import type { DeadLetter, DeadLetterStatus, NewDeadLetter } from './dead-letter';

/** Where a page of dead letters starts: after this row in the list's order (newest first, then id descending). */
export interface DeadLetterListPosition {
  deadLetteredAt: Date;
  id: string;
}

export interface DeadLetterListQuery {
  /** Null lists every status. */
  status: DeadLetterStatus | null;
  reasonCode: string | null;
  scheduleId: string | null;
  /** Dead-lettered at or after. */
  from: Date | null;
  /** Dead-lettered before. */
  to: Date | null;
  after: DeadLetterListPosition | null;
  /** Rows to return at most. */
  limit: number;
}

/**
 * The rows a replay request takes: chosen ones, or the oldest open ones recorded up to a position
 * (see `latestPosition`), at most `limit` per call. A `replaying` row claimed before `staleBefore` is
 * claimable again (its request died).
 */
export type DeadLetterReplayClaim = { requestId: string; claimedAt: Date; staleBefore: Date } & ({ ids: readonly string[] } | { upTo: number; limit: number });

/**
 * The dead-letter store (docs/architecture.md, Allowance: dead letters). Every change is one guarded
 * statement: a row leaves `open` (or a stale `replaying`) for one request only, and a replayed or purged
 * row never changes again.
 */
export interface DeadLetterStore {
  /**
   * Records a dead letter, unless an open one has the same message key: the same message taken from the
   * DLQ twice (a crash before its ack) is recorded once. Returns whether a row was added.
   */
  record(letter: NewDeadLetter): Promise<boolean>;
  findById(id: string): Promise<DeadLetter | null>;
  /** The rows of these ids that exist, in no particular order. */
  findByIds(ids: readonly string[]): Promise<DeadLetter[]>;
  /** Newest dead-lettered first, then id descending; at most `limit`. */
  list(query: DeadLetterListQuery): Promise<DeadLetter[]>;
  /** Dead letters neither replayed nor purged (`open`, and `replaying` while a replay is in flight). */
  countOpen(): Promise<number>;
  /** The position of the latest dead letter recorded so far (0 when none): rows recorded later have a higher one. */
  latestPosition(): Promise<number>;
  /**
   * Claims rows for a replay request in one statement: `open` (or `replaying` claimed before
   * `staleBefore`) rows that name a run (malformed ones are never replayed) become `replaying` with the
   * request's id and claim time. Chosen ids: those of them that qualify. Up to a position: the oldest
   * recorded first, skipping rows another request is claiming. Concurrent claims never share a row.
   */
  claimForReplay(claim: DeadLetterReplayClaim): Promise<DeadLetter[]>;
  /** The request's rows still `replaying` under its id become `replayed`; returns their ids. */
  markReplayed(input: { requestId: string; ids: readonly string[]; replayedBy: string; replayedAt: Date }): Promise<string[]>;
  /**
   * The request's rows still `replaying` under its id go back to `open` (their publish failed); returns
   * how many. Open rows keep one per message key: a row whose run has an open dead letter already (a new
   * failure of it), or a second row of the same run, stays `replaying` until its claim is stale.
   */
  releaseReplay(requestId: string, ids: readonly string[]): Promise<number>;
  /** `open` rows (and stale `replaying` ones) of these ids become `purged`, with who, when and why; returns their ids. */
  purge(input: { ids: readonly string[]; reason: string; purgedBy: string; purgedAt: Date; staleBefore: Date }): Promise<string[]>;
}
