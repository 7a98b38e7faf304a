import type { BenchSuite } from './suite';
import { dtcBench } from './dtc';
import { storeBench } from './store';
import { statsBench } from './stats';
import { journalBench } from './journal';
import { importBench } from './import';
import { statusBarBench } from './statusBar';
import { readyBench } from './ready';
import { hostBench } from './host';

export const BENCH_SUITES: BenchSuite[] = [dtcBench, storeBench, statsBench, journalBench, importBench, readyBench, statusBarBench, hostBench];
