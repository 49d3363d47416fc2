import ForgeReconciler from '@forge/react';
import { CharterAdmin } from './admin/charter-admin.tsx';

/** `jira:adminPage` (useAsConfig): the site's charter, and per listed project its dry run, audit log and report. */
ForgeReconciler.render(<CharterAdmin scope="global" />);
