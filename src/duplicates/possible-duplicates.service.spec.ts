import { rank } from './possible-duplicates.service';

describe('rank', () => {
  it('should combine the signals of one candidate as independent evidence', () => {
    const [only] = rank([
      { customer_number: '7', signal: 'TELEPHONE_NUMBER', strength: 1 },
      { customer_number: '7', signal: 'NAME_AND_DATE_OF_BIRTH', strength: 0.5 },
    ]);
    // 1 − (1 − 0.8)(1 − 0.9 × 0.5)
    expect(only).toEqual({
      customerNumber: '7',
      score: 0.89,
      signals: ['NAME_AND_DATE_OF_BIRTH', 'TELEPHONE_NUMBER'],
      nameSimilarity: 0.5,
    });
  });

  it('should count a signal found twice once (an address both permanent and temporary)', () => {
    const [only] = rank([
      { customer_number: '7', signal: 'EMAIL', strength: 1 },
      { customer_number: '7', signal: 'EMAIL', strength: 1 },
    ]);
    expect(only).toMatchObject({ score: 0.9, signals: ['EMAIL'], nameSimilarity: null });
  });

  it('should put the best first and, on a tie, the older customer number', () => {
    const ranked = rank([
      { customer_number: '30', signal: 'TELEPHONE_NUMBER', strength: 1 },
      { customer_number: '20', signal: 'TELEPHONE_NUMBER', strength: 1 },
      { customer_number: '100', signal: 'EMAIL', strength: 1 },
    ]);
    expect(ranked.map((r) => r.customerNumber)).toEqual(['100', '20', '30']);
  });

  it('should find nothing in no signals', () => {
    expect(rank([])).toEqual([]);
  });
});
