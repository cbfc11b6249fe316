/**
 * A D1 binding that counts its round trips (each statement run is one, and so is each batch) and
 * the rows its `all`, `raw` and batched statements hand back to the worker.
 */
const RUNS = new Set(['first', 'all', 'run', 'raw']);
const ROWS = new Set(['all', 'raw']);

export function countingD1(db: D1Database) {
  let trips = 0;
  let rows = 0;
  const tally = <T>(result: T) => {
    rows += (Array.isArray(result) ? result : (result as D1Result).results).length;
    return result;
  };
  const originals = new WeakMap<object, D1PreparedStatement>();
  const statement = (stmt: D1PreparedStatement): D1PreparedStatement => {
    const proxy = new Proxy(stmt, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target);
        if (typeof value !== 'function') return value;
        if (prop === 'bind') return (...args: unknown[]) => statement(value.apply(target, args));
        if (RUNS.has(String(prop)))
          return (...args: unknown[]) => {
            trips++;
            const result = value.apply(target, args);
            return ROWS.has(String(prop)) ? result.then(tally) : result;
          };
        return value.bind(target);
      },
    });
    originals.set(proxy, stmt);
    return proxy;
  };
  const binding = new Proxy(db, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      if (prop === 'prepare') return (query: string) => statement(value.call(target, query));
      if (prop === 'batch')
        return async (statements: D1PreparedStatement[]) => {
          trips++;
          const results: D1Result[] = await value.call(
            target,
            statements.map((stmt) => originals.get(stmt) ?? stmt),
          );
          return results.map(tally);
        };
      return value.bind(target);
    },
  });
  return { binding, trips: () => trips, rows: () => rows };
}
