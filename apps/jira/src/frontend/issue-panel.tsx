import ForgeReconciler from '@forge/react';
import { IssuePanel } from './issue-panel-view.tsx';

ForgeReconciler.render(<IssuePanel />);
