import type { BenchSuite } from './suite';

/** The stats rows of `npm run bench` (owned by the stats area). */
export const statsBench: BenchSuite = {
  name: 'stats',
  async run() {
    return [];
  },
};
