import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DatabaseError, PoolClient, QueryConfig } from 'pg';
import { DataSource, QueryFailedError } from 'typeorm';
import { DATABASE_SETTINGS } from './database.tokens';
import { DatabaseSettings } from '../config/database-settings';

/**
 * Hot read statements on a connection taken through the data source (a query runner, so TypeORM's
 * acquire, error handling and release apply), sent as pg query configs. With DATABASE_PREPARED_STATEMENTS on they
 * are named, so pg parses and plans them once per physical connection (pg tracks which connection
 * has which); off, they go unnamed, as a transaction-mode pooler (PgBouncer) needs.
 */
@Injectable()
export class PreparedStatements {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(DATABASE_SETTINGS) private readonly settings: DatabaseSettings,
  ) {}

  /** `name` undefined: this statement goes unnamed whatever the setting. */
  async query<T>(name: string | undefined, text: string, values: unknown[]): Promise<T[]> {
    const statement: QueryConfig =
      this.settings.preparedStatements && name !== undefined
        ? { name, text, values }
        : { text, values };
    const runner = this.dataSource.createQueryRunner();
    try {
      // TypeORM's query() takes text and values only; a named statement needs pg's query config.
      const client = (await runner.connect()) as PoolClient;
      return (await client.query(statement)).rows as T[];
    } catch (error) {
      // The same error type as every other statement's, so one mapping serves them all.
      throw error instanceof DatabaseError ? new QueryFailedError(text, values, error) : error;
    } finally {
      await runner.release();
    }
  }
}
