// `drpo-studio import-trace` as a user runs it (the built CLI): the published trace of gpt-3.5-turbo
// becomes a read-only run folder in the user-data folder, listed by `runs list` and refused by
// `export`; a trace with a gap in its levels, or a file over 16 MiB, is refused naming the file.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cliProcess.js';

const TRACE = path.resolve('../shared/reference/drpo/optimized-prompts/gpt-3.5-turbo/trace.json');

describe('drpo-studio import-trace', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'drpo-trace-cli-'));
  const userData = path.join(work, 'home');

  it("prints the new run's folder; the model is the trace's folder name", () => {
    const { code, stdout, stderr } = runCli(['import-trace', TRACE, '--user-data', userData], work);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const dir = stdout.trim();
    expect(path.dirname(dir)).toBe(path.join(userData, 'runs'));
    const result = JSON.parse(readFileSync(path.join(dir, 'result.json'), 'utf8'));
    expect(result.source).toEqual({ kind: 'published-trace', model: 'gpt-3.5-turbo', levels: 30 });

    const listed = runCli(['runs', 'list', '--user-data', userData], work);
    expect(listed.stdout).toBe(`${path.basename(dir)}  finished  published trace (gpt-3.5-turbo), read-only\n`);
    const exported = runCli(['export', '--run', dir], work);
    expect(exported.code).toBe(1);
    expect(exported.stderr).toMatch(/is the published trace of gpt-3\.5-turbo: read-only, it cannot be exported/);
  });

  it('writes where --runs-dir says, under the model --model names', () => {
    const runsDir = path.join(work, 'elsewhere');
    const { code, stdout } = runCli(['import-trace', TRACE, '--runs-dir', runsDir, '--model', 'gpt-3.5'], work);
    expect(code).toBe(0);
    expect(path.dirname(stdout.trim())).toBe(runsDir);
    expect(JSON.parse(readFileSync(path.join(stdout.trim(), 'result.json'), 'utf8')).source.model).toBe('gpt-3.5');
  });

  it('refuses a gap in the levels and a file over 16 MiB, naming the file', () => {
    const levels = JSON.parse(readFileSync(TRACE, 'utf8'));
    delete levels['level 7'];
    const gap = path.join(work, 'gap.json');
    writeFileSync(gap, JSON.stringify(levels));
    const refused = runCli(['import-trace', gap, '--runs-dir', path.join(work, 'none')], work);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`drpo-studio: ${gap}: level 7 is missing (the file has 29 levels, up to level 30)\n`);

    const huge = path.join(work, 'huge.json');
    writeFileSync(huge, Buffer.alloc(17 * 2 ** 20, 0x20));
    const tooBig = runCli(['import-trace', huge, '--runs-dir', path.join(work, 'none')], work);
    expect(tooBig.code).toBe(1);
    expect(tooBig.stderr).toBe(`drpo-studio: ${huge}: 17.0 MiB is more than a published trace may be (16 MiB)\n`);
  });
});
