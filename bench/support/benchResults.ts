// Every benchmark writes its figures as bench/results/<name>.json in one shape, so `npm run
// bench` can print them as one table (bench/report.mjs) and the README can quote them with the
// machine they came from.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const RESULTS_DIR = path.resolve(import.meta.dirname, '../results');

export interface Figure {
  /** What was measured, as the table shows it. */
  measure: string;
  value: number;
  unit: string;
  /** The target, in words (e.g. "≤ 1.15"), when the issue sets one. */
  target?: string;
  /** Whether the target holds (absent without a target). */
  ok?: boolean;
  /** How it was measured, briefly. */
  note?: string;
}

export interface BenchResult {
  name: string;
  title: string;
  measuredAt: string;
  machine: { cpu: string; cores: number; memoryGiB: number; platform: string; node: string };
  /** The load average (1, 5 and 15 minutes) when the figures were written: wall times on a busy machine are longer. */
  load: [number, number, number];
  figures: Figure[];
  /** Anything else worth keeping (raw timings, settings). */
  details?: unknown;
}

export function machine(): BenchResult['machine'] {
  return {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.platform()} ${os.release()}`,
    node: process.version,
  };
}

/** Writes bench/results/<name>.json and prints the figures. */
export function writeBenchResult(name: string, title: string, figures: Figure[], details?: unknown): BenchResult {
  const result: BenchResult = {
    name,
    title,
    measuredAt: new Date().toISOString(),
    machine: machine(),
    load: os.loadavg().map((l) => Math.round(l * 100) / 100) as [number, number, number],
    figures,
    details,
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(path.join(RESULTS_DIR, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  const lines = figures.map(
    (f) =>
      `  ${f.measure}: ${f.value} ${f.unit}${f.target ? ` (target ${f.target}: ${f.ok ? 'holds' : 'MISSED'})` : ''}`,
  );
  const { cpu, cores } = result.machine;
  const on = `  on ${cpu}, ${cores} cores; load average ${result.load.join(' / ')} (1 / 5 / 15 min)`;
  process.stdout.write(`\n${title}\n${lines.join('\n')}\n${on}\n`);
  return result;
}
