export * from './limits';
export * from './trailing';
export * from './assess';
export * from './notices';
export * from './guard';
export { accountFigures, MarkCache } from './figures';
export { RiskWatch } from './watch';
