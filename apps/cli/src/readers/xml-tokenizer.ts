/** Attributes of one start tag, entities decoded. */
export type XmlAttributes = Record<string, string>;

/** Receives the element structure of a document; text content is not reported (XES has none). */
export interface XmlHandler {
  open(name: string, attributes: XmlAttributes, selfClosing: boolean, line: number): void;
  close(name: string, line: number): void;
}

/** The document is not well-formed at `line`. */
export class XmlSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'XmlSyntaxError';
  }
}

export interface XmlTokenizer {
  /** Feeds the next piece of text; may call the handler many times. Throws `XmlSyntaxError`. */
  push(text: string): void;
  /** Declares the end of input; throws when elements are still open or a tag is cut off. */
  end(): void;
}

// A tag longer than this is not XES: stop instead of buffering a whole broken file.
const MAX_PENDING = 16 * 1024 * 1024;

const ENTITY = /&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(value: string): string {
  return value.replace(ENTITY, (_, e: string) => {
    if (e.charCodeAt(0) === 35 /* # */) {
      const code = e.charCodeAt(1) === 120 /* x */ ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return String.fromCodePoint(code);
    }
    return NAMED[e] ?? _;
  });
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}

/**
 * A small streaming XML tokenizer: start/end tags with attributes, comments, processing
 * instructions, CDATA and DOCTYPE skipped. Hand-written because a SAX library would build every
 * text node and namespace map that XES never uses; this one checks nesting and tracks line numbers
 * so that errors can say where they are.
 */
export function createXmlTokenizer(handler: XmlHandler): XmlTokenizer {
  let buf = '';
  let pos = 0;
  // Line counting is incremental: `counted` is the buffer index up to which `line` is known.
  let counted = 0;
  let line = 1;
  const stack: { name: string; line: number }[] = [];

  function lineAt(p: number): number {
    let nl = buf.indexOf('\n', counted);
    while (nl !== -1 && nl < p) {
      line++;
      nl = buf.indexOf('\n', nl + 1);
    }
    counted = p;
    return line;
  }

  function fail(message: string, at: number): never {
    throw new XmlSyntaxError(message, lineAt(Math.max(at, counted)));
  }

  function openTag(lt: number): number {
    const len = buf.length;
    let i = lt + 1;
    while (i < len) {
      const c = buf.charCodeAt(i);
      if (isSpace(c) || c === 62 /* > */ || c === 47 /* / */) break;
      i++;
    }
    if (i >= len) return -1;
    const name = buf.slice(lt + 1, i);
    if (name === '') fail("expected an element name after '<'", lt);
    const attributes: XmlAttributes = {};
    for (;;) {
      while (i < len && isSpace(buf.charCodeAt(i))) i++;
      if (i >= len) return -1;
      const c = buf.charCodeAt(i);
      if (c === 62) {
        const line = lineAt(lt);
        stack.push({ name, line });
        handler.open(name, attributes, false, line);
        return i + 1;
      }
      if (c === 47) {
        if (i + 1 >= len) return -1;
        if (buf.charCodeAt(i + 1) !== 62) fail(`expected '/>' to close <${name}>`, i);
        handler.open(name, attributes, true, lineAt(lt));
        handler.close(name, line);
        return i + 2;
      }
      const eq = buf.indexOf('=', i);
      if (eq === -1) return len - lt > MAX_PENDING ? fail(`<${name}> is not closed`, lt) : -1;
      const attrName = buf.slice(i, eq).trim();
      if (attrName === '' || /[\s<>"']/.test(attrName)) fail(`malformed attribute in <${name}>`, i);
      let q = eq + 1;
      while (q < len && isSpace(buf.charCodeAt(q))) q++;
      if (q >= len) return -1;
      const quote = buf.charCodeAt(q);
      if (quote !== 34 && quote !== 39) fail(`expected a quoted value for attribute '${attrName}' of <${name}>`, q);
      const close = buf.indexOf(quote === 34 ? '"' : "'", q + 1);
      if (close === -1) return len - lt > MAX_PENDING ? fail(`attribute '${attrName}' is not closed`, q) : -1;
      const raw = buf.slice(q + 1, close);
      if (raw.includes('<')) fail(`'<' inside the value of attribute '${attrName}' of <${name}>`, q);
      attributes[attrName] = raw.includes('&') ? decodeEntities(raw) : raw;
      i = close + 1;
    }
  }

  function closeTag(lt: number): number {
    const gt = buf.indexOf('>', lt + 2);
    if (gt === -1) return -1;
    const name = buf.slice(lt + 2, gt).trim();
    const line = lineAt(lt);
    const top = stack.pop();
    if (top === undefined) fail(`unexpected </${name}>: no element is open`, lt);
    if (top.name !== name) fail(`expected </${top.name}> (opened on line ${top.line}) but found </${name}>`, lt);
    handler.close(name, line);
    return gt + 1;
  }

  function skipUntil(lt: number, terminator: string): number {
    const end = buf.indexOf(terminator, lt);
    return end === -1 ? -1 : end + terminator.length;
  }

  function step(lt: number): number {
    const c = buf.charCodeAt(lt + 1);
    if (Number.isNaN(c)) return -1;
    if (c === 47) return closeTag(lt);
    if (c === 63 /* ? */) return skipUntil(lt + 2, '?>');
    if (c === 33 /* ! */) {
      if (buf.length < lt + 9) return -1;
      if (buf.startsWith('<!--', lt)) return skipUntil(lt + 4, '-->');
      if (buf.startsWith('<![CDATA[', lt)) return skipUntil(lt + 9, ']]>');
      return skipUntil(lt + 2, '>');
    }
    return openTag(lt);
  }

  return {
    push(text) {
      if (pos > 0) {
        buf = buf.slice(pos);
        counted -= pos;
        pos = 0;
      }
      buf = buf.length === 0 ? text : buf + text;
      for (;;) {
        const lt = buf.indexOf('<', pos);
        if (lt === -1) {
          if (stack.length === 0 && /\S/.test(buf.slice(pos))) fail('text outside the root element', pos);
          pos = buf.length;
          lineAt(pos);
          return;
        }
        const next = step(lt);
        if (next === -1) {
          if (buf.length - lt > MAX_PENDING) fail('a tag is not closed', lt);
          pos = lt;
          return;
        }
        pos = next;
      }
    },
    end() {
      const cut = pos < buf.length && buf.slice(pos).trim() !== '';
      const open = stack.at(-1);
      if (open !== undefined) {
        const where = cut ? 'inside a tag, ' : '';
        fail(
          `the document ends ${where}before </${open.name}> (opened on line ${open.line}): is the file truncated?`,
          buf.length,
        );
      }
      if (cut) fail('the document ends inside a tag', pos);
    },
  };
}
