const Sequencer = require('@jest/test-sequencer').default;

/** Scenarios run in the order of their file names (1-…, 2-…), whatever ran slowest last time. */
class ByName extends Sequencer {
  sort(tests) {
    return [...tests].sort((a, b) => a.path.localeCompare(b.path));
  }
}

module.exports = ByName;
