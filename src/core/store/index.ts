/** The durable trade stores: SQLite (sql.js + journal), PostgreSQL, and PostgreSQL with a local outbox. */
export type { CommitUnit, Outbox, OutboxOp, StoreHealth, TradeQuery, TradeStore } from './types';
export { SqliteStore, loadSqlJs, defaultWasmPath } from './sqlite';
export type { SqliteStoreOptions } from './sqlite';
export { SqliteOutbox } from './outbox';
export { PgStore } from './postgres';
export type { PgStoreOptions } from './postgres';
export { ResilientStore } from './resilient';
export type { ResilientStoreOptions } from './resilient';
export { openStore, createStore, resolveStoreUrl, parseStoreUrl, defaultStoreDir, defaultSqlitePath, maskUrl, storeHome } from './open';
export type { OpenStoreOptions } from './open';
export { SCHEMA_VERSION } from './schema';
export { StoreWriteError } from './fsErrors';
export { OUTBOX_FILE, SIM_BALANCE_FILE, STORE_FILE } from './files';
