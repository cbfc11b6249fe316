/** The worker's bindings and per-request variables, typed once for every route. */
import type { Db } from './db/client';

export interface AppEnv {
  Bindings: Env;
  /**
   * `department` and `actor` (who is acting, for a story's history): set on department routes from
   * the key that called, and on console pages from the member's session.
   */
  Variables: { db: Db; department: string; actor: string };
}
