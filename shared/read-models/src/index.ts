// What every service's TypeORM read models share; each service keeps its entities, migrations, projections and queries.
export * from './data-source';
export * from './integers';
export * from './schema';
