import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

type Row = Record<string, any>;

/** One definition of the preference catalogue, as stored. */
export interface PreferenceDefinition {
  id: number;
  preferenceCode: string;
  preferenceType: string;
  preferenceDescription: string | null;
  isActive: boolean;
  version: number;
  createdAt: Date;
  changedAt: Date;
}

/** The fields a create or a replace sets. */
export interface PreferenceDefinitionFields {
  preferenceCode: string;
  preferenceType: string;
  preferenceDescription: string | null;
  isActive: boolean;
}

const COLUMNS = `id, preference_code, preference_type, preference_description, is_active, version,
  created_at, changed_at`;

/**
 * SQL of the preference catalogue (table preference_definitions). The catalogue is platform data
 * shared by every organisation, so no method takes an organisation; `isCodeInUse` reads the
 * customers' preferences of all organisations on purpose, through ix_preferences_preference_code.
 */
@Injectable()
export class PreferenceDefinitionsRepository {
  async list(m: EntityManager, isActive?: boolean): Promise<PreferenceDefinition[]> {
    const rows: Row[] =
      isActive === undefined
        ? await m.query(`SELECT ${COLUMNS} FROM preference_definitions ORDER BY id`)
        : await m.query(
            `SELECT ${COLUMNS} FROM preference_definitions WHERE is_active = $1 ORDER BY id`,
            [isActive],
          );
    return rows.map(toDefinition);
  }

  async findById(
    m: EntityManager,
    id: number,
    forUpdate = false,
  ): Promise<PreferenceDefinition | null> {
    const rows: Row[] = await m.query(
      `SELECT ${COLUMNS} FROM preference_definitions WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return rows.length ? toDefinition(rows[0]) : null;
  }

  /**
   * The definition of a code, share-locked until the caller's transaction ends, so it cannot be
   * deactivated, renamed or deleted while a customer's preference is written with its code.
   */
  async findByCodeForShare(m: EntityManager, code: string): Promise<PreferenceDefinition | null> {
    const rows: Row[] = await m.query(
      `SELECT ${COLUMNS} FROM preference_definitions WHERE preference_code = $1 FOR SHARE`,
      [code],
    );
    return rows.length ? toDefinition(rows[0]) : null;
  }

  async insert(
    m: EntityManager,
    fields: PreferenceDefinitionFields,
    now: Date,
  ): Promise<PreferenceDefinition> {
    const rows: Row[] = await m.query(
      `INSERT INTO preference_definitions
         (preference_code, preference_type, preference_description, is_active, version,
          created_at, changed_at)
       VALUES ($1, $2, $3, $4, 1, $5, $5)
       RETURNING ${COLUMNS}`,
      [
        fields.preferenceCode,
        fields.preferenceType,
        fields.preferenceDescription,
        fields.isActive,
        now,
      ],
    );
    return toDefinition(rows[0]);
  }

  async replace(
    m: EntityManager,
    id: number,
    fields: PreferenceDefinitionFields,
    now: Date,
  ): Promise<PreferenceDefinition> {
    const result: [Row[], number] = await m.query(
      `UPDATE preference_definitions
          SET preference_code = $2, preference_type = $3, preference_description = $4,
              is_active = $5, version = version + 1, changed_at = $6
        WHERE id = $1
        RETURNING ${COLUMNS}`,
      [
        id,
        fields.preferenceCode,
        fields.preferenceType,
        fields.preferenceDescription,
        fields.isActive,
        now,
      ],
    );
    return toDefinition(result[0][0]);
  }

  async delete(m: EntityManager, id: number): Promise<void> {
    await m.query(`DELETE FROM preference_definitions WHERE id = $1`, [id]);
  }

  /** Whether any customer of any organisation has a preference with the code. */
  async isCodeInUse(m: EntityManager, code: string): Promise<boolean> {
    const rows: Row[] = await m.query(
      `SELECT EXISTS (SELECT 1 FROM preferences WHERE preference_code = $1) AS used`,
      [code],
    );
    return rows[0].used === true;
  }
}

function toDefinition(row: Row): PreferenceDefinition {
  return {
    id: Number(row.id),
    preferenceCode: row.preference_code,
    preferenceType: row.preference_type,
    preferenceDescription: row.preference_description,
    isActive: row.is_active,
    version: row.version,
    createdAt: new Date(row.created_at),
    changedAt: new Date(row.changed_at),
  };
}
