import type { TestProject } from 'vitest/node';
import { prepareTemplateDatabase } from './databases.ts';

import './provided.ts';

/** Vitest global setup for projects that talk to Postgres: one migrated template per run. */
export default async function setup(project: TestProject) {
  project.provide('templateDatabase', await prepareTemplateDatabase());
}
