/** Name of the scheduled job in the SchedulerRegistry. */
export const EXPIRY_JOB_NAME = 'expiry';

/** pg advisory lock key of the expiry job: one instance of the service runs it at a time. */
export const EXPIRY_LOCK_KEY = 0x63757374; // "cust"

/** Profiles deleted per transaction: bounds lock time and WAL per commit. */
export const EXPIRY_BATCH_SIZE = 500;
