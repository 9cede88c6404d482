export { createDrugRegistryModule, type DrugRegistryModuleOptions } from './module.js';
export { DrugRegistryKeeper } from './keeper.js';
export * from './errors.js';
export * from './identifiers.js';
export { defaultParams, validateParams } from './params.js';
