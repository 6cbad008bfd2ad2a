export * from './db.js';
export * from './isolation.js';
