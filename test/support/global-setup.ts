/** Applies migrations once to the test database before any suite runs. */
import { migrate, testServices } from './runtime';

export default async function globalSetup(): Promise<void> {
  const services = testServices();
  try {
    await migrate(services);
  } finally {
    await services.db.close();
  }
}
