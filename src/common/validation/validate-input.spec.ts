import { IsInt, IsOptional, Min } from 'class-validator';
import { AppError } from '../errors/app-error';
import { IsCode } from './decorators';
import { markValidated, validateCode, validateId, validateInput } from './validate-input';

class ThingDto {
  @IsCode()
  thing_code: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  limit: number = 50;
}

const refusal = (work: () => unknown): AppError => {
  try {
    work();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error('nothing was thrown');
};

describe('validateInput', () => {
  it('answers an instance with the defaults of the class', () => {
    const thing = validateInput(ThingDto, { thing_code: 'A_1' });
    expect(thing).toBeInstanceOf(ThingDto);
    expect(thing).toEqual(Object.assign(new ThingDto(), { thing_code: 'A_1', limit: 50 }));
  });

  it('refuses bad and unknown fields with field errors, as the global pipe does', () => {
    const error = refusal(() => validateInput(ThingDto, { thing_code: 'a', limit: 0, extra: true }));
    expect(error.getStatus()).toBe(400);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.errors!.map((e) => e.field).sort()).toEqual(['extra', 'limit', 'thing_code']);
    expect(error.errors!.find((e) => e.field === 'extra')!.message).toBe('unknown field extra');
    expect(error.detail).toContain('limit: limit must not be less than 1');
  });

  it('validates an instance the caller built, and lets a marked one through untouched', () => {
    const built = Object.assign(new ThingDto(), { thing_code: 'lower' });
    expect(refusal(() => validateInput(ThingDto, built)).errors).toEqual([expect.objectContaining({ field: 'thing_code' })]);
    const marked = markValidated(Object.assign(new ThingDto(), { thing_code: 'A' }));
    expect(validateInput(ThingDto, marked)).toBe(marked);
    // A marked object of another class is validated like any other value.
    expect(() => validateInput(ThingDto, markValidated({ thing_code: 'a' }))).toThrow(AppError);
  });

  it('refuses what is not an object', () => {
    for (const value of [null, 'x', 3, [{ thing_code: 'A' }]]) expect(refusal(() => validateInput(ThingDto, value)).getStatus()).toBe(400);
  });
});

describe('validateId and validateCode', () => {
  it('take what the path parameters take and answer 404 for anything else', () => {
    expect(validateId(42, 'lead')).toBe(42);
    expect(validateId('42', 'lead')).toBe(42);
    for (const id of [0, -1, 1.5, 2 ** 31, NaN, '0x10', ' 1', [1], { id: 1 }, null, undefined]) {
      const error = refusal(() => validateId(id, 'lead'));
      expect([error.getStatus(), error.code]).toEqual([404, 'NOT_FOUND']);
    }
    expect(validateCode('WEBSITE')).toBe('WEBSITE');
    for (const code of ['website', '', 'A B', ['WEBSITE'], 7, undefined]) expect(refusal(() => validateCode(code)).getStatus()).toBe(404);
  });
});
