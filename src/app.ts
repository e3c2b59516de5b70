/** Wires configuration, the database, repositories and services once per process. */
import { ApiKeyService } from './auth/api-key.service';
import type { Config } from './config';
import { Database } from './db/database';
import type { Repositories } from './loaders';
import { ApiKeyRepository } from './repositories/api-key.repository';
import { CategoryRepository } from './repositories/category.repository';
import { InteractionRepository } from './repositories/interaction.repository';
import { ProductRepository } from './repositories/product.repository';
import { UserRepository } from './repositories/user.repository';
import { CatalogService } from './services/catalog.service';
import { InteractionService } from './services/interaction.service';
import { UserService } from './services/user.service';

export interface Services {
  config: Config;
  db: Database;
  repositories: Repositories;
  apiKeys: ApiKeyService;
  catalog: CatalogService;
  interactions: InteractionService;
  users: UserService;
}

export function createServices(config: Config, db = new Database(config.neo4j)): Services {
  const repositories: Repositories = {
    users: new UserRepository(db),
    products: new ProductRepository(db),
    categories: new CategoryRepository(db),
    interactions: new InteractionRepository(db),
  };
  return {
    config,
    db,
    repositories,
    apiKeys: new ApiKeyService(new ApiKeyRepository(db), config.auth.keyCacheMs),
    catalog: new CatalogService(repositories.products, repositories.categories, repositories.users, config.graphql.maxPageSize),
    interactions: new InteractionService(repositories.interactions, repositories.products, config.graphql.maxEventBatch),
    users: new UserService(config.graphql.maxPageSize),
  };
}
