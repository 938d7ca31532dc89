import { ErrorCode } from './error-codes';

/** What a client is told when a write breaks a unique constraint. */
export interface UniqueConstraintMessage {
  detail: string;
  errorCode: ErrorCode;
  field: string;
}

/** Constraint name → message; each feature owns the map of its tables. */
export type UniqueConstraintMessages = Record<string, UniqueConstraintMessage>;
