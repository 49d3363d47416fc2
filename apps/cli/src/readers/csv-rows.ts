/** One CSV record: its fields and the line it starts on (1-based, counting the header). */
export interface CsvRow {
  readonly fields: string[];
  readonly line: number;
}

/** A quoted field that never closes: the rest of the file cannot be split into records. */
export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

export interface CsvSplitter {
  /** Feeds text; returns the complete records it closed. */
  push(text: string): CsvRow[];
  /** Returns the last record (a file need not end with a newline); throws on an open quote. */
  end(): CsvRow[];
}

/**
 * RFC 4180 records over streamed text: quoted fields may hold the delimiter, `""` and line breaks;
 * CRLF or LF line ends. Lines without a quote take a fast path (a plain split), which is nearly
 * every line of an event log.
 */
export function createCsvSplitter(delimiter = ','): CsvSplitter {
  let buf = '';
  let line = 1;

  // Parses one record starting at `start` with quotes; returns [fields, next index, lines used] or
  // undefined when the record is not complete in the buffer yet.
  function quoted(start: number, final: boolean): [string[], number, number] | undefined {
    const fields: string[] = [];
    let i = start;
    let lines = 0;
    let field = '';
    const len = buf.length;
    for (;;) {
      if (i < len && buf.charCodeAt(i) === 34) {
        // quoted field
        i++;
        for (;;) {
          const q = buf.indexOf('"', i);
          if (q === -1) {
            if (final) throw new CsvSyntaxError('a quoted field is not closed before the end of the file', line);
            return undefined;
          }
          const piece = buf.slice(i, q);
          for (let k = piece.indexOf('\n'); k !== -1; k = piece.indexOf('\n', k + 1)) lines++;
          field += piece;
          if (q + 1 >= len && !final) return undefined;
          if (buf.charCodeAt(q + 1) === 34) {
            field += '"';
            i = q + 2;
            continue;
          }
          i = q + 1;
          break;
        }
        // after a closing quote: a delimiter, a line end or the end
        while (i < len && buf[i] !== delimiter && buf[i] !== '\n' && buf[i] !== '\r') field += buf[i++];
      } else {
        let j = i;
        while (j < len && buf[j] !== delimiter && buf[j] !== '\n' && buf[j] !== '\r') j++;
        field += buf.slice(i, j);
        i = j;
      }
      if (i >= len) {
        if (!final) return undefined;
        fields.push(field);
        return [fields, len, lines];
      }
      const c = buf[i];
      fields.push(field);
      field = '';
      if (c === delimiter) {
        i++;
        continue;
      }
      if (c === '\r') {
        if (i + 1 >= len && !final) return undefined;
        i++;
      }
      if (buf[i] === '\n') i++;
      return [fields, i, lines + 1];
    }
  }

  function drain(final: boolean): CsvRow[] {
    const rows: CsvRow[] = [];
    let pos = 0;
    const len = buf.length;
    while (pos < len) {
      const nl = buf.indexOf('\n', pos);
      if (nl === -1 && !final) break;
      const end = nl === -1 ? len : nl;
      const text = buf.slice(pos, end > pos && buf.charCodeAt(end - 1) === 13 ? end - 1 : end);
      if (!text.includes('"')) {
        if (text !== '') rows.push({ fields: text.split(delimiter), line });
        line++;
        pos = end + 1;
        continue;
      }
      const parsed = quoted(pos, final);
      if (parsed === undefined) break;
      const [fields, next, lines] = parsed;
      rows.push({ fields, line });
      line += lines;
      pos = next;
    }
    buf = buf.slice(Math.min(pos, len));
    return rows;
  }

  return {
    push(text) {
      buf += text;
      return drain(false);
    },
    end() {
      return drain(true);
    },
  };
}
