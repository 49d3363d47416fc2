import * as z from 'zod';
import { CLASSIFY_FIELDS } from './charter.ts';

/** The fields the app writes (core's `setField` proposals and ladder raise-priority steps), with Jira's names. */
export const WRITTEN_FIELDS = {
  duedate: 'Due date',
  priority: 'Priority',
  labels: 'Labels',
  components: 'Components',
} as const;
export const WrittenFieldSchema = z.enum(['duedate', ...CLASSIFY_FIELDS]);
export type WrittenField = z.infer<typeof WrittenFieldSchema>;

export const FieldWriteSchema = z.object({
  field: WrittenFieldSchema,
  name: z.string(),
  /** What in the charter makes the app write it. */
  because: z.string(),
});
export type FieldWrite = z.infer<typeof FieldWriteSchema>;

export const ProjectCheckSchema = z.object({
  projectKey: z.string(),
  writes: z.array(FieldWriteSchema),
  /** One recent issue per issue type, whose editmeta was read. */
  checked: z.array(z.object({ issueType: z.string(), issueKey: z.string() })),
  /** Why the project could not be checked (Jira refused, or no issue to read). */
  unchecked: z.string().optional(),
});
export type ProjectCheck = z.infer<typeof ProjectCheckSchema>;

export const FieldWriteProblemSchema = z.object({
  projectKey: z.string(),
  issueType: z.string(),
  /** The issue whose edit screen was read. */
  issueKey: z.string(),
  field: WrittenFieldSchema,
  fieldName: z.string(),
  /** What the admin does about it. */
  fix: z.string(),
});
export type FieldWriteProblem = z.infer<typeof FieldWriteProblemSchema>;
