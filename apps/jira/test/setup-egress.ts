// Runs before each test file of the project, so `@forge/api` captures the egress layer as its fetch.
import { installEgressLayer } from './forge-egress.ts';

installEgressLayer();
