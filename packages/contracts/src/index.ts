/** @vinculo/contracts: the only coupling between services. Schemas and constants, no runtime behaviour. */
export * from './envelope.js';
export * from './names.js';
export * from './events/registry/index.js';
export * from './events/matching/index.js';
export * from './validate.js';
