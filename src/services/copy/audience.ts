/**
 * Who copy is written for, read through the existing services: a segment's label and top
 * categories, or a user's interests (the profile's, by affinity) and their latest items' titles.
 * Product facts come from the copy repository, with the price as the catalogue writes it.
 */
import { NotFoundError } from '../../errors';
import type { CategoryRepository } from '../../repositories/category.repository';
import type { CopyRepository, ProductFactsRecord } from '../../repositories/copy.repository';
import type { InteractionRepository } from '../../repositories/interaction.repository';
import type { ProductRepository } from '../../repositories/product.repository';
import type { SegmentRepository } from '../../repositories/segment.repository';
import type { UserRepository } from '../../repositories/user.repository';
import type { ProfileService } from '../profile.service';
import { Audience, ProductFacts, shortTitleOf } from './copy-types';

const TOP_INTERESTS = 3;
const RECENT_TITLES = 3;

export interface AudienceRepositories {
  copy: CopyRepository;
  categories: CategoryRepository;
  segments: SegmentRepository;
  users: UserRepository;
  interactions: InteractionRepository;
  products: ProductRepository;
}

export function toProductFacts(row: ProductFactsRecord): ProductFacts {
  return {
    id: row.id,
    title: row.title,
    shortTitle: shortTitleOf(row.title),
    brand: row.brand || null,
    price: row.price === null || row.price === undefined ? null : `${row.price}${row.currency ? ` ${row.currency}` : ''}`,
    categories: [...new Set(row.categoryNames)].sort(),
    description: row.description,
    reviews: row.reviews,
  };
}

export class AudienceReader {
  constructor(
    private readonly repos: AudienceRepositories,
    private readonly profiles: ProfileService,
  ) {}

  async products(ids: readonly string[]): Promise<ProductFacts[]> {
    const rows = await this.repos.copy.productFacts(ids);
    const byId = new Map(rows.map((r) => [r.id, toProductFacts(r)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  async product(id: string): Promise<ProductFacts> {
    const [product] = await this.products([id]);
    if (!product) throw new NotFoundError('Product', id);
    return product;
  }

  async segment(id: string): Promise<Audience> {
    const [segment] = await this.repos.segments.findByIds([id]);
    if (!segment) throw new NotFoundError('Segment', id);
    const categories = await this.repos.categories.findByIds(segment.topCategoryIds.slice(0, TOP_INTERESTS));
    return { kind: 'SEGMENT', id, label: segment.label, interests: categories.map((c) => c.name), recentTitles: [] };
  }

  async user(id: string): Promise<Audience> {
    const [user] = await this.repos.users.findByIds([id]);
    if (!user) throw new NotFoundError('User', id);
    const events = await this.repos.interactions.eventsOfUsers([id]);
    const profile = await this.profiles.profile(id, events);
    const categoryIds = profile.interests.slice(0, TOP_INTERESTS).map((i) => i.categoryId);
    const categories = await this.repos.categories.findByIds(categoryIds);
    const names = new Map(categories.map((c) => [c.id, c.name]));
    const recentIds = [...new Set(events.map((e) => e.productId))].slice(0, RECENT_TITLES);
    const recent = await this.repos.products.findByIds(recentIds);
    return {
      kind: 'USER',
      id,
      label: null,
      interests: categoryIds.flatMap((c) => names.get(c) ?? []),
      recentTitles: recent.map((p) => p.title),
    };
  }
}
