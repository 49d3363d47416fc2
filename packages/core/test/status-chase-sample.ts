import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One hand-labelled comment of the status-chase evaluation sample. */
export interface LabelledComment {
  readonly commentId: string;
  readonly issueKey: string;
  readonly stratum: 'keyword' | 'random';
  readonly isChase: boolean;
  readonly text: string;
}

/**
 * Reads a labelled sample (RFC 4180: quoted fields hold commas, quotes and newlines): `tuning`
 * (fixtures/status-chase-sample.csv, used while improving the detector) or `heldout`
 * (fixtures/status-chase-heldout.csv, drawn and labelled after the rules were frozen).
 */
export function readStatusChaseSample(which: 'tuning' | 'heldout' = 'tuning'): LabelledComment[] {
  const name = which === 'tuning' ? 'status-chase-sample.csv' : 'status-chase-heldout.csv';
  const text = readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8');
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else if (ch !== '\r') cell += ch;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  const [header, ...body] = rows;
  if (header?.join(',') !== 'comment_id,issue_key,stratum,is_chase,text') throw new Error('unexpected header');
  return body.map(([commentId, issueKey, stratum, isChase, t]) => ({
    commentId: commentId!,
    issueKey: issueKey!,
    stratum: stratum as 'keyword' | 'random',
    isChase: isChase === '1',
    text: t!,
  }));
}
