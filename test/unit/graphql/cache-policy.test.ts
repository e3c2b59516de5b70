import { buildSchema, parse } from 'graphql';
import { cachePolicyOf } from '../../../src/graphql/cache-policy';

const schema = buildSchema(`
  directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION
  enum CacheControlScope { PUBLIC PRIVATE }
  type Query {
    product(id: ID!): Product
    products: ProductConnection!
    me: User
    count: Int
    pinned: Product @cacheControl(maxAge: 10)
    mine: Product @cacheControl(scope: PRIVATE)
  }
  type Mutation { touch: Int }
  type Product @cacheControl(maxAge: 60, scope: PUBLIC) { id: ID! title: String! related: [Product!]! owner: User }
  type ProductConnection { edges: [Product!]! pageInfo: PageInfo! }
  type PageInfo @cacheControl(inheritMaxAge: true) { hasNextPage: Boolean! }
  type User { id: ID! }
`);

const policy = (query: string) => cachePolicyOf(schema, parse(query));

describe('cachePolicyOf (Apollo cache-control rules, from the query alone)', () => {
  it('gives a hinted type its max-age and scope', () => {
    expect(policy('{ product(id: "1") { id title related { title } } }')).toEqual({ maxAge: 60, scope: 'PUBLIC' });
  });

  it('takes the least cacheable field: a field hint below the type, a private scope', () => {
    expect(policy('{ pinned { id } product(id: "1") { id } }')).toEqual({ maxAge: 10, scope: 'PUBLIC' });
    expect(policy('{ mine { id } }')).toEqual({ maxAge: 60, scope: 'PRIVATE' });
  });

  it('makes unhinted composite fields, root scalars and mutations uncacheable', () => {
    expect(policy('{ me { id } }')).toBeNull();
    expect(policy('{ product(id: "1") { owner { id } } }')).toBeNull();
    expect(policy('{ count }')).toBeNull();
    expect(policy('mutation { touch }')).toBeNull();
  });

  it('lets a type that inherits take its parent\'s policy, but not make an unhinted parent cacheable', () => {
    expect(policy('{ product(id: "1") { id } products { edges { id } } }')).toBeNull();
    const inherits = buildSchema(`
      directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION
      enum CacheControlScope { PUBLIC PRIVATE }
      type Query { products: ProductConnection! @cacheControl(maxAge: 30) }
      type Product @cacheControl(maxAge: 60) { id: ID! }
      type ProductConnection { edges: [Product!]! pageInfo: PageInfo! }
      type PageInfo @cacheControl(inheritMaxAge: true) { hasNextPage: Boolean! }
    `);
    expect(cachePolicyOf(inherits, parse('{ products { edges { id } pageInfo { hasNextPage } } }'))).toEqual({ maxAge: 30, scope: 'PUBLIC' });
  });

  it('counts fields reached through fragments and ignores __typename', () => {
    expect(policy('{ product(id: "1") { ...P __typename } } fragment P on Product { title owner { id } }')).toBeNull();
    expect(policy('{ product(id: "1") { ...P __typename } } fragment P on Product { title }')).toEqual({ maxAge: 60, scope: 'PUBLIC' });
  });
});
