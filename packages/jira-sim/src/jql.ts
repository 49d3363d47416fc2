/**
 * The JQL subset Baton and its tests use: `project`, `key`/`issue`, `status`, `statusCategory`,
 * `assignee`, `reporter`, `priority`, `issuetype`, `labels`, `updated`/`created`/`duedate` with
 * `= != > >= < <= in not in is is not ~`, AND/OR/parentheses, `currentUser()`, `now()`, relative
 * dates (`-15m`), minute-precision date literals (as Jira: `"2026-11-23 21:30"`) and `ORDER BY`.
 * Anything else is a 400 with Jira's wording, so a test notices when the app starts using more.
 */
export type JqlValue =
  { kind: 'text'; text: string } | { kind: 'func'; name: string; args: string[] } | { kind: 'empty' };
export type JqlExpr =
  | { kind: 'and' | 'or'; left: JqlExpr; right: JqlExpr }
  | { kind: 'not'; expr: JqlExpr }
  | { kind: 'clause'; field: string; op: JqlOp; values: JqlValue[] };
export type JqlOp = '=' | '!=' | '>' | '>=' | '<' | '<=' | 'in' | 'not in' | 'is' | 'is not' | '~';
export interface JqlOrder {
  field: string;
  direction: 'asc' | 'desc';
}
export interface JqlQuery {
  where: JqlExpr | undefined;
  orderBy: JqlOrder[];
}

export class JqlError extends Error {}

type Token = { t: 'word' | 'str' | 'op' | 'lp' | 'rp' | 'comma'; v: string };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '(') {
      out.push({ t: 'lp', v: c });
      i++;
      continue;
    }
    if (c === ')') {
      out.push({ t: 'rp', v: c });
      i++;
      continue;
    }
    if (c === ',') {
      out.push({ t: 'comma', v: c });
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let text = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\' && j + 1 < src.length) j++;
        text += src[j];
        j++;
      }
      if (j >= src.length) throw new JqlError('The quoted string is not terminated.');
      out.push({ t: 'str', v: text });
      i = j + 1;
      continue;
    }
    const op = /^(!=|>=|<=|=|>|<|~)/.exec(src.slice(i));
    if (op) {
      out.push({ t: 'op', v: op[0] });
      i += op[0].length;
      continue;
    }
    const word = /^[^\s(),=!<>~"']+/.exec(src.slice(i));
    if (!word) throw new JqlError(`The character '${c}' is a reserved JQL character.`);
    out.push({ t: 'word', v: word[0] });
    i += word[0].length;
  }
  return out;
}

/**
 * The functions the subset knows, with how many arguments each takes. `issuesWithRemoteLinksByGlobalId`
 * takes 1 to 100 global ids (Jira Data Center's JQL functions reference; not found in Jira Cloud's,
 * see apps/extension/docs/remote-link-lookup.md: tests play a Cloud site without it with a 400 fault).
 */
const FUNCTIONS: Record<string, readonly [number, number]> = {
  currentuser: [0, 0],
  now: [0, 0],
  issueswithremotelinksbyglobalid: [1, 100],
};

export function parseJql(src: string): JqlQuery {
  const tokens = tokenize(src);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const isWord = (w: string, at = pos): boolean => tokens[at]?.t === 'word' && tokens[at]?.v.toLowerCase() === w;
  const expect = (t: Token['t']): Token => {
    const tok = tokens[pos];
    if (!tok || tok.t !== t) throw new JqlError(`Error in the JQL Query: expecting '${t}' at position ${pos}.`);
    pos++;
    return tok;
  };

  const value = (): JqlValue => {
    const tok = peek();
    if (!tok)
      throw new JqlError('Error in the JQL Query: Expecting either a value, list or function but got end of query.');
    if (tok.t === 'str') {
      pos++;
      return { kind: 'text', text: tok.v };
    }
    if (tok.t !== 'word') throw new JqlError(`Error in the JQL Query: unexpected '${tok.v}'.`);
    pos++;
    const lower = tok.v.toLowerCase();
    if (lower === 'empty' || lower === 'null') return { kind: 'empty' };
    if (peek()?.t === 'lp') {
      pos++;
      const args: string[] = [];
      while (peek()?.t === 'str' || peek()?.t === 'word') {
        args.push((tokens[pos++] as Token).v);
        if (peek()?.t === 'comma') pos++;
      }
      expect('rp');
      const arity = FUNCTIONS[lower];
      if (arity === undefined) throw new JqlError(`Unable to find JQL function '${tok.v}()'.`);
      if (args.length < arity[0] || args.length > arity[1])
        throw new JqlError(
          `Function '${tok.v}' expects between ${arity[0]} and ${arity[1]} arguments, but got ${args.length}.`,
        );
      return { kind: 'func', name: lower, args };
    }
    return { kind: 'text', text: tok.v };
  };

  const clause = (): JqlExpr => {
    if (peek()?.t === 'lp') {
      pos++;
      const e = or();
      expect('rp');
      return e;
    }
    if (isWord('not')) {
      pos++;
      return { kind: 'not', expr: clause() };
    }
    const field = expect('word').v.toLowerCase();
    let op: JqlOp;
    const tok = peek();
    if (tok?.t === 'op') {
      op = tok.v as JqlOp;
      pos++;
    } else if (isWord('in')) {
      op = 'in';
      pos++;
    } else if (isWord('not') && isWord('in', pos + 1)) {
      op = 'not in';
      pos += 2;
    } else if (isWord('is') && isWord('not', pos + 1)) {
      op = 'is not';
      pos += 2;
    } else if (isWord('is')) {
      op = 'is';
      pos++;
    } else throw new JqlError(`Error in the JQL Query: Expecting operator but got '${tok?.v ?? 'end of query'}'.`);
    let values: JqlValue[];
    // `in` takes a list, or a function that returns one: `issue in issuesWithRemoteLinksByGlobalId("g")`.
    if ((op === 'in' || op === 'not in') && peek()?.t !== 'lp') values = [value()];
    else if (op === 'in' || op === 'not in') {
      expect('lp');
      values = [value()];
      while (peek()?.t === 'comma') {
        pos++;
        values.push(value());
      }
      expect('rp');
    } else values = [value()];
    return { kind: 'clause', field, op, values };
  };
  const and = (): JqlExpr => {
    let left = clause();
    while (isWord('and')) {
      pos++;
      left = { kind: 'and', left, right: clause() };
    }
    return left;
  };
  const or = (): JqlExpr => {
    let left = and();
    while (isWord('or')) {
      pos++;
      left = { kind: 'or', left, right: and() };
    }
    return left;
  };

  let where: JqlExpr | undefined;
  if (peek() && !isWord('order')) where = or();
  const orderBy: JqlOrder[] = [];
  if (isWord('order')) {
    pos++;
    if (!isWord('by')) throw new JqlError("Error in the JQL Query: Expecting 'by' after 'order'.");
    pos++;
    do {
      if (peek()?.t === 'comma') pos++;
      const field = expect('word').v.toLowerCase();
      let direction: 'asc' | 'desc' = 'asc';
      if (isWord('asc') || isWord('desc')) direction = (tokens[pos++] as Token).v.toLowerCase() as 'asc' | 'desc';
      orderBy.push({ field, direction });
    } while (peek()?.t === 'comma');
  }
  if (pos < tokens.length)
    throw new JqlError(`Error in the JQL Query: unexpected '${tokens[pos]?.v}' at the end of the query.`);
  return { where, orderBy };
}

/** What a clause can be evaluated against: one issue as the search index sees it. */
export interface JqlSubject {
  id: string;
  key: string;
  project: { id: string; key: string; name: string };
  status: { id: string; name: string; category: 'new' | 'indeterminate' | 'done' };
  assignee: string | null;
  reporter: string | null;
  priority: string;
  issuetype: string;
  labels: string[];
  summary: string;
  created: number;
  updated: number;
  duedate: number | null;
  /** The issue's entity properties (searchable only where an app's `jira:entityProperty` indexes them). */
  properties?: ReadonlyMap<string, unknown>;
}

/**
 * One value of an issue property Jira indexes for JQL, as an installed app's `jira:entityProperty`
 * module declares it (https://developer.atlassian.com/platform/forge/manifest-reference/modules/jira-entity-property/):
 * searched as `issue.property[propertyKey].path` or by its `searchAlias`. The sim searches `string`
 * (exact, `=`/`in`) and `text` (`~`) values; `startJiraSim` refuses the other types rather than guess.
 */
export interface IndexedPropertyValue {
  propertyKey: string;
  path: string;
  type: 'string' | 'text' | 'number' | 'date' | 'user';
  searchAlias?: string;
}

export interface JqlContext {
  now: number;
  me: string;
  /** The searching user's time zone (their profile's): Jira reads date literals as wall time there. */
  timeZone?: string;
  /** Keys of the issues with a remote link of one of these global ids. */
  issuesWithRemoteLinks?: (globalIds: readonly string[]) => readonly string[];
  /** The issue-property values the site's apps index. */
  indexed?: readonly IndexedPropertyValue[];
}

const CATEGORY_NAMES: Record<string, string> = { new: 'to do', indeterminate: 'in progress', done: 'done' };
const DATE_FIELDS = new Set(['updated', 'created', 'duedate', 'due', 'updateddate', 'createddate']);

/**
 * Date literals as JQL reads them: `"yyyy-MM-dd HH:mm"` or `"yyyy-MM-dd"` as wall time in the searching
 * user's time zone (as Jira does: the same literal means a different instant for a user in New York than
 * for the app's user in UTC), relative offsets (`-15m`, `-2h`, `-1d`, `-1w`) and epoch milliseconds.
 */
export function parseJqlDate(text: string, now: number, timeZone = 'UTC'): number {
  const rel = /^([+-]?)(\d+)([mhdw])$/.exec(text);
  if (rel) {
    const unit = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[rel[3] as 'm' | 'h' | 'd' | 'w'];
    return now + (rel[1] === '-' ? -1 : 1) * Number(rel[2]) * unit;
  }
  if (/^\d{10,}$/.test(text)) return Number(text);
  const abs = /^(\d{4})[-/](\d{2})[-/](\d{2})(?: (\d{2}):(\d{2}))?$/.exec(text);
  if (abs)
    return wallTimeIn(
      timeZone,
      Number(abs[1]),
      Number(abs[2]),
      Number(abs[3]),
      Number(abs[4] ?? 0),
      Number(abs[5] ?? 0),
    );
  throw new JqlError(
    `Date value '${text}' for field is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.`,
  );
}

/** The instant whose wall time in `timeZone` is the given one (the earlier of two in a DST fold). */
export function wallTimeIn(timeZone: string, y: number, mo: number, d: number, h: number, mi: number): number {
  const asUtc = Date.UTC(y, mo - 1, d, h, mi);
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  });
  const offsetAt = (ms: number): number => {
    const p = Object.fromEntries(fmt.formatToParts(ms).map((x) => [x.type, x.value]));
    return (
      Date.UTC(Number(p['year']), Number(p['month']) - 1, Number(p['day']), Number(p['hour']), Number(p['minute'])) -
      Math.floor(ms / 60_000) * 60_000
    );
  };
  // Two rounds settle the offset on either side of a DST change.
  let t = asUtc - offsetAt(asUtc);
  t = asUtc - offsetAt(t);
  return t;
}

function fieldValues(s: JqlSubject, field: string, ctx: JqlContext): (string | null)[] | number | null {
  switch (field) {
    case 'project':
      return [s.project.key.toLowerCase(), s.project.id, s.project.name.toLowerCase()];
    case 'key':
    case 'issue':
    case 'issuekey':
    case 'id':
      return [s.key.toLowerCase(), s.id];
    case 'status':
      return [s.status.name.toLowerCase(), s.status.id];
    case 'statuscategory':
      return [s.status.category, CATEGORY_NAMES[s.status.category] ?? null];
    case 'assignee':
      return [s.assignee];
    case 'reporter':
      return [s.reporter];
    case 'priority':
      return [s.priority.toLowerCase()];
    case 'issuetype':
    case 'type':
      return [s.issuetype.toLowerCase()];
    case 'labels':
      return s.labels.length === 0 ? [null] : s.labels.map((l) => l.toLowerCase());
    case 'summary':
    case 'text':
      return [s.summary.toLowerCase()];
    case 'updated':
    case 'updateddate':
      return truncateToMinute(s.updated);
    case 'created':
    case 'createddate':
      return truncateToMinute(s.created);
    case 'duedate':
    case 'due':
      return s.duedate;
    default: {
      const indexed = (ctx.indexed ?? []).find(
        (v) =>
          v.searchAlias?.toLowerCase() === field ||
          `issue.property[${v.propertyKey}].${v.path}`.toLowerCase() === field,
      );
      if (indexed !== undefined) return propertyValues(s, indexed);
      // A property path no app indexes matches nothing (Jira has nothing in its index for it).
      if (/^issue\.property\[[^\]]+\]\./.test(field)) return [null];
      throw new JqlError(`Field '${field}' does not exist or you do not have permission to view it.`);
    }
  }
}

/** The indexed value at `path` (dot-separated) in the issue's property: each element of an array, lower-cased. */
function propertyValues(s: JqlSubject, v: IndexedPropertyValue): (string | null)[] {
  let at: unknown[] = [s.properties?.get(v.propertyKey)];
  for (const step of v.path.split('.'))
    at = at.flatMap((x) => {
      const next =
        x !== null && typeof x === 'object' && !Array.isArray(x) ? (x as Record<string, unknown>)[step] : undefined;
      return Array.isArray(next) ? next : [next];
    });
  const out = at.flatMap((x) => (typeof x === 'string' || typeof x === 'number' ? [String(x).toLowerCase()] : []));
  return out.length === 0 ? [null] : out;
}

const KEY_FIELDS = new Set(['key', 'issue', 'issuekey', 'id']);
const RELATIONAL = new Set<JqlOp>(['>', '>=', '<', '<=']);

/**
 * `key > "SUP-120"` (aliases `issuekey`, `issue`, `id`): Jira compares an issue key with the issues of
 * the same project by their number, and a numeric value with the issue id
 * (https://support.atlassian.com/jira-service-management-cloud/docs/jql-fields/ , "Issue key": operators
 * `= != > >= < <= IN NOT IN`). An issue of another project never matches a key comparison.
 */
function compareKey(s: JqlSubject, op: JqlOp, raw: string | null): boolean {
  if (raw === null) throw new JqlError(`The operator '${op}' does not support the EMPTY value.`);
  const m = /^([A-Za-z][A-Za-z0-9_]*)-(\d+)$/.exec(raw);
  let a: number;
  let b: number;
  if (m !== null) {
    if (s.project.key.toLowerCase() !== (m[1] as string).toLowerCase()) return false;
    a = Number(s.key.split('-')[1]);
    b = Number(m[2]);
  } else if (/^\d+$/.test(raw)) {
    a = Number(s.id);
    b = Number(raw);
  } else throw new JqlError(`The issue key '${raw}' for field 'key' is invalid.`);
  return op === '>' ? a > b : op === '>=' ? a >= b : op === '<' ? a < b : a <= b;
}

// JQL compares dates at minute precision: an issue updated at 21:30:45 matches `updated <= "21:30"`.
const truncateToMinute = (ms: number): number => ms - (((ms % 60_000) + 60_000) % 60_000);

function resolve(v: JqlValue, ctx: JqlContext): string | null {
  if (v.kind === 'empty') return null;
  if (v.kind === 'func') return v.name === 'currentuser' ? ctx.me : String(ctx.now);
  return v.text;
}

export function matchesJql(expr: JqlExpr | undefined, s: JqlSubject, ctx: JqlContext): boolean {
  if (expr === undefined) return true;
  if (expr.kind === 'not') return !matchesJql(expr.expr, s, ctx);
  if (expr.kind !== 'clause') {
    return expr.kind === 'and'
      ? matchesJql(expr.left, s, ctx) && matchesJql(expr.right, s, ctx)
      : matchesJql(expr.left, s, ctx) || matchesJql(expr.right, s, ctx);
  }
  const actual = fieldValues(s, expr.field, ctx);
  if (DATE_FIELDS.has(expr.field)) {
    const a = actual as number | null;
    const v = expr.values[0] as JqlValue;
    if (expr.op === 'is') return a === null;
    if (expr.op === 'is not') return a !== null;
    if (a === null) return false;
    const raw = resolve(v, ctx);
    if (raw === null) return expr.op === '!=';
    const b = v.kind === 'func' ? Number(raw) : parseJqlDate(raw, ctx.now, ctx.timeZone);
    switch (expr.op) {
      case '=':
        return a === b;
      case '!=':
        return a !== b;
      case '>':
        return a > b;
      case '>=':
        return a >= b;
      case '<':
        return a < b;
      case '<=':
        return a <= b;
      default:
        throw new JqlError(`The operator '${expr.op}' is not supported by the '${expr.field}' field.`);
    }
  }
  if (KEY_FIELDS.has(expr.field) && RELATIONAL.has(expr.op))
    return compareKey(s, expr.op, resolve(expr.values[0] as JqlValue, ctx));
  const values = actual as (string | null)[];
  const wanted = expr.values.flatMap((v) =>
    v.kind === 'func' && v.name === 'issueswithremotelinksbyglobalid'
      ? (ctx.issuesWithRemoteLinks?.(v.args) ?? []).map((k) => k.toLowerCase())
      : [resolve(v, ctx)?.toLowerCase() ?? null],
  );
  const hit = wanted.some((w) => values.includes(w));
  switch (expr.op) {
    case '=':
    case 'in':
    case 'is':
      return hit;
    case '!=':
    case 'not in':
    case 'is not':
      return !hit && !(values.length === 1 && values[0] === null && expr.op !== 'is not');
    case '~':
      return wanted.some((w) => w !== null && values.some((x) => x !== null && x.includes(w)));
    default:
      throw new JqlError(`The operator '${expr.op}' is not supported by the '${expr.field}' field.`);
  }
}

export function compareByOrder(order: readonly JqlOrder[]): (a: JqlSubject, b: JqlSubject) => number {
  const keyNum = (k: string): number => Number(k.split('-')[1]);
  return (a, b) => {
    for (const o of order.length > 0 ? order : [{ field: 'key', direction: 'desc' as const }]) {
      let d: number;
      switch (o.field) {
        case 'updated':
          d = a.updated - b.updated;
          break;
        case 'created':
          d = a.created - b.created;
          break;
        case 'duedate':
          d = (a.duedate ?? Infinity) - (b.duedate ?? Infinity);
          break;
        case 'key':
        case 'id':
        case 'issuekey':
          d = a.project.key.localeCompare(b.project.key) || keyNum(a.key) - keyNum(b.key);
          break;
        case 'status':
          d = a.status.name.localeCompare(b.status.name);
          break;
        case 'priority':
          d = a.priority.localeCompare(b.priority);
          break;
        default:
          throw new JqlError(`Not able to sort using field '${o.field}'.`);
      }
      if (d !== 0) return o.direction === 'asc' ? d : -d;
    }
    return 0;
  };
}
