import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CreateProfileDto } from '../../profiles/dto/create-profile.dto';
import { latestToday } from '../../profiles/dto/profile-field-rules';
import { validationExceptionFactory } from './validation-exception.factory';

function problemOf(body: Record<string, unknown>) {
  const dto = plainToInstance(CreateProfileDto, {
    firstName: 'Ola',
    surname: 'Nordmann',
    createdBy: 'web',
    createdByChannel: 'web',
    ...body,
  });
  const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true });
  return errors.length ? validationExceptionFactory(errors) : null;
}

describe('validationExceptionFactory', () => {
  it('should give one entry per invalid field and count fields in the detail', () => {
    // firstName breaks three rules (string, not empty, no control characters…), email two.
    const problem = problemOf({ firstName: 12, email: 7, nickname: 'x' })!;
    expect(problem.errors.map((e) => e.field).sort()).toEqual(['email', 'firstName', 'nickname']);
    expect(problem.detail).toMatch(/^3 fields are invalid: /);
    const firstName = problem.errors.find((e) => e.field === 'firstName')!;
    expect(firstName.errorCode).toBe(606);
    expect(firstName.message).toContain(';');
  });

  it('should use the field message as the detail of a single invalid field', () => {
    const problem = problemOf({ email: 'not-an-email' })!;
    expect(problem.errors).toHaveLength(1);
    expect(problem.detail).toBe('email must be a valid e-mail address');
    expect(problem.errorCode).toBe(603);
  });
});

describe('profile field rules', () => {
  it.each(['NO', 'no', 'nb', 'EN', 'sv', 'Se'])('should accept the ISO 639-1 code %s', (code) => {
    expect(problemOf({ languagePreference: code })).toBeNull();
  });

  it.each(['nob', 'XX', 'N', 'english', ''])('should refuse the language %j', (code) => {
    expect(problemOf({ languagePreference: code })?.errors[0].field).toBe('languagePreference');
  });

  it('should refuse a date of birth in the future and accept today', () => {
    const tomorrowEverywhere = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    expect(problemOf({ dateOfBirth: tomorrowEverywhere })?.detail).toBe(
      'dateOfBirth must not be in the future',
    );
    expect(problemOf({ dateOfBirth: new Date().toISOString().slice(0, 10) })).toBeNull();
    expect(problemOf({ dateOfBirth: '1990-05-17' })).toBeNull();
  });

  it("should take the world's latest today as today", () => {
    expect(latestToday(new Date('2026-01-01T09:59:59Z'))).toBe('2026-01-01');
    expect(latestToday(new Date('2026-01-01T10:00:00Z'))).toBe('2026-01-02');
  });
});
