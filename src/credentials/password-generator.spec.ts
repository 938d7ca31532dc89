import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { ChangePasswordRequestDto } from './dto/change-password.dto';
import { GENERATED_PASSWORD_LENGTH, generatePassword } from './password-generator';

describe('generatePassword', () => {
  const samples = Array.from({ length: 500 }, () => generatePassword());

  it('should satisfy the password policy', () => {
    for (const password of samples.slice(0, 50)) {
      const dto = plainToInstance(ChangePasswordRequestDto, { newPassword: password });
      expect(validateSync(dto)).toEqual([]);
    }
  });

  it('should hold a lower-case letter, a capital and a digit, from the unambiguous alphabet only', () => {
    for (const password of samples) {
      expect(password).toHaveLength(GENERATED_PASSWORD_LENGTH);
      expect(password).toMatch(/[a-z]/);
      expect(password).toMatch(/[A-Z]/);
      expect(password).toMatch(/[0-9]/);
      expect(password).toMatch(/^[a-km-zA-HJ-NP-Z2-9]+$/);
    }
  });

  it('should never repeat itself and use the whole alphabet', () => {
    expect(new Set(samples).size).toBe(samples.length);
    // 500 × 16 draws from 57 symbols: every symbol turns up (a missing one would mean a bias).
    expect(new Set(samples.join('')).size).toBe(57);
  });

  it('should refuse a length outside the policy', () => {
    expect(() => generatePassword(6)).toThrow(RangeError);
    expect(() => generatePassword(129)).toThrow(RangeError);
    expect(generatePassword(7)).toHaveLength(7);
  });
});
