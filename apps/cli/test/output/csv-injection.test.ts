import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/run.ts';
import { captureIo } from '../capture-io.ts';

const CHARTER = join(import.meta.dirname, '..', 'fixtures', 'charters', 'receipt.yaml');

describe('every CSV the CLI writes keeps formula cells inert', () => {
  it('replay decisions.csv and analyze cases/events.csv neutralise =, +, -, @ the same way', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-csv-'));
    const log = join(dir, 'log.csv');
    const ids = ['=HYPERLINK("http://x","y")', '+cmd|calc', '@SUM(A1)', '-2+3'];
    const rows = ids.flatMap((id, i) => [
      `"${id.replace(/"/g, '""')}",Confirmation of receipt/complete,2011-10-1${i}T09:00:00+02:00,ann`,
      `"${id.replace(/"/g, '""')}",T02 Check confirmation of receipt/complete,2011-10-2${i}T09:00:00+02:00,bob`,
    ]);
    writeFileSync(log, `case:concept:name,concept:name,time:timestamp,org:resource\n${rows.join('\n')}\n`);
    const c = captureIo();
    expect(await runCli(['replay', log, '--charter', CHARTER, '--out', join(dir, 'r')], { ...c.io, cwd: dir })).toBe(0);
    const decisions = readFileSync(join(dir, 'r', 'decisions.csv'), 'utf8');
    expect(decisions).toContain(`,"'=HYPERLINK(""http://x"",""y"")",`);
    expect(decisions).toContain(",'+cmd|calc,");
    expect(decisions).toContain(",'@SUM(A1),");
    expect(decisions).toContain(",'-2+3,");
    expect(decisions).not.toMatch(/,[=+@]/);
    const a = captureIo();
    expect(await runCli(['analyze', log, '--out', join(dir, 'a')], { ...a.io, cwd: dir })).toBe(0);
    for (const name of ['cases.csv', 'events.csv']) {
      const text = readFileSync(join(dir, 'a', name), 'utf8');
      expect(text).toContain(`"'=HYPERLINK(""http://x"",""y"")",`);
      expect(text).not.toMatch(/(^|,|\n)[=+@]/);
    }
  });
});
