/** A D1 binding that counts its round trips: each statement run is one, and so is each batch. */
const RUNS = new Set(['first', 'all', 'run', 'raw']);

export function countingD1(db: D1Database) {
  let trips = 0;
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
            return value.apply(target, args);
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
        return (statements: D1PreparedStatement[]) => {
          trips++;
          return value.call(
            target,
            statements.map((stmt) => originals.get(stmt) ?? stmt),
          );
        };
      return value.bind(target);
    },
  });
  return { binding, trips: () => trips };
}
