// Public surface of @baton/jira.
export {};
