import { crossesAnalyzeThreshold } from './import-worker';

describe('crossesAnalyzeThreshold', () => {
  it('should ask for fresh statistics at 5,000 created profiles and at every doubling after', () => {
    expect(crossesAnalyzeThreshold(4_900, 200)).toBe(true);
    expect(crossesAnalyzeThreshold(5_100, 200)).toBe(false);
    expect(crossesAnalyzeThreshold(9_900, 200)).toBe(true);
    expect(crossesAnalyzeThreshold(19_900, 200)).toBe(true);
    expect(crossesAnalyzeThreshold(30_000, 200)).toBe(false);
    expect(crossesAnalyzeThreshold(0, 200)).toBe(false);
    expect(crossesAnalyzeThreshold(4_999, 0)).toBe(false);
  });
});
