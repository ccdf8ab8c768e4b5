import type { DeadLetter } from '@banca/domain';
import type { DeadLetterPurgeResult, DeadLetterReplayResult, Page } from '@banca/domain/ports';

/** A page of dead letters as a person reads it on a terminal, with the flag that shows the next page. */
export function deadLetterTable(page: Page<DeadLetter>, status: string): string {
  if (page.items.length === 0) return `No dead letters (status ${status}).\n`;
  const header = ['ID', 'DEAD-LETTERED', 'STATUS', 'ATTEMPTS', 'REASON', 'RUN'];
  const rows = page.items.map((row) => [row.id, row.deadLetteredAt.toISOString(), row.status, String(row.attempts), row.reasonCode, runOf(row)]);
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ');
  const next = page.nextCursor === null ? [] : ['', `More: --cursor ${page.nextCursor}`];
  return [line(header), ...rows.map(line), ...next].join('\n') + '\n';
}

function runOf(row: DeadLetter): string {
  if (row.scheduleId !== null && row.runAt !== null) return `${row.scheduleId} at ${row.runAt.toISOString()}`;
  const body = JSON.stringify(row.rawBody ?? '');
  return `malformed: ${body.length > 60 ? `${body.slice(0, 57)}...` : body}`;
}

export function replaySummary(result: DeadLetterReplayResult): string {
  const lines = [`Replayed ${result.replayed.length} dead letter${result.replayed.length === 1 ? '' : 's'} (request ${result.requestId})`];
  for (const row of result.replayed) lines.push(`  ${row.id}  ${row.scheduleId} at ${row.runAt.toISOString()}`);
  if (result.notReplayed.length > 0) lines.push(`Not replayed:`, ...result.notReplayed.map((row) => `  ${row.id}  ${row.reason}`));
  return `${lines.join('\n')}\n`;
}

export function purgeSummary(result: DeadLetterPurgeResult): string {
  const lines = [`Purged ${result.purged.length} dead letter${result.purged.length === 1 ? '' : 's'}`, ...result.purged.map((id) => `  ${id}`)];
  if (result.notPurged.length > 0) lines.push(`Not purged:`, ...result.notPurged.map((row) => `  ${row.id}  ${row.reason}`));
  return `${lines.join('\n')}\n`;
}
