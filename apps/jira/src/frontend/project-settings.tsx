import ForgeReconciler, { Text, useProductContext } from '@forge/react';
import { CharterAdmin } from './admin/charter-admin.tsx';

/** `jira:projectSettingsPage`: the same admin for one project, whose own charter overrides the site's. */
function ProjectSettings() {
  const context = useProductContext() as { extension?: { project?: { key?: string } } } | undefined;
  const projectKey = context?.extension?.project?.key;
  if (context === undefined) return <Text>Loading…</Text>;
  if (projectKey === undefined) return <Text>Open this page from a project's settings.</Text>;
  return <CharterAdmin scope={projectKey} />;
}

ForgeReconciler.render(<ProjectSettings />);
