// Mocha's spec reporter, plus one closing line `tests: N passed, N failed, N skipped`
// that CI tools read whatever the test runner.
'use strict';
const { reporters, Runner } = require('mocha');

class SummaryReporter extends reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    runner.on(Runner.constants.EVENT_TEST_PASS, () => passed++);
    runner.on(Runner.constants.EVENT_TEST_FAIL, () => failed++);
    runner.on(Runner.constants.EVENT_TEST_PENDING, () => skipped++);
    runner.once(Runner.constants.EVENT_RUN_END, () => {
      process.stdout.write(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
    });
  }
}
module.exports = SummaryReporter;
