#!/usr/bin/env node
// `node scripts/build.js [--if-stale | --check]`, kept for the scripts and tests that call it: the
// build itself is bin/build.js, beside the command (bin/parazone.js) that runs it when dist/ is stale.
import { buildCommand } from '../bin/build.js';

await buildCommand(process.argv[2]);
