import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DatabaseError, Pool, QueryConfig } from 'pg';
import { DataSource, QueryFailedError } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { DATABASE_SETTINGS } from './database.tokens';
import { DatabaseSettings } from './database-settings';

/**
 * Hot read statements sent straight to the driver's pool. With DATABASE_PREPARED_STATEMENTS on they
 * are named, so pg parses and plans them once per physical connection (pg tracks which connection
 * has which); off, they go unnamed, as a transaction-mode pooler (PgBouncer) needs.
 */
@Injectable()
export class PreparedStatements {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(DATABASE_SETTINGS) private readonly settings: DatabaseSettings,
  ) {}

  async query<T>(name: string, text: string, values: unknown[]): Promise<T[]> {
    const pool = (this.dataSource.driver as PostgresDriver).master as Pool;
    const statement: QueryConfig = this.settings.preparedStatements
      ? { name, text, values }
      : { text, values };
    try {
      return (await pool.query(statement)).rows as T[];
    } catch (error) {
      // The same error type as every other statement's, so one mapping serves them all.
      throw error instanceof DatabaseError ? new QueryFailedError(text, values, error) : error;
    }
  }
}
