import { Type } from 'class-transformer';
import { IsInt, Min, ValidateNested, ValidationError } from 'class-validator';
import { AppError } from '../errors/app-error';
import { IsCode } from './decorators';
import { createValidationPipe, flattenValidationErrors } from './validation.pipe';

const error = (property: string, constraints?: Record<string, string>, children: ValidationError[] = []): ValidationError =>
  Object.assign(new ValidationError(), { property, constraints, children });

describe('flattenValidationErrors', () => {
  it('names top-level fields and keeps every message', () => {
    expect(
      flattenValidationErrors([
        error('source_code', { matches: 'source_code must match ^[A-Z][A-Z0-9_]{0,49}$', isString: 'source_code must be a string' }),
        error('source_name', { isLength: 'source_name must be shorter than or equal to 100 characters' }),
      ]),
    ).toEqual([
      { field: 'source_code', message: 'source_code must match ^[A-Z][A-Z0-9_]{0,49}$' },
      { field: 'source_code', message: 'source_code must be a string' },
      { field: 'source_name', message: 'source_name must be shorter than or equal to 100 characters' },
    ]);
  });

  it('names nested fields with dots and array items with brackets', () => {
    const nested = error('channels', undefined, [
      error('0', undefined, [error('channel_code', { matches: 'bad code' })]),
      error('2', undefined, [error('allocated_budget', { min: 'must not be less than 0' })]),
    ]);
    const deeper = error('target_audience', undefined, [error('region', undefined, [error('name', { isString: 'not a string' })])]);
    expect(flattenValidationErrors([nested, deeper])).toEqual([
      { field: 'channels[0].channel_code', message: 'bad code' },
      { field: 'channels[2].allocated_budget', message: 'must not be less than 0' },
      { field: 'target_audience.region.name', message: 'not a string' },
    ]);
  });

  it('rewords unknown fields', () => {
    expect(flattenValidationErrors([error('is_admin', { whitelistValidation: 'property is_admin should not exist' })])).toEqual([
      { field: 'is_admin', message: 'unknown field is_admin' },
    ]);
  });

  it('answers nothing for no errors', () => {
    expect(flattenValidationErrors([])).toEqual([]);
  });
});

class ChannelDto {
  @IsCode()
  channel_code: string;
  @IsInt()
  @Min(0)
  allocated_budget: number;
}
class CampaignDto {
  @IsCode()
  campaign_code: string;
  @ValidateNested({ each: true })
  @Type(() => ChannelDto)
  channels: ChannelDto[];
}

describe('the global validation pipe', () => {
  const pipe = createValidationPipe();
  const validate = async (body: unknown) => {
    try {
      await pipe.transform(body, { type: 'body', metatype: CampaignDto });
    } catch (e) {
      return e;
    }
    return undefined;
  };

  it('answers VALIDATION_FAILED naming every bad field, nested ones and unknown ones', async () => {
    const thrown = (await validate({
      campaign_code: 'spring',
      channels: [{ channel_code: 'EMAIL', allocated_budget: -1 }],
      owner: 'mallory',
    })) as AppError;
    expect(thrown).toBeInstanceOf(AppError);
    expect(thrown.code).toBe('VALIDATION_FAILED');
    expect(thrown.errors!.map((e) => e.field).sort()).toEqual(['campaign_code', 'channels[0].allocated_budget', 'owner']);
    expect(thrown.errors!.find((e) => e.field === 'owner')!.message).toBe('unknown field owner');
  });

  it('lets a valid body through', async () => {
    expect(await validate({ campaign_code: 'SPRING', channels: [{ channel_code: 'EMAIL', allocated_budget: 5 }] })).toBeUndefined();
  });
});
