/** The worker's bindings and per-request variables, typed once for every route. */
import type { Db } from './db/client';

export interface AppEnv {
  Bindings: Env;
  /** `department`: set on department routes, from the key that called. */
  Variables: { db: Db; department: string };
}
