import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock/clock';
import { ProfileAccessService } from '../profiles/profile-access.service';
import { toProfileResponse } from '../profiles/profile.mapper';
import { ProfilesRepository } from '../profiles/profiles.repository';
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
 * the organisation; names are compared with pg_trgm only among profiles born the same day. The
 * signals are weighed and ranked here.
 */
@Injectable()
export class PossibleDuplicatesService {
  constructor(
    private readonly profiles: ProfilesRepository,
    private readonly access: ProfileAccessService,
    private readonly clock: Clock,
  ) {}

  async find(
    organisationId: number,
    customerNumber: number,
    limit: number,
  ): Promise<PossibleDuplicateDto[]> {
    await this.access.require(organisationId, customerNumber);
    const signals = await this.profiles.findDuplicateSignals(
      organisationId,
      customerNumber,
      this.clock.now(),
      NAME_SIMILARITY_THRESHOLD,
    );
    const ranked = rank(signals).slice(0, limit);
    if (!ranked.length) {
      return [];
    }
    const rows = await this.profiles.findByCustomerNumbers(
      organisationId,
      ranked.map((r) => r.customerNumber),
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
