import type { Discrepancy } from '@banca/domain';
import type { ReconciliationReport } from '@banca/domain/ports';

const KIND_LABEL: Record<Discrepancy['kind'], string> = {
  STATEMENT_CHAIN: 'chain',
  STATEMENT_MOVEMENTS: 'movements',
  CLOSING_OPENING: 'opening',
  CLOSING_TOTALS: 'month totals',
};

/** A reconciliation report as a person reads it on a terminal: a headline, then one line per discrepancy. */
export function reconciliationTable(report: ReconciliationReport): string {
  const scope = [report.month, report.dimension, report.entityId].filter((part) => part !== null).join(' ');
  if (report.clean) return `Reconciliation of ${scope}: clean\n`;
  const counts = Object.entries(report.counts)
    .filter(([, count]) => count > 0)
    .map(([kind, count]) => `${KIND_LABEL[kind as Discrepancy['kind']]} ${count}`)
    .join(', ');
  const rows = report.discrepancies.map((d) => [KIND_LABEL[d.kind], `${d.dimension} ${d.entityName ?? d.entityId}`, 'date' in d ? d.date : d.month, figures(d)]);
  const header = ['KIND', 'ENTITY', 'DAY', 'FIGURES'];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ');
  const shown = report.truncated ? `\n(${report.discrepancies.length} of ${report.total} shown; --limit shows more)` : '';
  return [`Reconciliation of ${scope}: ${report.total} discrepancies (${counts})`, '', line(header), ...rows.map(line), shown].join('\n').trimEnd() + '\n';
}

function figures(d: Discrepancy): string {
  switch (d.kind) {
    case 'STATEMENT_CHAIN':
      return `remaining ${d.storedRemaining}, expected ${d.expectedRemaining} (${d.previousRemaining} on ${d.previousDate ?? 'no earlier statement'})`;
    case 'STATEMENT_MOVEMENTS':
      return `${d.settled ? 'settled' : 'no settled statement'}: paid ${d.storedPaid} / movements ${d.movementsPaid}, collected ${d.storedCollected} / movements ${d.movementsCollected}`;
    case 'CLOSING_OPENING':
      return `opening ${d.openingBalance}, previous month remaining ${d.previousRemaining}`;
    case 'CLOSING_TOTALS':
      return `${d.field} ${d.closing}, statements ${d.statements}`;
  }
}
