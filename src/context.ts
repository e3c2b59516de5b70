/** The per-request context: who calls, their DataLoaders, and the services (Apollo template style). */
import type { Principal } from './auth/roles';
import type { Services } from './app';
import { Loaders } from './loaders';

export interface Context {
  principal: Principal | null;
  loaders: Loaders;
  services: Services;
}

export function createContext(services: Services, principal: Principal | null): Context {
  return { principal, services, loaders: new Loaders(services.repositories, services.catalog) };
}
