import { RssSampler } from './service';

export interface ExportRun {
  profiles: number;
  seconds: number;
  profilesPerSecond: number;
  megabytes: number;
  /** The service's RSS just before the export started. */
  rssBeforeMb: number;
  /** Its highest RSS while the export streamed (500 ms samples). */
  rssPeakMb: number;
  rssGrowthMb: number;
}

/**
 * Streams the organisation's bulk export (`GET /customers/v2/exports/profiles`) from the running
 * service to nowhere, counting lines, while sampling the service's RSS: the export must hold
 * constant memory however many profiles it streams.
 */
export async function measureExport(
  url: string,
  token: string,
  rss: RssSampler,
  onProgress: (profiles: number) => void = () => undefined,
): Promise<ExportRun> {
  rss.mark();
  const rssBeforeKb = rss.sinceMarkKb;
  const started = performance.now();
  const response = await fetch(`${url}/customers/v2/exports/profiles`, {
    headers: { authorization: `Bearer ${token}`, accept: 'application/x-ndjson' },
  });
  if (response.status !== 200 || !response.body) {
    throw new Error(`export answered ${response.status}: ${await response.text()}`);
  }
  let profiles = 0;
  let bytes = 0;
  let lastReport = 0;
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) {
      profiles++;
    }
    if (profiles - lastReport >= 50_000) {
      lastReport = profiles;
      onProgress(profiles);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const rssBeforeMb = rssBeforeKb / 1024;
  const rssPeakMb = rss.sinceMarkKb / 1024;
  return {
    profiles,
    seconds,
    profilesPerSecond: profiles / seconds,
    megabytes: bytes / 1024 / 1024,
    rssBeforeMb,
    rssPeakMb,
    rssGrowthMb: rssPeakMb - rssBeforeMb,
  };
}

export function formatExportRun(run: ExportRun): string {
  return (
    `export: ${run.profiles} profiles (${run.megabytes.toFixed(0)} MB NDJSON) in ` +
    `${run.seconds.toFixed(1)} s = ${run.profilesPerSecond.toFixed(0)} profiles/s; service RSS ` +
    `${run.rssBeforeMb.toFixed(0)} MB before, peak ${run.rssPeakMb.toFixed(0)} MB during: ` +
    `grows ${run.rssGrowthMb.toFixed(0)} MB (target < 50 MB: ${run.rssGrowthMb < 50 ? 'met' : 'NOT met'})`
  );
}
