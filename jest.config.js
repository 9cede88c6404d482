// Jest runs our TypeScript as native ES modules (swc strips the types), so the code under test
// is the same module graph that `node --import tsx` runs in production.
const swc = ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'es6' } }];

export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: ['<rootDir>/{app,modules,examples,scripts,test}/**/*.spec.ts', '<rootDir>/test/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/.tools/', '/.localnet/'],
  // Integration tests start real CometBFT processes; give them room but never wait forever.
  testTimeout: 120_000,
  maxWorkers: process.env.CI ? 2 : '50%',
};
