/** Jira's limit for one issue property value, in characters of its JSON. */
export const ISSUE_PROPERTY_MAX_CHARS = 32_768;
