import { Injectable } from '@nestjs/common';
import { SelectQueryBuilder } from 'typeorm';
import { CodedRepository } from '../common/config-resource/coded.repository';
import { containsPattern } from '../common/http/like';
import { ListLeadSourcesQueryDto } from './dto/lead-source.dto';
import { LeadSourceEntity } from './lead-source.entity';

@Injectable()
export class LeadSourceRepository extends CodedRepository<LeadSourceEntity> {
  protected readonly target = LeadSourceEntity;
  protected readonly alias = 'source';
  protected readonly codeProperty = 'sourceCode';
  protected readonly listOrder: [keyof LeadSourceEntity & string, 'ASC' | 'DESC'][] = [
    ['displayOrder', 'ASC'],
    ['sourceName', 'ASC'],
  ];

  protected override applyFilters(qb: SelectQueryBuilder<LeadSourceEntity>, q: ListLeadSourcesQueryDto): void {
    if (q.source_type) qb.andWhere('source.sourceType = :sourceType', { sourceType: q.source_type });
    if (q.search) {
      qb.andWhere("(source.sourceCode LIKE :pattern ESCAPE '!' OR source.sourceName LIKE :pattern ESCAPE '!')", {
        pattern: containsPattern(q.search),
      });
    }
  }
}
