/**
 * Preloaded (`--require`) into the service when the bench records a CPU profile: V8 writes the
 * profile on a normal exit only, so the bench stops the service with SIGUSR2 instead of SIGTERM.
 */
process.on('SIGUSR2', () => process.exit(0));

export {};
