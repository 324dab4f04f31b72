/** A User Privacy API deletion job: users deleted together on the job's day. */
export interface DeletionJob {
  day: string;
  status: 'staging' | 'submitted' | 'done';
  amplitude_ids: { amplitude_id: number; requester: string; requested_on_day: string }[];
}

const DAY_MS = 86_400_000;
/** Amplitude schedules a request's job 10 to 13 days later. */
const SCHEDULED_AFTER_DAYS = 10;

export const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The project's deletion jobs: requests join the next staging job; running a job purges its users. */
export class DeletionJobs {
  readonly jobs: DeletionJob[] = [];

  /** A request for these users (by Amplitude id) at `now`: the staging job it joined. */
  request(amplitudeIds: number[], requester: string, now: number): DeletionJob {
    const day = isoDay(now + SCHEDULED_AFTER_DAYS * DAY_MS);
    let job = this.jobs.find((j) => j.status === 'staging' && j.day === day);
    if (!job) this.jobs.push((job = { day, status: 'staging', amplitude_ids: [] }));
    for (const amplitudeId of amplitudeIds) job.amplitude_ids.push({ amplitude_id: amplitudeId, requester, requested_on_day: isoDay(now) });
    return job;
  }

  /** Jobs scheduled on days `from`..`to` (YYYY-MM-DD, both included). */
  between(from: string, to: string): DeletionJob[] {
    return this.jobs.filter((j) => j.day >= from && j.day <= to);
  }
}
