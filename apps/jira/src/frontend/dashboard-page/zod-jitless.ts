import * as z from 'zod';

// Imported first by main.ts, before any module that builds or parses a schema: Forge's Custom UI CSP
// has no 'unsafe-eval', and zod's caught `new Function` probe would still raise a CSP violation report.
z.config({ jitless: true });
