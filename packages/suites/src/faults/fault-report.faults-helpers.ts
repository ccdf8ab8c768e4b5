/// <reference types="mocha" />
import { writeFileSync } from 'node:fs';

/** One row of the faults table: what ran, under which load, how many faults, how many invariant violations. */
export interface FaultRow {
  scenario: string;
  load: string;
  faults: string;
  violations: number;
  durationMs: number;
}

const rows: FaultRow[] = [];

/** Times a scenario; `finish` records its row (once), whatever the outcome of the test. */
export function startScenario(scenario: string): { finish(row: { load: string; faults: string; violations: number }): void } {
  const started = Date.now();
  let recorded = false;
  return {
    finish(row) {
      if (recorded) return;
      recorded = true;
      rows.push({ scenario, ...row, durationMs: Date.now() - started });
    },
  };
}

export function recordedRows(): readonly FaultRow[] {
  return rows;
}

export function formatFaultTable(table: readonly FaultRow[]): string {
  const header = ['scenario', 'load', 'faults injected', 'invariant violations', 'duration'];
  const body = table.map((row) => [row.scenario, row.load, row.faults, String(row.violations), `${(row.durationMs / 1000).toFixed(1)} s`]);
  const widths = header.map((title, column) => Math.max(title.length, ...body.map((cells) => cells[column]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  const rule = `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`;
  const total = table.reduce((sum, row) => sum + row.violations, 0);
  return [line(header), rule, ...body.map(line), '', `${table.length} scenarios, ${total} invariant violations`].join('\n');
}

/**
 * Root hooks (loaded with mocha's --require): after every scenario file, the table of the rows
 * recorded; with FAULTS_REPORT set, the rows are also written there as JSON.
 */
export const mochaHooks = {
  afterAll(): void {
    const file = process.env['FAULTS_REPORT'];
    if (file) writeFileSync(file, JSON.stringify(rows));
    if (rows.length === 0) return;
    console.log(`\nFaults injected and database invariants\n\n${formatFaultTable(rows)}\n`);
  },
};
