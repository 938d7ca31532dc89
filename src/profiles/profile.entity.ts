import { Column, Entity, PrimaryColumn } from 'typeorm';

export type ProfileType = 'S' | 'P' | 'T';
export type ProfileStatus = 'A' | 'P' | 'D';

/** A customer of one organisation: permanent (`S`, `P`) or temporary (`T`). */
@Entity({ name: 'profiles' })
export class Profile {
  @PrimaryColumn({ name: 'organisation_id', type: 'integer' }) organisationId: number;
  /** bigint arrives as a string from pg; customer numbers stay far below 2^53. */
  @PrimaryColumn({
    name: 'customer_number',
    type: 'bigint',
    transformer: {
      to: (v?: number) => v,
      from: (v: string | null) => (v === null ? null : Number(v)),
    },
  })
  customerNumber: number;
  @Column({ type: 'char', length: 32 }) uuid: string;
  @Column({ name: 'customer_ref', type: 'varchar', length: 40 }) customerRef: string;
  @Column({ name: 'profile_type', type: 'char', length: 1 }) profileType: ProfileType;
  @Column({ type: 'char', length: 1 }) status: ProfileStatus;
  @Column({ name: 'first_name', type: 'varchar', length: 100, nullable: true }) firstName:
    string | null;
  @Column({ type: 'varchar', length: 100, nullable: true }) surname: string | null;
  @Column({ type: 'varchar', length: 80, nullable: true }) email: string | null;
  @Column({ name: 'email_old', type: 'varchar', length: 80, nullable: true }) emailOld:
    string | null;
  @Column({ name: 'country_code', type: 'varchar', length: 4, nullable: true }) countryCode:
    string | null;
  @Column({ name: 'telephone_number_no_country_code', type: 'varchar', length: 20, nullable: true })
  telephoneNumberNoCountryCode: string | null;
  @Column({ name: 'telephone_number', type: 'varchar', length: 25, nullable: true })
  telephoneNumber: string | null;
  @Column({ name: 'landline_number', type: 'varchar', length: 25, nullable: true })
  landlineNumber: string | null;
  @Column({ name: 'date_of_birth', type: 'date', nullable: true }) dateOfBirth: string | null;
  @Column({ name: 'language_preference', type: 'varchar', length: 3, nullable: true })
  languagePreference: string | null;
  @Column({ name: 'vipps_id', type: 'varchar', length: 100, nullable: true }) vippsId:
    string | null;
  @Column({ name: 'invoice_organisation_id', type: 'varchar', length: 9, nullable: true })
  invoiceOrganisationId: string | null;
  /** argon2id; never mapped into a response or a log line. */
  @Column({ name: 'password_hash', type: 'text', nullable: true, select: false })
  passwordHash: string | null;
  @Column({ name: 'last_sign_in_from', type: 'varchar', length: 100, nullable: true })
  lastSignInFrom: string | null;
  @Column({ name: 'last_sign_in_at', type: 'timestamptz', nullable: true })
  lastSignInAt: Date | null;
  /** Temporary profiles: the last day (in TIME_ZONE) on which the profile exists. */
  @Column({ name: 'expiration_date', type: 'date', nullable: true }) expirationDate: string | null;
  /** Temporary profiles: the first instant at which the profile is gone (end of expirationDate). */
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true }) expiresAt: Date | null;
  /** Deactivated profiles: when the expiry job deletes them for good. */
  @Column({ name: 'purge_at', type: 'timestamptz', nullable: true }) purgeAt: Date | null;
  @Column({ type: 'integer' }) version: number;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'created_by', type: 'varchar', length: 100 }) createdBy: string;
  @Column({ name: 'created_by_channel', type: 'varchar', length: 100 }) createdByChannel: string;
  @Column({ name: 'changed_at', type: 'timestamptz' }) changedAt: Date;
  @Column({ name: 'changed_by', type: 'varchar', length: 100 }) changedBy: string;
  @Column({ name: 'changed_by_channel', type: 'varchar', length: 100 }) changedByChannel: string;
}
