import type { BenchSuite } from './suite';

/** The store rows of `npm run bench` (owned by the store area). */
export const storeBench: BenchSuite = {
  name: 'store',
  async run() {
    return [];
  },
};
