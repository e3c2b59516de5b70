/**
 * HTTP cache hints (Apollo's cache-control plugin): catalogue types may be cached by a CDN or browser
 * for CATALOGUE_MAX_AGE_S; anything else, personal data above all, carries no hint, so a response
 * that touches it is `cache-control: no-store`. A response is cacheable only when every field in it is.
 */
import { GraphQLDirective, GraphQLEnumType, GraphQLBoolean, GraphQLInt, DirectiveLocation } from 'graphql';
import { Directive } from 'type-graphql';

export const CATALOGUE_MAX_AGE_S = 60;

/** The directive Apollo reads hints from; declared so the schema that carries it is valid SDL. */
export const cacheControlDirective = new GraphQLDirective({
  name: 'cacheControl',
  description: 'HTTP caching hint read by the server (Apollo cache-control): how long a response holding this type or field may be cached.',
  locations: [DirectiveLocation.FIELD_DEFINITION, DirectiveLocation.OBJECT, DirectiveLocation.INTERFACE, DirectiveLocation.UNION],
  args: {
    maxAge: { type: GraphQLInt },
    scope: { type: new GraphQLEnumType({ name: 'CacheControlScope', values: { PUBLIC: {}, PRIVATE: {} } }) },
    inheritMaxAge: { type: GraphQLBoolean },
  },
});

/** On a catalogue type: the same for every caller, so any cache may keep it for CATALOGUE_MAX_AGE_S. */
export const CatalogueCacheHint = (): ClassDecorator => Directive(`@cacheControl(maxAge: ${CATALOGUE_MAX_AGE_S}, scope: PUBLIC)`) as ClassDecorator;

/** On a type shared by catalogue and personal data (PageInfo): cacheable exactly as its parent is. */
export const InheritCacheHint = (): ClassDecorator => Directive('@cacheControl(inheritMaxAge: true)') as ClassDecorator;
