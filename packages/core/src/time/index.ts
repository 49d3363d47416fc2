// `@baton/core/time`: instants as logs write them (parse, format, the epoch of one), for readers of
// logs that need nothing else of core (the CLI's reading thread loads this alone, not the domain).
export { epochOf, formatTimestamp, parseTimestamp, type Timestamp } from './timestamp.ts';
