import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { ProfileAccessService } from '../profiles/profile-access.service';
import { toProfileResponse } from '../profiles/profile.mapper';
import { profileColumns, ProfileRow } from '../profiles/profile-row';
import { DuplicateSignal, PossibleDuplicateDto } from './dto/possible-duplicate.dto';

/** How strongly each signal alone says "the same person". */
const SIGNAL_WEIGHTS: Record<DuplicateSignal, number> = {
  EMAIL: 0.9,
  TELEPHONE_NUMBER: 0.8,
  NAME_AND_DATE_OF_BIRTH: 0.9,
};

/** Below this trigram similarity two names with one date of birth are not taken as one person. */
export const NAME_SIMILARITY_THRESHOLD = 0.4;

interface SignalRow {
  customer_number: string;
  signal: DuplicateSignal;
  strength: number;
}

/**
 * Profiles of the same organisation that are likely the same person as a given one. Each signal is
 * one index probe (e-mail, E.164 telephone number, date of birth), so the cost does not grow with
 * the organisation; names are compared with pg_trgm only among profiles born the same day.
 */
@Injectable()
export class PossibleDuplicatesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: ProfileAccessService,
    private readonly clock: Clock,
  ) {}

  async find(
    organisationId: number,
    customerNumber: number,
    limit: number,
  ): Promise<PossibleDuplicateDto[]> {
    await this.access.require(organisationId, customerNumber);
    const now = this.clock.now();
    // Each branch names the organisation itself (a CTE used four times would be materialised
    // whole), so every probe is an index scan of one key.
    const others = `p.organisation_id = $1 AND p.customer_number <> $2
      AND (p.expires_at IS NULL OR p.expires_at > $3)`;
    const signals: SignalRow[] = await this.dataSource.query(
      `WITH me AS MATERIALIZED (
         SELECT lower(email) AS email, telephone_number, date_of_birth,
                lower(concat_ws(' ', first_name, surname)) AS full_name
           FROM profiles WHERE organisation_id = $1 AND customer_number = $2)
       SELECT p.customer_number::text AS customer_number, 'EMAIL' AS signal, 1::float8 AS strength
         FROM profiles p, me
        WHERE ${others} AND lower(p.email) = me.email AND p.profile_type <> 'T'
       UNION ALL
       SELECT p.customer_number::text, 'EMAIL', 1
         FROM profiles p, me
        WHERE ${others} AND lower(p.email) = me.email AND p.profile_type = 'T'
       UNION ALL
       SELECT p.customer_number::text, 'TELEPHONE_NUMBER', 1
         FROM profiles p, me
        WHERE ${others} AND p.telephone_number = me.telephone_number
       UNION ALL
       SELECT named.customer_number::text, 'NAME_AND_DATE_OF_BIRTH', named.similarity
         FROM (SELECT p.customer_number,
                      similarity(lower(concat_ws(' ', p.first_name, p.surname)), me.full_name)::float8
                        AS similarity
                 FROM profiles p, me
                WHERE ${others} AND p.date_of_birth = me.date_of_birth) named
        WHERE named.similarity >= $4`,
      [organisationId, customerNumber, now, NAME_SIMILARITY_THRESHOLD],
    );
    const ranked = rank(signals).slice(0, limit);
    if (!ranked.length) {
      return [];
    }
    const rows: ProfileRow[] = await this.dataSource.query(
      `SELECT ${profileColumns('p')} FROM profiles p
        WHERE p.organisation_id = $1 AND p.customer_number = ANY($2::bigint[])`,
      [organisationId, ranked.map((r) => r.customerNumber)],
    );
    const byNumber = new Map(rows.map((row) => [row.customer_number, row]));
    return ranked
      .filter((r) => byNumber.has(r.customerNumber))
      .map((r) => ({
        score: r.score,
        signals: r.signals,
        nameSimilarity: r.nameSimilarity,
        profile: toProfileResponse(byNumber.get(r.customerNumber)!),
      }));
  }
}

interface Ranked {
  customerNumber: string;
  score: number;
  signals: DuplicateSignal[];
  nameSimilarity: number | null;
}

/**
 * One entry per candidate, signals combined as independent evidence (1 − Π(1 − weight × strength)),
 * best first; ties go to the older profile, which is the likelier survivor of a merge.
 */
export function rank(signals: SignalRow[]): Ranked[] {
  const candidates = new Map<string, Ranked & { miss: number }>();
  for (const { customer_number: customerNumber, signal, strength } of signals) {
    const entry = candidates.get(customerNumber) ?? {
      customerNumber,
      score: 0,
      signals: [],
      nameSimilarity: null,
      miss: 1,
    };
    if (!entry.signals.includes(signal)) {
      entry.signals.push(signal);
      entry.miss *= 1 - SIGNAL_WEIGHTS[signal] * Number(strength);
    }
    if (signal === 'NAME_AND_DATE_OF_BIRTH') {
      entry.nameSimilarity = round(Number(strength));
    }
    candidates.set(customerNumber, entry);
  }
  return [...candidates.values()]
    .map(({ miss, ...entry }) => ({
      ...entry,
      score: round(1 - miss),
      signals: entry.signals.sort(),
    }))
    .sort(
      (a, b) => b.score - a.score || (BigInt(a.customerNumber) < BigInt(b.customerNumber) ? -1 : 1),
    );
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
