// What every service's TypeORM read models share; each service keeps its entities, migrations, projections and queries.
export * from './case-placements';
export * from './case-segments';
export * from './data-source';
export * from './integers';
export * from './paging';
export * from './query-input';
export * from './schema';
export * from './stream-guards';
export * from './stream-positions';
export * from './transactions';
