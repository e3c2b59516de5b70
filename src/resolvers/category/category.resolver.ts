import { Arg, Authorized, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import { NotFoundError } from '../../errors';
import { Category } from './category.type';

@Resolver(() => Category)
export class CategoryResolver {
  @Authorized()
  @Query(() => Category, { description: 'A category by id; NOT_FOUND if it does not exist.' })
  async category(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Category> {
    const category = await ctx.loaders.category.load(id);
    if (!category) throw new NotFoundError('Category', id);
    return category;
  }

  @Authorized()
  @Query(() => [Category], { description: 'All categories (at most 10,000), ordered by id.' })
  async categories(@Ctx() ctx: Context): Promise<Category[]> {
    return ctx.services.catalog.allCategories(10000);
  }
}
