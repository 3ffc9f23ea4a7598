/**
 * Node-only adapters (file system): IDX datasets, the embedded digits, and safetensors
 * checkpoints written atomically. Import from 'typegrad/node'; the root export stays
 * browser-safe.
 */
export * from './data/node-fs.ts';
export * from './io/node-fs.ts';
