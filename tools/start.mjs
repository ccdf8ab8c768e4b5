// `npm start`: the all-in-one service on the embedded default (design §8).
// The processes are not assembled yet; say so plainly instead of pretending to run.
console.error('banca: the all-in-one service is not available in this version yet; `npm test` runs the suites.');
process.exit(1);
