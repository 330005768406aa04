import { Type as NestType } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import { ApiInteger } from './api-integer';

/** `"true"`/`"false"` query strings to booleans; anything else stays as is and fails IsBoolean. */
export const toBoolean = ({ value }: { value: unknown }) => (value === 'true' || value === true ? true : value === 'false' || value === false ? false : value);

/**
 * A query string as a number only when it is a plain decimal (`2`, `-1`, `2.5`, `.5`): `Number()` alone
 * takes '' and ' ' for 0, '0x10' for 16 and '1e1' for 10. Anything else becomes NaN, which IsInt and
 * IsNumber refuse (400 naming the parameter).
 */
export const toPlainNumber = ({ value }: { value: unknown }) =>
  typeof value !== 'string' ? value : /^-?(\d+(\.\d*)?|\.\d+)$/.test(value) ? Number(value) : Number.NaN;

export class PageQueryDto {
  @ApiInteger({ optional: true, minimum: 1, maximum: 500, default: 50 })
  @IsOptional()
  @Transform(toPlainNumber)
  @IsInt()
  @Min(1)
  @Max(500)
  limit: number = 50;

  @ApiInteger({ optional: true, minimum: 0, maximum: 1_000_000_000, default: 0 })
  @IsOptional()
  @Transform(toPlainNumber)
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  offset: number = 0;
}

/** Paging plus the two visibility switches every configuration list has (API.md §1 Lists). */
export class ConfigListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Also list inactive rows', default: false })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  include_inactive: boolean = false;

  @ApiPropertyOptional({ description: 'Also list soft-deleted rows (admin only)', default: false })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  include_deleted: boolean = false;

  @ApiPropertyOptional({ description: 'Only active (true) or only inactive (false) rows' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  is_active?: boolean;
}

export interface ListResponse<T> {
  data: T[];
  total: number;
  limit: number;
  offset: number;
}

export const toListResponse = <E, T>([rows, total]: [E[], number], page: { limit: number; offset: number }, map: (row: E) => T): ListResponse<T> => ({
  data: rows.map(map),
  total,
  limit: page.limit,
  offset: page.offset,
});

const listDtoCache = new Map<NestType<unknown>, NestType<unknown>>();

/** Swagger schema for `{ data: T[], total, limit, offset }`, one named class per item type. */
export function ListResponseDto<T>(item: NestType<T>): NestType<ListResponse<T>> {
  const cached = listDtoCache.get(item);
  if (cached) return cached as NestType<ListResponse<T>>;
  class ListOf {
    @ApiProperty({ type: [item] })
    data: T[];
    @ApiInteger({ example: 1 })
    total: number;
    @ApiInteger({ example: 50 })
    limit: number;
    @ApiInteger({ example: 0 })
    offset: number;
  }
  Object.defineProperty(ListOf, 'name', { value: `${item.name.replace(/Dto$/, '')}ListDto` });
  listDtoCache.set(item, ListOf);
  return ListOf;
}
