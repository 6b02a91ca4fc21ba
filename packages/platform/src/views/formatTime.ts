/**
 * A moment as people read it where the business runs, with the zone named, so an audit line
 * at "14:03:22" is never mistaken for another zone's: "14:03:22 CET".
 */
export function formatTime(instant: Date, timeZone: string, withDay = false): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    ...(withDay ? { year: 'numeric', month: '2-digit', day: '2-digit' } : {}),
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((item) => item.type === type)?.value ?? '';
  const time = `${part('hour')}:${part('minute')}:${part('second')} ${part('timeZoneName')}`;
  return withDay ? `${part('year')}-${part('month')}-${part('day')} ${time}` : time;
}
