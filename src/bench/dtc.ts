import type { BenchSuite } from './suite';

/** The dtc rows of `npm run bench` (owned by the dtc area). */
export const dtcBench: BenchSuite = {
  name: 'dtc',
  async run() {
    return [];
  },
};
