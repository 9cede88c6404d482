/**
 * The keepers this module needs from others: none. The registry keeps its own participants and
 * roles, charges no fees and moves no tokens, so its factory takes only the chain config.
 *
 * The other direction is declared where it is used: the ibc module's drugcustody application
 * states the part of DrugRegistryKeeper it calls (modules/ibc/expected-keepers.ts).
 */
export {};
