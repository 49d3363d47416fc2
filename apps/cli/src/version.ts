/** The CLI's version, written into run.json and printed by `baton --version`. */
export const VERSION = '0.1.0';
