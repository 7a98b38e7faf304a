export * from './limits';
export * from './trailing';
export * from './assess';
export * from './notices';
