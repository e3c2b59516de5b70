/**
 * What a partner program allows, as the recommendation pipeline's filter stage (programStage: in
 * stock, allowed categories and products, none denied). Partner recommendations add the stage to
 * their pipeline; generated copy asks whether one product passes it, through the same Cypher filter
 * the candidate sources apply, so both answer alike.
 */
import type { ProductRepository } from '../../repositories/product.repository';
import { composeFilter, FilterStage, programStage, ProgramRules } from '../recommendation/filters';
import type { PartnerService } from './partner.service';
import type { Program } from './program';

export class ProgramFilter {
  /** Program rules with categories expanded to their subcategories, per program version. */
  private readonly rules = new Map<string, Promise<ProgramRules>>();

  constructor(
    private readonly partners: PartnerService,
    private readonly products: ProductRepository,
  ) {}

  async stage(program: Program): Promise<FilterStage> {
    return programStage(await this.programRules(program));
  }

  /** The products among `productIds` the program allows now (unknown ids are not allowed). */
  async allowed(program: Program, productIds: string[]): Promise<string[]> {
    return this.products.allowedIds(productIds, composeFilter([await this.stage(program)]));
  }

  private programRules(program: Program): Promise<ProgramRules> {
    const key = `${program.partnerId}:${program.version}`;
    let rules = this.rules.get(key);
    if (!rules) {
      rules = (async () => ({
        categoryIds: program.allowCategoryIds === null ? null : await this.partners.categoryClosure(program.allowCategoryIds),
        productIds: program.allowProductIds,
        denyProductIds: program.denyProductIds,
      }))();
      rules.catch(() => this.rules.delete(key));
      this.rules.set(key, rules);
    }
    return rules;
  }
}
