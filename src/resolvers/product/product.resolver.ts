import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';

import { NotFoundError } from '../../errors';
import { Category } from '../category/category.type';
import { toConnection } from '../common/connection';
import { ConnectionArgs } from '../common/list.args';
import { selectionOf } from '../common/selection';
import { productSelection } from './product-selection';
import { CategoryInput, ProductFilter, ProductInput } from './product.input';
import { Product, ProductConnection } from './product.type';

@Resolver(() => Product)
export class ProductResolver {
  @Authorized()
  @Query(() => Product, { description: 'A product by id; NOT_FOUND if it does not exist.' })
  async product(@Arg('id', () => ID) id: string, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<Product> {
    const product = await ctx.loaders.productsWith(productSelection(selectionOf(info))).load(id);
    if (!product) throw new NotFoundError('Product', id);
    return product;
  }

  @Authorized()
  @Query(() => ProductConnection, { description: 'Products ordered by id, filtered, one page at a time.' })
  async products(
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
    @Arg('filter', () => ProductFilter, { nullable: true }) filter: ProductFilter | null | undefined,
    @Args(() => ConnectionArgs) { first, after }: ConnectionArgs,
  ): Promise<ProductConnection> {
    const page = await ctx.services.catalog.productPage(
      {
        categoryIds: filter?.categoryIds ?? null,
        minPrice: filter?.minPrice ?? null,
        maxPrice: filter?.maxPrice ?? null,
        inStock: filter?.inStock ?? null,
        brand: filter?.brand ?? null,
        titleContains: filter?.titleContains ?? null,
      },
      first,
      after,
      productSelection(selectionOf(info).path('edges', 'node')),
    );
    return toConnection(page, (row) => row);
  }

  @FieldResolver(() => [Category], { description: 'Categories the product is directly in.' })
  async categories(@Root() product: Product, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<Category[]> {
    // Read with the product when the selection that loaded it asked for them.
    return product.categories ?? ctx.loaders.categoriesOfProduct(selectionOf(info).has('parentId')).load(product.id);
  }

  @Authorized('admin')
  @Mutation(() => Int, { description: 'Creates or updates products (and categories); returns how many products were written. Admin only.' })
  async upsertProducts(
    @Arg('products', () => [ProductInput]) products: ProductInput[],
    @Arg('categories', () => [CategoryInput], { nullable: true }) categories: CategoryInput[] | null,
    @Ctx() ctx: Context,
  ): Promise<number> {
    return ctx.services.catalog.upsertProducts(
      products.map((p) => ({
        id: p.id,
        title: p.title,
        description: p.description ?? undefined,
        price: p.price ?? undefined,
        currency: p.currency ?? undefined,
        brand: p.brand ?? undefined,
        inStock: p.inStock ?? true,
        categoryIds: p.categoryIds,
      })),
      (categories ?? []).map((c) => ({ id: c.id, name: c.name, parentId: c.parentId ?? undefined })),
    );
  }
}
