import { CategoryResolver } from './category/category.resolver';
import { InteractionResolver } from './interaction/interaction.resolver';
import { ProductResolver } from './product/product.resolver';
import { UserResolver } from './user/user.resolver';

export const resolvers = [UserResolver, ProductResolver, CategoryResolver, InteractionResolver] as const;
