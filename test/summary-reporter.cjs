// Mocha's dot reporter plus one closing line CI can read: `<suite>: N passed, N failed`.
// The suite's name comes from `--reporter-option suite=<name>`.
const { reporters } = require('mocha');

class Summary extends reporters.Dot {
  constructor(runner, options) {
    super(runner, options);
    const suite = (options.reporterOption && options.reporterOption.suite) || 'tests';
    runner.once('end', () => {
      const { passes, failures, pending } = runner.stats;
      process.stdout.write(`${suite}: ${passes} passed, ${failures} failed${pending ? `, ${pending} skipped` : ''}\n`);
    });
  }
}

module.exports = Summary;
