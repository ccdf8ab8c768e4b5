import type { DeadLetter, NewDeadLetter } from '../../allowance/dead-letter';
import type { DeadLetterListQuery, DeadLetterReplayClaim, DeadLetterStore } from '../../allowance/dead-letter.ports';

interface StoredDeadLetter extends DeadLetter {
  position: number;
}

/**
 * The reference DeadLetterStore: what the PostgreSQL one does, in a Map. Ids are UUID-shaped and
 * ascending (`00000000-0000-4000-8000-000000000001`, …) so the HTTP layer accepts them.
 */
export class InMemoryDeadLetters implements DeadLetterStore {
  private readonly rows = new Map<string, StoredDeadLetter>();
  private position = 0;

  async record(letter: NewDeadLetter): Promise<boolean> {
    if ([...this.rows.values()].some((row) => row.status === 'open' && row.messageKey === letter.messageKey)) return false;
    this.position += 1;
    const id = `00000000-0000-4000-8000-${String(this.position).padStart(12, '0')}`;
    this.rows.set(id, {
      ...copy(letter),
      id,
      position: this.position,
      status: 'open',
      replayRequestId: null,
      replayClaimedAt: null,
      replayedAt: null,
      replayedBy: null,
      purgedAt: null,
      purgedBy: null,
      purgeReason: null,
    });
    return true;
  }

  async findById(id: string): Promise<DeadLetter | null> {
    const row = this.rows.get(id);
    return row ? view(row) : null;
  }

  async findByIds(ids: readonly string[]): Promise<DeadLetter[]> {
    return ids.flatMap((id) => {
      const row = this.rows.get(id);
      return row ? [view(row)] : [];
    });
  }

  async list(query: DeadLetterListQuery): Promise<DeadLetter[]> {
    return [...this.rows.values()]
      .filter(
        (row) =>
          (query.status === null || row.status === query.status) &&
          (query.reasonCode === null || row.reasonCode === query.reasonCode) &&
          (query.scheduleId === null || row.scheduleId === query.scheduleId) &&
          (query.from === null || row.deadLetteredAt.getTime() >= query.from.getTime()) &&
          (query.to === null || row.deadLetteredAt.getTime() < query.to.getTime()) &&
          (query.after === null || compareNewestFirst(row, query.after) > 0),
      )
      .sort(compareNewestFirst)
      .slice(0, query.limit)
      .map(view);
  }

  async countOpen(): Promise<number> {
    return [...this.rows.values()].filter((row) => row.status === 'open' || row.status === 'replaying').length;
  }

  async latestPosition(): Promise<number> {
    return this.position;
  }

  async claimForReplay(claim: DeadLetterReplayClaim): Promise<DeadLetter[]> {
    const claimable = (row: StoredDeadLetter) =>
      row.scheduleId !== null &&
      (row.status === 'open' || (row.status === 'replaying' && row.replayClaimedAt !== null && row.replayClaimedAt.getTime() < claim.staleBefore.getTime()));
    const chosen =
      'ids' in claim
        ? claim.ids.flatMap((id) => {
            const row = this.rows.get(id);
            return row && claimable(row) ? [row] : [];
          })
        : [...this.rows.values()]
            .filter((row) => row.position <= claim.upTo && claimable(row))
            .sort((a, b) => a.position - b.position)
            .slice(0, claim.limit);
    for (const row of chosen) {
      row.status = 'replaying';
      row.replayRequestId = claim.requestId;
      row.replayClaimedAt = new Date(claim.claimedAt.getTime());
    }
    return chosen.map(view);
  }

  async markReplayed(input: { requestId: string; ids: readonly string[]; replayedBy: string; replayedAt: Date }): Promise<string[]> {
    return this.ofRequest(input.requestId, input.ids).map((row) => {
      row.status = 'replayed';
      row.replayedAt = new Date(input.replayedAt.getTime());
      row.replayedBy = input.replayedBy;
      return row.id;
    });
  }

  async releaseReplay(requestId: string, ids: readonly string[]): Promise<number> {
    // One open row per message key: a row whose run has an open dead letter already, or a second row of
    // the same run, stays `replaying` until its claim is stale.
    const openKeys = new Set([...this.rows.values()].filter((row) => row.status === 'open').map((row) => row.messageKey));
    const rows = this.ofRequest(requestId, ids)
      .sort((a, b) => a.position - b.position)
      .filter((row) => {
        if (openKeys.has(row.messageKey)) return false;
        openKeys.add(row.messageKey);
        return true;
      });
    for (const row of rows) {
      row.status = 'open';
      row.replayRequestId = null;
      row.replayClaimedAt = null;
    }
    return rows.length;
  }

  async purge(input: { ids: readonly string[]; reason: string; purgedBy: string; purgedAt: Date; staleBefore: Date }): Promise<string[]> {
    return input.ids.flatMap((id) => {
      const row = this.rows.get(id);
      const stale = row?.status === 'replaying' && row.replayClaimedAt !== null && row.replayClaimedAt.getTime() < input.staleBefore.getTime();
      if (!row || !(row.status === 'open' || stale)) return [];
      row.status = 'purged';
      row.purgedAt = new Date(input.purgedAt.getTime());
      row.purgedBy = input.purgedBy;
      row.purgeReason = input.reason;
      return [row.id];
    });
  }

  private ofRequest(requestId: string, ids: readonly string[]): StoredDeadLetter[] {
    return ids.flatMap((id) => {
      const row = this.rows.get(id);
      return row && row.status === 'replaying' && row.replayRequestId === requestId ? [row] : [];
    });
  }
}

/** Newest dead-lettered first, then id descending: negative when `a` comes before `b`. */
function compareNewestFirst(a: { deadLetteredAt: Date; id: string }, b: { deadLetteredAt: Date; id: string }): number {
  const byTime = b.deadLetteredAt.getTime() - a.deadLetteredAt.getTime();
  if (byTime !== 0) return byTime;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

function copy<T extends NewDeadLetter>(letter: T): NewDeadLetter {
  return {
    messageKey: letter.messageKey,
    messageId: letter.messageId,
    scheduleId: letter.scheduleId,
    runAt: letter.runAt === null ? null : new Date(letter.runAt.getTime()),
    reasonCode: letter.reasonCode,
    reason: letter.reason,
    attempts: letter.attempts,
    rawBody: letter.rawBody,
    deadLetteredAt: new Date(letter.deadLetteredAt.getTime()),
    traceContext: letter.traceContext === null ? null : { ...letter.traceContext },
    recordedAt: new Date(letter.recordedAt.getTime()),
  };
}

function view(row: StoredDeadLetter): DeadLetter {
  const { position: _position, ...rest } = row;
  const at = (date: Date | null) => (date === null ? null : new Date(date.getTime()));
  return {
    ...rest,
    ...copy(rest),
    replayClaimedAt: at(rest.replayClaimedAt),
    replayedAt: at(rest.replayedAt),
    purgedAt: at(rest.purgedAt),
  };
}
