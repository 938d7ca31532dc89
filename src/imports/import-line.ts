import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { DomainException, FieldError } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-codes';
import { assertOwnOrganisation } from '../common/errors/own-organisation';
import { jsonDepthExceeds, MAX_JSON_DEPTH } from '../common/http/json-body-parser';
import { unstorableStrings } from '../common/http/storable-text.pipe';
import { toFieldErrors } from '../common/http/validation-exception.factory';
import { ProfileColumnValues, toColumnValues } from '../profiles/profile-columns';
import { phoneColumnsOf } from '../profiles/profile-phone';
import { ImportProfileLineDto } from './dto/import-profile-line.dto';

/** Report rows kept per line: enough to fix it, bounded whatever the line holds. */
export const MAX_ERRORS_PER_LINE = 50;

export interface LineError {
  kind: 'invalid' | 'duplicate';
  field: string | null;
  errorCode: number;
  message: string;
}

/** A line that passed the create's validation, with its column values ready to insert. */
export interface ValidLine {
  lineNo: number;
  dto: ImportProfileLineDto;
  values: ProfileColumnValues;
  /** The e-mail in normal form and the customerRef, the keys a duplicate is found by. */
  email: string | null;
  customerRef: string | null;
  /** `password` hashed (argon2id) or `passwordHash` as given. */
  passwordHash: string | null;
}

export type CheckedLine =
  { ok: true; line: ValidLine } | { ok: false; lineNo: number; errors: LineError[] };

const invalid = (field: string | null, errorCode: number, message: string): LineError => ({
  kind: 'invalid',
  field,
  errorCode,
  message: message.slice(0, 1000),
});

/** The report rows of a refusal the single create would answer with this exception. */
export function errorsOfException(error: DomainException): LineError[] {
  if (error.errors.length) {
    return error.errors.map((e: FieldError) =>
      invalid(e.field, e.errorCode ?? error.errorCode, e.message),
    );
  }
  return [invalid(null, error.errorCode, error.detail)];
}

/**
 * Checks one line exactly as POST /profiles checks its body: storable text, the DTO's
 * class-validator rules with the global pipe's options (unknown members refused), the
 * organisation, and phone numbers normalised to E.164; each breach with the create's errorCode.
 */
export async function checkLine(
  organisationId: number,
  lineNo: number,
  body: string | null,
  problem: string | null,
  hashPassword: (password: string) => Promise<string>,
): Promise<CheckedLine> {
  const refuse = (errors: LineError[]): CheckedLine => ({
    ok: false,
    lineNo,
    errors: errors.slice(0, MAX_ERRORS_PER_LINE),
  });
  if (body === null) {
    return refuse([invalid(null, ErrorCode.BadRequest, problem ?? 'the line cannot be read')]);
  }
  if (jsonDepthExceeds(body, MAX_JSON_DEPTH)) {
    return refuse([
      invalid(null, ErrorCode.BadRequest, `the line nests deeper than ${MAX_JSON_DEPTH} levels`),
    ]);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return refuse([invalid(null, ErrorCode.BadRequest, 'the line is not valid JSON')]);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return refuse([
      invalid(null, ErrorCode.BadRequest, 'each line must be a JSON object (one profile)'),
    ]);
  }
  const unstorable = unstorableStrings(parsed);
  if (unstorable.length) {
    return refuse(unstorable.map((e) => invalid(e.field, ErrorCode.BadRequest, e.message)));
  }
  const dto = plainToInstance(ImportProfileLineDto, parsed);
  const violations = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
  if (violations.length) {
    return refuse(
      toFieldErrors(violations).map((e) =>
        invalid(e.field, e.errorCode ?? ErrorCode.BadRequest, e.message),
      ),
    );
  }
  if (dto.password !== undefined && dto.passwordHash !== undefined) {
    return refuse([
      invalid(
        'passwordHash',
        ErrorCode.InvalidPassword,
        'give either password or passwordHash, not both',
      ),
    ]);
  }
  let values: ProfileColumnValues;
  try {
    assertOwnOrganisation(organisationId, dto.organisationId);
    values = { ...toColumnValues(dto), ...phoneColumnsOf(dto) };
  } catch (error) {
    if (error instanceof DomainException) {
      const errors = errorsOfException(error);
      return refuse(
        error.errorCode === ErrorCode.Forbidden
          ? errors.map((e) => ({ ...e, field: 'organisationId' }))
          : errors,
      );
    }
    throw error;
  }
  const passwordHash = dto.passwordHash ?? (dto.password ? await hashPassword(dto.password) : null);
  return {
    ok: true,
    line: {
      lineNo,
      dto,
      values,
      email: dto.email ? dto.email.toLowerCase() : null,
      customerRef: dto.customerRef ?? null,
      passwordHash,
    },
  };
}
