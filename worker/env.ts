/** The worker's bindings and per-request variables, typed once for every route. */
import type { Db } from './db/client';

export interface AppEnv {
  Bindings: Env;
  Variables: { db: Db };
}
