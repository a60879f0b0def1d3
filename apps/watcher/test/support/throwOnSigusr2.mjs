// Preloaded into a watcher process (NODE_OPTIONS=--import) by test/operations/uncaughtException.test.ts:
// SIGUSR2 makes a timer callback throw, an uncaught exception at a moment the test chooses.
process.on('SIGUSR2', () => {
  setTimeout(() => {
    throw new Error('test: uncaught exception on SIGUSR2');
  }, 0);
});
