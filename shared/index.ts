export * from './admin';
export * from './answers';
export * from './feedback';
export * from './help';
export * from './limits';
export * from './problems';
export * from './redact';
export * from './severity';
