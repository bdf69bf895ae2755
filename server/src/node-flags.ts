/**
 * The flags Node runs the server with, wherever it is started: run.sh in the add-on (a test checks it
 * says the same), `npm start`, the tests and the benchmark.
 *
 * `--optimize-for-size` makes V8 grow the heap slowly and collect sooner. Under load at 5,000 entities it
 * keeps the server at about 110 MB RSS instead of 200-280 MB, for about a third less throughput, which is
 * still many times Home Assistant's own (README, Performance). On a Raspberry Pi memory is the scarcer one.
 */
export const NODE_FLAGS: readonly string[] = ['--optimize-for-size'];
