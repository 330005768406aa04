import { Injectable } from '@nestjs/common';
import { SelectQueryBuilder } from 'typeorm';
import { CodedRepository } from '../config-resource/coded.repository';
import { containsPattern } from '../common/http/like';
import { textKey } from '../common/text/text-key';
import { ListLeadSourcesQueryDto } from './dto/lead-source.dto';
import { LeadSourceEntity } from './lead-source.entity';

@Injectable()
export class LeadSourceRepository extends CodedRepository<LeadSourceEntity> {
  protected readonly target = LeadSourceEntity;
  protected readonly alias = 'source';
  protected readonly codeProperty = 'sourceCode';
  protected readonly nameProperty = 'sourceName';

  /** Every live source, in list order (analytics include the ones with no leads). */
  findAllLive(): Promise<LeadSourceEntity[]> {
    return this.inListOrder(this.select()).getMany();
  }

  addLeadCounters(id: number, leads: number, converted: number): Promise<void> {
    return this.adjustCounters(id, { leadsGenerated: leads, conversionCount: converted });
  }

  protected override applyFilters(qb: SelectQueryBuilder<LeadSourceEntity>, q: ListLeadSourcesQueryDto): void {
    if (q.source_type) qb.andWhere('source.sourceType = :sourceType', { sourceType: q.source_type });
    if (q.search !== undefined) {
      // Case, accents and width ignored (docs/conventions.md, "Text, codes and order"): the needle is normalized like
      // the stored name key, and codes (A-Z, 0-9, _) are lower-cased the same way on both engines. A
      // needle that normalizes to nothing (spaces, lone accents) filters nothing.
      const needle = textKey(q.search);
      if (needle !== '') {
        qb.andWhere("(source.nameKey LIKE :pattern ESCAPE '!' OR LOWER(source.sourceCode) LIKE :pattern ESCAPE '!')", {
          pattern: containsPattern(needle),
        });
      }
    }
  }
}
