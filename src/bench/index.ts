import type { BenchSuite } from './suite';
import { dtcBench } from './dtc';
import { storeBench } from './store';
import { statsBench } from './stats';

export const BENCH_SUITES: BenchSuite[] = [dtcBench, storeBench, statsBench];
