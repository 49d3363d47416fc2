import { CHARTER_VERSION, formatDuration, parseCharter, WEEKDAYS } from '@baton/core';
import type { Charter, CharterInput } from '@baton/core';
import { CharterRecordSchema } from '../charter.ts';
import type { CharterRecord } from '../charter.ts';
import { AppCharterRecordSchema } from './jira-app-v1.ts';
import type { Charter as AppCharter } from './jira-app-v1.ts';
import { requirementsOf } from '../ready-requirements.ts';

/**
 * The app's first charter dialect (no `version`; `contracts/charter.ts`) as core's charter, version
 * `CHARTER_VERSION`. One way, data to data, with the same behaviour (tests on recorded stored
 * records: `test/charter-migration.test.ts`); kept until a later major version.
 * - the calendar: a fixed UTC offset with one daily window becomes a time zone by IANA name with
 *   weekly hours — `Etc/GMT∓h` for a whole-hour offset, a zone that keeps a half- or quarter-hour
 *   offset all year (`Asia/Kolkata` for +05:30; local hours kept), else UTC with the window shifted
 *   into UTC and split where it crosses midnight; quiet hours move the same way;
 * - durations: the app's `1d` was one of the calendar's working days, core's is eight business
 *   hours, so every duration is converted to business time and written in core's units
 *   (`3d` on a 09:00–17:30 calendar is `3d1h30m`);
 * - one SLA goal per app goal (paused while waiting, stopped when done); `watchdog.staleAfter` as
 *   every mapped state's idle norm and as `workflow.norm` (every other status); each state's `ready`
 *   as core's definition of ready;
 * - `routing.candidates` as one team (`candidates`) with an ownership rule picking the least loaded;
 * - autonomy per app dial (`nudge` → `notify` and `requestInfo`), everything else off;
 *   `minConfidenceToAct` → `confidence.act`, nothing below it escalated for low confidence;
 * - classify rules with core's `label`; ladders with `target` filled from `escalation.lead`.
 */
export const APP_CHARTER_DIALECT = 'jira-app-v1' as const;

/** The team the router picks from when the app's charter named `routing.candidates`. */
export const CANDIDATES_TEAM = 'candidates';

type AppCalendar = AppCharter['calendar'];
const DAY_MIN = 1440;
const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const clock = (m: number): string =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/**
 * Offsets that are not whole hours, each with a zone that keeps it all year (no daylight saving in
 * the IANA database since at least 2022): the due date's local day stays the team's.
 */
const FIXED_ZONES: Readonly<Record<number, string>> = {
  [-570]: 'Pacific/Marquesas',
  210: 'Asia/Tehran',
  270: 'Asia/Kabul',
  330: 'Asia/Kolkata',
  345: 'Asia/Kathmandu',
  390: 'Asia/Yangon',
  525: 'Australia/Eucla',
  570: 'Australia/Darwin',
};

/** Whole-hour offsets within the `Etc/GMT` zones (`Etc/GMT-14` … `Etc/GMT+12`; POSIX signs are inverted). */
const etcZone = (offset: number): string | undefined => {
  if (offset === 0) return 'UTC';
  if (FIXED_ZONES[offset] !== undefined) return FIXED_ZONES[offset];
  if (offset % 60 !== 0 || offset < -12 * 60 || offset > 14 * 60) return undefined;
  return `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset / 60)}`;
};

function calendarOf(cal: AppCalendar): { timeZone: string; week: Record<string, [string, string][]>; shift: number } {
  const zone = etcZone(cal.utcOffsetMinutes);
  // In a zone of the same offset nothing moves; in UTC the window moves by the offset.
  const shift = zone === undefined ? cal.utcOffsetMinutes : 0;
  const week: Record<string, [string, string][]> = {};
  for (const day of cal.workdays) {
    const from = day * DAY_MIN + minutesOf(cal.start) - shift;
    const to = day * DAY_MIN + minutesOf(cal.end) - shift;
    for (let d = Math.floor(from / DAY_MIN); d * DAY_MIN < to; d++) {
      const a = Math.max(from, d * DAY_MIN) - d * DAY_MIN;
      const b = Math.min(to, (d + 1) * DAY_MIN) - d * DAY_MIN;
      if (b <= a) continue;
      (week[WEEKDAYS[((d % 7) + 7) % 7] as string] ??= []).push([clock(a), clock(b)]);
    }
  }
  for (const hours of Object.values(week)) hours.sort((x, y) => x[0].localeCompare(y[0]));
  return { timeZone: zone ?? 'UTC', week, shift };
}

/** An app duration (`30m`, `8h`, `2d` with d = one of the calendar's working days) in core's units. */
export function durationOf(text: string, cal: AppCalendar): string {
  const m = /^(\d+(?:\.\d+)?)([mhd])$/.exec(text);
  if (!m) throw new Error(`not a duration: ${text}`);
  const n = Number(m[1]);
  const dayMin = minutesOf(cal.end) - minutesOf(cal.start);
  const min = m[2] === 'm' ? n : m[2] === 'h' ? n * 60 : n * dayMin;
  return formatDuration(Math.max(1, Math.round(min)) * 60_000);
}

export function migrateAppCharter(app: AppCharter): CharterInput {
  const cal = calendarOf(app.calendar);
  const dur = (text: string): string => durationOf(text, app.calendar);
  const local = (hhmm: string): string => clock((((minutesOf(hhmm) - cal.shift) % DAY_MIN) + DAY_MIN) % DAY_MIN);
  const norm = dur(app.watchdog.staleAfter);
  const states: NonNullable<NonNullable<CharterInput['workflow']>['states']> = {};
  for (const [name, { ready, ...m }] of Object.entries(app.workflow))
    states[name] = { ...m, norm, ...(ready === undefined ? {} : { ready: requirementsOf(ready) }) };
  return {
    version: CHARTER_VERSION,
    name: 'jira-app',
    scope: { projects: [...app.projects] },
    calendars: { default: { timeZone: cal.timeZone, week: cal.week, holidays: [] } },
    workflow: { norm, states },
    slaGoals: app.slaGoals.map((g) => ({
      id: g.name,
      name: g.name,
      when: (g.priorities.length > 0 ? { priority: [...g.priorities] } : {}) as Record<string, string[]>,
      target: dur(g.target),
      start: [{ on: 'created' as const }],
      pause: [{ on: 'phase' as const, in: ['waiting' as const] }],
      stop: [{ on: 'phase' as const, in: ['done' as const] }],
      warnAt: [g.atRiskAt],
    })),
    escalation: {
      ladders: app.escalation.ladders.map((l) => ({
        id: l.name,
        ...(l.goal === undefined ? {} : { goal: l.goal }),
        steps: l.steps.map((st) => {
          const target =
            st.to ?? (st.do === 'notify-lead' || st.do === 'reassign' ? (app.escalation.lead ?? undefined) : undefined);
          return {
            ...(st.slaConsumed === undefined ? {} : { slaConsumed: st.slaConsumed }),
            ...(st.idle === undefined ? {} : { idle: dur(st.idle) }),
            do: st.do,
            message: st.message,
            ...(target === undefined ? {} : { target }),
            ...(st.priority === undefined ? {} : { priority: st.priority }),
          };
        }),
      })),
    },
    routing: {
      // The candidates: one team, least open work first (the app counts each one's open issues).
      ...(app.routing.candidates.length === 0
        ? {}
        : {
            teams: [{ id: CANDIDATES_TEAM, members: app.routing.candidates.map((id) => ({ id })) }],
            ownership: [{ id: 'least-loaded', team: CANDIDATES_TEAM }],
          }),
      classify: app.routing.classify.map((r) => ({ field: r.field, label: r.value, keywords: [...r.keywords] })),
      modelClassify: { enabled: app.routing.modelClassify.enabled, fields: [...app.routing.modelClassify.fields] },
    },
    autonomy: {
      default: 'off',
      kinds: {
        assign: app.autonomy.assign,
        notify: app.autonomy.nudge,
        requestInfo: app.autonomy.nudge,
        escalate: app.autonomy.escalate,
        comment: app.autonomy.comment,
        setField: app.autonomy.setField,
      },
    },
    confidence: { act: app.minConfidenceToAct, suggest: 0 },
    caps: {
      maxNudgesPerCasePerDay: app.caps.nudgesPerIssuePerDay,
      quietHours:
        app.caps.quietHours === null
          ? null
          : { from: local(app.caps.quietHours.start), to: local(app.caps.quietHours.end) },
      quietOutsideBusinessHours: false,
    },
  };
}

const migrated = new Map<string, Charter>();

/**
 * The app's old charter as core's, validated by core's `parseCharter` (the same object for the same
 * old charter, so what core compiles from it is compiled once). A valid old charter always migrates
 * to a valid core charter; anything else is a bug in the migration, said with every problem.
 */
export function charterFromApp(app: AppCharter): Charter {
  const id = JSON.stringify(app);
  const hit = migrated.get(id);
  if (hit !== undefined) return hit;
  const r = parseCharter(migrateAppCharter(app));
  if (!r.ok)
    throw new Error(
      `the ${APP_CHARTER_DIALECT} charter did not migrate: ${r.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  migrated.set(id, r.value);
  return r.value;
}

/**
 * A stored charter record as core's: one in core's shape as it is, one in the `jira-app-v1` dialect
 * (its charter has no `version`) migrated, marked `migratedFrom`, its YAML left empty (it was the
 * old dialect's: the page shows the migrated charter as YAML instead). The next save writes core's.
 * A record that is neither fails with the problems of the shape it claims to be.
 */
export function readCharterRecord(raw: unknown): CharterRecord {
  const charter = (raw as { charter?: unknown } | null)?.charter;
  const claimsCore = typeof charter === 'object' && charter !== null && 'version' in charter;
  if (claimsCore) return CharterRecordSchema.parse(raw);
  const old = AppCharterRecordSchema.parse(raw);
  return {
    version: old.version,
    charter: charterFromApp(old.charter),
    yaml: '',
    updatedAt: old.updatedAt,
    updatedBy: old.updatedBy,
    migratedFrom: APP_CHARTER_DIALECT,
  };
}
